package io.nearline.events;

import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.NearlineJobArgs;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fixed population of members sending at a steady rate, with the bounds configured small (titles per member,
 * the de-duplication window, the watching window, the trending window) so that each member's state fills up in
 * seconds: from then on the checkpoints' state size stays level while the events keep coming. A history or a window
 * that was not bounded would grow with the events, which double from the first measured window to the last.
 * The state lives on the heap backend here: its checkpoint is exactly the state, where RocksDB's full size also
 * counts superseded versions until compactions drop them (level in the long run: the 30-minute
 * {@code bin/nearline soak} measures RocksDB).
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.FLINK})
@Tag("slow")
class StateGrowthITCase {

    private static final int MEMBERS = 200;
    private static final int ITEMS = 400;
    private static final int PER_SECOND = 200;
    private static final int SECONDS = 150;
    /** Everything is full well before this: 10 titles per member, 15 s windows. */
    private static final int LEVEL_FROM_SECOND = 50;

    private final List<String> jobs = new ArrayList<>();
    private TestServices services;
    private String jarId;

    @AfterEach
    void tearDown() throws Exception {
        services.flink().cleanUp(jobs, jarId);
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void stateOfAFixedPopulationStaysLevelOnceItsBoundsAreReached(TestServices services, @TempDir Path dir) throws Exception {
        this.services = services;
        String events = services.createTopic(services.topic() + "-events", 2);
        String deadLetters = services.createTopic(services.topic() + "-dlq", 1);
        String published = services.createTopic(services.topic() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        Path artifact = dir.resolve("v1.avro");
        Files.write(artifact, ModelArtifacts.write(TestModels.random("v1", ITEMS, 16, 3)));
        assertThat(NearlineCli.run("publish", "--artifact", artifact.toString(), "--topic", published,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();

        FlinkRestClient flink = services.flink();
        jarId = flink.uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        String job = flink.runJar(jarId, "io.nearline.topology.NearlineJob", NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.job.name", "state-growth",
                "--nearline.job.result-sinks", "CASSANDRA",
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "state-growth",
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", "16",
                "--nearline.members.max-titles", "10",
                "--nearline.members.watching-window", "15 s",
                "--nearline.events.dedup-window", "15 s",
                "--nearline.trending.window-size", "15 s",
                "--nearline.trending.slide", "5 s",
                "--nearline.archive.path", dir.resolve("archive").toUri().toString(),
                "--state.backend.type", "hashmap", // exact sizes; see the class comment
                "--nearline.job.checkpoint-interval", "3 s"), 2);
        jobs.add(job);
        while (!flink.allTasksRunning(job)) {
            Thread.sleep(200);
        }

        // (second, full state size of the latest completed checkpoint), every 5 s of sending.
        List<long[]> sizes = new ArrayList<>();
        UiEventCodec codec = new UiEventCodec();
        Random random = new Random(41);
        EventKind[] kinds = {EventKind.PLAY_STARTED, EventKind.PLAY_COMPLETED, EventKind.RATING, EventKind.IMPRESSION};
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(services.kafkaProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long total = (long) PER_SECOND * SECONDS;
            int nextSample = 5;
            for (long n = 0; n < total; n++) {
                long wait = start + (long) (n * 1e9 / PER_SECOND) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                UiEvent event = UiEvents.event("growth-" + n, "member-" + random.nextInt(MEMBERS), java.time.Instant.now(),
                        UiEvents.payload(kinds[random.nextInt(kinds.length)], "t" + random.nextInt(ITEMS)));
                producer.send(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(event)));
                long second = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                if (second >= nextSample) {
                    nextSample += 5;
                    long size = flink.get("/jobs/" + job + "/checkpoints").path("latest").path("completed")
                            .path("state_size").asLong();
                    sizes.add(new long[] {second, size});
                }
            }
        }
        StringBuilder series = new StringBuilder();
        sizes.forEach(s -> series.append(' ').append(s[0]).append("s=").append(s[1] / 1024).append("KiB"));
        System.out.println("state_size by second of sending:" + series);

        double level = mean(sizes, LEVEL_FROM_SECOND, LEVEL_FROM_SECOND + 30);
        double end = mean(sizes, SECONDS - 30, SECONDS + 1);
        System.out.printf("state growth: events=%d mean_kib[%d-%ds]=%.0f mean_kib[%d-%ds]=%.0f ratio=%.2f%n",
                (long) PER_SECOND * SECONDS, LEVEL_FROM_SECOND, LEVEL_FROM_SECOND + 30, level / 1024, SECONDS - 30, SECONDS,
                end / 1024, end / level);
        assertThat(level).as("state size once full").isPositive();
        // The events sent grow 2x from the middle of the first window to that of the last: state that kept them would too.
        assertThat(end).as("mean full state size over the last 30 s vs. over [%d, %d) s", LEVEL_FROM_SECOND,
                LEVEL_FROM_SECOND + 30).isLessThan(level * 1.15);
    }

    private static double mean(List<long[]> sizes, long fromSecond, long toSecond) {
        return sizes.stream().filter(s -> s[0] >= fromSecond && s[0] < toSecond && s[1] > 0)
                .mapToLong(s -> s[1]).average().orElse(0);
    }
}
