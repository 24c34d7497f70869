package io.nearline.savepoints;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.OperatorUids;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.savepoints.cli.SavepointCli;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.NearlineJobArgs;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoint-based rollouts on the real Flink session cluster, with artifacts on real S3, events on real Kafka and
 * rows in real Cassandra: NearlineJob is stopped with a savepoint, the savepoint is rolled out to a new model with
 * {@code bin/nearline savepoint rollout}, and the job started from it serves every member the new model, while
 * restores at parallelism 2→1 and 1→2 keep every member and the earlier savepoint rolls back. A savepoint from
 * {@code bin/nearline savepoint bootstrap} starts a job that writes its members' rows before any event.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class SavepointRolloutITCase {

    private static final int MEMBERS = 20;
    private static final int ITEMS = 300;
    private static final int RANK = 8;
    private static final UiEventCodec CODEC = new UiEventCodec();
    private static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();

    private final Random random = new Random(23);
    private final List<String> jobs = new ArrayList<>();
    private String jarId;
    private TestServices services;
    private String events;
    private List<String> args;
    private int eventNumber;

    @BeforeEach
    void setUp(TestServices services, @TempDir Path dir) throws Exception {
        this.services = services;
        // The AWS SDK's default credential chain reads these: bin/nearline publish uses it here.
        System.setProperty("aws.accessKeyId", services.endpoints().s3AccessKey());
        System.setProperty("aws.secretAccessKey", services.endpoints().s3SecretKey());
        // Topics are per test: the class's tests share one topic prefix.
        String prefix = services.topic() + "-" + TESTS.incrementAndGet();
        events = services.createTopic(prefix + "-events", 2);
        String deadLetters = services.createTopic(prefix + "-dlq", 1);
        String published = services.createTopic(prefix + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        jarId = services.flink().uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        args = NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "savepoint-it",
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", Integer.toString(RANK),
                "--nearline.archive.path", dir.resolve("archive").toUri().toString(),
                "--nearline.members.debounce", "100 ms",
                "--nearline.job.checkpoint-interval", "2 s",
                "--nearline.job.name", "savepoint-it");
    }

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        services.flink().cleanUp(jobs, jarId);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void rolloutThroughASavepointServesEveryMemberTheNewModelAndRescalesKeepEveryMember() throws Exception {
        FlinkRestClient flink = services.flink();
        Path savepoints = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "savepoints-");
        String v1 = upload("v1");
        String v2 = upload("v2");
        // v1 is published live (as bin/nearline publish does); v2 only reaches the job through the savepoint.
        assertThat(NearlineCli.run("publish", "--artifact", v1, "--s3-endpoint", services.endpoints().s3Endpoint().toString(),
                "--topic", argument("--nearline.models.published-topic"),
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();

        String job = run(2, null);
        Instant batch = sendOneEventPerMember();
        assertThat(awaitRows(job, members(), batch, Instant.EPOCH).values()).containsOnly("v1");
        String before = flink.stopWithSavepoint(job, savepoints.toUri().toString(), Duration.ofMinutes(2));
        MemberSavepoints.Summary original = inspect(before);
        assertThat(original.members()).isEqualTo(MEMBERS);
        assertThat(original.factorVersions()).isEqualTo(Map.of("als v1", (long) MEMBERS));

        String rolledOut = savepoints.resolve("rolled-out-v2").toString();
        assertThat(savepointTool("rollout", "--from", before, "--model", v2, "--out", rolledOut, "--refresh-within", "0 s"))
                .isZero();
        MemberSavepoints.Summary rewritten = inspect(rolledOut);
        assertThat(rewritten.members()).isEqualTo(MEMBERS);
        assertThat(rewritten.factorVersions()).isEqualTo(Map.of("als v2", (long) MEMBERS));
        assertThat(rewritten.descriptors()).extracting(d -> d.getVersion()).containsExactly("v2");

        // Restored at parallelism 1 (2 -> 1): every member's rows are written again with v2, before any event.
        Instant restoredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String restored = run(1, rolledOut);
        assertThat(awaitRows(restored, members(), Instant.EPOCH, restoredAt).values()).containsOnly("v2");
        batch = sendOneEventPerMember();
        assertThat(awaitRows(restored, members(), batch, Instant.EPOCH).values()).containsOnly("v2");
        String atOne = flink.stopWithSavepoint(restored, savepoints.toUri().toString(), Duration.ofMinutes(2));
        MemberSavepoints.Summary afterScaleIn = inspect(atOne);
        assertThat(afterScaleIn.members()).isEqualTo(MEMBERS);
        assertThat(afterScaleIn.factorVersions()).isEqualTo(Map.of("als v2", (long) MEMBERS));
        assertThat(afterScaleIn.operators()).filteredOn(o -> o.name().equals(OperatorUids.MEMBER_STATE))
                .singleElement().satisfies(o -> assertThat(o.parallelism()).isEqualTo(1));

        // Back to parallelism 2 (1 -> 2): every member is still there and keeps its history.
        String scaledOut = run(2, atOne);
        batch = sendOneEventPerMember();
        assertThat(awaitRows(scaledOut, members(), batch, Instant.EPOCH).values()).containsOnly("v2");
        String atTwo = flink.stopWithSavepoint(scaledOut, savepoints.toUri().toString(), Duration.ofMinutes(2));
        MemberSavepoints.Summary afterScaleOut = inspect(atTwo);
        assertThat(afterScaleOut.members()).isEqualTo(MEMBERS);
        MemberSnapshot member = inspect(atTwo, "member-4").member();
        assertThat(member.history.titles.length).as("member-4's titles after three plays").isBetween(2, 3);

        // Rolling back is starting from the savepoint before the rollout: v1 serves again.
        String rolledBack = run(2, before);
        batch = sendOneEventPerMember();
        assertThat(awaitRows(rolledBack, members(), batch, Instant.EPOCH).values()).containsOnly("v1");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void bootstrappedSavepointStartsAJobThatServesItsMembersBeforeAnyEvent(@TempDir Path dir) throws Exception {
        String v1 = upload("v1");
        Set<String> bootstrapped = new TreeSet<>();
        List<String> ratings = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            bootstrapped.add("warm-" + m);
            for (int i = 0; i < 5; i++) {
                ratings.add("warm-" + m + "\tt" + random.nextInt(ITEMS) + "\t5\t" + (1_700_000_000L + m * 10 + i));
            }
        }
        Path file = dir.resolve("u.data");
        Files.write(file, ratings);
        String savepoint = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bootstrap-").resolve("warm").toString();

        assertThat(savepointTool("bootstrap", "--model", v1, "--interactions", file.toString(), "--out", savepoint,
                "--refresh-within", "0 s")).isZero();
        assertThat(inspect(savepoint).members()).isEqualTo(bootstrapped.size());

        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String job = run(2, savepoint);
        Map<String, String> rows = awaitRows(job, bootstrapped, Instant.EPOCH, startedAt);
        assertThat(rows.keySet()).isEqualTo(bootstrapped);
        assertThat(rows.values()).containsOnly("v1");
    }

    private int savepointTool(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of("-D", "nearline.models.rank=" + RANK,
                "-D", "nearline.s3.endpoint=" + services.endpoints().s3Endpoint(),
                "-D", "nearline.s3.path-style-access=true",
                "-D", "nearline.s3.access-key=" + services.endpoints().s3AccessKey(),
                "-D", "nearline.s3.secret-key=" + services.endpoints().s3SecretKey()));
        return SavepointCli.run(all.toArray(new String[0]));
    }

    private MemberSavepoints.Summary inspect(String savepoint) throws Exception {
        return inspect(savepoint, null);
    }

    private MemberSavepoints.Summary inspect(String savepoint, String member) throws Exception {
        String uri = savepoint.startsWith("file:") || savepoint.contains("://") ? savepoint : Path.of(savepoint).toUri().toString();
        return new MemberSavepoints(new Configuration(), 1).inspect(uri, member);
    }

    private String run(int parallelism, String restoreFrom) throws Exception {
        String job = services.flink().runJar(jarId, "io.nearline.topology.NearlineJob", args, parallelism, restoreFrom);
        assertThat(job).as("job id").isNotBlank();
        jobs.add(job);
        return job;
    }

    private String argument(String name) {
        return args.get(args.indexOf(name) + 1);
    }

    /** Stores a model artifact on S3 without publishing it; returns its URI. */
    private String upload(String version) {
        ModelArtifact model = TestModels.random(version, ITEMS, RANK, version.hashCode());
        String key = "models/als/" + version + ".avro";
        services.s3().putObject(b -> b.bucket(services.bucket()).key(key), RequestBody.fromBytes(ModelArtifacts.write(model)));
        return "s3://" + services.bucket() + "/" + key;
    }

    private static Set<String> members() {
        Set<String> members = new TreeSet<>();
        for (int m = 0; m < MEMBERS; m++) {
            members.add("member-" + m);
        }
        return members;
    }

    private Instant sendOneEventPerMember() throws Exception {
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            UiEvent event = UiEvents.event("savepoint-" + eventNumber++, "member-" + m, time,
                    UiEvents.payload(EventKind.PLAY_COMPLETED, "t" + random.nextInt(ITEMS)));
            records.add(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);
        return time;
    }

    /**
     * Waits until each of the members has a top-picks row in Cassandra that includes events up to {@code newestEvent}
     * and was computed at or after {@code computedAfter}; returns each member's row's model version.
     */
    private Map<String, String> awaitRows(String job, Set<String> members, Instant newestEvent, Instant computedAfter)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, String> versions = new HashMap<>();
        while (System.nanoTime() < deadline) {
            versions.clear();
            for (Row row : services.keyspaceSession().execute(
                    "SELECT member_id, row_name, model_version, newest_event_time, computed_at FROM recommendations")) {
                Instant newest = row.getInstant("newest_event_time");
                Instant computed = row.getInstant("computed_at");
                if ("top-picks".equals(row.getString("row_name")) && members.contains(row.getString("member_id"))
                        && newest != null && !newest.isBefore(newestEvent) && computed != null && !computed.isBefore(computedAfter)) {
                    versions.put(row.getString("member_id"), row.getString("model_version"));
                }
            }
            if (versions.size() == members.size()) {
                return versions;
            }
            assertThat(services.flink().jobState(job)).as("job state; cause: %s", services.flink().rootException(job))
                    .isIn("CREATED", "INITIALIZING", "RUNNING");
            Thread.sleep(250);
        }
        throw new AssertionError("only " + versions.size() + " of " + members.size() + " members have rows with events of "
                + newestEvent + " computed after " + computedAfter);
    }
}
