package io.nearline.operators.models;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Which published models the nearline job uses and how it loads them. */
public final class ModelOptions {

    public static final ConfigOption<String> NAME = ConfigOptions.key("nearline.models.name")
            .stringType().defaultValue("als")
            .withDescription("The model (by name) whose published versions serve the member rows; also the experiment "
                    + "name that assigns members to versions.");

    public static final ConfigOption<Integer> RANK = ConfigOptions.key("nearline.models.rank")
            .intType().defaultValue(0)
            .withDescription("The rank a published model must have; an artifact of another rank is rejected. 0 accepts any.");

    public static final ConfigOption<Integer> RETAINED_VERSIONS = ConfigOptions.key("nearline.models.retained-versions")
            .intType().defaultValue(3)
            .withDescription("Versions kept (by publication time, newest first) so that one can take over when a newer one "
                    + "is rejected; each task manager holds those it has loaded in memory.");

    public static final ConfigOption<Integer> LOAD_THREADS = ConfigOptions.key("nearline.models.load-threads")
            .intType().defaultValue(2)
            .withDescription("Threads per task manager that load and verify artifacts. 0 loads on the task's own thread, "
                    + "which stalls events during a load (for tests and tools only).");

    public static final ConfigOption<String> PUBLISHED_TOPIC = ConfigOptions.key("nearline.models.published-topic")
            .stringType().defaultValue("published")
            .withDescription("Kafka topic of artifact descriptors (see bin/nearline publish).");

    private ModelOptions() {}
}
