package io.nearline.operators.members;

import io.nearline.operators.models.ActiveModels;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelCache;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.similars.SimilarsIndex;
import io.nearline.operators.trending.PlaysByRegion;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Nearline member state. Keyed by member, it appends each interaction to the member's list of recent
 * interactions (one state write per event) and registers one processing-time timer per burst; when the timer
 * fires it compacts them into the member's history (one value), folds the member's factor in against the
 * member's model version (the factor goes out on {@link #FACTORS}, or with
 * {@code nearline.members.factor-write-interval} at most once per interval) and emits the member's top picks.
 * Picking them scores every title, which at 10k titles costs more than the rest of a recompute, and a member
 * alone streams all item factors from the L3 cache or memory: so members folded in within
 * {@code nearline.members.scoring-batch-delay} of each other are scored together ({@link ScoringBatch}), each
 * block of factors read once for all while it sits in L2 (top-N of a batch of 16 costs about 20% less per
 * member than one alone in {@code bin/nearline bench foldin}), on a timer of each member at the end of the
 * slot (the first scores the batch, each emits its own rows in its own key).
 *
 * <p>The broadcast side carries model descriptors only; the artifacts come from {@link ModelCache}, loaded
 * off the task thread, and a version serves members only once it is loaded and verified, so events keep
 * using the previous version meanwhile and a bad artifact never replaces a good one. After a restore the
 * descriptors in broadcast state are loaded again in {@link #initializeState}, without a new publication;
 * until each of them is loaded or rejected no version serves (members wait), so an older version that
 * happens to load first never stands in for the newer one that served before.
 */
public class MemberRecommender extends KeyedBroadcastProcessFunction<String, UiEvent, BroadcastInput, RecommendationRow>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MemberRecommender.class);

    /** Side output of member factors, for the member_factors table. */
    public static final OutputTag<MemberFactor> FACTORS = new OutputTag<>("member-factors") {};
    /** The name of the row of personal picks. */
    public static final String TOP_PICKS = "top-picks";
    /** The model name of top-picks rows made from Trending Now (members with too little history). */
    public static final String TRENDING = "trending";
    /** The prefix of "because you watched" rows; the watched title follows it. */
    public static final String BECAUSE_YOU_WATCHED = "because-you-watched:";

    private final Configuration config;
    private final ArtifactSource artifacts;

    private transient InteractionWeights weights;
    private transient Recommender recommender;
    private transient String modelName;
    private transient int expectedRank;
    private transient int retainedVersions;
    private transient long debounceMillis;
    private transient long batchDelayMillis;
    /** Members waiting to be scored together, by the end of their delay slot (see {@link ScoringBatch}). */
    private transient Map<Long, ScoringBatch> batches;
    private transient int explainedTitles;
    private transient ValueState<InteractionHistory> history;
    private transient ListState<Interaction> recent;
    private transient ValueState<FactorState> factor;
    private transient ValueState<EmittedRow> lastEmitted;
    private transient ValueState<FactorWrite> factorWrite;
    private transient ValueState<MemberFactor> pendingFactor;
    private transient long factorIntervalMillis;
    /**
     * The debounce timer each member with new events has registered. Not state, on purpose: it saves a state
     * read and write per event, and after a restore the timers themselves come back (an event arriving before
     * its member's restored timer fires merely adds one recompute).
     */
    private transient Map<String, Long> pendingTimers;
    /** The country of each member with a pending recompute (its newest event's), for the trending fallback. */
    private transient Map<String, String> pendingCountries;
    /** Trending rows of broadcast state, mirrored, by region. */
    private transient Map<String, TrendingRow> trending;

    private transient ModelCache cache;
    /** Descriptors of broadcast state, mirrored: the versions this task should have loaded. */
    private transient Map<String, ArtifactDescriptor> descriptors;
    private transient Map<String, ModelArtifact> loaded;
    private transient Set<String> requested;
    private transient ConcurrentLinkedQueue<Load> completions;
    /**
     * Loads started by a restore that have not finished. Until they all have, no version serves: otherwise an
     * older version that happens to load first would serve members that the restored newer one served.
     */
    private transient Set<String> restoring;
    private transient volatile ActiveModels active;
    /** The similars algorithm whose lists fill "because you watched"; its newest published result is wanted. */
    private transient String similarsName;
    /**
     * The retained publications of that algorithm, newest first (a mirror of broadcast state). The newest that
     * loads serves; a newer one replaces it only once loaded, so a rejected publication, also after a restore,
     * leaves the previous result serving.
     */
    private transient List<ArtifactDescriptor> similarsDescriptors;
    private transient SimilarsIndex similars;
    private transient String similarsKey;
    private transient ConcurrentLinkedQueue<SimilarsLoad> similarsCompletions;
    private transient Counter similarsLoaded;
    private transient Counter similarsRejected;

    private transient Counter recomputes;
    private transient Counter waitingForModel;
    private transient Counter modelsLoaded;
    private transient Counter modelsRejected;
    private transient Histogram freshness;
    private transient Histogram scoringBatchSize;
    private transient volatile String lastRejection;
    /** Names this subtask in log lines: every subtask logs its own loads. */
    private transient String task;

    public MemberRecommender(ReadableConfig config) {
        this.config = Configuration.fromMap(config.toMap());
        this.artifacts = new ArtifactSource(config);
    }

    /** One finished load: the artifact, or why it was refused. */
    private record Load(ArtifactDescriptor descriptor, ModelArtifact artifact, Throwable failure) {}

    /** One finished load of a similars result. */
    private record SimilarsLoad(ArtifactDescriptor descriptor, SimilarsIndex index) {}

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        setUp();
        BroadcastState<String, ArtifactDescriptor> state =
                context.getOperatorStateStore().getBroadcastState(MemberStates.modelDescriptors());
        for (Map.Entry<String, ArtifactDescriptor> entry : state.entries()) {
            if (entry.getValue().getKind() == ArtifactKind.SIMILARS) {
                if (similarsName.equals(entry.getValue().getName())) {
                    similarsDescriptors.add(entry.getValue());
                }
            } else {
                descriptors.put(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<String, TrendingRow> entry : context.getOperatorStateStore()
                .getBroadcastState(MemberStates.trendingRows()).entries()) {
            trending.put(entry.getKey(), entry.getValue());
        }
        similarsDescriptors.sort(ActiveModels.NEWEST_FIRST);
        for (ArtifactDescriptor descriptor : similarsDescriptors) {
            LOG.info("{}: restored similars {} {}; loading it", task, descriptor.getName(), descriptor.getVersion());
            requestSimilars(descriptor);
        }
        if (!descriptors.isEmpty()) {
            LOG.info("{}: restored {} model descriptor(s); loading them: {}", task, descriptors.size(), descriptors.keySet());
        }
        for (ArtifactDescriptor descriptor : descriptors.values()) {
            restoring.add(ModelCache.key(descriptor));
        }
        requestLoads();
        applyCompletions();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Broadcast state is snapshotted by Flink; the loaded artifacts are not state.
    }

    private void setUp() {
        if (descriptors != null) {
            return;
        }
        task = "member state " + (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + 1) + "/"
                + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        modelName = config.get(ModelOptions.NAME);
        expectedRank = config.get(ModelOptions.RANK);
        retainedVersions = Math.max(1, config.get(ModelOptions.RETAINED_VERSIONS));
        debounceMillis = config.get(MemberOptions.DEBOUNCE).toMillis();
        explainedTitles = Math.max(0, config.get(MemberOptions.EXPLAINED_TITLES));
        cache = ModelCache.forThreads(config.get(ModelOptions.LOAD_THREADS));
        getRuntimeContext().registerUserCodeClassLoaderReleaseHookIfAbsent("nearline-model-cache", ModelCache::shutdownShared);
        descriptors = new HashMap<>();
        loaded = new HashMap<>();
        requested = new HashSet<>();
        completions = new ConcurrentLinkedQueue<>();
        restoring = new HashSet<>();
        active = ActiveModels.none();
        similarsName = config.get(SimilarsOptions.ALGORITHM);
        similarsCompletions = new ConcurrentLinkedQueue<>();
        similarsDescriptors = new ArrayList<>();
        trending = new HashMap<>();
        MetricGroup models = getRuntimeContext().getMetricGroup().addGroup("models");
        modelsLoaded = models.counter("loaded", new ThreadSafeSimpleCounter());
        modelsRejected = models.counter("rejected", new ThreadSafeSimpleCounter());
        models.gauge("active", () -> active.versions().size());
        MetricGroup similarsGroup = getRuntimeContext().getMetricGroup().addGroup("similars");
        similarsLoaded = similarsGroup.counter("loaded", new ThreadSafeSimpleCounter());
        similarsRejected = similarsGroup.counter("rejected", new ThreadSafeSimpleCounter());
        MetricGroup members = getRuntimeContext().getMetricGroup().addGroup("members");
        recomputes = members.counter("recomputes");
        waitingForModel = members.counter("waitingForModel");
        freshness = members.histogram("freshnessMs", new DescriptiveStatisticsHistogram(10_000));
        scoringBatchSize = members.histogram("scoringBatchSize", new DescriptiveStatisticsHistogram(1_000));
    }

    @Override
    public void open(OpenContext openContext) {
        setUp();
        weights = new InteractionWeights(config);
        recommender = new Recommender(config);
        Duration ttl = config.get(MemberOptions.STATE_TTL);
        history = getRuntimeContext().getState(MemberStates.history(ttl));
        recent = getRuntimeContext().getListState(MemberStates.recent(ttl));
        factor = getRuntimeContext().getState(MemberStates.factor(ttl));
        lastEmitted = getRuntimeContext().getState(MemberStates.lastEmitted(ttl));
        factorWrite = getRuntimeContext().getState(MemberStates.factorWrite(ttl));
        pendingFactor = getRuntimeContext().getState(MemberStates.pendingFactor(ttl));
        factorIntervalMillis = config.get(MemberOptions.FACTOR_WRITE_INTERVAL).toMillis();
        pendingTimers = new HashMap<>();
        pendingCountries = new HashMap<>();
        batchDelayMillis = config.get(MemberOptions.SCORING_BATCH_DELAY).toMillis();
        batches = new HashMap<>();
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
            long timer = ctx.timerService().currentProcessingTime() + debounceMillis;
            ctx.timerService().registerProcessingTimeTimer(timer);
            pendingTimers.put(member, timer);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RecommendationRow> out) throws Exception {
        applyCompletions();
        boolean factorDue = writeDueFactor(timestamp, ctx);
        String member = ctx.getCurrentKey();
        ScoringBatch batch = batches.get(timestamp);
        if (batch != null && !batch.scored()) {
            scoringBatchSize.update(batch.size());
        }
        ScoringBatch.Scored scored = batch == null ? null : batch.take(member, recommender);
        if (scored != null) {
            if (batch.isEmpty()) {
                batches.remove(timestamp);
            }
            emit(member, scored.pending(), scored.result(), ctx.timerService().currentProcessingTime(), out);
            if (!Long.valueOf(timestamp).equals(pendingTimers.get(member))) {
                return; // the batch's timer, not also a debounce timer of the member
            }
        }
        Long expected = pendingTimers.get(member);
        if (expected != null && expected != timestamp) {
            return; // superseded by a later timer of the same member
        }
        if (expected == null && factorDue && !hasRecentInteractions()) {
            return; // the factor's own timer, not also a (restored) debounce timer
        }
        pendingTimers.remove(member);
        String country = pendingCountries.remove(member);
        List<Interaction> compacted = compact();
        if (compacted.isEmpty()) {
            return; // nothing left: the member's state expired
        }
        ActiveModels.Version version = active.select(member);
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
        FactorState previous = factor.value();
        double[] warm = previous == null ? null : previous.warmStart(model.name(), model.version());
        Recommender.Scoring scoring = recommender.foldIn(model, compacted, newestEventTime, warm);
        long now = ctx.timerService().currentProcessingTime();
        recomputes.inc();
        ScoringBatch.Pending pending = new ScoringBatch.Pending(model, compacted, newestEventTime, country);
        if (scoring == null) {
            emit(member, pending, recommender.popular(model, compacted), now, out);
            return;
        }
        float[] values = new float[scoring.factor().length];
        List<Float> list = new ArrayList<>(values.length);
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) scoring.factor()[k];
            list.add(values[k]);
        }
        factor.update(new FactorState(model.name(), model.version(), values, now));
        Watched watched = watched(compacted, newestEventTime);
        writeFactor(MemberFactor.newBuilder().setMemberId(member).setModelName(model.name())
                .setModelVersion(model.version()).setFactor(list).setUpdatedAt(Instant.ofEpochMilli(now))
                .setWatched(watched.titles()).setWatchedWeights(watched.weights()).build(), now, ctx);
        if (batchDelayMillis <= 0) {
            emit(member, pending, recommender.rank(List.of(scoring)).get(0), now, out);
            return;
        }
        // Scored with the members folded in until the end of this delay slot, on a timer of this member.
        long slotEnd = (now / batchDelayMillis + 1) * batchDelayMillis;
        ScoringBatch slot = batches.computeIfAbsent(slotEnd, t -> new ScoringBatch());
        slot.add(member, pending, scoring);
        ctx.timerService().registerProcessingTimeTimer(slotEnd);
    }

    /**
     * Writes the member's factor out now if none was written within the interval (or the last was of another model
     * version); otherwise keeps it as the pending one, written on a timer of this member between one and two
     * intervals after the last write (spread by member, so that members active since the same moment do not
     * write all at once: without it, the members of a job's first seconds wrote together 30 s later).
     */
    private void writeFactor(MemberFactor record, long now, OnTimerContext ctx) throws Exception {
        if (factorIntervalMillis <= 0) {
            ctx.output(FACTORS, record);
            return;
        }
        FactorWrite last = factorWrite.value();
        if (last == null || last.allowsWriteAt(now, factorIntervalMillis, record.getModelName(), record.getModelVersion())) {
            ctx.output(FACTORS, record);
            pendingFactor.clear();
            // A timer still due for an older pending factor finds nothing due and does nothing.
            factorWrite.update(new FactorWrite(now, 0, record.getModelName(), record.getModelVersion()));
            return;
        }
        pendingFactor.update(record);
        if (last.dueAt == 0) {
            long due = last.writtenAt + factorIntervalMillis + FactorWrite.spread(record.getMemberId(), factorIntervalMillis);
            ctx.timerService().registerProcessingTimeTimer(due);
            factorWrite.update(new FactorWrite(last.writtenAt, due, last.modelName, last.modelVersion));
        }
    }

    /**
     * On any timer of the member: writes the pending factor out if its time has come.
     *
     * @return whether this was the time the pending factor was due
     */
    private boolean writeDueFactor(long timestamp, OnTimerContext ctx) throws Exception {
        if (factorIntervalMillis <= 0) {
            return false;
        }
        FactorWrite last = factorWrite.value();
        if (last == null || last.dueAt == 0 || last.dueAt > timestamp) {
            return false;
        }
        MemberFactor pending = pendingFactor.value();
        if (pending == null) {
            factorWrite.update(new FactorWrite(last.writtenAt, 0, last.modelName, last.modelVersion));
            return last.dueAt == timestamp;
        }
        ctx.output(FACTORS, pending);
        pendingFactor.clear();
        factorWrite.update(new FactorWrite(timestamp, 0, pending.getModelName(), pending.getModelVersion()));
        return last.dueAt == timestamp;
    }

    private boolean hasRecentInteractions() throws Exception {
        Iterable<Interaction> pending = recent.get();
        return pending != null && pending.iterator().hasNext();
    }

    /** Emits the member's rows: top picks (the trending fallback if not personalised), because-you-watched. */
    private void emit(String member, ScoringBatch.Pending pending, Recommender.Result result, long now,
            Collector<RecommendationRow> out) throws Exception {
        ModelArtifact model = pending.model();
        List<Interaction> compacted = pending.compacted();
        long newestEventTime = pending.newestEventTime();
        String rowModel = model.name();
        String rowVersion = model.version();
        TrendingRow fallback = result.personalised() ? null : trendingFor(pending.country());
        if (fallback != null) {
            result = recommender.trending(fallback, result, compacted);
            rowModel = TRENDING;
            rowVersion = fallback.getRegion() + "@" + fallback.getWindowEnd();
        }
        out.collect(RecommendationRow.newBuilder()
                .setMemberId(member)
                .setRowName(TOP_PICKS)
                .setTitles(result.titles())
                .setScores(result.scores())
                .setModelName(rowModel)
                .setModelVersion(rowVersion)
                .setComputedAt(Instant.ofEpochMilli(now))
                .setNewestEventTime(Instant.ofEpochMilli(newestEventTime))
                .build());
        lastEmitted.update(new EmittedRow(TOP_PICKS, result.titles().toArray(new String[0]), rowVersion, now, newestEventTime));
        SimilarsIndex similarTitles = similars;
        if (similarTitles != null) {
            Recommender.BecauseYouWatched row = recommender.becauseYouWatched(similarTitles, compacted);
            if (row != null) {
                out.collect(RecommendationRow.newBuilder()
                        .setMemberId(member)
                        .setRowName(BECAUSE_YOU_WATCHED + row.watched())
                        .setTitles(row.titles())
                        .setScores(row.scores())
                        .setModelName(similarTitles.algorithm())
                        .setModelVersion(similarTitles.version())
                        .setComputedAt(Instant.ofEpochMilli(now))
                        .setNewestEventTime(Instant.ofEpochMilli(newestEventTime))
                        .build());
            }
        }
        freshness.update(Math.max(0, System.currentTimeMillis() - newestEventTime));
    }

    private record Watched(List<String> titles, List<Float> weights) {}

    /** The member's most weighted titles (positive weights, decayed to the newest event), for explanations. */
    private Watched watched(List<Interaction> compacted, long newestEventTime) {
        List<Interaction> positive = new ArrayList<>();
        for (Interaction interaction : compacted) {
            float weight = recommender.history().decay(interaction.weight, interaction.time, newestEventTime);
            if (weight > 0) {
                positive.add(new Interaction(interaction.titleId, weight, interaction.time));
            }
        }
        positive.sort((a, b) -> Float.compare(b.weight, a.weight));
        List<String> titles = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (Interaction interaction : positive.subList(0, Math.min(positive.size(), explainedTitles))) {
            titles.add(interaction.titleId);
            weights.add(interaction.weight);
        }
        return new Watched(titles, weights);
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

    /** The newest trending row of the member's region, else of all regions; null when there is none with titles. */
    private TrendingRow trendingFor(String country) {
        TrendingRow row = country == null ? null : trending.get(country.trim().toUpperCase(java.util.Locale.ROOT));
        if (row == null || row.getTitles().isEmpty()) {
            row = trending.get(PlaysByRegion.ALL);
        }
        return row == null || row.getTitles().isEmpty() ? null : row;
    }

    @Override
    public void processBroadcastElement(BroadcastInput input, Context ctx, Collector<RecommendationRow> out) throws Exception {
        if (input.trending != null) {
            TrendingRow row = input.trending;
            TrendingRow current = trending.get(row.getRegion());
            // Rows of all windows arrive in order per region, but never let an older window replace a newer one.
            if (current == null || !current.getWindowEnd().isAfter(row.getWindowEnd())) {
                ctx.getBroadcastState(MemberStates.trendingRows()).put(row.getRegion(), row);
                trending.put(row.getRegion(), row);
            }
            return;
        }
        onDescriptor(input.descriptor, ctx);
    }

    private void onDescriptor(ArtifactDescriptor descriptor, Context ctx) throws Exception {
        applyCompletions();
        if (descriptor.getKind() == ArtifactKind.SIMILARS && similarsName.equals(descriptor.getName())) {
            // One similars result serves at a time: the newest publication replaces the previous one once loaded.
            BroadcastState<String, ArtifactDescriptor> state = ctx.getBroadcastState(MemberStates.modelDescriptors());
            state.put(MemberStates.descriptorKey(descriptor), descriptor);
            List<ArtifactDescriptor> retained = new ArrayList<>();
            state.entries().forEach(e -> {
                if (e.getValue().getKind() == ArtifactKind.SIMILARS && similarsName.equals(e.getValue().getName())) {
                    retained.add(e.getValue());
                }
            });
            retained.sort(ActiveModels.NEWEST_FIRST);
            for (ArtifactDescriptor old : retained.subList(Math.min(retained.size(), retainedVersions), retained.size())) {
                state.remove(MemberStates.descriptorKey(old));
            }
            similarsDescriptors = new ArrayList<>(retained.subList(0, Math.min(retained.size(), retainedVersions)));
            // A rebuild that reused everything announces the same data again: nothing to load.
            if (similars == null || !ModelCache.key(descriptor).equals(similarsKey)) {
                requestSimilars(descriptor);
            }
            return;
        }
        if (descriptor.getKind() != ArtifactKind.MODEL || !modelName.equals(descriptor.getName())) {
            LOG.info("ignoring published {} {} {}: this job serves model {}", descriptor.getKind(), descriptor.getName(),
                    descriptor.getVersion(), modelName);
            return;
        }
        if (!(descriptor.getTrafficShare() >= 0 && descriptor.getTrafficShare() <= 1)) {
            reject(descriptor, "traffic share " + descriptor.getTrafficShare() + " is not between 0 and 1");
            return;
        }
        BroadcastState<String, ArtifactDescriptor> state = ctx.getBroadcastState(MemberStates.modelDescriptors());
        String key = MemberStates.descriptorKey(descriptor);
        if (descriptor.getTrafficShare() == 0) {
            LOG.info("retiring model {} {}", descriptor.getName(), descriptor.getVersion());
            state.remove(key);
        } else {
            state.put(key, descriptor);
        }
        // Keep the newest few: older ones can no longer take over.
        List<ArtifactDescriptor> all = new ArrayList<>();
        state.entries().forEach(e -> {
            if (e.getValue().getKind() == ArtifactKind.MODEL) {
                all.add(e.getValue());
            }
        });
        all.sort(ActiveModels.NEWEST_FIRST);
        for (ArtifactDescriptor old : all.subList(Math.min(all.size(), retainedVersions), all.size())) {
            state.remove(MemberStates.descriptorKey(old));
        }
        descriptors.clear();
        all.subList(0, Math.min(all.size(), retainedVersions)).forEach(d -> descriptors.put(MemberStates.descriptorKey(d), d));
        // A re-publication of a rejected version (say, after a fixed upload) is tried again.
        requested.remove(ModelCache.key(descriptor));
        requestLoads();
        applyCompletions();
    }

    private void requestLoads() {
        for (ArtifactDescriptor descriptor : descriptors.values()) {
            String key = ModelCache.key(descriptor);
            if (loaded.containsKey(key) || !requested.add(key)) {
                continue;
            }
            cache.get(descriptor, expectedRank, artifacts).whenComplete((artifact, failure) -> {
                // Runs on a loader thread: log and count now, even if no event arrives to take the result in.
                if (failure == null) {
                    modelsLoaded.inc();
                    LOG.info("{}: model {} {} ready ({} items, rank {}), traffic share {}", task, descriptor.getName(),
                            descriptor.getVersion(), artifact.numItems(), artifact.rank(), descriptor.getTrafficShare());
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    reject(descriptor, cause instanceof BadArtifactException ? cause.getMessage() : "could not be read: " + cause);
                }
                completions.add(new Load(descriptor, artifact, failure));
            });
        }
        rebuild();
    }

    private void requestSimilars(ArtifactDescriptor descriptor) {
        cache.get(descriptor, () -> SimilarsIndex.load(descriptor, artifacts)).whenComplete((index, failure) -> {
            if (failure == null) {
                similarsLoaded.inc();
                LOG.info("{}: similars {} {} ready ({} titles)", task, descriptor.getName(), descriptor.getVersion(), index.size());
                similarsCompletions.add(new SimilarsLoad(descriptor, index));
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                similarsRejected.inc();
                LOG.warn("{}: rejected similars {} {} at {}: {}; the previous similars stay", task, descriptor.getName(),
                        descriptor.getVersion(), descriptor.getUri(), cause.getMessage());
            }
        });
    }

    /** Takes in finished loads on the task thread, so that the models in use change only there, without locks. */
    private void applyCompletions() {
        SimilarsLoad similarsLoad;
        while ((similarsLoad = similarsCompletions.poll()) != null) {
            // Only a newer retained publication replaces what serves: an older one finishing late does not.
            int loadedRank = rankOf(similarsLoad.descriptor());
            if (loadedRank >= 0 && (similarsKey == null || rankOf(similarsKey) < 0 || loadedRank < rankOf(similarsKey))) {
                similars = similarsLoad.index();
                similarsKey = ModelCache.key(similarsLoad.descriptor());
            }
        }
        Load load;
        boolean changed = false;
        while ((load = completions.poll()) != null) {
            String key = ModelCache.key(load.descriptor());
            if (load.failure() == null) {
                loaded.put(key, load.artifact());
            }
            changed |= restoring.remove(key) || load.failure() == null;
        }
        if (changed) {
            rebuild();
        }
    }

    private void reject(ArtifactDescriptor d, String why) {
        modelsRejected.inc();
        lastRejection = why;
        LOG.warn("{}: rejected model {} {} at {}: {}; the previous model stays active", task, d.getName(), d.getVersion(),
                d.getUri(), why);
    }

    private void rebuild() {
        Set<String> wanted = new HashSet<>();
        descriptors.values().forEach(d -> wanted.add(ModelCache.key(d)));
        loaded.keySet().retainAll(wanted);
        restoring.retainAll(wanted);
        active = restoring.isEmpty() ? ActiveModels.of(modelName, descriptors.values(), loaded) : ActiveModels.none();
    }

    /** Position of a similars publication among the retained ones, newest first; -1 if not retained. */
    private int rankOf(ArtifactDescriptor descriptor) {
        return rankOf(ModelCache.key(descriptor));
    }

    private int rankOf(String key) {
        for (int i = 0; i < similarsDescriptors.size(); i++) {
            if (ModelCache.key(similarsDescriptors.get(i)).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Artifacts rejected by this task so far (also the metric models.rejected). */
    public long rejectedModels() {
        applyCompletions();
        return modelsRejected.getCount();
    }

    /** Why the last artifact was rejected, or null. */
    public String lastRejection() {
        applyCompletions();
        return lastRejection;
    }

    /** The similars result serving "because you watched" rows on this task now, or null. */
    public SimilarsIndex similars() {
        applyCompletions();
        return similars;
    }

    /** The versions serving members on this task now (for tests and inspection). */
    public ActiveModels activeModels() {
        applyCompletions();
        return active;
    }
}
