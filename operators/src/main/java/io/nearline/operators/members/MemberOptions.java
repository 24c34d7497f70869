package io.nearline.operators.members;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.similars.SimilarsOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static io.nearline.operators.config.OptionChecks.atLeast;
import static io.nearline.operators.config.OptionChecks.between01;
import static io.nearline.operators.config.OptionChecks.nonNegative;
import static io.nearline.operators.config.OptionChecks.positive;

/** Member state and the rows computed from it. */
public final class MemberOptions {

    public static final ConfigOption<Integer> MAX_TITLES = ConfigOptions.key("nearline.members.max-titles")
            .intType().defaultValue(500)
            .withDescription("Titles kept per member, the most recent; older interactions are dropped at compaction.");

    public static final ConfigOption<Duration> FACTOR_WRITE_INTERVAL = ConfigOptions.key("nearline.members.factor-write-interval")
            .durationType().defaultValue(Duration.ZERO)
            .withDescription("If positive, a member's factor is written to member_factors at most once in this much "
                    + "processing time: the first at once, a newer one within the interval later (the newest then, "
                    + "between one and two intervals after the last write, spread by member); a factor of another model "
                    + "version at once. Rows are written on every recompute regardless. For a job whose Cassandra is the "
                    + "bottleneck; the state it keeps can cost what the saved writes do (docs/architecture.md), so 0, "
                    + "every factor written, is the default.");

    public static final ConfigOption<Duration> STATE_TTL = ConfigOptions.key("nearline.members.state-ttl")
            .durationType().defaultValue(Duration.ofDays(90))
            .withDescription("A member's state expires this long after it was last written.");

    public static final ConfigOption<Integer> EXPLAINED_TITLES = ConfigOptions.key("nearline.members.explained-titles")
            .intType().defaultValue(50)
            .withDescription("How many of a member's titles, the most weighted, are written with the member's factor to "
                    + "member_factors: what the online service explains a recommendation with. 0 writes none.");

    public static final ConfigOption<Duration> WATCHING_WINDOW = ConfigOptions.key("nearline.members.watching-window")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Titles a member started playing this recently are written to the cache (row 'watching'), "
                    + "for the online service to leave out of the member's rows. 0 writes none.");

    public static final ConfigOption<Duration> DEBOUNCE = ConfigOptions.key("nearline.members.debounce")
            .durationType().defaultValue(Duration.ofMillis(200))
            .withDescription("A burst of a member's events leads to one recompute this long (processing time) after "
                    + "its first event.");

    public static final ConfigOption<Duration> CATCH_UP_DELAY = ConfigOptions.key("nearline.members.catch-up-delay")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("When the job is behind (an event reaches member state more than a second after it "
                    + "happened: a backlog after a restart, a burst beyond what the job carries), the member's recompute "
                    + "waits longer than the debounce: by the event's lag beyond that second, at most this much. The "
                    + "member's further events in the backlog then join one recompute instead of one each, and the job "
                    + "catches up. An event on time is recomputed after the debounce alone. 0 turns it off.");

    public static final ConfigOption<Duration> SCORING_BATCH_DELAY = ConfigOptions.key("nearline.members.scoring-batch-delay")
            .durationType().defaultValue(Duration.ofMillis(10))
            .withDescription("Members folded in within this much processing time of each other are scored together: "
                    + "one pass over the item factors for all of them instead of one each, which under load is most of "
                    + "a recompute's cost. Adds at most this much to a row's latency; 0 scores each member at once.");

    public static final ConfigOption<Integer> ROW_LENGTH = ConfigOptions.key("nearline.members.row-length")
            .intType().defaultValue(25)
            .withDescription("Titles per row the job emits, best first.");

    public static final ConfigOption<Integer> BECAUSE_YOU_WATCHED_ROWS = ConfigOptions.key("nearline.members.because-you-watched-rows")
            .intType().defaultValue(3)
            .withDescription("\"Because you watched\" rows per member: because-you-watched:1 for the newest watched title "
                    + "with titles like it, :2 for the one before, and so on (each row names its title as its anchor). The "
                    + "titles come from the model's neighbour table, for a model without one from the similars result. 0 "
                    + "writes none.");

    public static final ConfigOption<Integer> MIN_INTERACTIONS = ConfigOptions.key("nearline.members.min-interactions")
            .intType().defaultValue(1)
            .withDescription("Members with fewer positive interactions than this get the model's popularity row.");

    public static final ConfigOption<List<String>> EXCLUDED_TITLES = ConfigOptions.key("nearline.members.excluded-titles")
            .stringType().asList().noDefaultValue()
            .withDescription("Titles never recommended (a business rule, such as titles leaving the catalog).");

    public static final ConfigOption<Double> ALPHA = ConfigOptions.key("nearline.members.alpha")
            .doubleType().defaultValue(10.0)
            .withDescription("Confidence scaling of the fold-in: confidence is 1 + alpha * |weight|. Higher than a typical "
                    + "training value on purpose: with the weights' half-life it makes the member's recent interactions "
                    + "dominate (see docs/evaluation.md).");

    public static final ConfigOption<Double> LAMBDA = ConfigOptions.key("nearline.members.lambda")
            .doubleType().defaultValue(10.0)
            .withDescription("L2 regularisation of the member factor in the fold-in (see docs/evaluation.md).");

    public static final ConfigOption<ImplicitSolver.Method> SOLVER = ConfigOptions.key("nearline.members.solver")
            .enumType(ImplicitSolver.Method.class).defaultValue(ImplicitSolver.Method.CONJUGATE_GRADIENT)
            .withDescription("How the fold-in solves its equations (see bin/nearline bench foldin).");

    public static final ConfigOption<Integer> CG_ITERATIONS = ConfigOptions.key("nearline.members.cg-iterations")
            .intType().defaultValue(64)
            .withDescription("Conjugate-gradient iterations at most per fold-in.");

    public static final ConfigOption<Double> CG_TOLERANCE = ConfigOptions.key("nearline.members.cg-tolerance")
            .doubleType().defaultValue(1e-2)
            .withDescription("Conjugate gradient stops when the residual is this fraction of the right-hand side. Warm "
                    + "started from the member's previous factor it takes 1 to 3 iterations; a tighter tolerance did not "
                    + "change HR@10 (docs/evaluation.md).");

    private MemberOptions() {}

    /** A recompute's settings, checked: a value out of range is refused with its option's name. */
    public static Recommender.Settings recommender(ReadableConfig config) {
        return new Recommender.Settings(atLeast(config, MAX_TITLES, 1), config.get(WeightOptions.HALF_LIFE).toMillis(),
                atLeast(config, ROW_LENGTH, 1), atLeast(config, MIN_INTERACTIONS, 0),
                new HashSet<>(config.getOptional(EXCLUDED_TITLES).orElse(List.of())), config.get(SOLVER),
                atLeast(config, CG_ITERATIONS, 1), between01(config, CG_TOLERANCE), nonNegative(config, ALPHA),
                nonNegative(config, LAMBDA), RankerOptions.settings(config));
    }

    /** The member operator's settings, checked at submission. */
    public static MemberSettings settings(ReadableConfig config) {
        return new MemberSettings(recommender(config), new InteractionWeights(config), positive(config, STATE_TTL),
                config.get(DEBOUNCE), config.get(SCORING_BATCH_DELAY), config.get(CATCH_UP_DELAY),
                config.get(FACTOR_WRITE_INTERVAL), atLeast(config, EXPLAINED_TITLES, 0),
                atLeast(config, BECAUSE_YOU_WATCHED_ROWS, 0), config.get(ModelOptions.NAME),
                atLeast(config, ModelOptions.RANK, 0),
                atLeast(config, ModelOptions.RETAINED_VERSIONS, 1),
                atLeast(config, ModelOptions.LOAD_THREADS, 0),
                config.get(SimilarsOptions.ALGORITHM));
    }
}
