package io.nearline.security;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.nearline.operators.kafka.DeadLetterHeaders;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The job against a Kafka that only speaks SASL_SSL (SCRAM-SHA-512) and a Cassandra that requires TLS and a
 * password, both started by {@code bin/nearline services} in its secured mode beside the shared services, with
 * keystores this test makes with {@code keytool} and passwords it makes up: the tools (schema, publish) take
 * their secrets from the environment, the job from its configuration; it reads, writes and publishes through
 * them; wrong credentials are refused at submission with one line; no log holds a secret.
 */
@RealServices({Service.FLINK})
@Tag("security")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredServicesITCase {

    private static final String HOST = "127.0.0.1";
    private static final int KAFKA_PORT = 19092;
    private static final int CQL_PORT = 19142;
    private static final String KAFKA = HOST + ":" + KAFKA_PORT;
    private static final String CASSANDRA = HOST + ":" + CQL_PORT;
    private static final String KEYSPACE = "secured_it";
    private static final int MEMBERS = 12;
    private static final int ITEMS = 200;
    private static final int RANK = 8;

    private static Path dir;
    private static Path truststore;
    private static ServicesScript secured;
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();
    private static final List<String> TOOL_OUTPUT = new ArrayList<>();

    private final List<String> jobs = new ArrayList<>();
    private String jarId;
    private FlinkRestClient flink;

    @BeforeAll
    static void startSecuredServices() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "secured-");
        SecureRandom random = new SecureRandom();
        for (String name : List.of("store", "broker", "kafka", "cassandra")) {
            byte[] bytes = new byte[12];
            random.nextBytes(bytes);
            SECRETS.put(name, name + "-" + HexFormat.of().formatHex(bytes));
        }
        Path keystore = dir.resolve("services.p12");
        truststore = dir.resolve("trust.p12");
        Path certificate = dir.resolve("services.pem");
        String store = SECRETS.get("store");
        keytool("-genkeypair", "-alias", "services", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + HOST, "-ext", "SAN=ip:" + HOST + ",dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", store, "-keypass", store);
        keytool("-exportcert", "-rfc", "-alias", "services", "-keystore", keystore.toString(), "-storepass", store,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "services", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", store);

        Map<String, String> settings = new HashMap<>();
        settings.put("NEARLINE_WORK_DIR", dir.resolve("work").toString());
        settings.put("NEARLINE_KAFKA_PORT", Integer.toString(KAFKA_PORT));
        settings.put("NEARLINE_KAFKA_CONTROLLER_PORT", "19093");
        settings.put("NEARLINE_KAFKA_HEAP", "384m");
        settings.put("NEARLINE_CASSANDRA_PORT", Integer.toString(CQL_PORT));
        settings.put("NEARLINE_CASSANDRA_STORAGE_PORT", "17010");
        settings.put("NEARLINE_CASSANDRA_HEAP", "768m");
        settings.put("NEARLINE_TLS_KEYSTORE", keystore.toString());
        settings.put("NEARLINE_TLS_TRUSTSTORE", truststore.toString());
        settings.put("NEARLINE_TLS_PASSWORD", store);
        settings.put("NEARLINE_KAFKA_SCRAM_USERS", "broker=" + SECRETS.get("broker") + ",nearline=" + SECRETS.get("kafka"));
        secured = ServicesScript.locate().withEnvironment(settings);
        secured.up(List.of(Service.KAFKA, Service.CASSANDRA)).requireSuccess();

        // Cassandra's default superuser makes the role the job uses; its own password is made up here.
        try (CqlSession admin = cqlSession("cassandra", "cassandra", Duration.ofSeconds(60))) {
            admin.execute("CREATE ROLE IF NOT EXISTS nearline WITH PASSWORD = '" + SECRETS.get("cassandra") + "' AND LOGIN = true");
        }
    }

    @AfterAll
    static void stopSecuredServices() {
        if (secured != null) {
            secured.down(List.of(Service.KAFKA, Service.CASSANDRA));
        }
    }

    @AfterEach
    void cancelJobs() throws IOException {
        if (flink != null) {
            flink.cleanUp(jobs, jarId);
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void jobReadsWritesAndPublishesThroughSecuredKafkaAndCassandra(TestServices services) throws Exception {
        String events = "secured-events";
        String deadLetters = "secured-dlq";
        String published = "secured-published";
        try (Admin admin = Admin.create(kafkaClient())) {
            admin.createTopics(List.of(new NewTopic(events, 2, (short) 1), new NewTopic(deadLetters, 1, (short) 1),
                    new NewTopic(published, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        tool(Map.of("NEARLINE_CASSANDRA_PASSWORD", SECRETS.get("cassandra"),
                        "NEARLINE_CASSANDRA_TRUSTSTORE_PASSWORD", SECRETS.get("store")),
                "cassandra", "schema", "--contact-points", CASSANDRA, "--keyspace", KEYSPACE, "--username", "nearline",
                "--truststore", truststore.toString());
        Path artifact = dir.resolve("v1.avro");
        Files.write(artifact, ModelArtifacts.write(TestModels.random("v1", ITEMS, RANK, 5)));
        tool(Map.of("NEARLINE_KAFKA_PASSWORD", SECRETS.get("kafka"), "NEARLINE_KAFKA_TRUSTSTORE_PASSWORD", SECRETS.get("store")),
                "publish", "--artifact", artifact.toString(), "--bootstrap-servers", KAFKA, "--topic", published,
                "-D", "nearline.kafka.sasl.username=nearline", "-D", "nearline.kafka.ssl.enabled=true",
                "-D", "nearline.kafka.ssl.truststore=" + truststore);

        flink = services.flink();
        jarId = flink.uploadJar(Path.of(System.getProperty("nearline.job.jar")));
        String job = flink.runJar(jarId, "io.nearline.topology.NearlineJob", jobArgs(events, deadLetters, published,
                SECRETS.get("kafka"), SECRETS.get("cassandra"), "secured-it"), 1);
        jobs.add(job);

        UiEventCodec codec = new UiEventCodec();
        Instant time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            UiEvent event = UiEvents.event("secured-" + m, "member-" + m, time,
                    UiEvents.payload(EventKind.PLAY_COMPLETED, "t" + (m * 7 % ITEMS)));
            records.add(new ProducerRecord<>(events, event.getMemberId().getBytes(StandardCharsets.UTF_8), codec.encode(event)));
        }
        records.add(new ProducerRecord<>(events, "not an event".getBytes(StandardCharsets.UTF_8)));
        KafkaRecords.sendAll(kafkaClient(), records);

        Map<String, String> versions = awaitTopPicks(job, time);
        assertThat(versions).hasSize(MEMBERS);
        assertThat(versions.values()).containsOnly("v1");
        assertThat(awaitDeadLetters(deadLetters)).isEqualTo(1);
    }

    @Test
    @Order(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void wrongCredentialsAreRefusedAtSubmissionWithOneLine(TestServices services) throws Exception {
        flink = services.flink();
        jarId = flink.uploadJar(Path.of(System.getProperty("nearline.job.jar")));

        assertThat(refusedSubmission("not-the-password", SECRETS.get("cassandra"), "secured-wrong-kafka"))
                .contains("nearline: Kafka at " + KAFKA + " refused the connection: Authentication failed");
        assertThat(refusedSubmission(SECRETS.get("kafka"), "not-the-password", "secured-wrong-cassandra"))
                .contains("nearline: Cassandra at " + CASSANDRA + " refused the connection: ")
                .contains("password are incorrect");

        assertThat(flink.get("/jobs/overview").findValuesAsText("name"))
                .doesNotContain("secured-wrong-kafka", "secured-wrong-cassandra");
        assertThat(exitCodeOfTool(Map.of("NEARLINE_CASSANDRA_TRUSTSTORE_PASSWORD", SECRETS.get("store")),
                "cassandra", "schema", "--contact-points", CASSANDRA, "--keyspace", KEYSPACE, "--username", "nearline",
                "--truststore", truststore.toString()))
                .as("schema without NEARLINE_CASSANDRA_PASSWORD").isEqualTo(2);
    }

    /** Submits the job with these passwords, expecting a refusal; returns its message and prints how long it took. */
    private String refusedSubmission(String kafkaPassword, String cassandraPassword, String name) {
        long start = System.nanoTime();
        Throwable refusal = catchThrowable(() -> jobs.add(flink.runJar(jarId, "io.nearline.topology.NearlineJob",
                jobArgs("secured-events", "secured-dlq", "secured-published", kafkaPassword, cassandraPassword, name), 1)));
        assertThat(refusal).as("submission of %s", name).isNotNull();
        System.out.printf("%s refused after %.1f s%n", name, (System.nanoTime() - start) / 1e9);
        return refusal.getMessage();
    }

    /** Last: the logs of the cases above, of the shared Flink cluster and of the secured services. */
    @Test
    @Order(3)
    void noLogHoldsASecret() throws IOException {
        Path shared = Path.of(ServicesScript.locate().settings().get("NEARLINE_WORK_DIR"));
        List<Path> logs = new ArrayList<>();
        for (Path root : List.of(shared.resolve("flink/log"), dir.resolve("work/kafka/log"), dir.resolve("work/cassandra/log"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(Files::isRegularFile).forEach(logs::add);
                }
            }
        }
        assertThat(logs).as("log files").isNotEmpty();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                assertThat(text).as("%s holds the %s password", log, secret.getKey()).doesNotContain(secret.getValue());
            }
        }
        for (String output : TOOL_OUTPUT) {
            SECRETS.values().forEach(secret -> assertThat(output).doesNotContain(secret));
        }
    }

    private List<String> jobArgs(String events, String deadLetters, String published, String kafkaPassword,
            String cassandraPassword, String name) {
        return List.of(
                "--nearline.job.name", name,
                "--nearline.job.result-sinks", "CASSANDRA",
                "--nearline.kafka.bootstrap-servers", KAFKA,
                "--nearline.kafka.events-topic", events,
                "--nearline.kafka.dead-letter-topic", deadLetters,
                "--nearline.kafka.group-id", name,
                "--nearline.kafka.sasl.username", "nearline",
                "--nearline.kafka.sasl.password", kafkaPassword,
                "--nearline.kafka.ssl.enabled", "true",
                "--nearline.kafka.ssl.truststore", truststore.toString(),
                "--nearline.kafka.ssl.truststore-password", SECRETS.get("store"),
                "--nearline.models.published-topic", published,
                "--nearline.models.rank", Integer.toString(RANK),
                "--nearline.cassandra.contact-points", CASSANDRA,
                "--nearline.cassandra.keyspace", KEYSPACE,
                "--nearline.cassandra.username", "nearline",
                "--nearline.cassandra.password", cassandraPassword,
                "--nearline.cassandra.ssl.enabled", "true",
                "--nearline.cassandra.ssl.truststore", truststore.toString(),
                "--nearline.cassandra.ssl.truststore-password", SECRETS.get("store"),
                "--nearline.archive.path", dir.resolve("archive-" + name).toUri().toString(),
                "--nearline.members.debounce", "100 ms",
                "--nearline.job.checkpoint-interval", "2 s");
    }

    private Map<String, String> awaitTopPicks(String job, Instant batch) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, String> versions = new HashMap<>();
        try (CqlSession session = cqlSession("nearline", SECRETS.get("cassandra"), Duration.ofSeconds(10))) {
            while (System.nanoTime() < deadline) {
                versions.clear();
                for (Row row : session.execute("SELECT member_id, row_name, model_version, newest_event_time FROM "
                        + KEYSPACE + ".recommendations")) {
                    Instant newest = row.getInstant("newest_event_time");
                    if ("top-picks".equals(row.getString("row_name")) && newest != null && !newest.isBefore(batch)) {
                        versions.put(row.getString("member_id"), row.getString("model_version"));
                    }
                }
                if (versions.size() == MEMBERS) {
                    return versions;
                }
                assertThat(flink.jobState(job)).as("job state; cause: %s", flink.rootException(job))
                        .isIn("CREATED", "INITIALIZING", "RUNNING");
                Thread.sleep(500);
            }
        }
        return versions;
    }

    private int awaitDeadLetters(String topic) {
        Properties properties = kafkaClient();
        properties.put("group.id", "secured-it-reader");
        properties.put("auto.offset.reset", "earliest");
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count == 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.headers().lastHeader(DeadLetterHeaders.REASON)).as("reason header").isNotNull();
                    count++;
                }
            }
        }
        return count;
    }

    /** A Kafka client's settings as a user would write them for the secured broker. */
    private static Properties kafkaClient() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", KAFKA);
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"nearline\" password=\"" + SECRETS.get("kafka") + "\";");
        properties.put("ssl.truststore.location", truststore.toString());
        properties.put("ssl.truststore.type", "PKCS12");
        properties.put("ssl.truststore.password", SECRETS.get("store"));
        return properties;
    }

    /** A CQL session over TLS; retried while Cassandra is still making its default superuser. */
    private static CqlSession cqlSession(String user, String password, Duration patience) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trust.load(in, SECRETS.get("store").toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return CqlSession.builder()
                        .addContactPoint(new InetSocketAddress(HOST, CQL_PORT))
                        .withLocalDatacenter("datacenter1")
                        .withAuthCredentials(user, password)
                        .withSslEngineFactory(new ProgrammaticSslEngineFactory(context, null, true))
                        .build();
            } catch (AllNodesFailedException | AuthenticationException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static void tool(Map<String, String> environment, String... args) throws Exception {
        assertThat(exitCodeOfTool(environment, args)).as("bin/nearline %s", String.join(" ", args)).isZero();
    }

    /** Runs a bin/nearline tool in a process of its own, so that its secrets come from a real environment. */
    private static int exitCodeOfTool(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.nearline.topology.cli.NearlineCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("NEARLINE_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bin/nearline " + String.join(" ", args) + " did not finish");
        }
        System.out.println("[nearline " + args[0] + "] " + output.strip());
        TOOL_OUTPUT.add(output);
        return process.exitValue();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
