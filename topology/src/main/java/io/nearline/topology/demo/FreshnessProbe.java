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
 * play's), and records the time from the play's event time to then. Polls in batches on its own thread, each
 * member again after a tenth of its play's age (at least {@value #MIN_INTERVAL_MS} ms): the error stays within
 * a tenth of what it measures, and a backlog of members does not turn the probe into a load on the cache and
 * the cores it shares with the job.
 */
public final class FreshnessProbe implements AutoCloseable {

    private static final int BATCH = 500;
    private static final long MIN_INTERVAL_MS = 20;

    private final MemcachedClient cache;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final List<Long> samples = new ArrayList<>();
    /** The play times of the samples, in the same order. */
    private final List<Long> playTimes = new ArrayList<>();
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
        // Per member: the play time it was last polled for and when to poll it next (this thread only).
        Map<String, long[]> schedule = new HashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long now = System.currentTimeMillis();
                List<String> due = new ArrayList<>();
                for (Map.Entry<String, Long> entry : pending.entrySet()) {
                    long sent = entry.getValue();
                    long[] next = schedule.get(entry.getKey());
                    if (next == null || next[0] != sent || next[1] <= now) {
                        due.add(entry.getKey());
                        schedule.put(entry.getKey(), new long[] {sent, now + Math.max(MIN_INTERVAL_MS, (now - sent) / 10)});
                    }
                }
                schedule.keySet().retainAll(pending.keySet());
                for (int from = 0; from < due.size(); from += BATCH) {
                    Map<String, String> keys = new HashMap<>();
                    for (String member : due.subList(from, Math.min(due.size(), from + BATCH))) {
                        keys.put(CacheKeys.row("top-picks", member), member);
                    }
                    Map<String, byte[]> values = cache.get(keys.keySet(), 5000);
                    long read = System.currentTimeMillis();
                    for (Map.Entry<String, byte[]> value : values.entrySet()) {
                        RecommendationRow row = RecommendationRow.getDecoder().decode(value.getValue());
                        String member = keys.get(value.getKey());
                        Long sent = pending.get(member);
                        if (sent != null && row.getNewestEventTime().toEpochMilli() >= sent && pending.remove(member, sent)) {
                            synchronized (samples) {
                                samples.add(read - sent);
                                playTimes.add(sent);
                            }
                            onUpdate.accept(member, row);
                        }
                    }
                }
                Thread.sleep(MIN_INTERVAL_MS / 2);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The cache is best effort: try again.
            }
        }
    }

    /** Freshness by when the play was sent: the samples of plays in each {@code bucketMillis}, sorted, oldest bucket first. */
    public java.util.SortedMap<Long, List<Long>> samplesByPlayTime(long bucketMillis) {
        java.util.SortedMap<Long, List<Long>> buckets = new java.util.TreeMap<>();
        synchronized (samples) {
            for (int i = 0; i < samples.size(); i++) {
                buckets.computeIfAbsent(playTimes.get(i) / bucketMillis * bucketMillis, b -> new ArrayList<>()).add(samples.get(i));
            }
        }
        buckets.values().forEach(bucket -> bucket.sort(null));
        return buckets;
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
