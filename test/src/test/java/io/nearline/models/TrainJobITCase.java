package io.nearline.models;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TrainJob on the real session cluster: NearlineJob archives members' events to real S3, TrainJob trains
 * from that archive (shipped to the cluster by {@code bin/nearline train --cluster}), the client evaluates,
 * writes the artifact to S3 and publishes it on Kafka, and the running NearlineJob switches to it. A model
 * that does not clear the evaluation gate is refused in one line and not published.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class TrainJobITCase {

    /**
     * Enough that the gate compares models, not luck: half the members are held out, and with 40 (22 held out) a
     * trained model fell below the random one by one hit in a run.
     */
    private static final int MEMBERS = 120;
    private static final int GROUPS = 4;
    private static final int TITLES_PER_GROUP = 50;
    private static final UiEventCodec CODEC = new UiEventCodec();

    private final List<String> jobs = new ArrayList<>();
    private TestServices services;
    private String jarId;

    @AfterEach
    void tearDown() throws Exception {
        services.flink().cleanUp(jobs, jarId);
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void trainsFromTheArchiveOnS3PublishesAndTheRunningJobSwitches(TestServices services, @TempDir Path dir) throws Exception {
        this.services = services;
        String events = services.createTopic(services.topic() + "-events", 2);
        String deadLetters = services.createTopic(services.topic() + "-dlq", 1);
        String published = services.createTopic(services.topic() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        String bucket = "s3://" + services.bucket();
        Path jar = Path.of(System.getProperty("nearline.job.jar"));
        FlinkRestClient flink = services.flink();
        jarId = flink.uploadJar(jar);
        String s3Endpoint = services.endpoints().s3Endpoint().toString();
        String job = flink.runJar(jarId, "io.nearline.topology.NearlineJob", List.of(
                "--nearline.kafka.bootstrap-servers", services.endpoints().kafkaBootstrapServers(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "train-it",
                "--nearline.models.published-topic", published,
                "--nearline.archive.path", bucket + "/archive",
                "--nearline.cassandra.contact-points", services.endpoints().cassandraHostPort(),
                "--nearline.cassandra.keyspace", services.keyspace(),
                "--nearline.cache.servers", services.endpoints().memcachedAddress(),
                "--nearline.s3.endpoint", s3Endpoint,
                "--nearline.s3.path-style-access", "true",
                "--nearline.s3.access-key", services.endpoints().s3AccessKey(),
                "--nearline.s3.secret-key", services.endpoints().s3SecretKey(),
                "--nearline.members.debounce", "100 ms",
                "--nearline.job.checkpoint-interval", "1 s",
                "--nearline.job.name", "train-it"), 2);
        jobs.add(job);

        // v1: a random model over the same titles, published from a local file.
        ModelArtifact v1 = TestModels.random("v1", GROUPS * TITLES_PER_GROUP, 8, 1);
        Path v1File = Files.write(dir.resolve("v1.avro"), ModelArtifacts.write(v1));
        assertThat(NearlineCli.run("publish", "--artifact", v1File.toString(), "--topic", published,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();

        // Members of four taste groups watch titles of their group.
        Random random = new Random(8);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(600);
        int sent = 0;
        for (int m = 0; m < MEMBERS; m++) {
            int group = m % GROUPS;
            for (int i = 0; i < 20; i++) {
                UiEvent event = UiEvents.event("train-" + sent, "member-" + m, start.plusMillis(sent * 10L),
                        UiEvents.payload(EventKind.PLAY_COMPLETED, "t" + (group * TITLES_PER_GROUP + random.nextInt(TITLES_PER_GROUP))));
                records.add(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
                sent++;
            }
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);
        Map<String, String> versions = awaitVersions(flink, job, v -> true);
        assertThat(versions.values()).containsOnly("v1");
        awaitArchived(sent);

        Map<String, String> common = new HashMap<>();
        common.put("nearline.kafka.bootstrap-servers", services.endpoints().kafkaBootstrapServers());
        common.put("nearline.models.published-topic", published);
        common.put("nearline.train.models-path", bucket + "/models");
        common.put("nearline.train.rank", "8");
        common.put("nearline.train.iterations", "5");
        common.put("nearline.train.holdout-fraction", "0.5");
        common.put("nearline.s3.endpoint", s3Endpoint);
        common.put("nearline.s3.path-style-access", "true");
        common.put("nearline.s3.access-key", services.endpoints().s3AccessKey());
        common.put("nearline.s3.secret-key", services.endpoints().s3SecretKey());

        Run trained = train(common, Map.of("nearline.train.version", "v2"));
        assertThat(trained.exit).as(trained.out).isZero();
        assertThat(trained.out).contains("published als v2 at " + bucket + "/models/als/v2.avro");
        assertThat(objectsUnder("models/als/")).containsExactly("models/als/v2.avro");

        // The running job switches: each member's next recompute is on v2.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        do {
            sendOneEach(events, random, "again-" + System.nanoTime());
            versions = awaitVersions(flink, job, v -> true, v -> v.equals("v2"), Duration.ofSeconds(5));
        } while (versions.values().stream().anyMatch(v -> !v.equals("v2")) && System.nanoTime() < deadline);
        assertThat(versions.values()).containsOnly("v2");

        // A model that must beat the active one by more than it can is refused and not published.
        Run refused = train(common, Map.of("nearline.train.version", "v3", "nearline.train.max-regression", "-1"));
        assertThat(refused.exit).isEqualTo(3);
        assertThat(refused.out.lines().filter(l -> l.startsWith("refused als v3: HR@10"))).hasSize(1);
        assertThat(refused.out).contains("below the active v2's");
        assertThat(objectsUnder("models/als/")).containsExactly("models/als/v2.avro");
        List<ArtifactDescriptor> descriptors = new ArrayList<>();
        for (var record : KafkaRecords.readAll(services.kafkaProperties(), published, 3, Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            descriptors.add(ArtifactDescriptor.getDecoder().decode(record.value()));
        }
        assertThat(descriptors).extracting(ArtifactDescriptor::getVersion).containsExactly("v1", "v2");
        assertThat(flink.jobState(job)).isEqualTo("RUNNING");
    }

    private record Run(int exit, String out) {}

    private Run train(Map<String, String> common, Map<String, String> extra) {
        List<String> args = new ArrayList<>(List.of("train", "--archive", "s3://" + services.bucket() + "/archive",
                "--cluster", services.endpoints().flinkRestUri().toString(), "--jar", System.getProperty("nearline.job.jar")));
        Map<String, String> all = new HashMap<>(common);
        all.putAll(extra);
        all.forEach((key, value) -> {
            args.add("-D");
            args.add(key + "=" + value);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = NearlineCli.run(args.toArray(new String[0]));
        } finally {
            System.setOut(original);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    private void sendOneEach(String topic, Random random, String prefix) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            UiEvent event = UiEvents.event(prefix + "-" + m, "member-" + m, Instant.now(),
                    UiEvents.payload(EventKind.PLAY_STARTED, "t" + ((m % GROUPS) * TITLES_PER_GROUP + random.nextInt(TITLES_PER_GROUP))));
            records.add(new ProducerRecord<>(topic, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);
    }

    /** Waits until every member has a top-picks row, and returns each member's model version. */
    private Map<String, String> awaitVersions(FlinkRestClient flink, String job, java.util.function.Predicate<String> accept)
            throws Exception {
        return awaitVersions(flink, job, accept, v -> true, Duration.ZERO);
    }

    /**
     * Waits until every member has a top-picks row; then, for at most {@code settle}, until every member's version
     * passes {@code wanted}. Returns each member's model version.
     */
    private Map<String, String> awaitVersions(FlinkRestClient flink, String job, java.util.function.Predicate<String> accept,
            java.util.function.Predicate<String> wanted, Duration settle) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long settled = Long.MAX_VALUE;
        Map<String, String> versions = new HashMap<>();
        while (System.nanoTime() < deadline) {
            versions.clear();
            for (Row row : services.keyspaceSession().execute("SELECT member_id, row_name, model_version FROM recommendations")) {
                if ("top-picks".equals(row.getString("row_name")) && accept.test(row.getString("model_version"))) {
                    versions.put(row.getString("member_id"), row.getString("model_version"));
                }
            }
            if (versions.size() == MEMBERS) {
                if (settled == Long.MAX_VALUE) {
                    settled = System.nanoTime() + settle.toNanos();
                }
                if (versions.values().stream().allMatch(wanted) || System.nanoTime() >= settled) {
                    return versions;
                }
            }
            assertThat(flink.jobState(job)).as("job state; cause: %s", flink.rootException(job)).isIn("CREATED", "INITIALIZING", "RUNNING");
            Thread.sleep(300);
        }
        throw new AssertionError("only " + versions.size() + " of " + MEMBERS + " members have rows");
    }

    /** Waits until the archive's committed files hold every event sent (files are committed at checkpoints). */
    private void awaitArchived(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int archived = 0;
        while (System.nanoTime() < deadline) {
            archived = io.nearline.events.ArchiveReader.read(services.s3(), services.bucket(), "archive").size();
            if (archived >= count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("only " + archived + " of " + count + " events archived");
    }

    private List<String> objectsUnder(String prefix) {
        return services.s3().listObjectsV2Paginator(b -> b.bucket(services.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }
}
