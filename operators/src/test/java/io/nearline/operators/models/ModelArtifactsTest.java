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
    void artifactWhoseNeighbourPointsPastTheTitlesIsRefusedWhole() {
        ModelArtifact withNeighbours = TestModels.withRandomNeighbours(TestModels.random("v1", 20, 4, 1), 3, 3);
        // A table that names row 20 of 20 titles: written as-is by a broken trainer, signed with a matching checksum.
        int[] offsets = new int[21];
        int[] rows = new int[20];
        float[] scores = new float[20];
        for (int i = 0; i < 20; i++) {
            offsets[i + 1] = i + 1;
            rows[i] = i == 7 ? 19 : (i + 1) % 20;
            scores[i] = 1;
        }
        byte[] written = ModelArtifacts.write(new ModelArtifact(withNeighbours.metadata(), ids(20), withNeighbours.factors(),
                new io.nearline.operators.neighbours.TitleNeighbours(offsets, rows, scores)));
        // Flip the neighbour 19 of title 7 to 20: Avro's zig-zag varint of 19 is 38 (0x26), of 20 is 40 (0x28).
        byte[] damaged = replaceNeighbour(written, 7);

        assertThatThrownBy(() -> ModelArtifacts.read(damaged, damaged.length, ModelArtifacts.sha256(damaged), 4))
                .isInstanceOfSatisfying(BadArtifactException.class, e -> {
                    assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.UNREADABLE);
                    assertThat(e.getMessage()).contains("neighbour row 20");
                });
    }

    private static String[] ids(int items) {
        String[] ids = new String[items];
        for (int i = 0; i < items; i++) {
            ids[i] = "t" + i;
        }
        return ids;
    }

    /** The artifact with title {@code title}'s one neighbour, row 19, turned into row 20 (no such title). */
    private static byte[] replaceNeighbour(byte[] artifact, int title) {
        // Title t7's record: its id "t7" (length 2, zig-zag 0x04), 4 floats, then neighbours: a block of 1 (0x02), 0x26.
        byte[] id = {0x04, 't', '7'};
        for (int i = 0; i + id.length < artifact.length; i++) {
            if (artifact[i] == id[0] && artifact[i + 1] == id[1] && artifact[i + 2] == id[2]) {
                int neighbours = i + 3 + 1 + 4 * 4 + 1 + 1; // id, factor block count, 4 floats, end of block, block count
                if (artifact[neighbours - 1] == 0x02 && artifact[neighbours] == 0x26) {
                    byte[] damaged = artifact.clone();
                    damaged[neighbours] = 0x28;
                    return damaged;
                }
            }
        }
        throw new AssertionError("title " + title + "'s neighbour not found in the artifact");
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
