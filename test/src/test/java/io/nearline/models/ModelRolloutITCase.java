package io.nearline.models;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.NearlineJobArgs;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model publication end to end on the real Flink session cluster, with artifacts on real S3, descriptors on
 * real Kafka and rows in real Cassandra and memcached: v1 serves, v2 takes over live, a corrupt v3 is
 * rejected while v2 keeps serving, and after a restore from a retained checkpoint v2 serves again without
 * being published again.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class ModelRolloutITCase {

    private static final int MEMBERS = 20;
    private static final int ITEMS = 300;
    private static final int RANK = 8;
    private static final UiEventCodec CODEC = new UiEventCodec();

    private final Random random = new Random(17);
    private final List<String> jobs = new ArrayList<>();
    private String jarId;
    private TestServices services;
    private String events;
    private String published;
    private int eventNumber;

    @BeforeEach
    void setUp(TestServices services) {
        this.services = services;
        // The AWS SDK's default credential chain reads these: bin/nearline publish uses it here.
        System.setProperty("aws.accessKeyId", services.endpoints().s3AccessKey());
        System.setProperty("aws.secretAccessKey", services.endpoints().s3SecretKey());
    }

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        services.flink().cleanUp(jobs, jarId);
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void outputsSwitchFromV1ToV2StayOnV2WhenV3IsCorruptAndAgainAfterARestore(@TempDir Path dir) throws Exception {
        events = services.createTopic(services.topic() + "-events", 2);
        String deadLetters = services.createTopic(services.topic() + "-dlq", 1);
        published = services.createTopic(services.topic() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        Path checkpoints = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "rollout-checkpoints-");
        FlinkRestClient flink = services.flink();
        jarId = flink.uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        List<String> args = NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "rollout-it",
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", Integer.toString(RANK),
                "--nearline.archive.path", dir.resolve("archive").toUri().toString(),
                "--nearline.members.debounce", "100 ms",
                "--nearline.job.checkpoint-interval", "1 s",
                "--nearline.job.name", "rollout-it",
                "--execution.checkpointing.dir", checkpoints.toUri().toString(),
                "--execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        String job = run(flink, args, null);

        publish(dir, "v1");
        Instant batch = sendOneEventPerMember();
        Map<String, RecommendationRow> rows = awaitRows(job, batch, r -> true);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v1"));

        publish(dir, "v2");
        // Loading takes a moment and events meanwhile stay on v1; each member switches with its next event.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        do {
            batch = sendOneEventPerMember();
            rows = awaitRows(job, batch, r -> true);
        } while (rows.values().stream().anyMatch(r -> !r.getModelVersion().equals("v2")) && System.nanoTime() < deadline);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));

        publishCorrupt(dir, "v3");
        awaitMetric(flink, job, "models.rejected", 2); // one rejection per parallel task
        batch = sendOneEventPerMember();
        rows = awaitRows(job, batch, r -> true);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
        RecommendationRow cached = RecommendationRowEntries.decode(
                (byte[]) services.memcached().get(CacheKeys.row("top-picks", "member-0")));
        assertThat(cached.getModelVersion()).isEqualTo("v2");
        assertThat(factorVersions()).hasSize(MEMBERS).containsOnly("v2");

        long checkpoint = flink.latestCheckpointId(job);
        long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (flink.latestCheckpointId(job) < checkpoint + 2 && System.nanoTime() < waitUntil) {
            Thread.sleep(200);
        }
        // Cancel first: while the job runs, each new checkpoint replaces the retained one.
        flink.cancel(job);
        flink.awaitTerminalState(job, Duration.ofSeconds(60));
        String restoreFrom = flink.latestCheckpointPath(job);
        assertThat(restoreFrom).as("a retained checkpoint").isNotNull();

        String restored = run(flink, args, restoreFrom);
        batch = sendOneEventPerMember();
        rows = awaitRows(restored, batch, r -> true);
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo("v2"));
        assertThat(flink.jobState(restored)).isEqualTo("RUNNING");
    }

    private String run(FlinkRestClient flink, List<String> args, String restoreFrom) throws Exception {
        String job = flink.runJar(jarId, "io.nearline.topology.NearlineJob", args, 2, restoreFrom);
        assertThat(job).as("job id").isNotBlank();
        jobs.add(job);
        return job;
    }

    private void publish(Path dir, String version) throws Exception {
        ModelArtifact model = TestModels.random(version, ITEMS, RANK, version.hashCode());
        Path file = dir.resolve(version + ".avro");
        Files.write(file, ModelArtifacts.write(model));
        assertThat(NearlineCli.run("publish", "--artifact", file.toString(),
                "--upload-to", "s3://" + services.bucket() + "/models",
                "--s3-endpoint", services.endpoints().s3Endpoint().toString(),
                "--topic", published, "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();
    }

    /** Announces a good artifact's checksum while S3 holds damaged bytes: corruption in storage. */
    private void publishCorrupt(Path dir, String version) throws Exception {
        byte[] good = ModelArtifacts.write(TestModels.random(version, ITEMS, RANK, version.hashCode()));
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x21;
        String key = "models/als/" + version + ".avro";
        services.s3().putObject(b -> b.bucket(services.bucket()).key(key), RequestBody.fromBytes(damaged));
        ArtifactDescriptor descriptor = ArtifactDescriptor.newBuilder()
                .setName("als").setVersion(version).setKind(ArtifactKind.MODEL)
                .setUri("s3://" + services.bucket() + "/" + key)
                .setSha256(ModelArtifacts.sha256(good)).setSizeBytes(good.length)
                .setTrafficShare(1.0).setPublishedAt(Instant.now())
                .build();
        KafkaRecords.sendAll(services.kafkaProperties(), List.of(new ProducerRecord<>(published,
                "als".getBytes(StandardCharsets.UTF_8), ArtifactDescriptor.getEncoder().encode(descriptor).array())));
    }

    private Instant sendOneEventPerMember() throws Exception {
        Instant time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            UiEvent event = UiEvents.event("rollout-" + eventNumber++, "member-" + m, time,
                    UiEvents.payload(EventKind.PLAY_COMPLETED, "t" + random.nextInt(ITEMS)));
            records.add(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);
        return time;
    }

    /** Waits until every member's top-picks row in Cassandra includes the events sent at {@code batch}. */
    private Map<String, RecommendationRow> awaitRows(String job, Instant batch, Predicate<RecommendationRow> accept)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, RecommendationRow> rows = new HashMap<>();
        while (System.nanoTime() < deadline) {
            rows.clear();
            for (Row row : services.keyspaceSession().execute(
                    "SELECT member_id, row_name, titles, model_version, newest_event_time FROM recommendations")) {
                Instant newest = row.getInstant("newest_event_time");
                if ("top-picks".equals(row.getString("row_name")) && newest != null && !newest.isBefore(batch)) {
                    RecommendationRow r = RecommendationRow.newBuilder()
                            .setMemberId(row.getString("member_id")).setRowName("top-picks")
                            .setTitles(row.getList("titles", String.class)).setScores(List.of())
                            .setModelName("als").setModelVersion(row.getString("model_version"))
                            .setComputedAt(Instant.EPOCH).setNewestEventTime(newest).build();
                    if (accept.test(r)) {
                        rows.put(r.getMemberId(), r);
                    }
                }
            }
            if (rows.size() == MEMBERS) {
                return rows;
            }
            assertThat(services.flink().jobState(job)).as("job state; cause: %s", services.flink().rootException(job))
                    .isIn("CREATED", "INITIALIZING", "RUNNING");
            Thread.sleep(250);
        }
        throw new AssertionError("only " + rows.size() + " of " + MEMBERS + " members have rows with the events of " + batch);
    }

    private List<String> factorVersions() {
        List<String> versions = new ArrayList<>();
        for (Row row : services.keyspaceSession().execute("SELECT model_version FROM member_factors")) {
            versions.add(row.getString("model_version"));
        }
        return versions;
    }

    private static void awaitMetric(FlinkRestClient flink, String job, String metric, double atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double value = flink.metricSum(job, metric);
        while (value < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(500);
            value = flink.metricSum(job, metric);
        }
        assertThat(value).as(metric).isGreaterThanOrEqualTo(atLeast);
    }
}
