package io.nearline.events;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.NearlineJobArgs;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import io.nearline.topology.NearlineJob;
import io.nearline.topology.check.CheckedNearlineJob;
import io.nearline.topology.cli.NearlineCli;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults in the middle of a stream on the real session cluster: the TaskManager process killed with {@code kill -9}
 * (twice), the Kafka broker restarted. The job recovers, and afterwards Cassandra holds exactly the rows of a
 * failure-free run of the same input (every member's final top-picks row and factor version) and the archive holds
 * every event exactly once. The faulted run is the self-checking build ({@link CheckedNearlineJob}): a sequence
 * check on the de-duplicated events raises no alert but the canary's (its numbering skips one on purpose).
 * The fold-in uses the exact solver here, so that a member's final row does not depend on how many recomputes led
 * to it (the default conjugate gradient starts from the previous factor).
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
@Tag("slow")
class StreamFaultsITCase {

    private static final int MEMBERS = 50;
    private static final int EVENTS_PER_MEMBER = 30;
    private static final int ITEMS = 300;
    private static final int PER_SECOND = 100;
    private static final int HA_REST_PORT = 18081;
    private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
    /** The member whose sequence numbers skip one (after its tenth event): the one alert the check must raise. */
    private static final String CANARY = "member-7";
    private static final int CANARY_SKIPS_AFTER = 10;
    private static final String CANARY_ALERT = "gap member=" + CANARY + " expected=11 got=12 lost=1";

    /** A fault injected into a running job; returns how long until the job ran again, in seconds. */
    private interface Fault {
        long inject(String job) throws Exception;
    }

    private final List<String> jobs = new ArrayList<>();
    private TestServices services;
    private String jarId;
    private String referenceKeyspace;

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (referenceKeyspace != null) {
            services.cqlSession().execute("DROP KEYSPACE IF EXISTS " + referenceKeyspace);
        }
        services.flink().cleanUp(jobs, jarId);
        jobs.clear();
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void afterTwoTaskManagerKillsTheStoresHoldExactlyWhatAFailureFreeRunWrote(TestServices services, ServicesScript script,
            @TempDir Path dir) throws Exception {
        Path pidFile = Path.of(script.settings().get("NEARLINE_WORK_DIR")).resolve("flink").resolve("taskmanager.pid");
        compareWithFailureFreeRun("tm-kill", services, script, dir, List.of(6, 13),
                job -> killTaskManager(pidFile, script, services.flink(), job), 2);
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void afterAKafkaBrokerRestartTheStoresHoldExactlyWhatAFailureFreeRunWrote(TestServices services, ServicesScript script,
            @TempDir Path dir) throws Exception {
        compareWithFailureFreeRun("kafka-restart", services, script, dir, List.of(7), job -> {
            long start = System.nanoTime();
            script.down(List.of(Service.KAFKA)).requireSuccess();
            Thread.sleep(5_000);
            script.up(List.of(Service.KAFKA)).requireSuccess();
            awaitRunning(services.flink(), job);
            return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        }, 0);
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void afterAJobManagerKillAndRestartTheStoresHoldExactlyWhatAFailureFreeRunWrote(TestServices services, ServicesScript script,
            @TempDir Path dir) throws Exception {
        // A Flink cluster with ZooKeeper high availability beside the shared one: its own work directory and ports.
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ha-cluster-");
        ServicesScript ha = script.withEnvironment(Map.of("NEARLINE_WORK_DIR", work.toString(),
                "NEARLINE_FLINK_PORT", Integer.toString(HA_REST_PORT), "NEARLINE_FLINK_RPC_PORT", "16123",
                "NEARLINE_FLINK_HA", "zookeeper", "NEARLINE_ZOOKEEPER_PORT", "12181"));
        List<String> haServices = List.of("zookeeper", "flink");
        ha.runNames("up", haServices).requireSuccess();
        FlinkRestClient haFlink = new FlinkRestClient(URI.create("http://127.0.0.1:" + HA_REST_PORT));
        try {
            Path pidFile = work.resolve("flink").resolve("jobmanager.pid");
            compareWithFailureFreeRun("jm-kill", services, script, dir, List.of(7),
                    job -> killJobManager(pidFile, ha, haFlink, job), 0, haFlink);
        } finally {
            ha.runNames("down", haServices);
        }
    }

    private void compareWithFailureFreeRun(String name, TestServices services, ServicesScript script, Path dir,
            List<Integer> faultAtSeconds, Fault fault, int minRestarts) throws Exception {
        compareWithFailureFreeRun(name, services, script, dir, faultAtSeconds, fault, minRestarts, null);
    }

    /** The reference run on the shared cluster, the faulted one on {@code faultyCluster} (null: the shared one too). */
    private void compareWithFailureFreeRun(String name, TestServices services, ServicesScript script, Path dir,
            List<Integer> faultAtSeconds, Fault fault, int minRestarts, FlinkRestClient faultyCluster) throws Exception {
        this.services = services;
        System.setProperty("aws.accessKeyId", services.endpoints().s3AccessKey());
        System.setProperty("aws.secretAccessKey", services.endpoints().s3SecretKey());
        String published = services.createTopic(services.topic() + "-" + RUNS.incrementAndGet() + "-published", 1);
        Path artifact = dir.resolve("v1.avro");
        Files.write(artifact, ModelArtifacts.write(TestModels.random("v1", ITEMS, 8, 9)));
        assertThat(NearlineCli.run("publish", "--artifact", artifact.toString(), "--upload-to", "s3://" + services.bucket() + "/models",
                "--s3-endpoint", services.endpoints().s3Endpoint().toString(), "--topic", published,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();
        jarId = services.flink().uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        List<UiEvent> input = input();

        referenceKeyspace = services.keyspace() + "_ref";
        Run reference = run("reference", referenceKeyspace, published, dir, input, List.of(), null, null, jarId);
        String faultyJar = faultyCluster == null ? jarId : faultyCluster.uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        Run faulty = run(name, services.keyspace(), published, dir, input, faultAtSeconds, fault, faultyCluster, faultyJar);

        System.out.printf("%s events=%d members=%d faults=%d restarts=%d recovery_s=%s alerts=%s%n", name, input.size(), MEMBERS,
                faulty.recoverySeconds().size(), faulty.restarts(), faulty.recoverySeconds(), faulty.alerts());
        // The faulty run is the self-checking build: no member's events skipped or repeated past de-duplication,
        // across the restores. The canary's numbering skips one on purpose: its alert shows the check ran.
        assertThat(faulty.alerts()).isNotEmpty().containsOnly(CANARY_ALERT);
        assertThat(faulty.restarts()).as("restarts of the job").isGreaterThanOrEqualTo(minRestarts);
        assertThat(reference.restarts()).isZero();
        assertThat(faulty.rows()).hasSize(MEMBERS).isEqualTo(reference.rows());
        assertThat(faulty.factorVersions()).hasSize(MEMBERS).isEqualTo(reference.factorVersions());
        Map<String, Long> archived = faulty.archive().stream().collect(Collectors.groupingBy(UiEvent::getEventId, Collectors.counting()));
        assertThat(archived.keySet()).isEqualTo(input.stream().map(UiEvent::getEventId).collect(Collectors.toSet()));
        assertThat(archived.values()).as("each event archived once").containsOnly(1L);
    }

    /** What one run left: each member's final top-picks row (titles and version), factor versions, the archive. */
    private record Run(Map<String, String> rows, Map<String, String> factorVersions, List<UiEvent> archive, long restarts,
            List<Long> recoverySeconds, List<String> alerts) {}

    private Run run(String name, String keyspace, String published, Path dir, List<UiEvent> input, List<Integer> faultAtSeconds,
            Fault fault, FlinkRestClient cluster, String jarId) throws Exception {
        boolean shared = cluster == null;
        FlinkRestClient flink = shared ? services.flink() : cluster;
        String prefix = services.topic() + "-" + RUNS.incrementAndGet() + "-" + name;
        String events = services.createTopic(prefix + "-events", 2);
        String deadLetters = services.createTopic(prefix + "-dlq", 1);
        name = name + "-" + RUNS.get();
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", keyspace)).isZero();
        Path archive = dir.resolve(name + "-archive");
        // The faulty run is the test build with the sequence check; the reference is the job as shipped.
        boolean checked = fault != null;
        String alerts = services.createTopic(prefix + "-alerts", 1);
        String job = flink.runJar(jarId, checked ? CheckedNearlineJob.class.getName() : NearlineJob.class.getName(),
                NearlineJobArgs.of(services, keyspace,
                "--nearline.check.alerts-topic", alerts,
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "faults-" + name,
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", "8",
                "--nearline.members.solver", "CHOLESKY",
                "--nearline.members.debounce", "100 ms",
                "--nearline.trending.enabled", "false",
                "--nearline.archive.path", archive.toUri().toString(),
                "--nearline.job.checkpoint-interval", "1 s",
                "--nearline.job.name", "faults-" + name,
                "--restart-strategy.type", "fixed-delay",
                "--restart-strategy.fixed-delay.attempts", "50",
                "--restart-strategy.fixed-delay.delay", "2 s"), 2);
        if (shared) {
            jobs.add(job);
        }
        awaitRunning(flink, job);

        List<Long> recoveries = new ArrayList<>();
        long start = System.nanoTime();
        Properties props = new Properties();
        props.putAll(services.kafkaProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        UiEventCodec codec = new UiEventCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int sent = 0;
            int nextKill = 0;
            while (sent < input.size()) {
                for (int i = 0; i < PER_SECOND / 10 && sent < input.size(); i++, sent++) {
                    UiEvent event = input.get(sent);
                    producer.send(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
                }
                producer.flush();
                if (nextKill < faultAtSeconds.size() && System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(faultAtSeconds.get(nextKill))) {
                    nextKill++;
                    recoveries.add(fault.inject(job));
                }
                Thread.sleep(100);
            }
        }
        Map<String, Instant> lastEvent = new HashMap<>();
        input.forEach(e -> lastEvent.merge(e.getMemberId(), e.getEventTime(), (a, b) -> a.isAfter(b) ? a : b));
        Map<String, String> rows = awaitFinalRows(keyspace, lastEvent, flink, job);
        List<UiEvent> archived = awaitArchive(archive, input.size(), flink, job);
        Map<String, String> factors = new TreeMap<>();
        for (Row row : services.cqlSession().execute(SimpleStatement.newInstance(
                "SELECT member_id, model_version FROM " + keyspace + ".member_factors"))) {
            factors.put(row.getString("member_id"), row.getString("model_version"));
        }
        long restarts = flink.jobMetric(job, "numRestarts");
        flink.cancel(job);
        flink.awaitTerminalState(job, Duration.ofSeconds(60));
        List<String> alertLines = KafkaRecords.readAll(services.kafkaProperties(), alerts, 1, Duration.ofSeconds(checked ? 20 : 1),
                Duration.ofSeconds(2)).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        return new Run(rows, factors, archived, restarts, recoveries, alertLines);
    }

    /**
     * Kills the JobManager process, starts a new one as a supervisor would, and times until the job runs again: the
     * new JobManager takes the leadership once the old one's ZooKeeper session expires, finds the job in the HA
     * store and restores it from its latest checkpoint.
     */
    private long killJobManager(Path pidFile, ServicesScript ha, FlinkRestClient flink, String job) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        long start = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(50);
        }
        ha.run("up", List.of(Service.FLINK)).requireSuccess();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                if (flink.allTasksRunning(job)) {
                    break;
                }
            } catch (java.io.IOException e) {
                // The new JobManager has not recovered the job yet (or does not answer yet).
            }
            assertThat(System.nanoTime()).as("job %s recovered by the new JobManager within 3 minutes", job).isLessThan(deadline);
            Thread.sleep(500);
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    }

    /** Kills the TaskManager process, starts a new one as an operator's supervisor would, and times the recovery. */
    private long killTaskManager(Path pidFile, ServicesScript script, FlinkRestClient flink, String job) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        long restartsBefore = Math.max(0, flink.jobMetric(job, "numRestarts"));
        long start = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(50);
        }
        script.up(List.of(Service.FLINK)).requireSuccess();
        // The job notices the lost TaskManager (heartbeat or lost connection), restarts and runs again.
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (flink.jobMetric(job, "numRestarts") <= restartsBefore || !flink.allTasksRunning(job)) {
            assertThat(System.nanoTime()).as("job %s recovered within 3 minutes", job).isLessThan(deadline);
            Thread.sleep(200);
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    }

    private void awaitRunning(FlinkRestClient flink, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!flink.allTasksRunning(job)) {
            assertThat(System.nanoTime()).as("job %s running", job).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Waits until every member's top-picks row includes its last event; returns titles and version per member. */
    private Map<String, String> awaitFinalRows(String keyspace, Map<String, Instant> lastEvent, FlinkRestClient flink, String job)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, String> rows = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            rows.clear();
            for (Row row : services.cqlSession().execute(SimpleStatement.newInstance("SELECT member_id, row_name, titles, "
                    + "model_version, newest_event_time FROM " + keyspace + ".recommendations"))) {
                String member = row.getString("member_id");
                if ("top-picks".equals(row.getString("row_name")) && lastEvent.get(member).equals(row.getInstant("newest_event_time"))) {
                    rows.put(member, row.getString("model_version") + " " + row.getList("titles", String.class));
                }
            }
            if (rows.size() == lastEvent.size()) {
                return rows;
            }
            assertThat(flink.jobState(job)).as("job state; cause: %s", flink.rootException(job)).isIn("RUNNING", "RESTARTING");
            Thread.sleep(500);
        }
        throw new AssertionError(rows.size() + " of " + lastEvent.size() + " members have their final rows");
    }

    /**
     * Waits until the archive holds every event, then until two more checkpoints completed: the file sink commits at
     * checkpoints, so a duplicate still in flight would be committed by then.
     */
    private static List<UiEvent> awaitArchive(Path archive, int expected, FlinkRestClient flink, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<UiEvent> events = ArchiveReader.readLocal(archive);
        while (events.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            events = ArchiveReader.readLocal(archive);
        }
        long checkpoint = flink.latestCheckpointId(job);
        deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (flink.latestCheckpointId(job) < checkpoint + 2) {
            assertThat(System.nanoTime()).as("two more checkpoints of %s within a minute", job).isLessThan(deadline);
            Thread.sleep(200);
        }
        return ArchiveReader.readLocal(archive);
    }

    /**
     * Plays of random titles, interleaved across members, with fixed event times: both runs see the same input.
     * Event ids end in each member's sequence number, for the check; the canary's numbering skips one.
     */
    private static List<UiEvent> input() {
        Random random = new Random(31);
        Instant base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        List<UiEvent> events = new ArrayList<>();
        Map<String, Integer> numbers = new HashMap<>();
        for (int n = 0; n < MEMBERS * EVENTS_PER_MEMBER; n++) {
            String member = "member-" + (n % MEMBERS);
            int number = numbers.merge(member, member.equals(CANARY) && numbers.getOrDefault(member, 0) == CANARY_SKIPS_AFTER ? 2 : 1, Integer::sum);
            events.add(UiEvents.event("faults-" + n + "#" + number, member, base.plusMillis(n * 100L),
                    UiEvents.payload(random.nextInt(4) == 0 ? EventKind.RATING : EventKind.PLAY_COMPLETED, "t" + random.nextInt(ITEMS))));
        }
        return events;
    }
}
