package io.nearline.operators.cache;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Settings of the memcached cache sink. */
public final class CacheOptions {

    public static final ConfigOption<List<String>> SERVERS = ConfigOptions.key("nearline.cache.servers")
            .stringType()
            .asList()
            .defaultValues("127.0.0.1:11211")
            .withDescription("memcached servers, host:port separated by ';'; keys are spread over them by consistent hashing.");

    public static final ConfigOption<Duration> TTL = ConfigOptions.key("nearline.cache.ttl")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("How long a cached row lives (whole seconds, at most 30 days). Cassandra is the record; the "
                    + "cache only needs to outlive the gap between two updates of a member.");

    public static final ConfigOption<Duration> OPERATION_TIMEOUT = ConfigOptions.key("nearline.cache.operation-timeout")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("How long one cache operation may take.");

    public static final ConfigOption<Integer> RETRIES = ConfigOptions.key("nearline.cache.retries")
            .intType()
            .defaultValue(2)
            .withDescription("Retries of a failed set before it is dropped and counted.");

    public static final ConfigOption<Duration> RETRY_DELAY = ConfigOptions.key("nearline.cache.retry-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("Pause before a retry; retries and pauses together are the small budget a write may cost.");

    public static final ConfigOption<Duration> PROBE_INTERVAL = ConfigOptions.key("nearline.cache.probe-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("After a set fails its retries, sets are dropped (and counted) without trying for this "
                    + "long; then the next set tries again. Keeps a cache outage from slowing the job.");

    private CacheOptions() {}
}
