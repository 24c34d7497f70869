package io.nearline.serving;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.S3Options;
import io.nearline.operators.models.TestModels;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.NearlineJobArgs;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The online service against real memcached, Cassandra, Kafka and S3: rows from the cache, from Cassandra with the
 * cache stopped, from the fallback within the deadline with both stopped; and a row written by NearlineJob running
 * on the real cluster, visible through the API and explained from the member's factor.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class ServingITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Duration DEADLINE = Duration.ofMillis(50);

    private final List<String> jobs = new ArrayList<>();
    private String jarId;
    private ServingServer server;
    private TestServices services;

    @AfterEach
    void tearDown() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (server != null) {
            server.close();
        }
        if (services != null) {
            services.flink().cleanUp(jobs, jarId);
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void rowsComeFromTheCacheThenCassandraThenTheFallbackWithinTheDeadline(TestServices services, ServicesScript script)
            throws Exception {
        this.services = services;
        String published = services.createTopic(services.topic() + "-" + TESTS.incrementAndGet() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RecommendationRow cached = row("m1", "top-picks", List.of("t1", "t2", "t3", "t4"), "cache-v", now);
        services.memcached().set(CacheKeys.row("top-picks", "m1"), 3600, new RecommendationRowEntries().value(cached));
        // m1 started t2 a minute ago: live context leaves it out.
        RecommendationRow watching = RecommendationRow.newBuilder(row("m1", "watching", List.of("t2"), "play-started", now))
                .setScores(List.of(0f)).setNewestEventTime(now.minusSeconds(60)).build();
        services.memcached().set(CacheKeys.row("watching", "m1"), 3600, new RecommendationRowEntries().value(watching));
        insertRow("m1", "top-picks", List.of("t5", "t6"), "cassandra-v", now);
        insertRow("m1", "because-you-watched:t9", List.of("t7", "t8"), "more-like-this-v", now);
        services.keyspaceSession().execute(SimpleStatement.newInstance(
                "INSERT INTO trending (region, titles, counts, window_end) VALUES (?, ?, ?, ?)",
                "DE", List.of("t40", "t41"), List.of(9L, 8L), now));
        services.keyspaceSession().execute(SimpleStatement.newInstance("INSERT INTO similars (algorithm, algorithm_version, "
                + "title_id, similar_titles, scores, built_at) VALUES (?, ?, ?, ?, ?, ?)",
                "more-like-this", "s1", "t1", List.of("t11", "t12", "t13"), List.of(0.9f, 0.8f, 0.7f), now));
        announce(published, ArtifactDescriptor.newBuilder().setName("more-like-this").setVersion("s1")
                .setKind(ArtifactKind.SIMILARS).setUri("s3://unused/s1").setSha256("0").setSizeBytes(0)
                .setPublishedAt(now).build());
        server = ServingServer.start(config(services, published));
        awaitHealth(h -> h.path("trendingRegions").asInt() >= 1 && h.path("cassandra").asText().equals("connected"));

        JsonNode fromCache = rows("m1", "");
        assertThat(fromCache.path("fallback").asBoolean()).isFalse();
        assertThat(sources(fromCache)).containsExactly("cache");
        assertThat(titles(fromCache.path("rows").get(0))).containsExactly("t1", "t3", "t4");
        assertThat(fromCache.path("filtered").get(0).asText()).isEqualTo("t2");
        assertThat(fromCache.path("rows").get(0).path("modelVersion").asText()).isEqualTo("cache-v");

        JsonNode similar = JSON.readTree(get("/v1/titles/t1/similar?limit=2").body());
        assertThat(titles(similar)).containsExactly("t11", "t12");
        assertThat(similar.path("version").asText()).isEqualTo("s1");
        assertThat(get("/v1/titles/t404/similar").statusCode()).isEqualTo(404);

        try {
            script.down(List.of(Service.MEMCACHED)).requireSuccess();
            JsonNode fromCassandra = rows("m1", "");
            assertThat(fromCassandra.path("fallback").asBoolean()).isFalse();
            assertThat(sources(fromCassandra)).containsOnly("cassandra");
            assertThat(names(fromCassandra)).containsExactlyInAnyOrder("top-picks", "because-you-watched:t9");

            script.down(List.of(Service.CASSANDRA)).requireSuccess();
            long start = System.nanoTime();
            HttpResponse<String> response = get("/v1/members/m1/rows?country=de");
            long roundTripMillis = (System.nanoTime() - start) / 1_000_000;
            JsonNode fallback = JSON.readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(fallback.path("fallback").asBoolean()).isTrue();
            assertThat(fallback.path("reason").asText()).isNotBlank();
            assertThat(sources(fallback)).containsExactly("fallback-trending");
            assertThat(titles(fallback.path("rows").get(0))).containsExactly("t40", "t41");
            assertThat(fallback.path("elapsedMicros").asLong()).as("time spent answering, µs")
                    .isLessThanOrEqualTo(DEADLINE.toMillis() * 1000 + 20_000);
            assertThat(roundTripMillis).as("round trip, ms").isLessThan(500);
        } finally {
            script.up(List.of(Service.MEMCACHED, Service.CASSANDRA)).requireSuccess();
            awaitCassandraSession();
        }
    }

    /** The test's own session reconnects on its own schedule: wait for it, so that the clean-up can drop the keyspace. */
    private void awaitCassandraSession() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                services.cqlSession().execute("SELECT release_version FROM system.local");
                services.keyspaceSession().execute("SELECT release_version FROM system.local");
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aRowWrittenByRunningNearlineJobBecomesVisibleAndIsExplained(TestServices services, @TempDir Path dir) throws Exception {
        this.services = services;
        System.setProperty("aws.accessKeyId", services.endpoints().s3AccessKey());
        System.setProperty("aws.secretAccessKey", services.endpoints().s3SecretKey());
        String prefix = services.topic() + "-" + TESTS.incrementAndGet();
        String events = services.createTopic(prefix + "-events", 2);
        String deadLetters = services.createTopic(prefix + "-dlq", 1);
        String published = services.createTopic(prefix + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        ModelArtifact model = TestModels.random("v1", 300, 8, 11);
        Path artifact = dir.resolve("v1.avro");
        Files.write(artifact, ModelArtifacts.write(model));
        assertThat(NearlineCli.run("publish", "--artifact", artifact.toString(), "--upload-to", "s3://" + services.bucket() + "/models",
                "--s3-endpoint", services.endpoints().s3Endpoint().toString(), "--topic", published,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();
        jarId = services.flink().uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        jobs.add(services.flink().runJar(jarId, "io.nearline.topology.NearlineJob", NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "serving-it",
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", "8",
                "--nearline.archive.path", dir.resolve("archive").toUri().toString(),
                "--nearline.members.debounce", "100 ms",
                "--nearline.job.name", "serving-it"), 2));
        server = ServingServer.start(config(services, published));
        awaitHealth(h -> h.path("model").asText().equals("als v1"));

        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> played = List.of("t5", "t6", "t7");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < played.size(); i++) {
            UiEvent event = UiEvents.event("serving-" + i, "live-1", time.plusMillis(i),
                    UiEvents.payload(EventKind.PLAY_COMPLETED, played.get(i)));
            records.add(new ProducerRecord<>(events, "live-1".getBytes(StandardCharsets.UTF_8), new UiEventCodec().encode(event)));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);

        JsonNode answer = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            answer = rows("live-1", "");
            if (!answer.path("fallback").asBoolean() && answer.path("rows").size() > 0) {
                break;
            }
            assertThat(services.flink().jobState(jobs.get(0))).isIn("CREATED", "INITIALIZING", "RUNNING");
            Thread.sleep(250);
        }
        assertThat(answer.path("fallback").asBoolean()).as("rows of live-1: %s", answer).isFalse();
        JsonNode top = answer.path("rows").get(0);
        assertThat(top.path("name").asText()).isEqualTo("top-picks");
        assertThat(top.path("source").asText()).isEqualTo("cache");
        assertThat(top.path("modelVersion").asText()).isEqualTo("v1");
        assertThat(titles(top)).isNotEmpty().doesNotContainAnyElementsOf(played);

        String recommended = titles(top).get(0);
        HttpResponse<String> because = null;
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            because = get("/v1/members/live-1/because/" + recommended);
            if (because.statusCode() == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(because.statusCode()).as("because: %s", because.body()).isEqualTo(200);
        JsonNode explanation = JSON.readTree(because.body());
        Set<String> supporting = new HashSet<>();
        explanation.path("because").forEach(s -> supporting.add(s.path("title").asText()));
        assertThat(supporting).isNotEmpty().isSubsetOf(played);
        assertThat(explanation.path("score").isNumber()).isTrue();
    }

    private Configuration config(TestServices services, String published) {
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        config.set(ServingOptions.DEADLINE, DEADLINE);
        config.set(ServingOptions.NEAR_CACHE_TTL, Duration.ZERO);
        config.set(ServingOptions.REFRESH_INTERVAL, Duration.ofSeconds(1));
        config.set(CacheOptions.SERVERS, List.of(services.endpoints().memcachedAddress()));
        config.set(CassandraOptions.CONTACT_POINTS, List.of(services.endpoints().cassandraHostPort()));
        config.set(CassandraOptions.KEYSPACE, services.keyspace());
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, services.endpoints().kafkaBootstrapServers());
        config.set(ModelOptions.PUBLISHED_TOPIC, published);
        config.set(S3Options.ENDPOINT, services.endpoints().s3Endpoint().toString());
        config.set(S3Options.PATH_STYLE_ACCESS, true);
        config.set(S3Options.ACCESS_KEY, services.endpoints().s3AccessKey());
        config.set(S3Options.SECRET_KEY, services.endpoints().s3SecretKey());
        return config;
    }

    private void insertRow(String member, String name, List<String> titles, String version, Instant computed) {
        services.keyspaceSession().execute(SimpleStatement.newInstance("INSERT INTO recommendations (member_id, row_name, "
                + "titles, scores, model_name, model_version, computed_at, newest_event_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                member, name, titles, List.of(), "als", version, computed, computed));
    }

    private void announce(String topic, ArtifactDescriptor descriptor) throws Exception {
        KafkaRecords.sendAll(services.kafkaProperties(), List.of(new ProducerRecord<>(topic,
                descriptor.getName().getBytes(StandardCharsets.UTF_8), ArtifactDescriptor.getEncoder().encode(descriptor).array())));
    }

    private static RecommendationRow row(String member, String name, List<String> titles, String version, Instant computed) {
        return RecommendationRow.newBuilder().setMemberId(member).setRowName(name).setTitles(titles).setScores(List.of())
                .setModelName("als").setModelVersion(version).setComputedAt(computed).setNewestEventTime(computed).build();
    }

    private void awaitHealth(Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode health = null;
        while (System.nanoTime() < deadline) {
            health = JSON.readTree(get("/health").body());
            if (ready.test(health)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not get ready: " + health);
    }

    private JsonNode rows(String member, String query) throws Exception {
        HttpResponse<String> response = get("/v1/members/" + member + "/rows" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> sources(JsonNode answer) {
        List<String> sources = new ArrayList<>();
        answer.path("rows").forEach(r -> sources.add(r.path("source").asText()));
        return sources;
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("rows").forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    private static List<String> titles(JsonNode row) {
        List<String> titles = new ArrayList<>();
        row.path("titles").forEach(t -> titles.add(t.asText()));
        return titles;
    }
}
