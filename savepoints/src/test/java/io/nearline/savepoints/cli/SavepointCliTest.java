package io.nearline.savepoints.cli;

import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad arguments to bin/nearline savepoint get one line naming the argument and a non-zero exit, before any job runs. */
class SavepointCliTest {

    @TempDir
    Path dir;

    @Test
    void missingSubcommandNamesTheCommands() {
        assertThat(run()).isEqualTo(new Result(2, "nearline: missing command: inspect, bootstrap or rollout"));
    }

    @Test
    void inspectOfAFolderWithoutASavepointNamesThePath() {
        Result result = run("inspect", dir.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).startsWith("nearline: PATH: no savepoint at").contains("_metadata");
    }

    @Test
    void rolloutWithoutOutNamesIt() throws Exception {
        Result result = run("rollout", "--from", savepoint().toString(), "--model", model("v1", 8).toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).contains("--out");
    }

    @Test
    void rolloutNeverWritesOverAnotherSavepoint() throws Exception {
        Path from = savepoint();
        Result result = run("rollout", "--from", from.toString(), "--model", model("v2", 8).toString(), "--out", from.toString(),
                "-D", "nearline.models.rank=8");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).startsWith("nearline: --out: ").contains("is not empty");
    }

    @Test
    void aModelOfAnotherRankThanTheJobsIsRefusedNamingModel() throws Exception {
        Result result = run("rollout", "--from", savepoint().toString(), "--model", model("v2", 4).toString(),
                "--out", dir.resolve("new").toString(), "-D", "nearline.models.rank=8");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).startsWith("nearline: --model: ").contains("rank");
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void aNegativeRefreshPeriodIsRefusedNamingIt() throws Exception {
        Result result = run("bootstrap", "--model", model("v1", 8).toString(), "--interactions", savepoint().toString(),
                "--out", dir.resolve("new").toString(), "--refresh-within", "-5 s", "-D", "nearline.models.rank=8");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).startsWith("nearline: --refresh-within");
    }

    @Test
    void anUnknownOptionIsRefusedNamingIt() throws Exception {
        Result result = run("inspect", savepoint().toString(), "-D", "nearline.no-such-option=1");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.error()).startsWith("nearline: --set: ").contains("nearline.no-such-option");
    }

    /** A folder that looks like a savepoint to the argument checks (a _metadata file). */
    private Path savepoint() throws Exception {
        Path savepoint = Files.createDirectories(dir.resolve("savepoint-1"));
        Files.write(savepoint.resolve("_metadata"), new byte[] {1, 2, 3});
        return savepoint;
    }

    private Path model(String version, int rank) throws Exception {
        Path file = dir.resolve(version + "-" + rank + ".avro");
        Files.write(file, ModelArtifacts.write(TestModels.random(version, 50, rank, 1)));
        return file;
    }

    private record Result(int code, String error) {}

    private static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = SavepointCli.run(args);
        } finally {
            System.setErr(original);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(text.lines().count()).as("one line: %s", text).isLessThanOrEqualTo(1);
        return new Result(code, text);
    }
}
