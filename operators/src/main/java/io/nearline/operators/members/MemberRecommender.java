package io.nearline.operators.members;

import io.nearline.operators.models.ActiveModels;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelCache;
import io.nearline.operators.similars.SimilarsIndex;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nearline member state. Keyed by member, it appends each interaction to the member's list of recent
 * interactions (one state write per event) and registers one processing-time timer per burst (later when the job
 * is behind, so that a backlog's events of a member join one recompute: {@code nearline.members.catch-up-delay}); when the timer
 * fires it compacts them into the member's history (one value), folds the member's factor in against the
 * member's model version ({@link FactorWriter} keeps it and writes it out on {@link #FACTORS}) and emits the
 * member's rows ({@link RowEmitter}). Picking them scores every title, which costs more than the rest of a
 * recompute, so members folded in within {@code nearline.members.scoring-batch-delay} of each other are scored
 * together ({@link ScoringBatch}) on a timer of each member at the end of the slot.
 *
 * <p>The broadcast side carries model descriptors ({@link ModelVersions}), similars results
 * ({@link SimilarsResults}) and trending rows ({@link TrendingFallback}); artifacts load off the task thread,
 * and members wait while no model version serves.
 */
public class MemberRecommender extends KeyedBroadcastProcessFunction<String, UiEvent, BroadcastInput, RecommendationRow>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MemberRecommender.class);

    /** Side output of member factors, for the member_factors table. */
    public static final OutputTag<MemberFactor> FACTORS = new OutputTag<>("member-factors") {};
    /** The model name of top-picks rows made from Trending Now (members with too little history). */
    public static final String TRENDING = "trending";

    private final MemberSettings settings;
    private final ArtifactSource artifacts;

    private transient ModelVersions models;
    private transient SimilarsResults similars;
    private transient TrendingFallback trending;
    private transient InteractionWeights weights;
    private transient Recommender recommender;
    private transient FactorWriter factors;
    private transient RowEmitter rows;
    private transient ValueState<InteractionHistory> history;
    private transient ListState<Interaction> recent;
    private transient long debounceMillis;
    private transient long batchDelayMillis;
    private transient long catchUpMillis;
    /** Members waiting to be scored together, by the end of their delay slot (see {@link ScoringBatch}). */
    private transient Map<Long, ScoringBatch> batches;
    /**
     * The debounce timer each member with new events has registered. Not state, on purpose: it saves a state
     * read and write per event, and after a restore the timers themselves come back (an event arriving before
     * its member's restored timer fires merely adds one recompute).
     */
    private transient Map<String, Long> pendingTimers;
    /** The country of each member with a pending recompute (its newest event's), for the trending fallback. */
    private transient Map<String, String> pendingCountries;
    private transient Counter recomputes;
    private transient Counter waitingForModel;
    private transient Histogram scoringBatchSize;

    /** Settings read and checked from options (at submission, where the job graph is built). */
    public MemberRecommender(ReadableConfig config) {
        this(MemberOptions.settings(config), new ArtifactSource(config));
    }

    public MemberRecommender(MemberSettings settings, ArtifactSource artifacts) {
        this.settings = settings;
        this.artifacts = artifacts;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        setUp();
        List<ArtifactDescriptor> descriptors = new ArrayList<>();
        context.getOperatorStateStore().getBroadcastState(MemberStates.modelDescriptors()).entries()
                .forEach(e -> descriptors.add(e.getValue()));
        trending.restore(context.getOperatorStateStore().getBroadcastState(MemberStates.trendingRows()).entries());
        similars.restore(descriptors);
        models.restore(descriptors);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Broadcast state is snapshotted by Flink; the loaded artifacts are not state.
    }

    /** The parts that broadcast state restores into; before open(), which is called after initializeState. */
    private void setUp() {
        if (models != null) {
            return;
        }
        String task = "member state " + (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1) + "/"
                + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int retainedVersions = settings.retainedVersions();
        ModelCache cache = ModelCache.forThreads(settings.loadThreads());
        getRuntimeContext().registerUserCodeClassLoaderReleaseHookIfAbsent("nearline-model-cache", ModelCache::shutdownShared);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        models = new ModelVersions(task, settings.modelName(), settings.modelRank(), retainedVersions,
                cache, artifacts, metrics.addGroup("models"));
        similars = new SimilarsResults(task, settings.similarsAlgorithm(), retainedVersions, cache, artifacts,
                metrics.addGroup("similars"));
        trending = new TrendingFallback();
    }

    @Override
    public void open(OpenContext openContext) {
        setUp();
        weights = settings.weights();
        recommender = new Recommender(settings.recommender());
        Duration ttl = settings.stateTtl();
        history = getRuntimeContext().getState(MemberStates.history(ttl));
        recent = getRuntimeContext().getListState(MemberStates.recent(ttl));
        factors = new FactorWriter(getRuntimeContext().getState(MemberStates.factor(ttl)),
                getRuntimeContext().getState(MemberStates.factorWrite(ttl)),
                getRuntimeContext().getState(MemberStates.pendingFactor(ttl)),
                settings.factorWriteInterval().toMillis(), recommender,
                settings.explainedTitles());
        MetricGroup members = getRuntimeContext().getMetricGroup().addGroup("members");
        rows = new RowEmitter(recommender, getRuntimeContext().getState(MemberStates.lastEmitted(ttl)), trending,
                similars::serving, members.histogram("freshnessMs", new DescriptiveStatisticsHistogram(10_000)),
                settings.becauseYouWatchedRows());
        recomputes = members.counter("recomputes");
        waitingForModel = members.counter("waitingForModel");
        scoringBatchSize = members.histogram("scoringBatchSize", new DescriptiveStatisticsHistogram(1_000));
        debounceMillis = settings.debounce().toMillis();
        batchDelayMillis = settings.scoringBatchDelay().toMillis();
        catchUpMillis = settings.catchUpDelay().toMillis();
        batches = new HashMap<>();
        pendingTimers = new HashMap<>();
        pendingCountries = new HashMap<>();
    }

    @Override
    public void processElement(UiEvent event, ReadOnlyContext ctx, Collector<RecommendationRow> out) throws Exception {
        applyCompletions();
        Interaction interaction = weights.interaction(event);
        if (interaction == null) {
            return;
        }
        // An event costs one append; the first of a burst also registers the recompute's timer.
        recent.add(interaction);
        String member = ctx.getCurrentKey();
        pendingCountries.put(member, event.getContext().getCountry());
        if (!pendingTimers.containsKey(member)) {
            long now = ctx.timerService().currentProcessingTime();
            long timer = now + debounceMillis + catchUp(now - interaction.time);
            ctx.timerService().registerProcessingTimeTimer(timer);
            pendingTimers.put(member, timer);
        }
    }

    /** Events this late or less are on time: their member is recomputed after the debounce alone. */
    static final long ON_TIME_MILLIS = 1_000;

    /** How much longer than the debounce a member's recompute waits when its event arrives {@code lagMillis} late. */
    private long catchUp(long lagMillis) {
        return catchUpMillis <= 0 ? 0 : Math.min(catchUpMillis, Math.max(0, lagMillis - ON_TIME_MILLIS));
    }

    /**
     * A member's timer is of one or more kinds, told apart by its time: the end of a pending factor's interval
     * ({@link FactorWriter}), the end of a scoring slot ({@link ScoringBatch}), the member's debounce timer (or its
     * retry while no model serves), or a timer restored from a savepoint, which recomputes the member too.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RecommendationRow> out) throws Exception {
        applyCompletions();
        String member = ctx.getCurrentKey();
        boolean factorDue = factors.writeDue(timestamp, factor -> ctx.output(FACTORS, factor));
        boolean scored = emitScored(member, timestamp, ctx, out);
        Long debounce = pendingTimers.get(member);
        boolean recompute = debounce != null
                ? debounce == timestamp // else superseded by a later timer of the same member
                : !scored && !(factorDue && !hasRecentInteractions()); // a restored debounce timer
        if (recompute) {
            recompute(member, ctx, out);
        }
    }

    /** At the end of a scoring slot: scores the batch if no member did yet and emits this member's rows. */
    private boolean emitScored(String member, long timestamp, OnTimerContext ctx, Collector<RecommendationRow> out) throws Exception {
        ScoringBatch batch = batches.get(timestamp);
        if (batch == null) {
            return false;
        }
        if (!batch.scored()) {
            scoringBatchSize.update(batch.size());
        }
        ScoringBatch.Scored scored = batch.take(member, recommender);
        if (scored == null) {
            return false;
        }
        if (batch.isEmpty()) {
            batches.remove(timestamp);
        }
        rows.emit(member, scored.pending(), scored.result(), ctx.timerService().currentProcessingTime(), out);
        return true;
    }

    /** Compacts the member's interactions, folds its factor in and emits its rows, or schedules them in a batch. */
    private void recompute(String member, OnTimerContext ctx, Collector<RecommendationRow> out) throws Exception {
        pendingTimers.remove(member);
        String country = pendingCountries.remove(member);
        List<Interaction> compacted = compact();
        if (compacted.isEmpty()) {
            return; // nothing left: the member's state expired
        }
        ActiveModels.Version version = models.serving().select(member);
        if (version == null) {
            // No model loaded yet (just started or restored): the events are kept, try again shortly.
            waitingForModel.inc();
            long retry = ctx.timerService().currentProcessingTime() + Math.max(debounceMillis, 100);
            ctx.timerService().registerProcessingTimeTimer(retry);
            pendingTimers.put(member, retry);
            if (country != null) {
                pendingCountries.put(member, country);
            }
            return;
        }
        long newestEventTime = Long.MIN_VALUE;
        for (Interaction interaction : compacted) {
            newestEventTime = Math.max(newestEventTime, interaction.time);
        }
        ModelArtifact model = version.artifact();
        Recommender.Scoring scoring = recommender.foldIn(model, compacted, newestEventTime, factors.warmStart(model));
        long now = ctx.timerService().currentProcessingTime();
        recomputes.inc();
        ScoringBatch.Pending pending = new ScoringBatch.Pending(model, compacted, newestEventTime, country);
        if (scoring == null) {
            rows.emit(member, pending, recommender.popular(model, compacted), now, out);
            return;
        }
        factors.update(member, model, scoring.factor(), compacted, newestEventTime, now, ctx.timerService(),
                factor -> ctx.output(FACTORS, factor));
        if (batchDelayMillis <= 0) {
            rows.emit(member, pending, recommender.rank(List.of(scoring)).get(0), now, out);
            return;
        }
        // Scored with the members folded in until the end of this delay slot, on a timer of this member.
        long slotEnd = (now / batchDelayMillis + 1) * batchDelayMillis;
        batches.computeIfAbsent(slotEnd, t -> new ScoringBatch()).add(member, pending, scoring);
        ctx.timerService().registerProcessingTimeTimer(slotEnd);
    }

    private boolean hasRecentInteractions() throws Exception {
        Iterable<Interaction> pending = recent.get();
        return pending != null && pending.iterator().hasNext();
    }

    /** Folds the interactions appended since the last recompute into the member's compacted history. */
    private List<Interaction> compact() throws Exception {
        InteractionHistory stored = history.value();
        List<Interaction> compacted = stored == null ? new ArrayList<>() : stored.toList();
        Iterable<Interaction> appended = recent.get();
        List<Interaction> added = new ArrayList<>();
        if (appended != null) {
            appended.forEach(added::add);
        }
        if (added.isEmpty()) {
            return compacted;
        }
        compacted = recommender.history().merge(compacted, added);
        history.update(InteractionHistory.of(compacted));
        recent.clear();
        return compacted;
    }

    @Override
    public void processBroadcastElement(BroadcastInput input, Context ctx, Collector<RecommendationRow> out) throws Exception {
        if (input.trending != null) {
            trending.update(input.trending, ctx.getBroadcastState(MemberStates.trendingRows()));
            return;
        }
        applyCompletions();
        ArtifactDescriptor descriptor = input.descriptor;
        BroadcastState<String, ArtifactDescriptor> state = ctx.getBroadcastState(MemberStates.modelDescriptors());
        if (similars.isOurs(descriptor)) {
            similars.publish(descriptor, state);
        } else if (models.serves(descriptor)) {
            models.publish(descriptor, state);
        } else {
            LOG.info("ignoring published {} {} {}: this job serves model {}", descriptor.getKind(), descriptor.getName(),
                    descriptor.getVersion(), settings.modelName());
        }
    }

    /** Takes in finished loads on the task thread, so that what serves changes only there, without locks. */
    private void applyCompletions() {
        similars.applyCompletions();
        models.applyCompletions();
    }

    /** Artifacts rejected by this task so far (also the metric models.rejected). */
    public long rejectedModels() {
        applyCompletions();
        return models.rejected();
    }

    /** Why the last artifact was rejected, or null. */
    public String lastRejection() {
        applyCompletions();
        return models.lastRejection();
    }

    /** The similars result serving "because you watched" rows on this task now, or null. */
    public SimilarsIndex similars() {
        applyCompletions();
        return similars.serving();
    }

    /** The versions serving members on this task now (for tests and inspection). */
    public ActiveModels activeModels() {
        applyCompletions();
        return models.serving();
    }
}
