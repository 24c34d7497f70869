package io.nearline.savepoints;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The savepoint tools on a local Flink: bootstrap, inspect and rollout through the job's own member state. */
class MemberSavepointsTest {

    private static final int MEMBERS = 30;
    private static final int ITEMS = 100;
    private static final int RANK = 8;

    @TempDir
    Path dir;

    private Configuration config;
    private MemberSavepoints tools;

    @BeforeEach
    void setUp() {
        config = new Configuration();
        config.set(ModelOptions.RANK, RANK);
        tools = new MemberSavepoints(config, 2);
    }

    @Test
    void bootstrappedSavepointHoldsEveryRatedMemberWarmAgainstTheModel() throws Exception {
        ArtifactDescriptor v1 = model("v1");
        String savepoint = dir.resolve("bootstrap").toUri().toString();

        MemberSavepoints.Written written = tools.bootstrap(v1, ratings().toUri().toString(), MemberSavepoints.Interactions.RATINGS,
                savepoint, Duration.ZERO);

        assertThat(written.members()).isEqualTo(MEMBERS);
        MemberSavepoints.Summary summary = tools.inspect(savepoint, "member-7");
        assertThat(summary.members()).isEqualTo(MEMBERS);
        assertThat(summary.factorVersions()).isEqualTo(Map.of("als v1", (long) MEMBERS));
        assertThat(summary.rowVersions()).isEqualTo(Map.of("v1", (long) MEMBERS));
        assertThat(summary.descriptors()).extracting(ArtifactDescriptor::getVersion).containsExactly("v1");
        assertThat(summary.operators()).extracting(MemberSavepoints.OperatorSize::name).containsExactly(OperatorUids.MEMBER_STATE);
        assertThat(summary.operators().get(0).maxParallelism()).isEqualTo(128);
        MemberSnapshot member = summary.member();
        assertThat(member.member).isEqualTo("member-7");
        assertThat(member.history.titles).hasSize(6);
        assertThat(member.factor.factor).hasSize(RANK);
        // The watched titles are not recommended again.
        assertThat(member.lastEmitted.titles).isNotEmpty().doesNotContain(member.history.titles);
    }

    @Test
    void rolloutRecomputesEveryMemberAgainstTheNewModelAndLeavesTheOriginalAsItWas() throws Exception {
        String original = dir.resolve("v1").toUri().toString();
        tools.bootstrap(model("v1"), ratings().toUri().toString(), MemberSavepoints.Interactions.RATINGS, original, Duration.ZERO);
        MemberSnapshot before = tools.inspect(original, "member-3").member();
        String rolledOut = dir.resolve("v2").toUri().toString();

        MemberSavepoints.Written written = tools.rollout(original, model("v2"), rolledOut, Duration.ofMinutes(1));

        assertThat(written.members()).isEqualTo(MEMBERS);
        MemberSavepoints.Summary summary = tools.inspect(rolledOut, "member-3");
        assertThat(summary.members()).isEqualTo(MEMBERS);
        assertThat(summary.factorVersions()).isEqualTo(Map.of("als v2", (long) MEMBERS));
        assertThat(summary.rowVersions()).isEqualTo(Map.of("v2", (long) MEMBERS));
        assertThat(summary.descriptors()).extracting(ArtifactDescriptor::getVersion).containsExactly("v2");
        MemberSnapshot after = summary.member();
        assertThat(after.history.titles).containsExactly(before.history.titles);
        assertThat(after.factor.factor).isNotEqualTo(before.factor.factor);

        MemberSavepoints.Summary unchanged = tools.inspect(original, null);
        assertThat(unchanged.factorVersions()).isEqualTo(Map.of("als v1", (long) MEMBERS));
        assertThat(unchanged.descriptors()).extracting(ArtifactDescriptor::getVersion).containsExactly("v1");
    }

    @Test
    void rolloutRanksWithTheNeighbourTableOfTheNewModel() throws Exception {
        String original = dir.resolve("v1").toUri().toString();
        tools.bootstrap(model("v1"), ratings().toUri().toString(), MemberSavepoints.Interactions.RATINGS, original, Duration.ZERO);
        // Every title's neighbours are t90..t99: the item-to-item score puts most of them in every member's row.
        int[] offsets = new int[ITEMS + 1];
        int[] rows = new int[ITEMS * 10];
        float[] scores = new float[rows.length];
        for (int t = 0; t < ITEMS; t++) {
            offsets[t + 1] = offsets[t] + 10;
            for (int n = 0; n < 10; n++) {
                rows[offsets[t] + n] = 90 + n;
                scores[offsets[t] + n] = 1;
            }
        }
        ModelArtifact plain = TestModels.random("v2", ITEMS, RANK, 7);
        String[] ids = new String[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            ids[i] = plain.itemId(i);
        }
        ArtifactDescriptor v2 = describe(new ModelArtifact(plain.metadata(), ids, plain.factors(),
                new io.nearline.operators.neighbours.TitleNeighbours(offsets, rows, scores)));
        String rolledOut = dir.resolve("v2").toUri().toString();

        tools.rollout(original, v2, rolledOut, Duration.ofMinutes(1));

        for (String member : List.of("member-3", "member-11", "member-20")) {
            MemberSnapshot after = tools.inspect(rolledOut, member).member();
            List<String> unseen = new ArrayList<>();
            for (int n = 90; n < 100; n++) {
                if (!List.of(after.history.titles).contains("t" + n)) {
                    unseen.add("t" + n);
                }
            }
            // By the fold-in alone about a quarter of them would make the 25 titles of a random model's row.
            assertThat(List.of(after.lastEmitted.titles).stream().filter(unseen::contains).count()).as(member)
                    .isGreaterThanOrEqualTo(unseen.size() - 3L);
        }
    }

    private ArtifactDescriptor model(String version) throws Exception {
        return describe(TestModels.random(version, ITEMS, RANK, version.hashCode()));
    }

    private ArtifactDescriptor describe(ModelArtifact model) throws Exception {
        String version = model.version();
        byte[] bytes = ModelArtifacts.write(model);
        Path file = dir.resolve(version + ".avro");
        Files.write(file, bytes);
        return Publication.describe(ModelArtifacts.read(bytes, bytes.length, ModelArtifacts.sha256(bytes), RANK), bytes,
                file.toUri().toString(), 1.0);
    }

    /** Six five-star ratings per member, in MovieLens u.data form. */
    private Path ratings() throws Exception {
        Random random = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            List<Integer> titles = new ArrayList<>();
            while (titles.size() < 6) {
                int title = random.nextInt(ITEMS);
                if (!titles.contains(title)) {
                    titles.add(title);
                }
            }
            for (int i = 0; i < titles.size(); i++) {
                lines.add("member-" + m + "\tt" + titles.get(i) + "\t5\t" + (881250949L + m * 100 + i));
            }
        }
        Path file = dir.resolve("u.data");
        Files.write(file, lines);
        return file;
    }
}
