package io.nearline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.CqlSchema;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.serving.ServingServer;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.SerializingTranscoder;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The online service under load from wrk, a second process on loopback, at a fixed number of connections: members
 * whose rows are in the cache, then members whose rows only Cassandra has, then galleries ranked at request time
 * ({@link GalleryLoad}), then batches of events posted ({@link EventsLoad}). The service's near cache is off, so
 * every request reaches its store; a last run with it on shows what it adds.
 */
final class ServingBenchmark {

    /** What wrk measured: over {@code seconds}, {@code requests} answered, {@code non2xx} of them not with a 2xx. */
    record Load(double requestsPerSecond, double p99Millis, long non2xx, long requests, double seconds) {

        /** Requests per second of which {@code share} counted. */
        double rate(double share) {
            return requestsPerSecond * share;
        }
    }

    static final String KEYSPACE = "nearline_bench_serving";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in ([0-9.]+)(us|ms|s|m)");

    private ServingBenchmark() {}

    static void prepare(String cassandra, String memcached, int members) throws Exception {
        String[] hostPort = cassandra.split(":");
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter("datacenter1").build()) {
            for (String statement : CqlSchema.statements(KEYSPACE, "{'class': 'SimpleStrategy', 'replication_factor': 1}", Map.of())) {
                session.execute(statement);
            }
            PreparedStatement insert = session.prepare("INSERT INTO " + KEYSPACE + ".recommendations (member_id, row_name, "
                    + "titles, scores, model_name, model_version, computed_at, newest_event_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> writes = new ArrayList<>();
            Instant now = Instant.now();
            MemcachedClient cache = cacheClient(memcached);
            try {
                for (int m = 0; m < members; m++) {
                    for (String prefix : List.of("c", "d")) {
                        String member = prefix + m;
                        for (String row : List.of("top-picks", "because-you-watched:t" + m % 97, "because-you-watched:t" + m % 89)) {
                            RecommendationRow r = row(member, row, m, now);
                            inFlight.acquire();
                            writes.add(session.executeAsync(insert.bind(member, row, r.getTitles(), r.getScores(), "als", "bench",
                                    now, now)).toCompletableFuture().whenComplete((rs, e) -> inFlight.release()));
                        }
                    }
                    // Only the c members are in the cache.
                    cache.set(CacheKeys.row("top-picks", "c" + m), 3600, new RecommendationRowEntries().value(row("c" + m, "top-picks", m, now)));
                }
                CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
            } finally {
                cache.shutdown();
            }
        }
    }

    /** The service on the bench keyspace, models and catalogs from {@code publishedTopic}, events to {@code eventsTopic}. */
    static ServingServer start(String cassandra, String memcached, String kafka, String publishedTopic, String eventsTopic,
            boolean nearCache) throws IOException {
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        config.set(ServingOptions.NEAR_CACHE_TTL, nearCache ? Duration.ofSeconds(2) : Duration.ZERO);
        config.set(CacheOptions.SERVERS, List.of(memcached));
        config.set(CassandraOptions.CONTACT_POINTS, List.of(cassandra));
        config.set(CassandraOptions.KEYSPACE, KEYSPACE);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka);
        config.set(ModelOptions.PUBLISHED_TOPIC, publishedTopic);
        config.set(KafkaOptions.EVENTS_TOPIC, eventsTopic);
        config.set(ServingOptions.REFRESH_INTERVAL, Duration.ofSeconds(2));
        return ServingServer.start(config);
    }

    /** Waits until the service has loaded the published model and catalog, so that galleries can be computed. */
    static void awaitGalleries(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        com.fasterxml.jackson.databind.JsonNode health = null;
        while (System.nanoTime() < deadline) {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            if (!health.path("model").asText("none").equals("none") && !health.path("catalog").asText("none").equals("none")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not load the benchmark's model and catalog within " + timeout + ": " + health);
    }

    /** Runs wrk against random members {@code <prefix>0..members-1}. */
    static Load load(int port, String prefix, int members, int connections, int seconds) throws Exception {
        return load(port, "math.randomseed(42)\n"
                + "request = function()\n"
                + "  return wrk.format(\"GET\", \"/v1/members/" + prefix + "\" .. math.random(0, " + (members - 1) + ") .. \"/rows\")\n"
                + "end\n", connections, seconds);
    }

    /** Runs wrk with a Lua script that makes its requests. */
    static Load load(int port, String lua, int connections, int seconds) throws Exception {
        Path script = Files.createTempFile("nearline-serving-", ".lua");
        Files.writeString(script, lua);
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
                script.toString(), "http://127.0.0.1:" + port).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = wrk.waitFor();
        Files.deleteIfExists(script);
        Matcher rps = RPS.matcher(output);
        Matcher p99 = P99.matcher(output);
        Matcher requests = REQUESTS.matcher(output);
        if (exit != 0 || !rps.find() || !p99.find() || !requests.find()) {
            throw new IllegalStateException("wrk failed (exit " + exit + "): " + output);
        }
        Matcher errors = NON_2XX.matcher(output);
        return new Load(Double.parseDouble(rps.group(1)), millis(p99.group(1), p99.group(2)), errors.find() ? Long.parseLong(errors.group(1)) : 0,
                Long.parseLong(requests.group(1)), millis(requests.group(2), requests.group(3)) / 1000);
    }

    private static double millis(String value, String unit) {
        return Double.parseDouble(value) * switch (unit) {
            case "us" -> 0.001;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 1;
        };
    }

    /** Rows served so far by each source, from the service's own /metrics. */
    static Map<String, Double> rowsBySource(int port) throws Exception {
        Map<String, Double> counts = new java.util.TreeMap<>();
        Pattern labels = Pattern.compile("near=\"\\w+\",source=\"([\\w-]+)\"");
        counters(port, "nearline_serving_rows_total").forEach((l, n) -> {
            Matcher m = labels.matcher(l);
            if (m.find()) {
                counts.merge(m.group(1), n, Double::sum);
            }
        });
        return counts;
    }

    /** A counter of the service's own /metrics so far, by its labels as written ({@code a="x",b="y"}). */
    static Map<String, Double> counters(int port, String name) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<String, Double> counts = new java.util.TreeMap<>();
        Matcher line = Pattern.compile("(?m)^" + name + "\\{([^}]*)} ([0-9.eE+]+)$").matcher(response.body());
        while (line.find()) {
            counts.merge(line.group(1), Double.parseDouble(line.group(2)), Double::sum);
        }
        return counts;
    }

    /** The sum of a counter's values whose labels contain {@code label} (all of them for ""). */
    static double sum(Map<String, Double> counters, String label) {
        return counters.entrySet().stream().filter(e -> e.getKey().contains(label)).mapToDouble(Map.Entry::getValue).sum();
    }

    private static RecommendationRow row(String member, String name, int seed, Instant now) {
        List<String> titles = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            titles.add("t" + ((seed * 31 + i * 7) % 5000));
            scores.add(1f - i / 25f);
        }
        return RecommendationRow.newBuilder().setMemberId(member).setRowName(name).setTitles(titles).setScores(scores)
                .setModelName("als").setModelVersion("bench").setComputedAt(now).setNewestEventTime(now).build();
    }

    static MemcachedClient cacheClient(String memcached) throws IOException {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(memcached));
        builder.setCommandFactory(new BinaryCommandFactory());
        builder.setSessionLocator(new KetamaMemcachedSessionLocator());
        SerializingTranscoder transcoder = new SerializingTranscoder();
        transcoder.setCompressionThreshold(Integer.MAX_VALUE);
        builder.setTranscoder(transcoder);
        return builder.build();
    }
}
