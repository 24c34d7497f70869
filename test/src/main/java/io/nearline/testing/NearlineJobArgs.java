package io.nearline.testing;

import java.util.ArrayList;
import java.util.List;

/** NearlineJob's program arguments for a test: the test's own, then the addresses of the real services. */
public final class NearlineJobArgs {

    private NearlineJobArgs() {}

    /**
     * The given {@code --key value} pairs followed by Kafka, Cassandra (with {@code keyspace}), memcached and S3 as the
     * services run them; a pair given twice counts once, the later one.
     */
    public static List<String> of(TestServices services, String keyspace, String... own) {
        List<String> args = new ArrayList<>(List.of(own));
        args.addAll(List.of(
                "--nearline.kafka.bootstrap-servers", services.endpoints().kafkaBootstrapServers(),
                "--nearline.cassandra.contact-points", services.endpoints().cassandraHostPort(),
                "--nearline.cassandra.keyspace", keyspace,
                "--nearline.cache.servers", services.endpoints().memcachedAddress(),
                "--nearline.s3.endpoint", services.endpoints().s3Endpoint().toString(),
                "--nearline.s3.path-style-access", "true",
                "--nearline.s3.access-key", services.endpoints().s3AccessKey(),
                "--nearline.s3.secret-key", services.endpoints().s3SecretKey()));
        return args;
    }
}
