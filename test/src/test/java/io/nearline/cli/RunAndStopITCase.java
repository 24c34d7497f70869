package io.nearline.cli;

import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.RealServices;
import io.nearline.testing.ResourceNames;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/nearline run}, {@code stop} and {@code run --from-savepoint} as a user runs them against the local
 * cluster: the job is submitted with its topics made, stopped with a savepoint whose path is printed, and started
 * again from it; a setting out of range is refused at submission with one line naming it.
 */
@RealServices({Service.KAFKA, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class RunAndStopITCase {

    private static final Pattern RUNNING = Pattern.compile("NearlineJob running as job ([0-9a-f]{32})");

    private record Result(int exit, String output) {}

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void runStopAndRunFromTheSavepointThroughTheCli(TestServices services, @TempDir Path archive) throws Exception {
        String events = ResourceNames.topic("run-events");
        String deadLetters = ResourceNames.topic("run-dlq");
        String published = ResourceNames.topic("run-published");
        List<String> options = List.of("--nearline.kafka.events-topic", events, "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.models.published-topic", published, "--nearline.cassandra.keyspace", services.keyspace(),
                "--nearline.archive.path", archive.toUri().toString(), "--nearline.job.name", "run-and-stop-itcase",
                "--nearline.kafka.group-id", events);
        FlinkRestClient flink = services.flink();
        List<String> jobs = new ArrayList<>();
        try {
            Result run = nearline(concat(List.of("run"), options));
            assertThat(run.exit()).as(run.output()).isZero();
            String first = job(run);
            jobs.add(first);
            assertThat(services.admin().listTopics().names().get(30, TimeUnit.SECONDS)).contains(events, deadLetters, published);
            assertThat(flink.awaitAllTasksRunning(first, Duration.ofMinutes(2))).isTrue();

            Result stop = nearline(List.of("stop", first));
            assertThat(stop.exit()).as(stop.output()).isZero();
            String savepoint = stop.output().lines().filter(l -> !l.startsWith("nearline:") && !l.startsWith("stopping"))
                    .reduce((a, b) -> b).orElseThrow().trim();
            assertThat(Path.of(savepoint.replaceFirst("^file:", "")).resolve("_metadata")).exists();
            assertThat(flink.jobState(first)).isEqualTo("FINISHED");

            Result again = nearline(concat(List.of("run", "--from-savepoint", savepoint, "--parallelism", "1"), options));
            assertThat(again.exit()).as(again.output()).isZero();
            String second = job(again);
            jobs.add(second);
            assertThat(flink.awaitAllTasksRunning(second, Duration.ofMinutes(2))).isTrue();

            Result cancel = nearline(List.of("cluster", "cancel", "--rest", services.endpoints().flinkRestUri().toString(), second));
            assertThat(cancel.exit()).as(cancel.output()).isZero();
            assertThat(flink.awaitTerminalState(second, Duration.ofMinutes(1))).isEqualTo("CANCELED");

            Result refused = nearline(concat(List.of("run", "--nearline.members.row-length", "0"), options));
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("nearline.members.row-length must be at least 1, not 0");
        } finally {
            flink.cleanUp(jobs, null);
            services.admin().deleteTopics(List.of(events, deadLetters, published)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String job(Result run) {
        Matcher matcher = RUNNING.matcher(run.output());
        assertThat(matcher.find()).as(run.output()).isTrue();
        return matcher.group(1);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Result nearline(List<String> args) throws IOException, InterruptedException {
        ServicesScript script = ServicesScript.locate();
        List<String> command = new ArrayList<>();
        command.add(script.home().resolve("bin/nearline").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(script.home().toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("[bin/nearline " + String.join(" ", args) + "]\n" + output);
        return new Result(process.exitValue(), output);
    }
}
