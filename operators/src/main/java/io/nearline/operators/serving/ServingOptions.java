package io.nearline.operators.serving;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the online service ({@code bin/nearline serve}, module {@code serving/}). They live with the other
 * option classes so that every {@code nearline.*} key is known to one registry and documented in one table.
 */
public final class ServingOptions {

    public static final ConfigOption<String> HOST = ConfigOptions.key("nearline.serving.host")
            .stringType().defaultValue("127.0.0.1")
            .withDescription("The address the HTTP service listens on (0.0.0.0 for every interface).");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("nearline.serving.port")
            .intType().defaultValue(8090)
            .withDescription("The HTTP service's port.");

    public static final ConfigOption<Duration> DEADLINE = ConfigOptions.key("nearline.serving.deadline")
            .durationType().defaultValue(Duration.ofMillis(50))
            .withDescription("How long a request may wait for the cache and Cassandra together; when they have not "
                    + "answered by then, the precomputed fallback answers and the response says so.");

    public static final ConfigOption<Duration> CACHE_TIMEOUT = ConfigOptions.key("nearline.serving.cache-timeout")
            .durationType().defaultValue(Duration.ofMillis(20))
            .withDescription("How much of the deadline the cache may use; Cassandra has the rest. The cache answers in "
                    + "well under a millisecond when it is healthy, so a slow one leaves Cassandra time to answer.");

    public static final ConfigOption<Duration> NEAR_CACHE_TTL = ConfigOptions.key("nearline.serving.near-cache.ttl")
            .durationType().defaultValue(Duration.ofSeconds(2))
            .withDescription("How long a member's rows, a title's similars and a member's factor stay in the service's "
                    + "own memory (Caffeine) before the stores are asked again. 0 turns the near cache off.");

    public static final ConfigOption<Long> NEAR_CACHE_ENTRIES = ConfigOptions.key("nearline.serving.near-cache.max-entries")
            .longType().defaultValue(200_000L)
            .withDescription("Entries the near cache holds at most, per kind (rows, similars, factors).");

    public static final ConfigOption<Integer> DEFAULT_LIMIT = ConfigOptions.key("nearline.serving.default-limit")
            .intType().defaultValue(25)
            .withDescription("Titles per row when a request gives no limit.");

    public static final ConfigOption<Integer> MAX_LIMIT = ConfigOptions.key("nearline.serving.max-limit")
            .intType().defaultValue(100)
            .withDescription("The largest limit a request may ask for; more is a 400.");

    public static final ConfigOption<Duration> REFRESH_INTERVAL = ConfigOptions.key("nearline.serving.refresh-interval")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("How often the service reloads what it keeps in memory for fallbacks and explanations: "
                    + "the trending rows from Cassandra, and the published model and similars versions from Kafka.");

    public static final ConfigOption<String> DEFAULT_REGION = ConfigOptions.key("nearline.serving.default-region")
            .stringType().defaultValue("ALL")
            .withDescription("The trending region of requests without a country, and of countries without a trending row.");

    public static final ConfigOption<List<String>> ROW_ORDER = ConfigOptions.key("nearline.serving.row-order")
            .stringType().asList().noDefaultValue()
            .withDescription("Rules that re-order a member's rows, the first that matches wins, each "
                    + "'device=tv,hours=18-23:top-picks,because-you-watched,trending' (device and hours are optional; "
                    + "hours are in nearline.serving.time-zone, end exclusive; a name ending in a row prefix such as "
                    + "because-you-watched matches every row that starts with it). Rows a rule does not name keep their "
                    + "order after those it names.");

    public static final ConfigOption<String> TIME_ZONE = ConfigOptions.key("nearline.serving.time-zone")
            .stringType().defaultValue("UTC")
            .withDescription("The time zone of the hours in nearline.serving.row-order.");

    public static final ConfigOption<Integer> EXPLANATIONS = ConfigOptions.key("nearline.serving.explanations")
            .intType().defaultValue(5)
            .withDescription("How many watched titles GET /v1/members/{member}/because/{title} returns at most.");

    public static final ConfigOption<MemorySize> EVENTS_MAX_REQUEST_SIZE = ConfigOptions
            .key("nearline.serving.events.max-request-size")
            .memoryType().defaultValue(MemorySize.parse("1mb"))
            .withDescription("The largest body POST /v1/events reads; a larger one is a 413 and nothing of it is sent.");

    public static final ConfigOption<Integer> EVENTS_MAX_BATCH = ConfigOptions.key("nearline.serving.events.max-batch")
            .intType().defaultValue(1000)
            .withDescription("Events one POST /v1/events may carry at most; more is a 413 and nothing of it is sent.");

    public static final ConfigOption<Duration> EVENTS_ACK_TIMEOUT = ConfigOptions.key("nearline.serving.events.ack-timeout")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("How long POST /v1/events waits for Kafka to acknowledge its events (at least 100 ms). "
                    + "The producer gives up on them by then too; events not acknowledged in time are answered with a "
                    + "503 that lists which were, and may be sent again with the same event ids (the job drops repeats).");

    private ServingOptions() {}
}
