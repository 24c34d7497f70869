package io.nearline.serving;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.members.BlendBruteForce;
import io.nearline.operators.members.HybridRanker;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.S3Options;
import io.nearline.operators.models.TestModels;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.operators.similars.CatalogTitle;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.model.ArtifactDescriptor;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Galleries against real Kafka, S3, Cassandra, memcached and NearlineJob on the real cluster: the computed gallery is
 * the brute-force blend of the facet's titles for the member's factor and session as the job wrote them; a damaged
 * catalog leaves the loaded one serving; with Cassandra and memcached stopped the gallery answers from the facet's
 * trending, then popular, titles within the deadline and says so.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class GalleryITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Duration DEADLINE = Duration.ofMillis(50);
    private static final List<String> GENRES = List.of("Horror", "Comedy", "Drama", "Action");
    private static final int TITLES = 300;
    private static final HybridRanker.Settings RANKER = RankerOptions.settings(new Configuration());

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
    void aComputedGalleryIsTheBruteForceBlendOfTheFacetForWhatNearlineJobWrote(TestServices services, @TempDir Path dir)
            throws Exception {
        this.services = services;
        System.setProperty("aws.accessKeyId", services.endpoints().s3AccessKey());
        System.setProperty("aws.secretAccessKey", services.endpoints().s3SecretKey());
        String prefix = services.topic() + "-" + TESTS.incrementAndGet();
        String events = services.createTopic(prefix + "-events", 2);
        String deadLetters = services.createTopic(prefix + "-dlq", 1);
        String published = services.createTopic(prefix + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        ModelArtifact model = model(11);
        String s3 = "s3://" + services.bucket();
        publishModel(model, dir, published, "--upload-to", s3 + "/models", "--s3-endpoint", services.endpoints().s3Endpoint().toString());
        publishCatalog(dir, published, s3 + "/published", "--s3-endpoint", services.endpoints().s3Endpoint().toString());
        jarId = services.flink().uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        jobs.add(services.flink().runJar(jarId, "io.nearline.topology.NearlineJob", NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "gallery-it",
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", "8",
                "--nearline.archive.path", dir.resolve("archive").toUri().toString(),
                "--nearline.members.debounce", "100 ms",
                // The member's factor reaches Cassandra at once, not a write-behind interval later.
                "--nearline.cassandra.write-behind", "0 ms",
                "--nearline.job.name", "gallery-it"), 2));
        // A deadline no loaded machine misses: this test is about what is computed, the next about when.
        server = ServingServer.start(config(services, published, Duration.ofSeconds(5)));
        awaitHealth(h -> h.path("model").asText().equals("als v1") && !h.path("catalog").asText().equals("none"));

        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> started = List.of("t3", "t6");
        List<String> completed = List.of("t3", "t6", "t9", "t13", "t40");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int n = 0;
        for (String title : started) {
            records.add(play(events, "gallery-1", time.plusMillis(n), EventKind.PLAY_STARTED, title, n++));
        }
        for (String title : completed) {
            records.add(play(events, "gallery-1", time.plusMillis(n), EventKind.PLAY_COMPLETED, title, n++));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);

        // What the job wrote, once it has seen every play: the factor with its watched titles, and the watching row.
        Row factorRow = null;
        RecommendationRow watching = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            factorRow = services.keyspaceSession().execute(SimpleStatement.newInstance("SELECT model_version, factor, watched "
                    + "FROM member_factors WHERE member_id = ? AND model_name = ?", "gallery-1", "als")).one();
            byte[] cached = (byte[]) services.memcached().get(CacheKeys.row("watching", "gallery-1"));
            watching = cached == null ? null : RecommendationRowEntries.decode(cached);
            if (factorRow != null && factorRow.getList("watched", String.class).containsAll(completed)
                    && watching != null && watching.getTitles().containsAll(started)) {
                break;
            }
            assertThat(services.flink().jobState(jobs.get(0))).isIn("CREATED", "INITIALIZING", "RUNNING");
            Thread.sleep(250);
        }
        assertThat(factorRow).as("member_factors of gallery-1").isNotNull();
        assertThat(factorRow.getString("model_version")).isEqualTo("v1");
        assertThat(factorRow.getList("watched", String.class)).containsAll(completed);
        assertThat(watching).as("the watching row of gallery-1").isNotNull();

        JsonNode gallery = gallery("gallery-1", "genre:Horror", "&limit=10");

        assertThat(gallery.path("source").asText()).as(gallery.toString()).isEqualTo("computed");
        assertThat(gallery.path("reason").isNull()).isTrue();
        assertThat(gallery.path("modelVersion").asText()).isEqualTo("v1");
        // The session as the service reads it: the watching row (newest first), then the watched titles by weight.
        Set<String> seen = new LinkedHashSet<>(watching.getTitles());
        seen.addAll(factorRow.getList("watched", String.class));
        List<BlendBruteForce.Scored> expected = BlendBruteForce.rank(model, floats(factorRow.getList("factor", Float.class)),
                rows(model, facet("Horror")), rows(model, seen), newestFirst(model, seen), seen.size(), RANKER, 10);
        assertThat(texts(gallery.path("titles"))).hasSize(10)
                .containsExactlyElementsOf(expected.stream().map(BlendBruteForce.Scored::title).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(gallery.path("scores").get(i).asDouble()).as("score of %s", expected.get(i).title())
                    .isCloseTo(expected.get(i).score(), within(1e-4));
        }
        assertThat(texts(gallery.path("titles"))).doesNotContainAnyElementsOf(seen);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void withCassandraAndTheCacheDownTheGalleryAnswersFromTheFacetsTrendingThenPopularTitlesWithinTheDeadline(
            TestServices services, ServicesScript script, @TempDir Path dir) throws Exception {
        this.services = services;
        String published = services.createTopic(services.topic() + "-" + TESTS.incrementAndGet() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        ModelArtifact model = model(21);
        publishModel(model, dir, published);
        publishCatalog(dir, published, dir.resolve("published").toUri().toString());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // DE's Trending Now: two Horror titles among others, no Drama title.
        services.keyspaceSession().execute(SimpleStatement.newInstance(
                "INSERT INTO trending (region, titles, counts, window_end) VALUES (?, ?, ?, ?)",
                "DE", List.of("t5", "t8", "t1", "t12"), List.of(9L, 8L, 7L, 6L), now));
        float[] factor = new float[model.rank()];
        for (int k = 0; k < factor.length; k++) {
            factor[k] = (k % 3 - 1) * 0.5f;
        }
        List<Float> factorList = new ArrayList<>();
        for (float value : factor) {
            factorList.add(value);
        }
        services.keyspaceSession().execute(SimpleStatement.newInstance("INSERT INTO member_factors (member_id, model_name, "
                + "model_version, factor, updated_at, watched, watched_weights) VALUES (?, ?, ?, ?, ?, ?, ?)",
                "m1", "als", "v1", factorList, now, List.of("t4", "t7"), List.of(2f, 1f)));
        server = ServingServer.start(config(services, published, DEADLINE));
        awaitHealth(h -> h.path("model").asText().equals("als v1") && !h.path("catalog").asText().equals("none")
                && h.path("trendingRegions").asInt() >= 1 && h.path("cassandra").asText().equals("connected"));

        // Computed while the stores answer (retried: the first requests load classes, which can outlast the deadline).
        JsonNode computed = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            computed = gallery("m1", "genre:Horror", "&country=de&limit=5");
            if (computed.path("source").asText().equals("computed")) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(computed.path("source").asText()).as(computed.toString()).isEqualTo("computed");
        Set<String> seen = new LinkedHashSet<>(List.of("t4", "t7"));
        assertThat(texts(computed.path("titles"))).containsExactlyElementsOf(BlendBruteForce.rank(model, factor,
                rows(model, facet("Horror")), rows(model, seen), newestFirst(model, seen), seen.size(), RANKER, 5)
                .stream().map(BlendBruteForce.Scored::title).toList());

        assertThat(get("/v1/members/m1/gallery?facet=genre:Western").statusCode()).isEqualTo(400);
        assertThat(texts(json("/v1/facets").path("facets"))).contains("genre:Horror", "genre:Drama");
        JsonNode titles = json("/v1/titles?ids=t8,no-such-title,t1");
        assertThat(titles.path("titles")).hasSize(2);
        assertThat(titles.path("titles").get(0).path("name").asText()).isEqualTo("Title 8");
        assertThat(texts(titles.path("titles").get(0).path("facets"))).containsExactly("genre:Horror");
        JsonNode trending = json("/v1/trending?country=de&limit=3");
        assertThat(trending.path("source").asText()).isEqualTo("trending");
        assertThat(texts(trending.path("titles"))).containsExactly("t5", "t8", "t1");

        // A newer catalog whose artifact was damaged after it was described: refused, the loaded one goes on serving.
        String loaded = json("/health").path("catalog").asText();
        Catalog renamed = Catalog.of(List.of(new CatalogTitle("t8", "Renamed", Map.of("genre", List.of("Horror")))));
        byte[] bytes = CatalogArtifacts.write(renamed);
        Path damaged = dir.resolve("damaged.jsonl");
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(renamed, bytes, damaged.toUri());
        Files.write(damaged, new String(bytes, StandardCharsets.UTF_8).replace("Renamed", "Renamex").getBytes(StandardCharsets.UTF_8));
        Publication.announce(descriptor, services.endpoints().kafkaBootstrapServers(), published, new Properties());
        Thread.sleep(5_000); // five refreshes of the published topic
        assertThat(json("/health").path("catalog").asText()).isEqualTo(loaded);
        assertThat(json("/v1/titles?ids=t8").path("titles").get(0).path("name").asText()).isEqualTo("Title 8");

        try {
            script.down(List.of(Service.MEMCACHED, Service.CASSANDRA)).requireSuccess();
            long start = System.nanoTime();
            HttpResponse<String> response = get("/v1/members/m1/gallery?facet=genre:Horror&country=de&limit=5");
            long roundTripMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode fallback = JSON.readTree(response.body());
            assertThat(fallback.path("source").asText()).isEqualTo("trending");
            assertThat(fallback.path("reason").asText()).contains("Cassandra");
            assertThat(texts(fallback.path("titles"))).containsExactly("t8", "t12");
            assertThat(fallback.path("tookMicros").asLong()).as("time spent answering, µs")
                    .isLessThanOrEqualTo(DEADLINE.toMillis() * 1000 + 20_000);
            assertThat(roundTripMillis).as("round trip, ms").isLessThan(500);

            // No Drama title trends in DE, nor anywhere else: the facet's titles in the model's popularity row answer.
            JsonNode popular = gallery("m1", "genre:Drama", "&country=de");
            assertThat(popular.path("source").asText()).isEqualTo("popularity");
            assertThat(popular.path("reason").asText()).isNotBlank();
            assertThat(texts(popular.path("titles"))).containsExactly("t2");
            assertThat(popular.path("tookMicros").asLong()).isLessThanOrEqualTo(DEADLINE.toMillis() * 1000 + 20_000);
        } finally {
            script.up(List.of(Service.MEMCACHED, Service.CASSANDRA)).requireSuccess();
            awaitCassandraSession();
        }
    }

    /** A random rank-8 model with a neighbour table; its popularity row is t0, t1, t2. */
    private static ModelArtifact model(long seed) {
        return TestModels.withRandomNeighbours(TestModels.random("v1", TITLES, 8, seed), 20, seed);
    }

    /** Titles of a genre in the test's catalog: title i has genre i mod 4. */
    private static List<String> facet(String genre) {
        List<String> titles = new ArrayList<>();
        for (int i = GENRES.indexOf(genre); i < TITLES; i += GENRES.size()) {
            titles.add("t" + i);
        }
        return titles;
    }

    private void publishModel(ModelArtifact model, Path dir, String topic, String... extra) throws Exception {
        Path artifact = dir.resolve("v1.avro");
        Files.write(artifact, ModelArtifacts.write(model));
        List<String> args = new ArrayList<>(List.of("publish", "--artifact", artifact.toString(), "--topic", topic,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers()));
        args.addAll(List.of(extra));
        assertThat(NearlineCli.run(args.toArray(new String[0]))).isZero();
    }

    private void publishCatalog(Path dir, String topic, String uploadTo, String... extra) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < TITLES; i++) {
            lines.append(String.format(Locale.ROOT, "{\"id\": \"t%d\", \"name\": \"Title %d\", \"facets\": {\"genre\": [\"%s\"]}}%n",
                    i, i, GENRES.get(i % GENRES.size())));
        }
        Path catalog = Files.writeString(dir.resolve("catalog.jsonl"), lines);
        List<String> args = new ArrayList<>(List.of("publish", "--catalog", catalog.toString(), "--upload-to", uploadTo,
                "--topic", topic, "--bootstrap-servers", services.endpoints().kafkaBootstrapServers()));
        args.addAll(List.of(extra));
        assertThat(NearlineCli.run(args.toArray(new String[0]))).isZero();
    }

    private Configuration config(TestServices services, String published, Duration deadline) {
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        config.set(ServingOptions.DEADLINE, deadline);
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

    private static ProducerRecord<byte[], byte[]> play(String topic, String member, Instant time, EventKind kind, String title,
            int n) {
        UiEvent event = UiEvents.event("gallery-" + n, member, time, UiEvents.payload(kind, title));
        return new ProducerRecord<>(topic, member.getBytes(StandardCharsets.UTF_8), new UiEventCodec().encode(event));
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

    private void awaitHealth(Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode health = null;
        while (System.nanoTime() < deadline) {
            health = json("/health");
            if (ready.test(health)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not get ready: " + health);
    }

    private JsonNode gallery(String member, String facet, String query) throws Exception {
        return json("/v1/members/" + member + "/gallery?facet=" + facet + query);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static float[] floats(List<Float> values) {
        float[] floats = new float[values.size()];
        for (int k = 0; k < floats.length; k++) {
            floats[k] = values.get(k);
        }
        return floats;
    }

    private static Set<Integer> rows(ModelArtifact model, Iterable<String> titles) {
        Set<Integer> rows = new LinkedHashSet<>();
        for (String title : titles) {
            if (model.row(title) >= 0) {
                rows.add(model.row(title));
            }
        }
        return rows;
    }

    private static int[] newestFirst(ModelArtifact model, Set<String> titles) {
        return titles.stream().mapToInt(model::row).filter(row -> row >= 0).toArray();
    }
}
