package io.nearline.operators.members;

import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MemberRecommenderTest {

    private static final int RANK = 8;
    private static final long DEBOUNCE = 200;

    @TempDir
    Path folder;

    private PublishedModels published;
    private Configuration config;
    private MemberRecommender function;
    private KeyedBroadcastOperatorTestHarness<String, UiEvent, BroadcastInput, RecommendationRow> harness;
    private final AtomicInteger eventIds = new AtomicInteger();
    private long now;
    /** The job's state backend on a cluster; the heap backend otherwise. */
    private boolean rocksDb;

    @BeforeEach
    void setUp() {
        published = new PublishedModels(folder);
        config = new Configuration();
        config.set(ModelOptions.LOAD_THREADS, 0);
        config.set(ModelOptions.RANK, RANK);
        config.set(MemberOptions.DEBOUNCE, Duration.ofMillis(DEBOUNCE));
        config.set(MemberOptions.ROW_LENGTH, 10);
        // Scored at once, so rows appear when the debounce timer fires; the batching tests below turn it on.
        config.set(MemberOptions.SCORING_BATCH_DELAY, Duration.ZERO);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void start() throws Exception {
        start(null);
    }

    private void start(OperatorSubtaskState restoreFrom) throws Exception {
        function = new MemberRecommender(config);
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(function, BroadcastInput.states()),
                UiEvent::getMemberId, Types.STRING, 128, 1, 0);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.setProcessingTime(now);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    private void play(String member, String title) throws Exception {
        send(member, title, EventKind.PLAY_COMPLETED);
    }

    private void send(String member, String title, EventKind kind) throws Exception {
        Instant time = Instant.ofEpochMilli(1_700_000_000_000L + eventIds.incrementAndGet() * 1000L);
        harness.processElement(UiEvents.event("e" + eventIds.get(), member, time, UiEvents.payload(kind, title)), time.toEpochMilli());
    }

    private void advance(long millis) throws Exception {
        now += millis;
        harness.setProcessingTime(now);
    }

    private List<RecommendationRow> rows() {
        List<RecommendationRow> rows = new ArrayList<>();
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> r && r.getValue() instanceof RecommendationRow row) {
                rows.add(row);
            }
        }
        harness.getOutput().clear();
        return rows;
    }

    private List<MemberFactor> factors() {
        List<MemberFactor> factors = new ArrayList<>();
        var side = harness.getSideOutput(MemberRecommender.FACTORS);
        if (side != null) {
            side.forEach(r -> factors.add(r.getValue()));
            side.clear();
        }
        return factors;
    }

    private <T> T keyed(String member, java.util.function.Function<KeyedStateBackend<String>, T> read) {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(member);
        return read.apply(backend);
    }

    /** The member's stored interactions: the compacted history, then those appended since. */
    private List<Interaction> interactionsOf(String member) throws Exception {
        return keyed(member, backend -> {
            try {
                Duration ttl = config.get(MemberOptions.STATE_TTL);
                ValueState<InteractionHistory> history = backend.getPartitionedState(VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE, MemberStates.history(ttl));
                ListState<Interaction> recent = backend.getPartitionedState(VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE, MemberStates.recent(ttl));
                List<Interaction> list = new ArrayList<>();
                if (history.value() != null) {
                    list.addAll(history.value().toList());
                }
                Iterable<Interaction> values = recent.get();
                if (values != null) {
                    values.forEach(list::add);
                }
                return list;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private FactorState factorOf(String member) {
        return keyed(member, backend -> {
            try {
                ValueState<FactorState> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                        MemberStates.factor(config.get(MemberOptions.STATE_TTL)));
                return state.value();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ArtifactDescriptor publish(String version, long seed, double share) throws Exception {
        ArtifactDescriptor descriptor = published.publish(TestModels.random(version, 200, RANK, seed), share);
        harness.processBroadcastElement(BroadcastInput.of(descriptor), now);
        return descriptor;
    }

    @Test
    void aBurstOfEventsLeadsToOneRecomputeCarryingTheNewestEventTime() throws Exception {
        start();
        publish("v1", 1, 1.0);
        for (int i = 0; i < 5; i++) {
            play("m1", "t" + (10 + i));
            advance(30);
        }
        assertThat(rows()).isEmpty();
        advance(DEBOUNCE);
        List<RecommendationRow> rows = rows();
        assertThat(rows).hasSize(1);
        RecommendationRow row = rows.get(0);
        assertThat(row.getMemberId()).isEqualTo("m1");
        assertThat(row.getModelVersion()).isEqualTo("v1");
        assertThat(row.getModelName()).isEqualTo("als");
        assertThat(row.getNewestEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L + eventIds.get() * 1000L));
        assertThat(row.getComputedAt()).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(row.getTitles()).hasSize(10).hasSameSizeAs(row.getScores());
        assertThat(factors()).singleElement().satisfies(f -> assertThat(f.getFactor()).hasSize(RANK));
    }

    @Test
    void whenTheJobIsBehindAMembersBackloggedEventsJoinOneRecompute() throws Exception {
        config.set(MemberOptions.CATCH_UP_DELAY, Duration.ofSeconds(5));
        now = 1_700_000_000_000L + 60_000; // the events below happened about a minute ago
        start();
        publish("v1", 1, 1.0);
        for (int i = 0; i < 3; i++) {
            play("m1", "t" + (10 + i)); // read from the backlog a second apart, as a job behind reads a member's plays
            advance(1_000);
        }
        assertThat(rows()).as("not recomputed after the debounce: it waits for the member's backlog").isEmpty();

        advance(3_000);

        assertThat(rows()).filteredOn(r -> r.getRowName().equals(RowNames.TOP_PICKS)).singleElement()
                .satisfies(row -> assertThat(row.getNewestEventTime())
                        .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L + eventIds.get() * 1000L)));
    }

    @Test
    void anEventOnTimeIsRecomputedAfterTheDebounceEvenWithCatchUpOn() throws Exception {
        config.set(MemberOptions.CATCH_UP_DELAY, Duration.ofSeconds(5));
        now = 1_700_000_000_000L + 1_300; // the next event happened 300 ms ago
        start();
        publish("v1", 1, 1.0);
        play("m1", "t10");

        advance(DEBOUNCE);

        assertThat(rows()).filteredOn(r -> r.getRowName().equals(RowNames.TOP_PICKS)).hasSize(1);
    }

    @Test
    void aMembersFactorIsWrittenAtMostOncePerIntervalTheNewestLater() throws Exception {
        config.set(MemberOptions.FACTOR_WRITE_INTERVAL, Duration.ofSeconds(30));
        start();
        publish("v1", 1, 1.0);
        play("m1", "t10");
        advance(DEBOUNCE);
        assertThat(factors()).as("the first factor goes out at once").hasSize(1);
        long firstWrite = now;

        // Two more recomputes within the interval: rows each time, the factor held back.
        play("m1", "t11");
        advance(DEBOUNCE);
        play("m1", "t12");
        advance(DEBOUNCE);
        assertThat(rows()).hasSize(3);
        assertThat(factors()).isEmpty();
        float[] newest = factorOf("m1").factor;

        long due = firstWrite + 30_000 + FactorWrite.spread("m1", 30_000);
        advance(due - now - 1);
        assertThat(factors()).isEmpty();
        advance(1);
        List<MemberFactor> written = factors();
        assertThat(written).singleElement().satisfies(f -> {
            assertThat(f.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(firstWrite + 2 * DEBOUNCE));
            for (int k = 0; k < RANK; k++) {
                assertThat(f.getFactor().get(k)).isEqualTo(newest[k]);
            }
        });
        advance(60_000);
        assertThat(factors()).as("nothing is left pending").isEmpty();
    }

    @Test
    void aFactorOfANewModelVersionIsWrittenAtOnce() throws Exception {
        config.set(MemberOptions.FACTOR_WRITE_INTERVAL, Duration.ofSeconds(30));
        start();
        publish("v1", 1, 1.0);
        play("m1", "t10");
        advance(DEBOUNCE);
        assertThat(factors()).extracting(MemberFactor::getModelVersion).containsExactly("v1");

        publish("v2", 2, 1.0);
        play("m1", "t11");
        advance(DEBOUNCE);
        assertThat(factors()).extracting(MemberFactor::getModelVersion).containsExactly("v2");
    }

    @Test
    void eventsBeforeAnyModelWaitAndAreServedOnceOneIsPublished() throws Exception {
        start();
        play("m1", "t5");
        advance(DEBOUNCE * 3);
        assertThat(rows()).isEmpty();
        publish("v1", 1, 1.0);
        advance(DEBOUNCE * 2);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void seenAndExcludedTitlesNeverAppearInTopPicks() throws Exception {
        config.set(MemberOptions.EXCLUDED_TITLES, List.of("t3", "t4", "t5"));
        config.set(MemberOptions.ROW_LENGTH, 100);
        start();
        publish("v1", 1, 1.0);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String title = "t" + (i * 3 + 1);
            seen.add(title);
            send("m1", title, i % 7 == 0 ? EventKind.LIST_REMOVE : EventKind.PLAY_COMPLETED);
            if (i % 10 == 9) {
                advance(DEBOUNCE);
                List<RecommendationRow> rows = rows();
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).getTitles()).hasSize(100).doesNotContainAnyElementsOf(seen).doesNotContain("t3", "t4", "t5");
            }
        }
    }

    @Test
    void membersWithTooLittleHistoryGetThePopularityRowWithoutWhatTheySaw() throws Exception {
        config.set(MemberOptions.MIN_INTERACTIONS, 3);
        start();
        publish("v1", 1, 1.0);
        play("m1", "t1");
        advance(DEBOUNCE);
        // TestModels' popularity row is t0, t1, t2.
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getTitles()).containsExactly("t0", "t2"));
        assertThat(factors()).isEmpty();
    }

    @Test
    void aModelSwitchRecomputesTheFactorFromStoredInteractions() throws Exception {
        start();
        publish("v1", 1, 1.0);
        for (int i = 0; i < 8; i++) {
            play("m1", "t" + (20 + i));
        }
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));
        assertThat(factorOf("m1").modelVersion).isEqualTo("v1");

        publish("v2", 2, 1.0);
        play("m1", "t40");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
        FactorState switched = factorOf("m1");
        assertThat(switched.modelVersion).isEqualTo("v2");

        // The same as folding every stored interaction in against v2 from scratch.
        ModelArtifact v2 = TestModels.random("v2", 200, RANK, 2);
        List<Interaction> stored = interactionsOf("m1");
        assertThat(stored).hasSize(9);
        Recommender recommender = new Recommender(config);
        double[] expected = recommender.recommend(v2, stored, stored.get(stored.size() - 1).time, null).factor();
        for (int k = 0; k < RANK; k++) {
            assertThat((double) switched.factor[k]).isCloseTo(expected[k], within(1e-3));
        }
    }

    enum Damage { MISSING, TRUNCATED, CHECKSUM_MISMATCH, WRONG_RANK, UNREADABLE, NEIGHBOUR_PAST_THE_TITLES }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aBadArtifactIsRejectedAndThePreviousModelStays(Damage damage) throws Exception {
        start();
        publish("v1", 1, 1.0);
        play("m1", "t1");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));

        byte[] good = ModelArtifacts.write(TestModels.random("v2", 200, RANK, 2));
        Path file = published.folder().resolve("bad-v2.avro");
        ArtifactDescriptor bad = switch (damage) {
            case MISSING -> published.describe("als", "v2", published.folder().resolve("nowhere.avro"), good, 1.0);
            case TRUNCATED -> {
                Files.write(file, Arrays.copyOf(good, good.length / 2));
                yield published.describe("als", "v2", file, good, 1.0);
            }
            case CHECKSUM_MISMATCH -> {
                byte[] flipped = good.clone();
                flipped[flipped.length - 10] ^= 0x55;
                Files.write(file, flipped);
                yield published.describe("als", "v2", file, good, 1.0);
            }
            case WRONG_RANK -> {
                byte[] otherRank = ModelArtifacts.write(TestModels.random("v2", 200, RANK * 2, 2));
                Files.write(file, otherRank);
                yield published.describe("als", "v2", file, otherRank, 1.0);
            }
            case NEIGHBOUR_PAST_THE_TITLES -> {
                byte[] badTable = TestModels.withNeighbourPastTheTitles(TestModels.random("v2", 200, RANK, 2));
                Files.write(file, badTable);
                yield published.describe("als", "v2", file, badTable, 1.0);
            }
            case UNREADABLE -> {
                byte[] garbage = new byte[4096];
                new java.util.Random(9).nextBytes(garbage);
                Files.write(file, garbage);
                yield published.describe("als", "v2", file, garbage, 1.0);
            }
        };
        harness.processBroadcastElement(BroadcastInput.of(bad), now);
        assertThat(function.rejectedModels()).isEqualTo(1);
        assertThat(function.activeModels().versions()).extracting(v -> v.descriptor().getVersion()).containsExactly("v1");

        play("m1", "t2");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));
        if (damage != Damage.MISSING) {
            BadArtifactException.Reason reason = damage == Damage.NEIGHBOUR_PAST_THE_TITLES ? BadArtifactException.Reason.UNREADABLE
                    : BadArtifactException.Reason.valueOf(damage.name());
            assertThat(function.lastRejection()).startsWith(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        } else {
            assertThat(function.lastRejection()).startsWith("missing");
        }
    }

    @Test
    void trafficSharesSplitMembersNinetyTenAndEachMemberKeepsItsCell() throws Exception {
        config.set(MemberOptions.ROW_LENGTH, 1);
        start();
        publish("v1", 1, 1.0);
        publish("v2", 2, 0.1);
        int members = 100_000;
        for (int m = 0; m < members; m++) {
            play("member-" + m, "t1");
        }
        advance(DEBOUNCE);
        Map<String, String> versionOf = rows().stream()
                .collect(Collectors.toMap(RecommendationRow::getMemberId, RecommendationRow::getModelVersion));
        assertThat(versionOf).hasSize(members);
        long onV2 = versionOf.values().stream().filter("v2"::equals).count();
        assertThat(onV2 / (double) members).isCloseTo(0.10, within(0.01));

        // A member's cell is fixed: the next events of the same members go to the same versions.
        for (int m = 0; m < 1000; m++) {
            play("member-" + m, "t2");
        }
        advance(DEBOUNCE);
        for (RecommendationRow row : rows()) {
            assertThat(row.getModelVersion()).as(row.getMemberId()).isEqualTo(versionOf.get(row.getMemberId()));
        }
    }

    /** Members' top picks by member, as lists of titles. */
    private Map<String, List<String>> topPicks() {
        Map<String, List<String>> picks = new java.util.TreeMap<>();
        for (RecommendationRow row : rows()) {
            picks.put(row.getMemberId(), row.getTitles());
        }
        return picks;
    }

    private void playFiveMembers() throws Exception {
        for (int m = 0; m < 5; m++) {
            for (int t = 0; t < 4; t++) {
                play("m" + m, "t" + (m * 7 + t * 3) % 40);
            }
        }
    }

    @Test
    void membersFoldedInWithinOneSlotAreScoredTogetherAndGetTheRowsTheyWouldGetAlone() throws Exception {
        start();
        publish("v1", 1, 1.0);
        playFiveMembers();
        advance(DEBOUNCE);
        Map<String, List<String>> alone = topPicks();
        assertThat(alone).hasSize(5);
        harness.close();

        config.set(MemberOptions.SCORING_BATCH_DELAY, Duration.ofMillis(10));
        now = 1_000_005; // mid-slot: the batch is scored at the slot's end, 1_000_010 + the debounce
        eventIds.set(0);
        start();
        publish("v1", 1, 1.0);
        playFiveMembers();
        advance(DEBOUNCE);
        // Folded in (factors out), titles not picked yet: they wait for the end of the slot.
        assertThat(rows()).isEmpty();
        assertThat(factors()).hasSize(5);
        advance(4);
        assertThat(rows()).isEmpty();
        advance(1);
        assertThat(topPicks()).isEqualTo(alone);
        assertThat(rows()).allSatisfy(row -> assertThat(row.getComputedAt()).isEqualTo(Instant.ofEpochMilli(now)));
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aCheckpointBetweenFoldInAndScoringStillEmitsTheRowsAfterARestore() throws Exception {
        config.set(MemberOptions.SCORING_BATCH_DELAY, Duration.ofMillis(10));
        now = 1_000_005;
        rocksDb = true;
        start();
        publish("v1", 1, 1.0);
        playFiveMembers();
        advance(DEBOUNCE);
        assertThat(rows()).isEmpty();
        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();

        start(snapshot);
        assertThat(function.activeModels().versions()).isNotEmpty();
        advance(5); // the restored timers fire: each member is recomputed from its state and scored
        advance(10);
        assertThat(topPicks()).hasSize(5).allSatisfy((member, titles) -> assertThat(titles).hasSize(10));
        // The recomputes' factors wait for one to two factor write intervals; then no timer is left.
        advance(2 * config.get(MemberOptions.FACTOR_WRITE_INTERVAL).toMillis());
        assertThat(factors()).hasSize(5);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void afterARestoreTheActiveModelsAreReloadedWithoutBeingPublishedAgain() throws Exception {
        start();
        publish("v1", 1, 1.0);
        publish("v2", 2, 1.0);
        play("m1", "t1");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();

        start(snapshot);
        assertThat(function.activeModels().versions()).extracting(v -> v.descriptor().getVersion()).containsExactly("v2", "v1");
        play("m1", "t2");
        play("m2", "t3");
        advance(DEBOUNCE);
        assertThat(rows()).hasSize(2).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
    }

    private void trending(String region, long windowEnd, List<String> titles, List<Long> counts) throws Exception {
        harness.processBroadcastElement(BroadcastInput.of(io.nearline.schemas.result.TrendingRow.newBuilder()
                .setRegion(region).setTitles(titles).setCounts(counts)
                .setWindowStart(Instant.ofEpochMilli(windowEnd - 3_600_000)).setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setComputedAt(Instant.ofEpochMilli(windowEnd)).build()), now);
    }

    private void playFrom(String member, String title, String country) throws Exception {
        Instant time = Instant.ofEpochMilli(1_700_000_000_000L + eventIds.incrementAndGet() * 1000L);
        UiEvent event = UiEvents.event("e" + eventIds.get(), member, time, UiEvents.payload(EventKind.PLAY_COMPLETED, title));
        event.getContext().setCountry(country);
        harness.processElement(event, time.toEpochMilli());
    }

    @Test
    void membersWithTooLittleHistoryGetTheirRegionsTrendingRowThenAllRegionsWithoutWhatTheySaw() throws Exception {
        config.set(MemberOptions.MIN_INTERACTIONS, 3);
        start();
        publish("v1", 1, 1.0);
        trending("US", 2_000_000, List.of("t5", "t6", "t7"), List.of(40L, 20L, 10L));
        trending("ALL", 2_000_000, List.of("t9", "t8"), List.of(90L, 50L));
        // An older window arriving late never replaces the newer one.
        trending("US", 1_000_000, List.of("t100"), List.of(99L));

        playFrom("m1", "t6", "US");
        playFrom("m2", "t9", "FR");
        advance(DEBOUNCE);
        Map<String, RecommendationRow> rows = rows().stream().collect(Collectors.toMap(RecommendationRow::getMemberId, r -> r));
        RecommendationRow us = rows.get("m1");
        assertThat(us.getModelName()).isEqualTo("trending");
        assertThat(us.getModelVersion()).isEqualTo("US@" + Instant.ofEpochMilli(2_000_000));
        // Trending first (t6 was seen), then the model's popularity row fills the rest.
        assertThat(us.getTitles()).containsExactly("t5", "t7", "t0", "t1", "t2");
        assertThat(us.getScores().subList(0, 2)).containsExactly(1f, 0.25f);
        RecommendationRow elsewhere = rows.get("m2");
        assertThat(elsewhere.getModelVersion()).startsWith("ALL@");
        assertThat(elsewhere.getTitles()).startsWith("t8").doesNotContain("t9");

        // With enough history the member gets the model's own picks again.
        playFrom("m1", "t20", "US");
        playFrom("m1", "t21", "US");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelName()).isEqualTo("als"));

        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();
        start(snapshot);
        playFrom("m3", "t1", "US");
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getModelVersion()).isEqualTo("US@" + Instant.ofEpochMilli(2_000_000)));
    }

    private ArtifactDescriptor publishSimilars(String version, Map<String, List<String>> lists) throws Exception {
        ArtifactDescriptor descriptor = published.publishSimilars("more-like-this", version, lists);
        harness.processBroadcastElement(BroadcastInput.of(descriptor), now);
        return descriptor;
    }

    private static RecommendationRow row(List<RecommendationRow> rows, String prefix) {
        return rows.stream().filter(r -> r.getRowName().startsWith(prefix)).findFirst().orElse(null);
    }

    @Test
    void becauseYouWatchedListsTheSimilarsOfTheNewestWatchedTitleWithoutSeenTitles() throws Exception {
        start();
        publish("v1", 1, 1.0);
        play("m1", "t1");
        advance(DEBOUNCE);
        assertThat(row(rows(), "because-you-watched:")).as("no similars published yet").isNull();

        publishSimilars("1-abc", Map.of("t1", List.of("t5", "t6", "t7"), "t2", List.of("t8", "t1", "t9", "t3")));
        play("m1", "t2");
        play("m1", "t9");  // seen: left out of t2's list; it has no similars of its own
        advance(DEBOUNCE);
        RecommendationRow because = row(rows(), "because-you-watched:");
        assertThat(because.getRowName()).isEqualTo("because-you-watched:1");
        assertThat(because.getAnchorTitle()).isEqualTo("t2");
        assertThat(because.getTitles()).containsExactly("t8", "t3");
        assertThat(because.getScores()).containsExactly(1f, 1 / 4f);
        assertThat(because.getModelName()).isEqualTo("more-like-this");
        assertThat(because.getModelVersion()).isEqualTo("1-abc");
    }

    @Test
    void becauseYouWatchedFillsAFixedNumberOfSlotsFromTheModelsNeighboursNewestWatchedFirst() throws Exception {
        config.set(MemberOptions.BECAUSE_YOU_WATCHED_ROWS, 2);
        start();
        ArtifactDescriptor v1 = published.publish(TestModels.withRandomNeighbours(TestModels.random("v1", 200, RANK, 1), 5, 3), 1.0);
        harness.processBroadcastElement(BroadcastInput.of(v1), now);
        publishSimilars("1", Map.of("t1", List.of("t5"))); // the model's neighbours take precedence

        for (String title : List.of("t1", "t2", "t3")) {
            play("m1", title);
            advance(DEBOUNCE);
        }
        List<RecommendationRow> rows = rows().stream().filter(r -> r.getRowName().startsWith("because-you-watched:")).toList();
        play("m1", "t4");
        advance(DEBOUNCE);
        List<RecommendationRow> later = rows().stream().filter(r -> r.getRowName().startsWith("because-you-watched:")).toList();

        // Every recompute writes the same two rows, the newest watched title first.
        assertThat(rows).extracting(RecommendationRow::getRowName)
                .containsExactly("because-you-watched:1", "because-you-watched:1", "because-you-watched:2",
                        "because-you-watched:1", "because-you-watched:2");
        assertThat(later).extracting(RecommendationRow::getRowName).containsExactly("because-you-watched:1", "because-you-watched:2");
        assertThat(later).extracting(RecommendationRow::getAnchorTitle).containsExactly("t4", "t3");
        ModelArtifact model = function.activeModels().versions().get(0).artifact();
        RecommendationRow newest = later.get(0);
        List<String> neighbours = java.util.Arrays.stream(model.neighbours().rowsOf(model.row("t4"))).mapToObj(model::itemId)
                .filter(t -> !List.of("t1", "t2", "t3", "t4").contains(t)).toList();
        assertThat(newest.getTitles()).containsExactlyElementsOf(neighbours);
        assertThat(newest.getModelVersion()).isEqualTo("v1");
    }

    @Test
    void aBadSimilarsResultIsRejectedAndThePreviousOneStays() throws Exception {
        start();
        publish("v1", 1, 1.0);
        publishSimilars("1", Map.of("t1", List.of("t5")));
        ArtifactDescriptor broken = published.publishSimilars("more-like-this", "2", Map.of("t1", List.of("t6")));
        Files.write(Path.of(java.net.URI.create(broken.getUri())), "{\"algorithm\": \"more-like-this\"}".getBytes());
        harness.processBroadcastElement(BroadcastInput.of(broken), now);
        assertThat(function.similars().version()).isEqualTo("1");
        play("m1", "t1");
        advance(DEBOUNCE);
        assertThat(row(rows(), "because-you-watched:").getTitles()).containsExactly("t5");
        ArtifactDescriptor otherAlgorithm = published.publishSimilars("genre-only", "9", Map.of("t1", List.of("t7")));
        harness.processBroadcastElement(BroadcastInput.of(otherAlgorithm), now);
        assertThat(function.similars().algorithm()).isEqualTo("more-like-this");
    }

    @Test
    void afterARestoreARejectedNewerSimilarsResultStillLeavesThePreviousOneServing() throws Exception {
        start();
        publish("v1", 1, 1.0);
        publishSimilars("1", Map.of("t1", List.of("t5")));
        ArtifactDescriptor broken = published.publishSimilars("more-like-this", "2", Map.of("t1", List.of("t6")));
        Files.write(Path.of(java.net.URI.create(broken.getUri())), new byte[] {1});
        harness.processBroadcastElement(BroadcastInput.of(broken), now);
        assertThat(function.similars().version()).isEqualTo("1");
        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();

        start(snapshot);
        assertThat(function.similars().version()).isEqualTo("1");
        play("m1", "t1");
        advance(DEBOUNCE);
        assertThat(row(rows(), "because-you-watched:").getTitles()).containsExactly("t5");
    }

    @Test
    void afterARestoreTheSimilarsInUseAreReloadedWithoutBeingPublishedAgain() throws Exception {
        start();
        publish("v1", 1, 1.0);
        publishSimilars("1", Map.of("t1", List.of("t5")));
        publishSimilars("2", Map.of("t1", List.of("t6")));
        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();

        start(snapshot);
        assertThat(function.activeModels().versions()).extracting(v -> v.descriptor().getVersion()).containsExactly("v1");
        play("m1", "t1");
        advance(DEBOUNCE);
        List<RecommendationRow> rows = rows();
        assertThat(row(rows, "top-picks").getModelVersion()).isEqualTo("v1");
        assertThat(row(rows, "because-you-watched:").getTitles()).containsExactly("t6");
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aSnapshotAndRestoreKeepsEveryMembersState(boolean rocksDb) throws Exception {
        this.rocksDb = rocksDb;
        start();
        publish("v1", 1, 1.0);
        for (int m = 0; m < 50; m++) {
            for (int i = 0; i <= m % 5; i++) {
                play("m" + m, "t" + (m + i));
            }
        }
        advance(DEBOUNCE);
        play("m0", "t100"); // pending at snapshot time
        Map<String, List<Interaction>> before = new java.util.HashMap<>();
        Map<String, float[]> factorsBefore = new java.util.HashMap<>();
        for (int m = 0; m < 50; m++) {
            before.put("m" + m, interactionsOf("m" + m));
            factorsBefore.put("m" + m, factorOf("m" + m).factor);
        }
        OperatorSubtaskState snapshot = harness.snapshot(1, now);
        harness.close();

        start(snapshot);
        for (int m = 0; m < 50; m++) {
            assertThat(interactionsOf("m" + m)).isEqualTo(before.get("m" + m));
            assertThat(factorOf("m" + m).factor).isEqualTo(factorsBefore.get("m" + m));
        }
        rows();
        // The pending recompute's timer was restored too.
        advance(DEBOUNCE);
        assertThat(rows()).singleElement().satisfies(r -> assertThat(r.getMemberId()).isEqualTo("m0"));
    }

    @ParameterizedTest(name = "RocksDB: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void stateStaysBoundedAndExpiresAndTimersAreCleanedUp(boolean rocksDb) throws Exception {
        this.rocksDb = rocksDb;
        config.set(MemberOptions.MAX_TITLES, 5);
        config.set(MemberOptions.STATE_TTL, Duration.ofHours(1));
        start();
        publish("v1", 1, 1.0);
        for (int i = 0; i < 20; i++) {
            play("m1", "t" + i);
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        advance(DEBOUNCE);
        assertThat(interactionsOf("m1")).extracting(i -> i.titleId).containsExactly("t15", "t16", "t17", "t18", "t19");
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(factorOf("m1")).isNotNull();

        harness.setStateTtlProcessingTime(now + Duration.ofHours(2).toMillis());
        assertThat(interactionsOf("m1")).isEmpty();
        assertThat(factorOf("m1")).isNull();
    }
}
