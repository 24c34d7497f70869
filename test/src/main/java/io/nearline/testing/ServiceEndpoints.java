package io.nearline.testing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/** Where the local services listen and how to authenticate, as {@code bin/nearline services env} reports. */
public record ServiceEndpoints(
        String host,
        int kafkaPort,
        int cassandraPort,
        int memcachedPort,
        int s3Port,
        String s3AccessKey,
        String s3SecretKey,
        int flinkRestPort) {

    /** Cassandra's single-node data centre name under SimpleSnitch. */
    public static final String CASSANDRA_DATACENTER = "datacenter1";

    public static ServiceEndpoints fromSettings(Map<String, String> settings) {
        return new ServiceEndpoints(
                require(settings, "NEARLINE_HOST"),
                Integer.parseInt(require(settings, "NEARLINE_KAFKA_PORT")),
                Integer.parseInt(require(settings, "NEARLINE_CASSANDRA_PORT")),
                Integer.parseInt(require(settings, "NEARLINE_MEMCACHED_PORT")),
                Integer.parseInt(require(settings, "NEARLINE_S3_PORT")),
                require(settings, "NEARLINE_S3_ACCESS_KEY"),
                require(settings, "NEARLINE_S3_SECRET_KEY"),
                Integer.parseInt(require(settings, "NEARLINE_FLINK_PORT")));
    }

    private static String require(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("bin/nearline services env did not report " + key);
        }
        return value;
    }

    public String kafkaBootstrapServers() {
        return host + ":" + kafkaPort;
    }

    public InetSocketAddress cassandraContactPoint() {
        return new InetSocketAddress(host, cassandraPort);
    }

    /** Cassandra as host:port, the form Nearline's contact-point settings take. */
    public String cassandraHostPort() {
        return host + ":" + cassandraPort;
    }

    public String memcachedAddress() {
        return host + ":" + memcachedPort;
    }

    public URI s3Endpoint() {
        return URI.create("http://" + host + ":" + s3Port);
    }

    public URI flinkRestUri() {
        return URI.create("http://" + host + ":" + flinkRestPort);
    }
}
