package io.nearline.operators.cassandra;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Settings of the Cassandra connection, schema and sink. */
public final class CassandraOptions {

    public static final ConfigOption<List<String>> CONTACT_POINTS = ConfigOptions.key("nearline.cassandra.contact-points")
            .stringType()
            .asList()
            .defaultValues("127.0.0.1:9042")
            .withDescription("Cassandra nodes to connect to first, host:port separated by ';'.");

    public static final ConfigOption<String> LOCAL_DATACENTER = ConfigOptions.key("nearline.cassandra.local-datacenter")
            .stringType()
            .defaultValue("datacenter1")
            .withDescription("The data centre the job writes to; the driver only uses its nodes.");

    public static final ConfigOption<String> KEYSPACE = ConfigOptions.key("nearline.cassandra.keyspace")
            .stringType()
            .defaultValue("nearline")
            .withDescription("The keyspace of Nearline's tables.");

    public static final ConfigOption<String> REPLICATION = ConfigOptions.key("nearline.cassandra.replication")
            .stringType()
            .defaultValue("{'class': 'SimpleStrategy', 'replication_factor': 1}")
            .withDescription("The CQL replication map used when the schema command creates the keyspace, for example "
                    + "{'class': 'NetworkTopologyStrategy', 'dc1': 3} in production.");

    public static final ConfigOption<String> CONSISTENCY = ConfigOptions.key("nearline.cassandra.consistency")
            .stringType()
            .defaultValue("LOCAL_QUORUM")
            .withDescription("Consistency level of writes, such as LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("nearline.cassandra.username")
            .stringType()
            .noDefaultValue()
            .withDescription("User for password authentication; none means no authentication.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("nearline.cassandra.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password for password authentication; if unset, the environment variable "
                    + "NEARLINE_CASSANDRA_PASSWORD of the process that builds the job (better than a command line). "
                    + "Never logged.");

    /** The environment variables the secrets of this class fall back to. */
    public static final String PASSWORD_ENV = "NEARLINE_CASSANDRA_PASSWORD";
    public static final String SSL_TRUSTSTORE_PASSWORD_ENV = "NEARLINE_CASSANDRA_TRUSTSTORE_PASSWORD";

    public static final ConfigOption<Boolean> SSL_ENABLED = ConfigOptions.key("nearline.cassandra.ssl.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Connect with TLS; the server certificate is checked against the truststore below, or "
                    + "the JVM's default trust if none is set.");

    public static final ConfigOption<String> SSL_TRUSTSTORE = ConfigOptions.key("nearline.cassandra.ssl.truststore")
            .stringType()
            .noDefaultValue()
            .withDescription("Path of a JKS or PKCS12 truststore for TLS.");

    public static final ConfigOption<String> SSL_TRUSTSTORE_PASSWORD = ConfigOptions
            .key("nearline.cassandra.ssl.truststore-password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the truststore; if unset, the environment variable "
                    + "NEARLINE_CASSANDRA_TRUSTSTORE_PASSWORD. Never logged.");

    public static final ConfigOption<Boolean> SSL_HOSTNAME_VALIDATION = ConfigOptions
            .key("nearline.cassandra.ssl.hostname-validation")
            .booleanType()
            .defaultValue(true)
            .withDescription("Check that each node's certificate names the address connected to, as HTTPS does.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("nearline.cassandra.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How long one write may take before it counts as timed out (and is retried).");

    public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOptions.key("nearline.cassandra.max-in-flight")
            .intType()
            .defaultValue(10)
            .withDescription("Requests in flight per sink subtask; with max-batch-size this bounds the statements in "
                    + "flight (10 x 100 by default, within what one driver connection pool accepts).");

    public static final ConfigOption<Integer> MAX_BATCH_SIZE = ConfigOptions.key("nearline.cassandra.max-batch-size")
            .intType()
            .defaultValue(100)
            .withDescription("Rows a sink subtask hands to one request; within it, rows of one partition are "
                    + "sent as one unlogged batch and rows of different partitions as separate statements.");

    public static final ConfigOption<Duration> MAX_TIME_IN_BUFFER = ConfigOptions.key("nearline.cassandra.max-time-in-buffer")
            .durationType()
            .defaultValue(Duration.ofMillis(50))
            .withDescription("How long a row may wait for its batch to fill before it is sent anyway.");

    public static final ConfigOption<Integer> MAX_RETRIES = ConfigOptions.key("nearline.cassandra.max-retries")
            .intType()
            .defaultValue(10)
            .withDescription("Retries of a write that failed with a retryable error (timeout, unavailable, overloaded, "
                    + "no node reachable) before the sink fails the job, which then restarts from its checkpoint.");

    public static final ConfigOption<Duration> RETRY_BASE_DELAY = ConfigOptions.key("nearline.cassandra.retry-base-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Backoff before the first retry; it doubles each retry, with jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_DELAY = ConfigOptions.key("nearline.cassandra.retry-max-delay")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("The longest backoff between two retries.");

    public static final ConfigOption<Duration> WRITE_BEHIND = ConfigOptions.key("nearline.cassandra.write-behind")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Rows are held this long and only the newest of each primary key is written, so that a "
                    + "member recomputed several times within it costs Cassandra one write per row. The cache gets every "
                    + "update at once (serving reads it first); Cassandra, the record, lags by at most this much. Held "
                    + "rows are in every checkpoint, so a restore loses nothing; a job stopped with a savepoint leaves "
                    + "them to the job restored from it, and one stopped with --drain writes them. 0 writes every row "
                    + "at once.");

    public static final ConfigOption<Integer> WRITE_BEHIND_MAX_ROWS = ConfigOptions.key("nearline.cassandra.write-behind-max-rows")
            .intType()
            .defaultValue(50_000)
            .withDescription("Rows a sink subtask holds for write-behind at most; at this many it writes them all early, "
                    + "which bounds the memory they take (a recommendation row is about a kilobyte).");

    public static final ConfigOption<Duration> RECOMMENDATIONS_TTL = ConfigOptions.key("nearline.cassandra.ttl.recommendations")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("Default time to live of recommendation rows (0 keeps them forever).");

    public static final ConfigOption<Duration> MEMBER_FACTORS_TTL = ConfigOptions.key("nearline.cassandra.ttl.member-factors")
            .durationType()
            .defaultValue(Duration.ofDays(90))
            .withDescription("Default time to live of member factors.");

    public static final ConfigOption<Duration> TRENDING_TTL = ConfigOptions.key("nearline.cassandra.ttl.trending")
            .durationType()
            .defaultValue(Duration.ofDays(2))
            .withDescription("Default time to live of trending rows.");

    public static final ConfigOption<Duration> SIMILARS_TTL = ConfigOptions.key("nearline.cassandra.ttl.similars")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Default time to live of similar-title lists (0 keeps them until rebuilt).");

    private CassandraOptions() {}
}
