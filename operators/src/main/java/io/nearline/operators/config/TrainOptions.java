package io.nearline.operators.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of TrainJob: implicit ALS and the evaluation gate before publication. */
public final class TrainOptions {

    public static final ConfigOption<Integer> RANK = ConfigOptions.key("nearline.train.rank")
            .intType().defaultValue(32)
            .withDescription("Factors per member and title.");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("nearline.train.parallelism")
            .intType().noDefaultValue()
            .withDescription("Subtasks of each solving stage; the title half is split into this many partitions. "
                    + "Default: the job's default parallelism.");

    public static final ConfigOption<Integer> ITERATIONS = ConfigOptions.key("nearline.train.iterations")
            .intType().defaultValue(10)
            .withDescription("Alternating iterations (each solves all members, then all titles); unrolled into the job graph.");

    public static final ConfigOption<Double> LAMBDA = ConfigOptions.key("nearline.train.lambda")
            .doubleType().defaultValue(10.0)
            .withDescription("L2 regularisation of training (see docs/evaluation.md for the choice).");

    public static final ConfigOption<Double> ALPHA = ConfigOptions.key("nearline.train.alpha")
            .doubleType().defaultValue(1.0)
            .withDescription("Confidence scaling of training: confidence is 1 + alpha * |weight|.");

    public static final ConfigOption<Long> SEED = ConfigOptions.key("nearline.train.seed")
            .longType().defaultValue(42L)
            .withDescription("Seed of the initial title factors (derived per title, so any parallelism gives the same model).");

    public static final ConfigOption<Double> HOLDOUT_FRACTION = ConfigOptions.key("nearline.train.holdout-fraction")
            .doubleType().defaultValue(0.1)
            .withDescription("Share of members (with at least three interactions) whose newest interaction is held out of "
                    + "training and used to evaluate the new and the active model.");

    public static final ConfigOption<Integer> HOLDOUT_MAX_MEMBERS = ConfigOptions.key("nearline.train.holdout-max-members")
            .intType().defaultValue(5000)
            .withDescription("Held-out members evaluated at most (a deterministic sample).");

    public static final ConfigOption<Double> MAX_REGRESSION = ConfigOptions.key("nearline.train.max-regression")
            .doubleType().defaultValue(0.01)
            .withDescription("A new model whose HR@10 on the held-out members is below the active model's by more than this "
                    + "is not published.");

    public static final ConfigOption<String> VERSION = ConfigOptions.key("nearline.train.version")
            .stringType().noDefaultValue()
            .withDescription("Version of the new model. Default: v<yyyyMMddHHmmss> of the time training started, in UTC.");

    public static final ConfigOption<String> MODELS_PATH = ConfigOptions.key("nearline.train.models-path")
            .stringType().defaultValue("file:///tmp/nearline/models")
            .withDescription("Folder (file:// or s3://) the artifact is written to, as <folder>/<name>/<version>.avro.");

    private TrainOptions() {}
}
