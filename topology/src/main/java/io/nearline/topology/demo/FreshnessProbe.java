package io.nearline.topology.demo;

import io.nearline.operators.cache.CacheKeys;
import io.nearline.schemas.result.RecommendationRow;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Measures freshness as a member would see it: for each member with a play not yet reflected, it reads the
 * member's top-picks row from the cache until the row includes that play (its newest event time reaches the
 * play's), and records the time from the play's event time to then. Polls in batches on its own thread.
 */
public final class FreshnessProbe implements AutoCloseable {

    private static final int BATCH = 500;

    private final MemcachedClient cache;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final List<Long> samples = new ArrayList<>();
    private final BiConsumer<String, RecommendationRow> onUpdate;
    private final Thread poller;

    /** {@code onUpdate} sees each member's row once it includes the member's newest play (on the probe's thread). */
    public FreshnessProbe(List<String> cacheServers, BiConsumer<String, RecommendationRow> onUpdate) throws IOException {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(String.join(" ", cacheServers)));
        builder.setCommandFactory(new BinaryCommandFactory());
        builder.setConnectionPoolSize(2);
        this.cache = builder.build();
        this.onUpdate = onUpdate;
        this.poller = new Thread(this::poll, "freshness-probe");
        this.poller.setDaemon(true);
        this.poller.start();
    }

    /** A play of the member with this event time was sent. */
    public void sent(String member, long eventTime) {
        pending.merge(member, eventTime, Math::max);
    }

    public int pending() {
        return pending.size();
    }

    /** The freshness of every update seen so far, in milliseconds, sorted. */
    public List<Long> samples() {
        synchronized (samples) {
            List<Long> sorted = new ArrayList<>(samples);
            sorted.sort(null);
            return sorted;
        }
    }

    public MemcachedClient cache() {
        return cache;
    }

    private void poll() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<String> members = new ArrayList<>(pending.keySet());
                for (int from = 0; from < members.size(); from += BATCH) {
                    Map<String, String> keys = new HashMap<>();
                    for (String member : members.subList(from, Math.min(members.size(), from + BATCH))) {
                        keys.put(CacheKeys.row("top-picks", member), member);
                    }
                    Map<String, byte[]> values = cache.get(keys.keySet(), 5000);
                    long now = System.currentTimeMillis();
                    for (Map.Entry<String, byte[]> value : values.entrySet()) {
                        RecommendationRow row = RecommendationRow.getDecoder().decode(value.getValue());
                        String member = keys.get(value.getKey());
                        Long sent = pending.get(member);
                        if (sent != null && row.getNewestEventTime().toEpochMilli() >= sent && pending.remove(member, sent)) {
                            synchronized (samples) {
                                samples.add(now - sent);
                            }
                            onUpdate.accept(member, row);
                        }
                    }
                }
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The cache is best effort: try again.
            }
        }
    }

    /** The p-th percentile (0..1) of sorted samples. */
    public static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    @Override
    public void close() throws IOException {
        poller.interrupt();
        cache.shutdown();
    }
}
