package io.nearline.operators.cache;

import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.SerializingTranscoder;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Writes cache entries; see {@link MemcachedSink} for the best-effort contract. Metrics:
 * {@code cache.sets}, {@code cache.retries}, {@code cache.dropped}, {@code cache.slowFlushes}, besides the
 * standard numRecordsOut.
 */
class MemcachedSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(MemcachedSinkWriter.class);
    /** memcached's default item size limit, less room for the key and flags. */
    private static final int MAX_VALUE_BYTES = 1024 * 1024 - 512;

    private final CacheEntryMapper<T> mapper;
    private final MemcachedSink.Settings settings;
    private final MemcachedClient client;
    private final Counter sets;
    private final Counter retries;
    private final Counter dropped;
    private final Counter recordsOut;
    /** While now is before this, the cache counts as down and sets are dropped without trying. */
    private long skipUntilNanos;
    private boolean unflushed;
    private final Counter slowFlushes;
    private long lastSlowFlushLogNanos;

    MemcachedSinkWriter(CacheEntryMapper<T> mapper, MemcachedSink.Settings settings, SinkWriterMetricGroup metrics)
            throws IOException {
        this.mapper = mapper;
        this.settings = settings;
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(
                AddrUtil.getAddresses(String.join(" ", settings.servers())));
        builder.setCommandFactory(new BinaryCommandFactory());
        // Consistent hashing: when a server leaves or returns, only its share of keys moves.
        builder.setSessionLocator(new KetamaMemcachedSessionLocator());
        builder.setOpTimeout(settings.operationTimeout().toMillis());
        builder.setConnectTimeout(settings.operationTimeout().toMillis());
        builder.setFailureMode(false);
        builder.setEnableHealSession(true);
        builder.setHealSessionInterval(settings.probeInterval().toMillis());
        SerializingTranscoder transcoder = new SerializingTranscoder();
        transcoder.setCompressionThreshold(Integer.MAX_VALUE); // values are compact already; keep them readable as is
        builder.setTranscoder(transcoder);
        this.client = builder.build();
        MetricGroup group = metrics.addGroup("cache");
        this.sets = group.counter("sets");
        this.retries = group.counter("retries");
        this.dropped = group.counter("dropped");
        this.slowFlushes = group.counter("slowFlushes");
        this.recordsOut = metrics.getNumRecordsSendCounter();
    }

    @Override
    public void write(T record, Context context) throws InterruptedException {
        if (System.nanoTime() < skipUntilNanos) {
            dropped.inc();
            return;
        }
        String key;
        byte[] value;
        try {
            key = mapper.key(record);
            value = mapper.value(record);
        } catch (RuntimeException e) {
            dropped.inc(); // a record that cannot become an entry is the record's problem, not the cache's
            LOG.warn("Dropping a cache entry that could not be built: {}", e.toString());
            return;
        }
        if (value.length > MAX_VALUE_BYTES) {
            dropped.inc(); // memcached refuses items over 1 MB; that says nothing about its health
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                client.setWithNoReply(key, settings.ttlSeconds(), value);
                sets.inc();
                recordsOut.inc();
                unflushed = true;
                return;
            } catch (Exception e) {
                if (e instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                if (attempt >= settings.retries()) {
                    markDown(e);
                    return;
                }
                retries.inc();
                Thread.sleep(settings.retryDelay().toMillis());
            }
        }
    }

    private void markDown(Exception cause) {
        dropped.inc();
        skipUntilNanos = System.nanoTime() + settings.probeInterval().toNanos();
        LOG.warn("Cache unreachable ({}); dropping sets for {}", cause.toString(), settings.probeInterval());
    }

    /** Waits until the servers processed the sets sent so far (one request-reply on the same connections). */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (!unflushed || System.nanoTime() < skipUntilNanos) {
            return;
        }
        try {
            client.getVersions(settings.operationTimeout().toMillis());
            unflushed = false;
        } catch (java.util.concurrent.TimeoutException e) {
            // Connected but slow to answer (a busy host at a checkpoint): the sets are still on their way.
            // Dropping the next second of sets would lose updates a reachable cache would have taken; a cache
            // that is really gone fails the sets themselves, which marks it down.
            slowFlushes.inc();
            long now = System.nanoTime();
            if (now - lastSlowFlushLogNanos > settings.probeInterval().toNanos()) {
                lastSlowFlushLogNanos = now;
                LOG.info("Cache slow to confirm sets before a checkpoint (no reply within {}); not counted as down",
                        settings.operationTimeout());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            markDown(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.shutdown();
    }
}
