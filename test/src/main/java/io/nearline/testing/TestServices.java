package io.nearline.testing;

import io.nearline.cluster.FlinkRestClient;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one test class gets: the service endpoints, clients for them, and its own fresh Kafka topic,
 * Cassandra keyspace and S3 bucket (for the services it declared), all removed again by {@link #close()}.
 */
public final class TestServices implements AutoCloseable {

    /** Partitions of the class's own topic: more than one, so that ordering and assignment are exercised. */
    public static final int DEFAULT_PARTITIONS = 4;

    /** How long tests' CQL requests may take. */
    public static final Duration CQL_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ServiceEndpoints endpoints;
    private final Set<Service> services;
    private final String owner;
    private final List<String> topics = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private String topic;
    private String keyspace;
    private String bucket;
    private Admin admin;
    private CqlSession cqlSession;
    private CqlSession keyspaceSession;
    private S3Client s3;

    private TestServices(ServiceEndpoints endpoints, Set<Service> services, String owner) {
        this.endpoints = endpoints;
        this.services = EnumSet.copyOf(services);
        this.owner = owner;
    }

    /** Creates the class's topic, keyspace and bucket for each declared service. */
    public static TestServices create(ServiceEndpoints endpoints, Set<Service> services, String owner) {
        TestServices created = new TestServices(endpoints, services, owner);
        try {
            if (services.contains(Service.KAFKA)) {
                created.topic = created.createTopic(ResourceNames.topic(owner), DEFAULT_PARTITIONS);
            }
            if (services.contains(Service.CASSANDRA)) {
                created.keyspace = ResourceNames.keyspace(owner);
                created.cqlSession().execute("CREATE KEYSPACE " + created.keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            }
            if (services.contains(Service.S3)) {
                created.bucket = ResourceNames.bucket(owner);
                created.s3().createBucket(b -> b.bucket(created.bucket));
            }
            return created;
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
    }

    public ServiceEndpoints endpoints() {
        return endpoints;
    }

    /** The class's own topic, with {@link #DEFAULT_PARTITIONS} partitions. */
    public String topic() {
        return require(Service.KAFKA, topic);
    }

    /** The class's own keyspace (SimpleStrategy, one replica). */
    public String keyspace() {
        return require(Service.CASSANDRA, keyspace);
    }

    /** The class's own bucket. */
    public String bucket() {
        return require(Service.S3, bucket);
    }

    /** Client properties for the local broker; add serializers and the like. */
    public Properties kafkaProperties() {
        require(Service.KAFKA, "");
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers());
        return properties;
    }

    /**
     * Creates another topic, deleted with the others at the end, and returns once every partition has a
     * leader: producing before that can lose a batch.
     */
    public synchronized String createTopic(String name, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            topics.add(name);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (allPartitionsLed(name)) {
                    return name;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("topic " + name + " has partitions without a leader after 30s");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean allPartitionsLed(String name) throws InterruptedException, TimeoutException {
        try {
            Map<String, TopicDescription> described =
                    admin().describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS);
            return described.get(name).partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // the new topic's metadata has not reached the broker's cache yet
            }
            throw new IllegalStateException("could not describe topic " + name, e);
        }
    }

    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafkaProperties());
            clients.add(admin);
        }
        return admin;
    }

    /** A session on the local node; its keyspace is the class's own once that exists. */
    public synchronized CqlSession cqlSession() {
        require(Service.CASSANDRA, "");
        if (cqlSession == null) {
            cqlSession = cqlSessionBuilder().build();
            clients.add(cqlSession);
        }
        return cqlSession;
    }

    /**
     * A session whose default keyspace is the class's own, opened on first use and shared (tests poll with it;
     * a session per call piles up connections); closed with the others.
     */
    public synchronized CqlSession keyspaceSession() {
        if (keyspaceSession == null) {
            keyspaceSession = cqlSessionBuilder().withKeyspace(CqlIdentifier.fromCql(keyspace())).build();
            clients.add(keyspaceSession);
        }
        return keyspaceSession;
    }

    /**
     * Sessions wait up to {@link #CQL_REQUEST_TIMEOUT}: schema changes take about a second each on one
     * node, and longer on a loaded machine, so the driver's 2 s default fails them at random.
     */
    private CqlSessionBuilder cqlSessionBuilder() {
        return CqlSession.builder()
                .addContactPoint(endpoints.cassandraContactPoint())
                .withLocalDatacenter(ServiceEndpoints.CASSANDRA_DATACENTER)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, CQL_REQUEST_TIMEOUT)
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, CQL_REQUEST_TIMEOUT)
                        .build());
    }

    /** An S3 client for the local server: endpoint override, path-style access, static credentials. */
    public synchronized S3Client s3() {
        require(Service.S3, "");
        if (s3 == null) {
            s3 = s3Client(endpoints.s3AccessKey(), endpoints.s3SecretKey());
        }
        return s3;
    }

    /** An S3 client with other credentials, for checking that the server enforces them. */
    public synchronized S3Client s3Client(String accessKey, String secretKey) {
        S3Client client = S3Client.builder()
                .endpointOverride(endpoints.s3Endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
        clients.add(client);
        return client;
    }

    /** A memcached client (binary protocol), closed at the end. */
    public synchronized MemcachedClient memcached() {
        require(Service.MEMCACHED, "");
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(endpoints.memcachedAddress()));
        builder.setCommandFactory(new BinaryCommandFactory());
        builder.setConnectTimeout(Duration.ofSeconds(5).toMillis());
        builder.setOpTimeout(Duration.ofSeconds(5).toMillis());
        try {
            MemcachedClient client = builder.build();
            clients.add(client::shutdown);
            return client;
        } catch (IOException e) {
            throw new IllegalStateException("could not connect to memcached at " + endpoints.memcachedAddress(), e);
        }
    }

    public FlinkRestClient flink() {
        require(Service.FLINK, "");
        return new FlinkRestClient(endpoints.flinkRestUri());
    }

    private <T> T require(Service service, T value) {
        if (!services.contains(service) || value == null) {
            throw new IllegalStateException(owner + " uses " + service.scriptName()
                    + " without declaring it in @RealServices");
        }
        return value;
    }

    /** Removes the class's topics, keyspace and bucket, then closes every client. */
    @Override
    public synchronized void close() {
        List<Exception> failures = new ArrayList<>();
        if (!topics.isEmpty()) {
            run(failures, () -> admin().deleteTopics(topics).all().get(30, TimeUnit.SECONDS));
        }
        if (keyspace != null) {
            run(failures, () -> cqlSession().execute("DROP KEYSPACE IF EXISTS " + keyspace));
        }
        if (bucket != null) {
            run(failures, this::deleteBucket);
        }
        for (int i = clients.size() - 1; i >= 0; i--) {
            AutoCloseable client = clients.get(i);
            run(failures, client::close);
        }
        clients.clear();
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("cleanup of " + owner + " failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Empties and deletes the bucket, including multipart uploads that writers left unfinished. */
    private void deleteBucket() {
        for (int attempt = 1; ; attempt++) {
            for (var upload : s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
                s3().abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            }
            for (var page : s3().listObjectsV2Paginator(b -> b.bucket(bucket))) {
                List<ObjectIdentifier> keys = page.contents().stream()
                        .map(S3Object::key)
                        .map(key -> ObjectIdentifier.builder().key(key).build())
                        .toList();
                if (!keys.isEmpty()) {
                    s3().deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys)));
                }
            }
            try {
                s3().deleteBucket(b -> b.bucket(bucket));
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 409 || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
