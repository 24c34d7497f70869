package io.nearline.topology.eval;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.members.WeightOptions;
import io.nearline.operators.neighbours.NeighbourOptions;
import org.apache.flink.configuration.Configuration;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses the settings of the evaluation by HR@10 on the validation replay only: the training part of the ratings
 * (the first {@code trainFraction}) is split again in time, its first 7/8 fit and its last 1/8 is replayed; the
 * test replay is never looked at. The search is coordinate ascent over fixed grids ({@link #KNOBS}): from the
 * starting settings, each knob in turn takes the value of its grid that scores best with the others held, for
 * {@code rounds} passes; a value must beat the current one to replace it. Models are trained once per distinct
 * training setting.
 */
public final class Tuning {

    /** The validation slice: the last eighth of the training part. */
    public static final double FIT_FRACTION = 7.0 / 8;

    /** ALS settings are tuned too, under these names (the CLI's options). */
    public static final String RANK = "als.rank";
    public static final String ALS_LAMBDA = "als.lambda";
    public static final String ALS_ALPHA = "als.alpha";

    /** A setting and the values tried, in the order tried. */
    public record Knob(String key, List<String> values, boolean training) {}

    /** What is searched, in this order. */
    public static final List<Knob> KNOBS = List.of(
            new Knob(RankerOptions.SEQUENCE_WEIGHT.key(), List.of("0", "0.25", "0.5", "1", "2", "4"), false),
            new Knob(RankerOptions.POPULARITY_WEIGHT.key(), List.of("0", "0.25", "0.5", "1", "2"), false),
            new Knob(RankerOptions.RECENT_TITLES.key(), List.of("3", "5", "10", "20", "40"), false),
            new Knob(RankerOptions.RECENCY_DECAY.key(), List.of("0.5", "0.7", "0.8", "0.9", "0.95"), false),
            new Knob(RankerOptions.RETRIEVAL_TITLES.key(), List.of("0", "5", "10", "20"), false),
            new Knob(NeighbourOptions.NEIGHBOURS.key(), List.of("20", "50", "100", "200", "400"), true),
            new Knob(NeighbourOptions.WINDOW.key(), List.of("0", "3", "5", "10", "20", "50"), true),
            new Knob(NeighbourOptions.FORWARD_WINDOW.key(), List.of("0", "3", "5", "10"), true),
            new Knob(NeighbourOptions.FORWARD_WEIGHT.key(), List.of("0", "0.5", "1", "2", "4"), true),
            new Knob(MemberOptions.ALPHA.key(), List.of("1", "3", "10", "30"), false),
            new Knob(MemberOptions.LAMBDA.key(), List.of("1", "3", "10", "30", "100"), false),
            new Knob(WeightOptions.HALF_LIFE.key(), List.of("0 ms", "2 h", "1 d", "30 d"), true),
            new Knob(RANK, List.of("16", "32", "64", "128"), true),
            new Knob(ALS_LAMBDA, List.of("1", "10", "30"), true),
            new Knob(ALS_ALPHA, List.of("0.3", "1", "3"), true));

    /** What the search chose and the validation figures of the choice. */
    public record Choice(Map<String, String> settings, PrequentialEvaluation.Result validation, int evaluations) {}

    private final List<RatingsFile.Rating> training;
    private final ImplicitAls.Settings als;
    private final PrintStream log;
    private final Map<String, LocalTrainer.Trained> models = new HashMap<>();
    private final Map<String, Double> scores = new HashMap<>();

    /** @param training the training part of the ratings (the test replay is not given to tuning at all) */
    public Tuning(List<RatingsFile.Rating> training, ImplicitAls.Settings als, PrintStream log) {
        this.training = training;
        this.als = als;
        this.log = log;
    }

    public Choice search(Map<String, String> start, int rounds) {
        Map<String, String> current = new LinkedHashMap<>(start);
        for (Knob knob : KNOBS) {
            current.putIfAbsent(knob.key(), defaultOf(knob.key()));
        }
        double best = score(current);
        log.printf(Locale.ROOT, "tune: start HR@10=%.4f %s%n", best, current);
        for (int round = 1; round <= rounds; round++) {
            boolean moved = false;
            for (Knob knob : KNOBS) {
                String chosen = current.get(knob.key());
                StringBuilder tried = new StringBuilder();
                for (String value : knob.values()) {
                    Map<String, String> candidate = new LinkedHashMap<>(current);
                    candidate.put(knob.key(), value);
                    double hr = score(candidate);
                    tried.append(String.format(Locale.ROOT, " %s:%.4f", value, hr));
                    if (hr > best) {
                        best = hr;
                        chosen = value;
                    }
                }
                moved |= !chosen.equals(current.get(knob.key()));
                current.put(knob.key(), chosen);
                log.printf(Locale.ROOT, "tune: round %d %s tried%s -> %s (HR@10 %.4f)%n", round, knob.key(), tried, chosen, best);
            }
            if (!moved) {
                break;
            }
        }
        PrequentialEvaluation.Result validation = evaluate(current, true);
        return new Choice(current, validation, scores.size());
    }

    private double score(Map<String, String> settings) {
        String key = settings.toString();
        return scores.computeIfAbsent(key, k -> evaluate(settings, false).nearline());
    }

    private PrequentialEvaluation.Result evaluate(Map<String, String> settings, boolean components) {
        PrequentialEvaluation evaluation = evaluation(settings, als, FIT_FRACTION, components);
        StringBuilder trainingKey = new StringBuilder();
        for (Knob knob : KNOBS) {
            if (knob.training()) {
                trainingKey.append(knob.key()).append('=').append(settings.get(knob.key())).append(';');
            }
        }
        LocalTrainer.Trained model = models.computeIfAbsent(trainingKey.toString(), k -> evaluation.train(training));
        return evaluation.replay(training, model);
    }

    /** An evaluation with the given settings: job options, and the ALS ones under {@link #RANK} and friends. */
    public static PrequentialEvaluation evaluation(Map<String, String> settings, ImplicitAls.Settings als, double trainFraction,
            boolean components) {
        Map<String, String> options = new LinkedHashMap<>(settings);
        Function<String, String> take = options::remove;
        String rank = take.apply(RANK);
        String lambda = take.apply(ALS_LAMBDA);
        String alpha = take.apply(ALS_ALPHA);
        ImplicitAls.Settings tuned = new ImplicitAls.Settings(rank == null ? als.rank() : Integer.parseInt(rank),
                lambda == null ? als.lambda() : Double.parseDouble(lambda), alpha == null ? als.alpha() : Double.parseDouble(alpha),
                als.iterations(), als.seed());
        Configuration config = NearlineOptions.fromSettings(options);
        return new PrequentialEvaluation(config, tuned, trainFraction, components);
    }

    private String defaultOf(String key) {
        return switch (key) {
            case RANK -> Integer.toString(als.rank());
            case ALS_LAMBDA -> trim(als.lambda());
            case ALS_ALPHA -> trim(als.alpha());
            default -> NearlineOptions.defaultValue(key);
        };
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
