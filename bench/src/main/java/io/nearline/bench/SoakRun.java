package io.nearline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.nearline.operators.cassandra.CassandraConnection;
import io.nearline.operators.config.CheckOptions;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.events.EventOptions;
import io.nearline.operators.members.MemberOptions;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.topology.NearlineJob;
import io.nearline.topology.check.CheckedNearlineJob;
import io.nearline.topology.check.SequenceCheck;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/nearline soak}: the self-checking build of NearlineJob ({@link CheckedNearlineJob}) on the local
 * session cluster under a steady rate for a long time, optionally with the TaskManager killed now and then.
 * Every member's events are numbered; the job's sequence check alerts on any lost or repeated past
 * de-duplication, and at the end every member's top-picks row must include its last time-sensitive event.
 * Checkpoint sizes are printed as it runs: with the bounds set here (50 titles per member, a 2-minute
 * de-duplication window) the state of a fixed population levels off.
 */
final class SoakRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a soak found. */
    record Result(double minutes, long events, long lost, long duplicated, long restarts, long maxCheckpointMillis,
            List<Long> stateSizes) {}

    private final LocalServices services = new LocalServices();
    private final HttpClient http = HttpClient.newHttpClient();

    static Result run(int minutes, int rate, int members, int items, int killEveryMinutes, String jar) throws Exception {
        return new SoakRun().soak(minutes, rate, members, items, killEveryMinutes, jar);
    }

    private Result soak(int minutes, int rate, int members, int items, int killEveryMinutes, String jar) throws Exception {
        services.createTopics(4, "events", "dlq", "published", "alerts");
        services.createKeyspace();
        services.publishModel(items, 64);
        Configuration config = services.jobConfig();
        config.set(CheckOptions.ALERTS_TOPIC, services.topic("alerts"));
        config.set(MemberOptions.MAX_TITLES, 50);
        config.set(EventOptions.DEDUP_WINDOW, Duration.ofMinutes(2));
        config.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(10));
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "1000");
        config.setString("restart-strategy.fixed-delay.delay", "2 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(services.host, services.flinkPort, config, jar);
        env.setParallelism(2);
        env.setMaxParallelism(config.get(JobOptions.MAX_PARALLELISM));
        NearlineJob.configureCheckpointing(env, config);
        CheckedNearlineJob.build(env, config, NearlineJob.productionSources(config), NearlineJob.productionSinks(config));
        JobClient job = env.executeAsync(services.run + "-soak");
        String jobId = job.getJobID().toString();
        List<Long> stateSizes = new ArrayList<>();
        try {
            awaitRunning(jobId);
            long[] numbers = new long[members];
            long[] lastTimeSensitive = new long[members];
            long events = send(jobId, minutes, rate, members, items, killEveryMinutes, numbers, lastTimeSensitive, stateSizes);
            long lostRows = awaitRows(jobId, lastTimeSensitive);
            Thread.sleep(config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis() * 2);
            stateSizes.add(get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed").path("state_size").asLong());
            long[] alerts = alerts();
            long restarts = metric(jobId, "numRestarts");
            long maxCheckpoint = get("/jobs/" + jobId + "/checkpoints").path("summary").path("end_to_end_duration").path("max").asLong();
            System.out.printf("soak: %d events; %d sequence numbers lost, %d repeated; %d members' final rows missing their last "
                    + "event%n", events, alerts[0], alerts[1], lostRows);
            return new Result(minutes, events, alerts[0] + lostRows, alerts[1], restarts, maxCheckpoint, stateSizes);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            services.deleteTopics();
            services.dropKeyspace();
        }
    }

    /** Sends at the rate for the minutes; each minute prints progress and the latest checkpoint's size. */
    private long send(String jobId, int minutes, int rate, int members, int items, int killEveryMinutes, long[] numbers,
            long[] lastTimeSensitive, List<Long> stateSizes) throws Exception {
        UiEventCodec codec = new UiEventCodec();
        Random random = new Random(17);
        EventKind[] bulk = {EventKind.IMPRESSION, EventKind.BROWSE, EventKind.SCROLL};
        long total = (long) rate * minutes * 60;
        long start = System.nanoTime();
        int minute = 0;
        try (KafkaProducer<byte[], byte[]> producer = FreshnessBenchmark.producer(services.kafka)) {
            for (long n = 0; n < total; n++) {
                long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int m = random.nextInt(members);
                double draw = random.nextDouble();
                EventKind kind = draw < 0.25 ? (random.nextBoolean() ? EventKind.PLAY_COMPLETED : EventKind.PLAY_STARTED)
                        : draw < 0.30 ? EventKind.RATING : bulk[random.nextInt(bulk.length)];
                long time = System.currentTimeMillis();
                if (draw < 0.30) {
                    lastTimeSensitive[m] = time;
                }
                String member = "member-" + m;
                UiEvent event = UiEvents.event(services.run + "-" + n + "#" + ++numbers[m], member, Instant.ofEpochMilli(time),
                        UiEvents.payload(kind, LocalServices.title(random.nextInt(items))));
                producer.send(new ProducerRecord<>(services.topic("events"), member.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
                if (System.nanoTime() - start >= TimeUnit.MINUTES.toNanos(minute + 1)) {
                    minute++;
                    long size = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed").path("state_size").asLong();
                    stateSizes.add(size);
                    System.out.printf(Locale.ROOT, "soak: minute %d of %d, %d events sent, restarts %d, latest checkpoint %.1f MB%n",
                            minute, minutes, n + 1, metric(jobId, "numRestarts"), size / 1e6);
                    if (killEveryMinutes > 0 && minute % killEveryMinutes == 0 && minute < minutes) {
                        killTaskManager();
                    }
                }
            }
        }
        return total;
    }

    /** kill -9 of the TaskManager, then a new one, as a supervisor would start it. */
    private void killTaskManager() throws Exception {
        Path home = Path.of(System.getProperty("nearline.home", "."));
        // Where bin/nearline services keeps its state (bin/nearline sets NEARLINE_WORK_DIR; .nearline by default).
        String workDir = System.getenv("NEARLINE_WORK_DIR");
        Path pidFile = (workDir == null ? home.resolve(".nearline") : Path.of(workDir)).resolve("flink").resolve("taskmanager.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        System.out.printf("soak: kill -9 of the TaskManager (pid %d)%n", pid);
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(50);
        }
        new ProcessBuilder(home.resolve("bin").resolve("nearline").toString(), "services", "up", "flink")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /** Waits (up to 5 minutes) for every member's top-picks row to include its last time-sensitive event; returns how many do not. */
    private long awaitRows(String jobId, long[] lastTimeSensitive) throws Exception {
        long expected = java.util.Arrays.stream(lastTimeSensitive).filter(t -> t > 0).count();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long missing = expected;
        try (CqlSession session = CassandraConnection.from(services.jobConfig()).open(false)) {
            while (System.nanoTime() < deadline) {
                long[] newest = new long[lastTimeSensitive.length];
                for (Row row : session.execute(SimpleStatement.newInstance("SELECT member_id, row_name, newest_event_time FROM "
                        + services.keyspace() + ".recommendations").setTimeout(Duration.ofSeconds(60)))) {
                    if ("top-picks".equals(row.getString("row_name"))) {
                        newest[Integer.parseInt(row.getString("member_id").substring("member-".length()))] =
                                row.getInstant("newest_event_time").toEpochMilli();
                    }
                }
                missing = 0;
                for (int m = 0; m < newest.length; m++) {
                    missing += lastTimeSensitive[m] > 0 && newest[m] < lastTimeSensitive[m] ? 1 : 0;
                }
                if (missing == 0) {
                    return 0;
                }
                System.out.printf("soak: waiting for %d members' final rows (job %s)%n", missing, get("/jobs/" + jobId).path("state").asText());
                Thread.sleep(5_000);
            }
        }
        return missing;
    }

    /** The sequence check's alerts: events lost (the sum over gaps) and repeats. */
    private long[] alerts() {
        Properties props = new Properties();
        props.put("bootstrap.servers", services.kafka);
        long lost = 0;
        long repeated = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(services.topic("alerts")).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String alert = new String(record.value(), StandardCharsets.UTF_8);
                    System.out.println("soak: alert: " + alert);
                    if (alert.startsWith(SequenceCheck.GAP)) {
                        lost += Long.parseLong(alert.substring(alert.lastIndexOf('=') + 1));
                    } else {
                        repeated++;
                    }
                }
            }
        }
        return new long[] {lost, repeated};
    }

    private void awaitRunning(String jobId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonNode vertices = get("/jobs/" + jobId).path("vertices");
            boolean running = vertices.size() > 0;
            for (JsonNode vertex : vertices) {
                running &= vertex.path("tasks").path("RUNNING").asInt() == vertex.path("parallelism").asInt();
            }
            if (running) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + jobId + " did not start running within 2 minutes");
    }

    private long metric(String jobId, String name) throws Exception {
        JsonNode values = get("/jobs/" + jobId + "/metrics?get=" + name);
        return values.size() == 0 ? 0 : values.get(0).path("value").asLong();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + services.host + ":" + services.flinkPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
