package io.nearline.bench;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.topology.NearlineJob;
import io.nearline.topology.demo.FreshnessProbe;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Freshness under a fixed load: NearlineJob on the local session cluster (the shaded job jar, parallelism 2),
 * plays sent at a fixed rate to random members, and for every member update the time from the play's event
 * time to the member's row being readable in the cache ({@link FreshnessProbe}).
 */
final class FreshnessBenchmark {

    /**
     * The probe follows every play of one member in this many: polling the cache for every member's update would
     * take a core from the job it measures (the load generator shares the machine); a fifth is still thousands
     * of samples a run.
     */
    static final int PROBED_ONE_IN = 5;

    /** Plays per second of the unmeasured warm-up, at most. */
    static final int WARM_UP_RATE = 1_000;

    private FreshnessBenchmark() {}

    /** One run's figures: percentiles over every probed play (misses at their age), and CPU per play sent. */
    record Result(int rate, double achieved, long p50, long p99, long max, int probed, int misses, double taskManagerMicros,
            double cassandraMicros) {

        /** The run's last line. */
        String line() {
            return String.format(Locale.ROOT, "freshness_ms p50=%d p99=%d max=%d rate=%.0f", p50, p99, max, achieved);
        }
    }

    /** Rates of {@code --sweep}: a low load, then doubling towards what the machine can carry. */
    static final int[] SWEEP = {50, 1_000, 2_500, 5_000, 10_000, 20_000};

    /** The highest swept rate at or above 1,000 plays/s whose p99 is within this, with no misses, is the capacity. */
    static final long CAPACITY_P99_MS = 500;

    static int run(int rate, int seconds, int members, int items, String jar) throws Exception {
        Result result = measure(rate, seconds, members, items, jar);
        if (result == null) {
            return 1;
        }
        System.out.println(result.line());
        return 0;
    }

    static int sweep(int seconds, int members, int items, String jar) throws Exception {
        Result capacity = null;
        for (int rate : SWEEP) {
            Result result = measure(rate, seconds, members, items, jar);
            if (result == null) {
                System.out.printf("freshness: rate %d: no update reached the cache%n", rate);
                continue;
            }
            System.out.println(result.line() + " misses=" + result.misses());
            if (rate >= 1_000 && result.misses() == 0 && result.p99() <= CAPACITY_P99_MS) {
                capacity = result;
            }
        }
        System.out.printf(Locale.ROOT, "freshness_capacity plays_per_s=%d p99_ms=%d%n", capacity == null ? 0 : capacity.rate(),
                capacity == null ? -1 : capacity.p99());
        return 0;
    }

    /** @return the run's figures, or null if no update reached the cache */
    static Result measure(int rate, int seconds, int members, int items, String jar) throws Exception {
        LocalServices services = new LocalServices();
        services.createTopics(4, "events", "dlq", "published");
        services.createKeyspace();
        services.publishModel(items, 64);
        Configuration config = services.jobConfig();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(services.host, services.flinkPort, config, jar);
        env.setParallelism(2);
        NearlineJob.configureCheckpointing(env, config);
        NearlineJob.build(env, config, NearlineJob.productionSources(config), NearlineJob.productionSinks(config));
        JobClient job = env.executeAsync(services.run);
        try (FreshnessProbe probe = new FreshnessProbe(List.of(services.memcached), (member, row) -> { });
                KafkaProducer<byte[], byte[]> producer = producer(services.kafka)) {
            UiEventCodec codec = new UiEventCodec();
            Random random = new Random(5);
            // Warm-up: the job deploys, loads the model and compiles its hot paths; not measured. At no more than
            // WARM_UP_RATE, so that the measured minute starts with the job caught up whatever the rate measured: at the
            // full rate a job still starting fell tens of seconds behind before the first measured play.
            send(producer, codec, services.topic("events"), random, members, items, Math.min(rate, WARM_UP_RATE), 15, null);
            Thread.sleep(10_000);
            System.out.printf("freshness: warmed up; sending %d plays/s for %d s to %d members%n", rate, seconds, members);
            long start = System.nanoTime();
            java.util.OptionalLong taskManagerBefore = ProcessCpu.micros(ProcessCpu.TASK_MANAGER);
            java.util.OptionalLong cassandraBefore = ProcessCpu.micros(ProcessCpu.CASSANDRA);
            long sent = send(producer, codec, services.topic("events"), random, members, items, rate, seconds, probe);
            double achieved = sent / ((System.nanoTime() - start) / 1e9);
            java.util.OptionalLong taskManagerAfter = ProcessCpu.micros(ProcessCpu.TASK_MANAGER);
            java.util.OptionalLong cassandraAfter = ProcessCpu.micros(ProcessCpu.CASSANDRA);
            long windowEnd = System.currentTimeMillis();
            double taskManagerMicros = perPlay(taskManagerBefore, taskManagerAfter, sent);
            double cassandraMicros = perPlay(cassandraBefore, cassandraAfter, sent);
            waitFor(probe, 60);
            int misses = probe.finish();
            List<Long> samples = probe.samples();
            // Plays the job got through within the window: the probed ones seen in the cache by its end, scaled to all
            // plays. A job that falls behind processes fewer than were sent, so CPU per play sent understates its cost.
            long processed = samples.isEmpty() ? 0 : Math.round(probe.seenBy(windowEnd) * (double) sent / samples.size());
            System.out.printf("freshness: %d plays sent, %d probed (the plays of one member in %d), %d seen, %d missed "
                    + "(never seen within 60 s after the last play; counted at their age then)%n",
                    sent, samples.size(), PROBED_ONE_IN, samples.size() - misses, misses);
            // Over time, so that a stall (a checkpoint, a GC, a flush) shows apart from a job falling behind.
            var byPlayTime = probe.samplesByPlayTime(5_000);
            long first = byPlayTime.isEmpty() ? 0 : byPlayTime.firstKey();
            byPlayTime.forEach((bucket, values) -> System.out.printf(Locale.ROOT, "freshness: plays at %2d s: p50=%d p99=%d max=%d (%d)%n",
                    (bucket - first) / 1000, FreshnessProbe.percentile(values, 0.5), FreshnessProbe.percentile(values, 0.99),
                    values.get(values.size() - 1), values.size()));
            System.out.println("machine: " + BenchMain.machine() + "; Kafka, Cassandra, memcached and Flink on the same cores");
            System.out.printf(Locale.ROOT, "freshness: CPU per play sent over the measured %d s: TaskManager %.0f us, Cassandra %.0f us%n",
                    seconds, taskManagerMicros, cassandraMicros);
            System.out.printf(Locale.ROOT, "freshness: CPU per play in the cache within those %d s (%d, %.0f%% of those sent): "
                    + "TaskManager %.0f us, Cassandra %.0f us%n", seconds, processed, 100.0 * processed / Math.max(1, sent),
                    perPlay(taskManagerBefore, taskManagerAfter, processed), perPlay(cassandraBefore, cassandraAfter, processed));
            if (samples.size() == misses) {
                System.out.println("freshness: no update reached the cache");
                return null;
            }
            return new Result(rate, achieved, FreshnessProbe.percentile(samples, 0.5), FreshnessProbe.percentile(samples, 0.99),
                    samples.get(samples.size() - 1), samples.size(), misses, taskManagerMicros, cassandraMicros);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            services.deleteTopics();
            services.dropKeyspace();
        }
    }

    private static double perPlay(java.util.OptionalLong before, java.util.OptionalLong after, long plays) {
        return before.isPresent() && after.isPresent() && plays > 0 ? (after.getAsLong() - before.getAsLong()) / (double) plays
                : Double.NaN;
    }

    static KafkaProducer<byte[], byte[]> producer(String kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends plays at the rate for the time, event time = now; returns how many were sent. */
    private static long send(KafkaProducer<byte[], byte[]> producer, UiEventCodec codec, String topic, Random random, int members,
            int items, int rate, int seconds, FreshnessProbe probe) throws InterruptedException {
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int index = random.nextInt(members);
            String member = "member-" + index;
            long time = System.currentTimeMillis();
            UiEvent event = UiEvents.event("f-" + i + "-" + time + "-" + random.nextInt(), member, Instant.ofEpochMilli(time),
                    UiEvents.payload(EventKind.PLAY_COMPLETED, LocalServices.title(random.nextInt(items))));
            if (probe != null && index % PROBED_ONE_IN == 0) {
                probe.sent(member, time);
            }
            producer.send(new ProducerRecord<>(topic, member.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
        }
        producer.flush();
        return total;
    }

    private static void waitFor(FreshnessProbe probe, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (probe.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
