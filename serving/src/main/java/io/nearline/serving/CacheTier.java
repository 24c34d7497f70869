package io.nearline.serving;

import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.result.RecommendationRow;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.SerializingTranscoder;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.flink.configuration.ReadableConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The memcached (EVCache) tier: the rows NearlineJob writes under {@code nearline:<row>:<member>}. */
final class CacheTier implements AutoCloseable {

    private final MemcachedClient client;

    CacheTier(ReadableConfig config) throws IOException {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(
                AddrUtil.getAddresses(String.join(" ", config.get(CacheOptions.SERVERS))));
        builder.setCommandFactory(new BinaryCommandFactory());
        builder.setSessionLocator(new KetamaMemcachedSessionLocator()); // the sink's key placement
        builder.setConnectTimeout(config.get(CacheOptions.OPERATION_TIMEOUT).toMillis());
        builder.setOpTimeout(config.get(CacheOptions.OPERATION_TIMEOUT).toMillis());
        builder.setFailureMode(false);
        builder.setEnableHealSession(true);
        builder.setHealSessionInterval(config.get(CacheOptions.PROBE_INTERVAL).toMillis());
        // Several requests share a connection: pipelined gets are how one client serves thousands a second.
        builder.setConnectionPoolSize(2);
        SerializingTranscoder transcoder = new SerializingTranscoder();
        transcoder.setCompressionThreshold(Integer.MAX_VALUE);
        builder.setTranscoder(transcoder);
        this.client = builder.build();
    }

    /** The member's rows of these names that the cache holds, by name. */
    Map<String, RecommendationRow> rows(String member, List<String> rowNames, long timeoutMillis) throws TierException {
        List<String> keys = new ArrayList<>(rowNames.size());
        Map<String, String> names = new HashMap<>();
        for (String name : rowNames) {
            String key = CacheKeys.row(name, member);
            keys.add(key);
            names.put(key, name);
        }
        Map<String, byte[]> values;
        try {
            values = client.get(keys, timeoutMillis);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TierException("the cache did not answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TierException("interrupted while reading the cache", e);
        } catch (Exception e) {
            throw new TierException("the cache failed: " + e.getMessage(), e);
        }
        Map<String, RecommendationRow> rows = new HashMap<>();
        if (values != null) {
            for (Map.Entry<String, byte[]> entry : values.entrySet()) {
                try {
                    rows.put(names.get(entry.getKey()), RecommendationRowEntries.decode(entry.getValue()));
                } catch (IOException | RuntimeException e) {
                    // A damaged entry is a miss: Cassandra has the row too.
                }
            }
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        client.shutdown();
    }
}
