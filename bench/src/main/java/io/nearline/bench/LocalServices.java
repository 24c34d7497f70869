package io.nearline.bench;

import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The services {@code bin/nearline services} runs on loopback, as the cluster benchmarks use them: a fresh set
 * of topics and a keyspace per run, NearlineJob's options pointing at them, a published model.
 */
final class LocalServices {

    final String host = env("NEARLINE_HOST", "127.0.0.1");
    final String kafka = host + ":" + env("NEARLINE_KAFKA_PORT", "9092");
    final String cassandra = host + ":" + env("NEARLINE_CASSANDRA_PORT", "9042");
    final String memcached = host + ":" + env("NEARLINE_MEMCACHED_PORT", "11211");
    final int flinkPort = Integer.parseInt(env("NEARLINE_FLINK_PORT", "8081"));
    final String run = "bench" + System.currentTimeMillis();

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    String topic(String name) {
        return run + "-" + name;
    }

    String keyspace() {
        return run;
    }

    /** NearlineJob's options for this run. */
    Configuration jobConfig() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka);
        config.set(KafkaOptions.EVENTS_TOPIC, topic("events"));
        config.set(KafkaOptions.DEAD_LETTER_TOPIC, topic("dlq"));
        config.set(KafkaOptions.GROUP_ID, run);
        config.set(ModelOptions.PUBLISHED_TOPIC, topic("published"));
        config.set(ModelOptions.RANK, 64);
        config.set(CassandraOptions.CONTACT_POINTS, List.of(cassandra));
        config.set(CassandraOptions.KEYSPACE, keyspace());
        config.set(CacheOptions.SERVERS, List.of(memcached));
        config.setString("nearline.archive.path", "file:///tmp/nearline-bench/" + run + "/archive");
        config.set(JobOptions.JOB_NAME, run);
        // Job options for an experiment: -Dnearline.bench.job.<option>=<value> (bin/nearline bench passes JAVA_OPTS).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("nearline.bench.job."))
                .forEach(k -> config.setString(k.substring("nearline.bench.job.".length()), System.getProperty(k)));
        return config;
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return Admin.create(props);
    }

    void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(topic(n), partitions, (short) 1)).toList())
                    .all().get();
        }
    }

    void deleteTopics() {
        try (Admin admin = admin()) {
            List<String> mine = admin.listTopics().names().get().stream().filter(t -> t.startsWith(run + "-")).toList();
            admin.deleteTopics(mine).all().get();
        } catch (Exception e) {
            System.err.println("bench: could not delete the topics of " + run + ": " + e.getMessage());
        }
    }

    void createKeyspace() {
        int exit = io.nearline.topology.cli.NearlineCli.run("cassandra", "schema", "--contact-points", cassandra, "--keyspace", keyspace());
        if (exit != 0) {
            throw new IllegalStateException("could not create keyspace " + keyspace());
        }
    }

    void dropKeyspace() {
        Configuration config = jobConfig();
        try (var session = io.nearline.operators.cassandra.CassandraConnection.from(config).open(false)) {
            session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace())
                    .setTimeout(Duration.ofSeconds(60)));
        } catch (Exception e) {
            System.err.println("bench: could not drop keyspace " + keyspace() + ": " + e.getMessage());
        }
    }

    /**
     * Writes a random model of this size to a local file and announces it on the run's published topic. It carries a
     * neighbour table of the default size, as TrainJob's models do (the ranker retrieves its candidates from it).
     */
    void publishModel(int items, int rank) throws Exception {
        ModelArtifact model = TestModels.withRandomNeighbours(TestModels.random("v1", items, rank, 1),
                io.nearline.operators.neighbours.NeighbourOptions.NEIGHBOURS.defaultValue(), 5);
        byte[] bytes = ModelArtifacts.write(model);
        Path file = Files.createTempFile("nearline-bench-model", ".avro");
        Files.write(file, bytes);
        file.toFile().deleteOnExit();
        ArtifactDescriptor descriptor = ArtifactDescriptor.newBuilder().setName(model.name()).setVersion(model.version())
                .setKind(ArtifactKind.MODEL).setUri(file.toUri().toString()).setSha256(ModelArtifacts.sha256(bytes))
                .setSizeBytes(bytes.length).setTrafficShare(1.0).setPublishedAt(Instant.now()).build();
        Publication.announce(descriptor, kafka, topic("published"), new Properties());
    }

    /** Title ids of {@link #publishModel}'s models. */
    static String title(int index) {
        return "t" + index;
    }

}
