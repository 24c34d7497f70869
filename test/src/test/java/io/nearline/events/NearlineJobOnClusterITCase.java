package io.nearline.events;

import io.nearline.operators.events.DeadLetterReason;
import io.nearline.operators.events.MalformedRecords;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar, as users deploy it: uploaded to the real Flink session cluster over REST and run
 * with command-line options, reading Kafka and writing the archive and the dead-letter topic.
 */
@RealServices({Service.KAFKA, Service.FLINK})
class NearlineJobOnClusterITCase {

    @Test
    void jobJarRunsOnTheSessionClusterAndArchivesEventsAndDeadLetters(TestServices services) throws Exception {
        Path jar = Path.of(System.getProperty("nearline.job.jar"));
        assertThat(jar).as("the shaded job jar (built by the topology module)").exists();
        String events = services.createTopic(services.topic() + "-cluster", 2);
        String deadLetters = services.createTopic(services.topic() + "-cluster-dlq", 1);
        String published = services.createTopic(services.topic() + "-cluster-published", 1);
        Path archive = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-archive-");

        UiEventCodec codec = new UiEventCodec();
        Instant now = Instant.now();
        List<UiEvent> valid = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            UiEvent event = UiEvents.event("c-e" + i, "m" + (i % 30), now.minusSeconds(300 - i),
                    UiEvents.payload(EventKind.values()[i % EventKind.values().length], "t" + (i % 40)));
            valid.add(event);
            records.add(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
        }
        Map<DeadLetterReason, byte[]> bad = MalformedRecords.oneOfEachReason("cluster", now);
        bad.values().forEach(bytes -> records.add(new ProducerRecord<>(events, bytes)));
        KafkaRecords.sendAll(services.kafkaProperties(), records);

        FlinkRestClient flink = services.flink();
        String jarId = flink.uploadJar(jar);
        String jobId = flink.runJar(jarId, "io.nearline.topology.NearlineJob", List.of(
                "--nearline.kafka.bootstrap-servers", services.endpoints().kafkaBootstrapServers(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.models.published-topic", published,
                "--nearline.job.result-sinks", "",
                "--nearline.kafka.group-id", "cluster-it",
                "--nearline.archive.path", archive.toUri().toString(),
                "--nearline.job.checkpoint-interval", "1 s",
                "--nearline.job.name", "nearline-cluster-it"), 2);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            List<UiEvent> archived = ArchiveReader.readLocal(archive);
            while (archived.size() < valid.size() && System.nanoTime() < deadline) {
                assertThat(flink.jobState(jobId)).as("job state; cause: %s", flink.rootException(jobId))
                        .isIn("CREATED", "INITIALIZING", "RUNNING");
                Thread.sleep(500);
                archived = ArchiveReader.readLocal(archive);
            }
            var letters = KafkaRecords.readAll(services.kafkaProperties(), deadLetters, bad.size(),
                    Duration.ofSeconds(60), Duration.ofSeconds(1));

            assertThat(flink.jobState(jobId)).isEqualTo("RUNNING");
            assertThat(archived).extracting(UiEvent::getEventId)
                    .containsExactlyInAnyOrderElementsOf(valid.stream().map(UiEvent::getEventId).toList());
            assertThat(letters).hasSize(bad.size());
        } finally {
            flink.cancel(jobId);
            flink.deleteJar(jarId);
        }
    }
}
