package io.nearline.topology.cli;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.topology.eval.PrequentialEvaluation;
import io.nearline.topology.eval.RatingsFile;
import io.nearline.topology.eval.SessionRatings;
import io.nearline.topology.eval.Tuning;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/nearline eval}: the quality benchmark of ARCHITECTURE.md on a MovieLens ratings file, through the
 * member operator's own code. Its last line is {@code HR@10 popularity=<x> stale=<x> nearline=<x> events=<n>}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Trains on the first part of a ratings file in time order, replays the rest and prints HR@10.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--ratings", description = "u.data (tab-separated) or ratings.csv (with header).")
    Path ratings;

    @Option(names = "--synthetic", paramLabel = "MEMBERS", description = "Instead of --ratings: a generated data set with "
            + "session shifts of this many members (fixed seed; see SessionRatings).")
    int synthetic;

    @Option(names = "--train-fraction", description = "Share of interactions, oldest first, that train the model (default: ${DEFAULT-VALUE}).")
    double trainFraction = 0.8;

    @Option(names = "--rank", description = "Factors per title (default: ${DEFAULT-VALUE}).")
    int rank = EvalDefaults.RANK;

    @Option(names = "--iterations", description = "ALS iterations (default: ${DEFAULT-VALUE}).")
    int iterations = EvalDefaults.ITERATIONS;

    @Option(names = "--lambda", description = "Regularisation (default: ${DEFAULT-VALUE}).")
    double lambda = EvalDefaults.LAMBDA;

    @Option(names = "--alpha", description = "Confidence scaling (default: ${DEFAULT-VALUE}).")
    double alpha = EvalDefaults.ALPHA;

    @Option(names = "--seed", description = "Seed of the initial factors (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--tune", description = "Choose the settings first, by HR@10 on a validation replay carved from the "
            + "training part (its first 7/8 fit, its last 1/8 replayed), printing what it tried; then run the test replay once "
            + "with the choice.")
    boolean tune;

    @Option(names = "--validation", description = "Replay the validation slice instead of the test replay: the training "
            + "part split again in time, its first 7/8 fit, its last 1/8 replayed (what --tune scores). For comparing "
            + "settings without looking at the test replay.")
    boolean validationOnly;

    @Option(names = "--tune-rounds", description = "Passes of the search over all settings (default: ${DEFAULT-VALUE}).")
    int tuneRounds = 2;

    @Option(names = {"-D", "--set"}, description = "A job option such as nearline.weights.half-life=30d; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cli = new CommandLine(this);
        if ((ratings == null) == (synthetic <= 0)) {
            throw new CommandLine.ParameterException(cli, "--ratings: give a ratings file or --synthetic MEMBERS (one of them)");
        }
        if (ratings != null && !Files.isRegularFile(ratings)) {
            throw new CommandLine.ParameterException(cli, "--ratings: no file " + ratings);
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new CommandLine.ParameterException(cli, "--train-fraction must be between 0 and 1, not " + trainFraction);
        }
        if (tune && validationOnly) {
            throw new CommandLine.ParameterException(cli, "--validation: not with --tune, which replays the validation slice itself");
        }
        ImplicitAls.Settings als;
        try {
            als = new ImplicitAls.Settings(rank, lambda, alpha, iterations, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--rank, --lambda, --alpha, --iterations: " + e.getMessage());
        }
        Configuration config;
        try {
            config = NearlineOptions.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--set: " + e.getMessage());
        }
        List<RatingsFile.Rating> data;
        try {
            data = ratings != null ? RatingsFile.read(ratings) : SessionRatings.generate(synthetic, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--ratings: " + e.getMessage());
        }
        long start = System.nanoTime();
        PrequentialEvaluation evaluation;
        if (tune) {
            int split = (int) Math.round(data.size() * trainFraction);
            Tuning.Choice choice = new Tuning(data.subList(0, split), als, System.out).search(settings, tuneRounds);
            PrequentialEvaluation.Result validation = choice.validation();
            System.out.printf(Locale.ROOT, "tune: %d settings tried on the validation replay (fit %d ratings, replay %d, %d asked)%n",
                    choice.evaluations(), validation.trainInteractions(), validation.replayed(), validation.events());
            System.out.printf(Locale.ROOT, "tune: validation HR@10 nearline=%.4f fold-in only=%.4f sequential only=%.4f "
                            + "popularity=%.4f stale=%.4f NDCG@10=%.4f%n", validation.nearline(), validation.foldInOnly(),
                    validation.sequenceOnly(), validation.popularity(), validation.stale(), validation.ndcg());
            StringBuilder chosen = new StringBuilder();
            choice.settings().forEach((key, value) -> chosen.append(" -D ").append(key).append('=').append(value.replace(" ", "")));
            System.out.println("tune: chosen" + chosen);
            evaluation = Tuning.evaluation(choice.settings(), als, trainFraction, true);
        } else if (validationOnly) {
            data = data.subList(0, (int) Math.round(data.size() * trainFraction));
            evaluation = new PrequentialEvaluation(config, als, Tuning.FIT_FRACTION, true);
            System.out.println("eval: the validation replay (the training part's last 1/8); the test replay is not read");
        } else {
            evaluation = new PrequentialEvaluation(config, als, trainFraction, true);
        }
        PrequentialEvaluation.Result result = evaluation.run(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "eval: %d ratings, %d to train (rank %d, lambda %s, alpha %s, %d iterations), %d replayed; took %.1f s%n",
                data.size(), result.trainInteractions(), rank, lambda, alpha, iterations, result.replayed(), seconds);
        System.out.printf(Locale.ROOT, "components: fold-in only HR@10=%.4f, sequential only HR@10=%.4f; nearline NDCG@10=%.4f, "
                + "catalog coverage of top 10s=%.3f%n", result.foldInOnly(), result.sequenceOnly(), result.ndcg(), result.coverage());
        System.out.printf(Locale.ROOT, "HR@10 popularity=%.4f stale=%.4f nearline=%.4f events=%d%n",
                result.popularity(), result.stale(), result.nearline(), result.events());
        return 0;
    }
}
