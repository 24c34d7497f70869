package io.nearline.operators.cache;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ReadableConfig;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A best-effort Sink V2 for memcached, the cache the online side reads first (as with EVCache). It never
 * fails or stalls the job: a set that fails is retried within a small budget, then dropped and counted,
 * and for a while further sets are dropped at once (see {@link CacheOptions#PROBE_INTERVAL}). Cassandra
 * is the record; the cache catches up with the next update of each member.
 *
 * <p>The client is xmemcached (binary protocol, no Netty, so no clash with the Cassandra driver's; and
 * measured faster here than folsom for sets). Sets are sent without waiting for replies, and a flush waits
 * until the server has processed what was sent.
 */
public class MemcachedSink<T> implements Sink<T> {

    private final CacheEntryMapper<T> mapper;
    private final Settings settings;

    private MemcachedSink(CacheEntryMapper<T> mapper, Settings settings) {
        this.mapper = mapper;
        this.settings = settings;
    }

    public static <T> MemcachedSink<T> of(CacheEntryMapper<T> mapper, ReadableConfig config) {
        return new MemcachedSink<>(mapper, Settings.from(config));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new MemcachedSinkWriter<>(mapper, settings, context.metricGroup());
    }

    /** The checked settings, carried to the subtasks. */
    record Settings(List<String> servers, int ttlSeconds, Duration operationTimeout, int retries, Duration retryDelay,
            Duration probeInterval) implements Serializable {

        static Settings from(ReadableConfig config) {
            List<String> servers = config.get(CacheOptions.SERVERS);
            if (servers.isEmpty()) {
                throw new IllegalArgumentException(CacheOptions.SERVERS.key() + " is empty");
            }
            long ttl = config.get(CacheOptions.TTL).toSeconds();
            if (ttl < 1 || ttl > Duration.ofDays(30).toSeconds()) {
                throw new IllegalArgumentException(CacheOptions.TTL.key() + " must be between 1 s and 30 days");
            }
            int retries = config.get(CacheOptions.RETRIES);
            if (retries < 0) {
                throw new IllegalArgumentException(CacheOptions.RETRIES.key() + " must not be negative");
            }
            return new Settings(servers, (int) ttl, config.get(CacheOptions.OPERATION_TIMEOUT), retries,
                    config.get(CacheOptions.RETRY_DELAY), config.get(CacheOptions.PROBE_INTERVAL));
        }
    }
}
