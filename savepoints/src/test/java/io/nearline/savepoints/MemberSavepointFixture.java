package io.nearline.savepoints;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The savepoint of the member operator committed under {@code src/test/resources/member-savepoint}: later code must
 * still restore it ({@link MemberSavepointRestoreTest}). Written by the code of commit e1aca7f (before the member
 * operator was split into parts) through {@link MemberSavepoints#bootstrap}, so with the job's own uid and state
 * descriptors: a few members with history, factor and last-emitted row, their recompute timers, and the model
 * descriptor in broadcast state.
 *
 * <p>Never regenerate the committed fixture (it stands for what an older job wrote); to add another, run
 * {@code ./mvnw -q -pl savepoints -am test -Dtest=MemberSavepointFixture -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnearline.fixture.write=/absolute/folder} and copy the folder's contents under the resources. The name does
 * not end in Test: the build never runs it by itself.
 */
class MemberSavepointFixture {

    /** The savepoint folder on the test class path, named for the commit that wrote it. */
    static final String SAVEPOINT = "/member-savepoint/e1aca7f";
    /** The artifact of the savepoint's model descriptor, on the test class path. */
    static final String MODEL = "/member-savepoint/als-v1.avro";
    /**
     * Where the savepoint's model descriptor says the artifact is. A fixed path in the state, the same on every
     * machine: the restore test puts the committed artifact there.
     */
    static final Path MODEL_FILE = Path.of("/tmp/nearline-member-savepoint-fixture/als-v1.avro");
    static final int MEMBERS = 4;
    static final int ITEMS = 40;
    static final int RANK = 8;

    static Configuration config() {
        Configuration config = new Configuration();
        config.set(ModelOptions.RANK, RANK);
        return config;
    }

    /** Each member's five-star titles, as the fixture's ratings file has them. */
    static Map<String, List<String>> ratedTitles() {
        Random random = new Random(11);
        Map<String, List<String>> titles = new LinkedHashMap<>();
        for (int m = 0; m < MEMBERS; m++) {
            List<String> rated = new ArrayList<>();
            while (rated.size() < 5) {
                String title = "t" + random.nextInt(ITEMS);
                if (!rated.contains(title)) {
                    rated.add(title);
                }
            }
            titles.put("member-" + m, rated);
        }
        return titles;
    }

    @Test
    @EnabledIfSystemProperty(named = "nearline.fixture.write", matches = ".+")
    void writeFixture() throws Exception {
        Path out = Path.of(System.getProperty("nearline.fixture.write"));
        Files.createDirectories(out);
        ModelArtifact model = TestModels.random("v1", ITEMS, RANK, 17);
        byte[] bytes = ModelArtifacts.write(model);
        Files.createDirectories(MODEL_FILE.getParent());
        Files.write(MODEL_FILE, bytes);
        Files.write(out.resolve(Path.of(MODEL).getFileName().toString()), bytes);
        ArtifactDescriptor descriptor = Publication.describe(model, bytes, MODEL_FILE.toUri().toString(), 1.0);

        List<String> lines = new ArrayList<>();
        long time = 1_763_000_000L;
        for (Map.Entry<String, List<String>> member : ratedTitles().entrySet()) {
            for (String title : member.getValue()) {
                lines.add(member.getKey() + "\t" + title + "\t5\t" + time++);
            }
        }
        Path ratings = Files.createTempFile("fixture-ratings", ".data");
        Files.write(ratings, lines);

        MemberSavepoints.Written written = new MemberSavepoints(config(), 1).bootstrap(descriptor, ratings.toUri().toString(),
                MemberSavepoints.Interactions.RATINGS, out.resolve(Path.of(SAVEPOINT).getFileName().toString()).toUri().toString(),
                Duration.ZERO);
        assertThat(written.members()).isEqualTo(MEMBERS);
    }
}
