package io.nearline.operators.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelArtifactsTest {

    private final ModelArtifact model = TestModels.random("v1", 500, 16, 1);
    private final byte[] bytes = ModelArtifacts.write(model);
    private final String sha = ModelArtifacts.sha256(bytes);

    @Test
    void writtenArtifactReadsBackWithItsFactorsAndMetadata() throws Exception {
        ModelArtifact read = ModelArtifacts.read(bytes, bytes.length, sha, 16);

        assertThat(read.metadata()).isEqualTo(model.metadata());
        assertThat(read.numItems()).isEqualTo(500);
        assertThat(read.factors()).containsExactly(model.factors());
        assertThat(read.row("t42")).isEqualTo(42);
        assertThat(read.row("unknown")).isEqualTo(-1);
    }

    @Test
    void neighbourTableTravelsWithTheArtifact() throws Exception {
        ModelArtifact withNeighbours = TestModels.withRandomNeighbours(model, 7, 3);
        byte[] written = ModelArtifacts.write(withNeighbours);

        ModelArtifact read = ModelArtifacts.read(written, written.length, ModelArtifacts.sha256(written), 16);

        assertThat(read.neighbours().size()).isEqualTo(500 * 7);
        for (int title : new int[] {0, 42, 499}) {
            assertThat(read.neighbours().rowsOf(title)).containsExactly(withNeighbours.neighbours().rowsOf(title));
            assertThat(read.neighbours().scoresOf(title)).containsExactly(withNeighbours.neighbours().scoresOf(title));
        }
    }

    @Test
    void artifactWithoutNeighboursLoadsWithAnEmptyTable() throws Exception {
        ModelArtifact read = ModelArtifacts.read(bytes, bytes.length, sha, 16);

        assertThat(read.neighbours().isEmpty()).isTrue();
    }

    @Test
    void artifactWhoseNeighbourPointsPastTheTitlesIsRefusedWhole() throws Exception {
        byte[] damaged = TestModels.withNeighbourPastTheTitles(TestModels.random("v1", 20, 4, 1));

        assertThatThrownBy(() -> ModelArtifacts.read(damaged, damaged.length, ModelArtifacts.sha256(damaged), 4))
                .isInstanceOfSatisfying(BadArtifactException.class, e -> {
                    assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.UNREADABLE);
                    assertThat(e.getMessage()).contains("neighbour row 20");
                });
    }

    @Test
    void truncatedArtifactIsRefused() {
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 100);

        assertThatThrownBy(() -> ModelArtifacts.read(truncated, bytes.length, sha, 16))
                .isInstanceOfSatisfying(BadArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.TRUNCATED));
    }

    @Test
    void artifactWhoseBytesChangedIsRefusedByItsChecksum() {
        byte[] changed = bytes.clone();
        changed[changed.length / 2] ^= 0x01;

        assertThatThrownBy(() -> ModelArtifacts.read(changed, bytes.length, sha, 16))
                .isInstanceOfSatisfying(BadArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.CHECKSUM_MISMATCH));
    }

    @Test
    void artifactOfAnotherRankIsRefused() {
        assertThatThrownBy(() -> ModelArtifacts.read(bytes, bytes.length, sha, 32))
                .isInstanceOfSatisfying(BadArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.WRONG_RANK));
    }

    @Test
    void bytesThatAreNoArtifactAreUnreadable() {
        byte[] garbage = "not a model".getBytes();

        assertThatThrownBy(() -> ModelArtifacts.read(garbage, garbage.length, ModelArtifacts.sha256(garbage), 0))
                .isInstanceOfSatisfying(BadArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.UNREADABLE));
    }

    @Test
    void localStoreWritesAndReadsAndReportsMissingArtifacts(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore();
        var uri = dir.resolve("models/als/v1.avro").toUri();

        store.write(uri, bytes);

        assertThat(store.read(uri)).isEqualTo(bytes);
        assertThatThrownBy(() -> store.read(dir.resolve("models/als/v9.avro").toUri()))
                .isInstanceOfSatisfying(BadArtifactException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.MISSING));
    }
}
