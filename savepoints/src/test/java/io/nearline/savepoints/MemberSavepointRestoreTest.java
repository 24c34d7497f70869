package io.nearline.savepoints;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.members.BroadcastInput;
import io.nearline.operators.members.EmittedRow;
import io.nearline.operators.members.FactorState;
import io.nearline.operators.members.InteractionHistory;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.MemberRecommender;
import io.nearline.operators.members.MemberStates;
import io.nearline.operators.models.ModelOptions;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.api.runtime.OperatorIDGenerator;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.nearline.savepoints.MemberSavepointFixture.MEMBERS;
import static io.nearline.savepoints.MemberSavepointFixture.RANK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A savepoint written by an earlier version of the job ({@link MemberSavepointFixture}) restores with today's
 * code: the tools still read its members and model, and today's member operator takes its state over under the
 * same uid and state names, and serves its members from it.
 */
class MemberSavepointRestoreTest {

    @TempDir
    Path dir;

    private final Map<String, List<String>> rated = MemberSavepointFixture.ratedTitles();
    private final Configuration config = MemberSavepointFixture.config();
    private String savepoint;
    private KeyedBroadcastOperatorTestHarness<String, UiEvent, BroadcastInput, RecommendationRow> harness;

    @BeforeEach
    void copyFixture() throws Exception {
        // Copied elsewhere first: the savepoint must not depend on the folder it was written to.
        Path copy = dir.resolve("savepoint");
        Files.createDirectories(copy);
        Path committed = Path.of(getClass().getResource(MemberSavepointFixture.SAVEPOINT).toURI());
        try (var files = Files.list(committed)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        savepoint = copy.toUri().toString();
        Files.createDirectories(MemberSavepointFixture.MODEL_FILE.getParent());
        try (InputStream model = getClass().getResourceAsStream(MemberSavepointFixture.MODEL)) {
            Files.copy(model, MemberSavepointFixture.MODEL_FILE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterEach
    void closeHarness() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void inspectStillReadsTheMembersTheirHistoriesFactorsAndTheModel() throws Exception {
        MemberSavepoints.Summary summary = new MemberSavepoints(config, 1).inspect(savepoint, "member-2");

        assertThat(summary.members()).isEqualTo(MEMBERS);
        assertThat(summary.factorVersions()).isEqualTo(Map.of("als v1", (long) MEMBERS));
        assertThat(summary.rowVersions()).isEqualTo(Map.of("v1", (long) MEMBERS));
        assertThat(summary.descriptors()).extracting(ArtifactDescriptor::getName, ArtifactDescriptor::getVersion, ArtifactDescriptor::getUri)
                .containsExactly(tuple("als", "v1", MemberSavepointFixture.MODEL_FILE.toUri().toString()));
        MemberSnapshot member = summary.member();
        assertThat(member.history).as("history of member-2").isNotNull();
        assertThat(member.history.titles).containsExactlyInAnyOrderElementsOf(rated.get("member-2"));
        assertThat(member.factor.modelVersion).isEqualTo("v1");
        assertThat(member.factor.factor).hasSize(RANK);
        assertThat(member.lastEmitted.titles).isNotEmpty().doesNotContainAnyElementsOf(rated.get("member-2"));
    }

    @Test
    void memberOperatorRestoresTheSavepointAndServesItsMembersFromTheRestoredState() throws Exception {
        config.set(ModelOptions.LOAD_THREADS, 0);
        MemberRecommender function = new MemberRecommender(config);
        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function, BroadcastInput.states()),
                UiEvent::getMemberId, Types.STRING, 128, 1, 0);
        long now = System.currentTimeMillis();
        harness.setProcessingTime(now);
        harness.initializeState(memberOperatorState());
        harness.open();

        // The restored descriptor serves again without a new publication.
        assertThat(function.activeModels().versions()).extracting(v -> v.descriptor().getVersion()).containsExactly("v1");
        for (Map.Entry<String, List<String>> member : rated.entrySet()) {
            InteractionHistory history = state(member.getKey(), MemberStates.history(ttl()));
            assertThat(history).as("restored history of %s", member.getKey()).isNotNull();
            assertThat(history.titles).containsExactlyInAnyOrderElementsOf(member.getValue());
            FactorState factor = state(member.getKey(), MemberStates.factor(ttl()));
            assertThat(factor.modelVersion).isEqualTo("v1");
            EmittedRow row = state(member.getKey(), MemberStates.lastEmitted(ttl()));
            assertThat(row.rowName).isEqualTo(RowNames.TOP_PICKS);
        }

        // The savepoint's recompute timers fire: every member is recomputed from its restored history and
        // scored at the end of its scoring slot.
        harness.setProcessingTime(now + 1);
        harness.setProcessingTime(now + 1 + config.get(MemberOptions.SCORING_BATCH_DELAY).toMillis());
        List<RecommendationRow> rows = new ArrayList<>();
        harness.getOutput().forEach(r -> rows.add((RecommendationRow) ((StreamRecord<?>) r).getValue()));
        assertThat(rows).extracting(RecommendationRow::getMemberId).containsExactlyInAnyOrderElementsOf(rated.keySet());
        for (RecommendationRow row : rows) {
            assertThat(row.getRowName()).isEqualTo(RowNames.TOP_PICKS);
            assertThat(row.getModelVersion()).isEqualTo("v1");
            assertThat(row.getTitles()).isNotEmpty().doesNotContainAnyElementsOf(rated.get(row.getMemberId()));
        }
        List<MemberFactor> factors = new ArrayList<>();
        harness.getSideOutput(MemberRecommender.FACTORS).forEach(r -> factors.add(r.getValue()));
        assertThat(factors).extracting(MemberFactor::getMemberId).containsExactlyInAnyOrderElementsOf(rated.keySet());
        for (MemberFactor factor : factors) {
            assertThat(factor.getWatched()).isNotEmpty().isSubsetOf(rated.get(factor.getMemberId()));
        }
    }

    /** The member operator's state in the savepoint, found by its uid as a job restoring it would. */
    private OperatorSubtaskState memberOperatorState() throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(savepoint);
        OperatorID member = OperatorIDGenerator.fromUid(OperatorUids.MEMBER_STATE);
        OperatorState state = metadata.getOperatorStates().stream()
                .filter(s -> s.getOperatorID().equals(member))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no state under the member operator's uid " + OperatorUids.MEMBER_STATE));
        assertThat(state.getParallelism()).isEqualTo(1);
        return state.getState(0);
    }

    private Duration ttl() {
        return config.get(MemberOptions.STATE_TTL);
    }

    private <T> T state(String member, ValueStateDescriptor<T> descriptor) throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(member);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor).value();
    }
}
