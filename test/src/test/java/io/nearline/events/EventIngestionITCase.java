package io.nearline.events;

import io.nearline.operators.archive.ArchiveOptions;
import io.nearline.operators.events.DeadLetterReason;
import io.nearline.operators.events.MalformedRecords;
import io.nearline.operators.kafka.DeadLetterHeaders;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.MiniClusters;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.models.ModelOptions;
import io.nearline.topology.NearlineJob;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first half of the nearline job against real Kafka and S3 (Flink in-process): valid events are
 * archived exactly once, malformed records become dead letters with their reasons, and neither bad data
 * nor a TaskManager failure loses or repeats an archived event.
 */
@RealServices({Service.KAFKA, Service.S3})
class EventIngestionITCase {

    private static final int MEMBERS = 40;
    private static final UiEventCodec CODEC = new UiEventCodec();

    private MiniCluster cluster;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void validEventsAreArchivedOnceAndBadRecordsBecomeDeadLettersWithoutARestart(TestServices services)
            throws Exception {
        String events = services.createTopic(services.topic() + "-events", 4);
        String deadLetters = services.createTopic(services.topic() + "-dlq", 1);
        Instant now = Instant.now();
        List<UiEvent> valid = generate("a", 1500, now);
        Map<String, DeadLetterReason> badByTag = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Random random = new Random(3);
        for (int copy = 0; copy < 2; copy++) {
            for (Map.Entry<DeadLetterReason, byte[]> bad : MalformedRecords.oneOfEachReason("c" + copy, now).entrySet()) {
                records.add(new ProducerRecord<>(events, bad.getValue()));
                badByTag.put(new String(bad.getValue(), StandardCharsets.ISO_8859_1), bad.getKey());
            }
        }
        for (UiEvent event : valid) {
            records.add(random.nextInt(records.size() + 1), record(events, event));
        }
        for (int i = 0; i < valid.size(); i += 25) {
            records.add(record(events, valid.get(i))); // client retries: same event id again
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);

        Configuration config = jobConfig(services, events, deadLetters, "run-a");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any failure would fail the job
        JobClient job = start(services, config);

        List<UiEvent> archived = awaitArchive(services, "run-a", valid.size(), Duration.ofSeconds(120));
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaRecords.readAll(services.kafkaProperties(), deadLetters,
                badByTag.size(), Duration.ofSeconds(60), Duration.ofSeconds(2));

        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        job.cancel().get();

        assertThat(idsOf(archived)).hasSize(archived.size()).containsExactlyInAnyOrderElementsOf(idsOf(valid));
        Map<String, UiEvent> byId = valid.stream().collect(Collectors.toMap(UiEvent::getEventId, Function.identity()));
        archived.forEach(event -> assertThat(event).isEqualTo(byId.get(event.getEventId())));

        assertThat(letters).hasSize(badByTag.size());
        Map<DeadLetterReason, Integer> expectedReasons = new EnumMap<>(DeadLetterReason.class);
        badByTag.values().forEach(reason -> expectedReasons.merge(reason, 1, Integer::sum));
        Map<DeadLetterReason, Integer> actualReasons = new EnumMap<>(DeadLetterReason.class);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            String reasonLabel = header(letter, DeadLetterHeaders.REASON);
            DeadLetterReason sent = badByTag.get(new String(letter.value(), StandardCharsets.ISO_8859_1));
            assertThat(sent).as("dead letter carries the original bytes").isNotNull();
            assertThat(reasonLabel).as("reason of a %s record", sent).isEqualTo(sent.label());
            assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(events);
            assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).matches("\\d+");
            assertThat(header(letter, DeadLetterHeaders.DETAIL)).isNotBlank();
            actualReasons.merge(sent, 1, Integer::sum);
        }
        assertThat(actualReasons).isEqualTo(expectedReasons).hasSize(DeadLetterReason.values().length);
    }

    @Test
    void afterATaskManagerFailureAndRestoreEveryEventIsArchivedExactlyOnce(TestServices services) throws Exception {
        String events = services.createTopic(services.topic() + "-restore", 4);
        String deadLetters = services.createTopic(services.topic() + "-restore-dlq", 1);
        List<UiEvent> valid = generate("b", 1200, Instant.now());
        List<UiEvent> firstHalf = valid.subList(0, 600);
        List<UiEvent> beforeFailure = valid.subList(600, 900);
        List<UiEvent> afterFailure = valid.subList(900, valid.size());

        Configuration config = jobConfig(services, events, deadLetters, "run-b");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        JobClient job = start(services, config);

        KafkaRecords.sendAll(services.kafkaProperties(), records(events, firstHalf));
        awaitArchive(services, "run-b", firstHalf.size(), Duration.ofSeconds(120)); // committed by a checkpoint
        KafkaRecords.sendAll(services.kafkaProperties(), records(events, beforeFailure));
        Thread.sleep(300); // let the job take some of them before the failure, uncommitted
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        KafkaRecords.sendAll(services.kafkaProperties(), records(events, afterFailure));

        List<UiEvent> archived = awaitArchive(services, "run-b", valid.size(), Duration.ofSeconds(180));
        Thread.sleep(3_000); // a few more checkpoints: late duplicates would show now
        archived = ArchiveReader.read(services.s3(), services.bucket(), "run-b");
        FlinkRestClient rest = new FlinkRestClient(cluster.getRestAddress().get());
        int failures = rest.get("/jobs/" + job.getJobID() + "/exceptions").path("exceptionHistory").path("entries").size();
        JobStatus status = job.getJobStatus().get();
        job.cancel().get();

        assertThat(failures).as("failures recorded after the TaskManager was killed").isPositive();
        assertThat(status).as("the job recovered").isEqualTo(JobStatus.RUNNING);
        assertThat(idsOf(archived)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(idsOf(valid));
    }

    private JobClient start(TestServices services, Configuration config) throws Exception {
        Configuration clusterConfig = new Configuration();
        s3Settings(services).forEach(clusterConfig::setString);
        // The s3:// file system is process-wide: initialise it with the local S3 server's settings.
        FileSystem.initialize(clusterConfig, null);
        cluster = MiniClusters.start(clusterConfig, 2);
        TestStreamEnvironment env = MiniClusters.environment(cluster, config, 2);
        NearlineJob.configureCheckpointing(env, config);
        NearlineJob.build(env, config, NearlineJob.productionSources(config), NearlineJob.productionSinks(config));
        return env.executeAsync(config.get(JobOptions.JOB_NAME));
    }

    private static Configuration jobConfig(TestServices services, String events, String deadLetters, String run) throws Exception {
        Configuration config = new Configuration();
        // Ingestion only: no model is published and no result store runs here.
        config.set(ModelOptions.PUBLISHED_TOPIC, services.createTopic(services.topic() + "-published-" + run, 1));
        config.set(JobOptions.RESULT_SINKS, List.of());
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, services.endpoints().kafkaBootstrapServers());
        config.set(KafkaOptions.EVENTS_TOPIC, events);
        config.set(KafkaOptions.DEAD_LETTER_TOPIC, deadLetters);
        config.set(KafkaOptions.GROUP_ID, "nearline-" + run);
        config.set(ArchiveOptions.PATH, "s3://" + services.bucket() + "/" + run);
        config.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        config.set(JobOptions.JOB_NAME, "ingestion-" + run);
        return config;
    }

    private static Map<String, String> s3Settings(TestServices services) {
        return Map.of(
                "s3.endpoint", services.endpoints().s3Endpoint().toString(),
                "s3.path.style.access", "true",
                "s3.access-key", services.endpoints().s3AccessKey(),
                "s3.secret-key", services.endpoints().s3SecretKey(),
                "s3.endpoint.region", "us-east-1");
    }

    private static List<UiEvent> awaitArchive(TestServices services, String run, int expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<UiEvent> archived = ArchiveReader.read(services.s3(), services.bucket(), run);
        while (archived.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            archived = ArchiveReader.read(services.s3(), services.bucket(), run);
        }
        assertThat(archived.size()).as("events archived in %s", timeout).isGreaterThanOrEqualTo(expected);
        return archived;
    }

    /** Events of every kind from {@value #MEMBERS} members over the last minutes, each with its own id. */
    private static List<UiEvent> generate(String run, int count, Instant now) {
        EventKind[] kinds = EventKind.values();
        List<UiEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant time = now.minusMillis((count - i) * 200L);
            events.add(UiEvents.event(run + "-e" + i, "m" + (i % MEMBERS), time,
                    UiEvents.payload(kinds[i % kinds.length], "t" + (i % 97))));
        }
        return events;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, UiEvent event) {
        return new ProducerRecord<>(topic, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event));
    }

    private static List<ProducerRecord<byte[], byte[]>> records(String topic, List<UiEvent> events) {
        return events.stream().map(e -> record(topic, e)).toList();
    }

    private static List<String> idsOf(List<UiEvent> events) {
        return events.stream().map(UiEvent::getEventId).toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
