package io.nearline.bench;

import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.BroadcastInput;
import io.nearline.operators.members.MemberRecommender;
import io.nearline.operators.members.MemberStates;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The member operator itself on RocksDB, driven through Flink's operator test harness (one subtask, no
 * network): the cost of taking in one event (a list append and the pending-recompute update) and of one
 * debounced recompute (reading and compacting the member's list, fold-in, top-N, writing state back), as
 * members' histories grow to the configured bound.
 */
final class MemberStateBenchmark {

    /** Microseconds per event and per recompute in the last rounds, at about {@code interactions} per member. */
    record Result(double eventMicros, double recomputeMicros, int interactions) {}

    private MemberStateBenchmark() {}

    static Result run(int members, int rounds, int eventsPerRound, int items, int rank, Path dir) throws Exception {
        ModelArtifact model = TestModels.random("v1", items, rank, 1);
        byte[] bytes = ModelArtifacts.write(model);
        Path file = Files.write(dir.resolve("model.avro"), bytes);
        ArtifactDescriptor descriptor = ArtifactDescriptor.newBuilder()
                .setName(model.name()).setVersion(model.version()).setKind(ArtifactKind.MODEL).setUri(file.toUri().toString())
                .setSha256(ModelArtifacts.sha256(bytes)).setSizeBytes(bytes.length).setTrafficShare(1.0)
                .setPublishedAt(Instant.EPOCH).build();
        Configuration config = new Configuration();
        config.set(ModelOptions.NAME, model.name());
        config.set(ModelOptions.LOAD_THREADS, 0);
        config.set(MemberOptions.DEBOUNCE, Duration.ofMillis(200));
        try (KeyedBroadcastOperatorTestHarness<String, UiEvent, BroadcastInput, RecommendationRow> harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(new MemberRecommender(config), BroadcastInput.states()),
                        UiEvent::getMemberId, Types.STRING, 128, 1, 0)) {
            EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
            harness.setStateBackend(rocksDb);
            harness.setProcessingTime(0);
            harness.open();
            harness.processBroadcastElement(BroadcastInput.of(descriptor), 0);
            Random random = new Random(5);
            long now = 0;
            long eventTime = 1_700_000_000_000L;
            double eventMicros = 0;
            double recomputeMicros = 0;
            int measured = 0;
            for (int round = 0; round < rounds; round++) {
                List<UiEvent> events = new ArrayList<>(members * eventsPerRound);
                for (int e = 0; e < eventsPerRound; e++) {
                    eventTime += 1000;
                    for (int m = 0; m < members; m++) {
                        events.add(UiEvents.event("e" + round + "-" + e + "-" + m, "member-" + m, Instant.ofEpochMilli(eventTime),
                                UiEvents.payload(EventKind.PLAY_COMPLETED, model.itemId(random.nextInt(items)))));
                    }
                }
                long start = System.nanoTime();
                for (UiEvent event : events) {
                    harness.processElement(event, event.getEventTime().toEpochMilli());
                }
                long appended = System.nanoTime();
                now += 1000;
                harness.setProcessingTime(now); // every member's debounce timer fires: one recompute each
                harness.setProcessingTime(now + config.get(MemberOptions.SCORING_BATCH_DELAY).toMillis()); // and is scored
                long recomputed = System.nanoTime();
                harness.getOutput().clear();
                var factors = harness.getSideOutput(MemberRecommender.FACTORS);
                if (factors != null) {
                    factors.clear();
                }
                // The last third of the rounds, when histories are long, are the figures.
                if (round >= rounds - Math.max(1, rounds / 3)) {
                    eventMicros += (appended - start) / 1e3 / events.size();
                    recomputeMicros += (recomputed - appended) / 1e3 / members;
                    measured++;
                }
            }
            int interactions = Math.min(config.get(MemberOptions.MAX_TITLES), rounds * eventsPerRound);
            return new Result(eventMicros / measured, recomputeMicros / measured, interactions);
        }
    }
}
