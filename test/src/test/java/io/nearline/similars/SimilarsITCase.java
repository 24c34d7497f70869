package io.nearline.similars;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.models.ModelArtifact;
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
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "more like this" build for the MovieLens 100k catalog (from ../shared/data) on the real session
 * cluster, with its algorithm documents and results on real S3 and its lists in real Cassandra; built twice
 * (the second build reuses everything and changes no byte); then a running NearlineJob loads the published
 * result and emits a "because you watched" row made of the build's titles, and a Trending Now row.
 */
@RealServices({Service.KAFKA, Service.S3, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class SimilarsITCase {

    private static final Path ML_100K = Path.of(System.getProperty("nearline.shared.dir", "../../shared"), "data", "ml-100k");
    private static final UiEventCodec CODEC = new UiEventCodec();
    /** The algorithm documents shipped in examples/similars: three algorithms and a blend. */
    private static final Path EXAMPLES = Path.of("..", "examples", "similars");

    private final List<String> jobs = new ArrayList<>();
    private TestServices services;
    private String jarId;

    @AfterEach
    void tearDown() throws Exception {
        services.flink().cleanUp(jobs, jarId);
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void buildsMovieLensSimilarsOnTheClusterAndTheRunningJobServesThemAsBecauseYouWatched(TestServices services, @TempDir Path dir)
            throws Exception {
        this.services = services;
        assertThat(ML_100K.resolve("u.item")).as("MovieLens 100k in ../shared/data").exists();
        String events = services.createTopic(services.topic() + "-events", 2);
        String deadLetters = services.createTopic(services.topic() + "-dlq", 1);
        String published = services.createTopic(services.topic() + "-published", 1);
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", services.endpoints().cassandraHostPort(),
                "--keyspace", services.keyspace())).isZero();
        String bucket = "s3://" + services.bucket();
        try (var files = Files.list(EXAMPLES)) {
            for (Path file : files.toList()) {
                services.s3().putObject(b -> b.bucket(services.bucket()).key("algorithms/" + file.getFileName()), RequestBody.fromFile(file));
            }
        }

        Run first = build(published);
        assertThat(first.exit).as(first.out).isZero();
        assertThat(first.out).contains("similars: 1682 titles, 4 algorithms");
        assertThat(first.out).contains("similars: built 4 [co-watched, genre, same-year, more-like-this], reused 0 [], failed 0 [], published 1");
        assertThat(first.out).contains("published more-like-this 1-");
        assertThat(first.out).contains("published catalog ").contains("(1682 titles)");
        Map<String, String> stored = objects("similars/");
        assertThat(stored.keySet()).filteredOn(k -> k.endsWith("manifest.json")).hasSize(4);
        assertThat(stored.keySet()).filteredOn(k -> k.endsWith(".avro")).hasSize(4 * 8);
        Map<String, Long> rows = new TreeMap<>();
        for (Row row : services.keyspaceSession().execute("SELECT algorithm FROM similars")) {
            rows.merge(row.getString("algorithm"), 1L, Long::sum);
        }
        assertThat(rows).containsExactlyEntriesOf(new TreeMap<>(Map.of("co-watched", 1682L, "genre", 1682L, "more-like-this", 1682L,
                "same-year", 1682L)));

        Run second = build(published);
        assertThat(second.exit).as(second.out).isZero();
        assertThat(second.out).contains("similars: built 0 [], reused 4 [co-watched, genre, same-year, more-like-this], failed 0 []");
        assertThat(objects("similars/")).as("the same objects with the same bytes").isEqualTo(stored);

        // Star Wars (50): its blended list in the similars table.
        Row starWars = services.keyspaceSession().execute("SELECT similar_titles FROM similars WHERE algorithm = 'more-like-this' "
                + "AND algorithm_version = '1' AND title_id = '50'").one();
        List<String> similarToStarWars = starWars.getList("similar_titles", String.class);
        assertThat(similarToStarWars).hasSize(20).doesNotContain("50");

        String job = startNearlineJob(events, deadLetters, published);
        ModelArtifact model = TestModels.random("v1", 300, 8, 1);
        Path modelFile = Files.write(dir.resolve("v1.avro"), ModelArtifacts.write(model));
        assertThat(NearlineCli.run("publish", "--artifact", modelFile.toString(), "--topic", published,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers())).isZero();

        // A member watches Star Wars, then one of the titles like it; other members play in the same region.
        String seen = similarToStarWars.get(3);
        send(events, List.of(play("member-1", "50", 0), play("member-1", seen, 1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Row because = null;
        boolean trending = false;
        int round = 0;
        while ((because == null || !trending) && System.nanoTime() < deadline) {
            // Steady plays keep event time moving, so the trending windows close.
            List<UiEvent> plays = new ArrayList<>();
            for (int m = 2; m < 6; m++) {
                plays.add(play("member-" + m, m % 2 == 0 ? "181" : "100", ++round));
            }
            // member-1 plays on too, in case its first recompute ran before the job had loaded the similars.
            plays.add(play("member-1", seen, round));
            send(events, plays);
            Thread.sleep(1000);
            for (Row row : services.keyspaceSession().execute("SELECT row_name, anchor_title, titles, model_name FROM recommendations WHERE member_id = 'member-1'")) {
                if (row.getString("row_name").startsWith("because-you-watched:")) {
                    because = row;
                }
            }
            trending = services.keyspaceSession().execute("SELECT region FROM trending WHERE region = 'US'").one() != null;
            assertThat(services.flink().jobState(job)).as("job state; cause: %s", services.flink().rootException(job))
                    .isIn("CREATED", "INITIALIZING", "RUNNING");
        }
        assertThat(because).as("a because-you-watched row for member-1").isNotNull();
        // The newest positive interaction with similars is the second play; whichever qualifies, the titles come
        // from the build's list of that title, without what the member saw.
        String watched = because.getString("anchor_title");
        assertThat(watched).isIn("50", seen);
        List<String> built = services.keyspaceSession().execute("SELECT similar_titles FROM similars WHERE algorithm = 'more-like-this' "
                + "AND algorithm_version = '1' AND title_id = ?", watched).one().getList("similar_titles", String.class);
        List<String> expected = new ArrayList<>(built);
        expected.removeAll(List.of("50", seen));
        assertThat(because.getList("titles", String.class)).isEqualTo(expected);
        assertThat(because.getString("model_name")).isEqualTo("more-like-this");

        assertThat(trending).as("a Trending Now row for region US").isTrue();
        Row us = services.keyspaceSession().execute("SELECT titles, counts FROM trending WHERE region = 'US'").one();
        assertThat(us.getList("titles", String.class)).isNotEmpty().isSubsetOf("50", seen, "181", "100");
        assertThat(services.keyspaceSession().execute("SELECT region FROM trending WHERE region = 'ALL'").one()).isNotNull();
    }

    private UiEvent play(String member, String title, int n) {
        return UiEvents.event(member + "-" + title + "-" + n + "-" + System.nanoTime(), member, Instant.now(),
                UiEvents.payload(EventKind.PLAY_COMPLETED, title));
    }

    private void send(String topic, List<UiEvent> events) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (UiEvent event : events) {
            records.add(new ProducerRecord<>(topic, event.getMemberId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event)));
        }
        KafkaRecords.sendAll(services.kafkaProperties(), records);
    }

    private String startNearlineJob(String events, String deadLetters, String published) throws Exception {
        FlinkRestClient flink = services.flink();
        jarId = flink.uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        String job = flink.runJar(jarId, "io.nearline.topology.NearlineJob", NearlineJobArgs.of(services, services.keyspace(),
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", "similars-it",
                "--nearline.models.published-topic", published,
                "--nearline.archive.path", "s3://" + services.bucket() + "/archive",
                "--nearline.members.debounce", "100 ms",
                "--nearline.members.min-interactions", "1",
                "--nearline.similars.algorithm", "more-like-this",
                "--nearline.trending.window-size", "20 s",
                "--nearline.trending.slide", "5 s",
                "--nearline.trending.min-count", "1",
                "--nearline.events.max-out-of-orderness", "1 s",
                "--nearline.job.checkpoint-interval", "2 s",
                "--nearline.job.name", "similars-it"), 2);
        jobs.add(job);
        return job;
    }

    private record Run(int exit, String out) {}

    private Run build(String published) {
        List<String> args = new ArrayList<>(List.of("similars",
                "--catalog", ML_100K.resolve("u.item").toString(),
                "--algorithms", "s3://" + services.bucket() + "/algorithms",
                "--ratings", ML_100K.resolve("u.data").toString(),
                "--cluster", services.endpoints().flinkRestUri().toString(),
                "--jar", System.getProperty("nearline.job.jar")));
        Map<String, String> settings = Map.of(
                "nearline.similars.output", "s3://" + services.bucket() + "/similars",
                "nearline.similars.shards", "8",
                "nearline.similars.publish", "more-like-this",
                "nearline.kafka.bootstrap-servers", services.endpoints().kafkaBootstrapServers(),
                "nearline.models.published-topic", published,
                "nearline.cassandra.contact-points", services.endpoints().cassandraHostPort(),
                "nearline.cassandra.keyspace", services.keyspace(),
                "nearline.s3.endpoint", services.endpoints().s3Endpoint().toString(),
                "nearline.s3.path-style-access", "true");
        Map<String, String> all = new TreeMap<>(settings);
        all.put("nearline.s3.access-key", services.endpoints().s3AccessKey());
        all.put("nearline.s3.secret-key", services.endpoints().s3SecretKey());
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

    /** Every object under a prefix with its ETag (the MD5 of its bytes here). */
    private Map<String, String> objects(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object object : services.s3().listObjectsV2Paginator(b -> b.bucket(services.bucket()).prefix(prefix)).contents()) {
            objects.put(object.key(), object.eTag());
        }
        return objects;
    }
}
