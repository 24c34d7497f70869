package io.nearline.topology.demo;

import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.RowNames;
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
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Measures freshness as a member would see it: every probed play counts, from its event time to the first read
 * of the member's top-picks row in the cache that includes it (the row's newest event time reaches the play's).
 * A play overtaken by the member's next play before any row showed it is measured too, at the read that shows
 * both. Plays never seen are misses: {@link #finish} counts them at the time it is called, so percentiles over
 * {@link #samples} after it count every play. Polls in batches on its own thread, each member again after a
 * tenth of the age of its oldest unseen play (at least {@value #MIN_INTERVAL_MS} ms): the error stays within a
 * tenth of what it measures, and a backlog does not turn the probe into a load on the cache and the cores it
 * shares with the job.
 */
public final class FreshnessProbe implements AutoCloseable {

    private static final int BATCH = 500;
    private static final long MIN_INTERVAL_MS = 20;

    private final MemcachedClient cache;
    /** Each member's plays not seen yet, oldest first. */
    private final Map<String, Deque<Long>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger unseen = new AtomicInteger();
    private final List<Long> samples = new ArrayList<>();
    /** When each play seen in the cache was seen, in the order seen (misses are not in it). */
    private final List<Long> seenTimes = new ArrayList<>();
    /** The play times of the samples, in the same order. */
    private final List<Long> playTimes = new ArrayList<>();
    private int misses = -1;
    private final BiConsumer<String, RecommendationRow> onUpdate;
    private final Thread poller;

    /** {@code onUpdate} sees a member's row each time a read shows one of its plays for the first time (on the probe's thread). */
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

    /** A play of the member with this event time was sent (a member's plays in time order). */
    public void sent(String member, long eventTime) {
        pending.computeIfAbsent(member, m -> new ConcurrentLinkedDeque<>()).addLast(eventTime);
        unseen.incrementAndGet();
    }

    /** Plays sent and not seen yet. */
    public int pending() {
        return unseen.get();
    }

    /**
     * Stops probing and counts the plays never seen as misses, each a sample of its age now: from here on
     * {@link #samples} holds every probed play.
     *
     * @return the misses
     */
    public int finish() {
        poller.interrupt();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long now = System.currentTimeMillis();
        int missed = 0;
        synchronized (samples) {
            for (Deque<Long> plays : pending.values()) {
                for (Long play : plays) {
                    samples.add(now - play);
                    playTimes.add(play);
                    missed++;
                }
            }
            pending.clear();
            unseen.set(0);
            misses = missed;
        }
        return missed;
    }

    /** The plays {@link #finish} counted as never seen; -1 before it. */
    public int misses() {
        synchronized (samples) {
            return misses;
        }
    }

    /** The freshness of every play seen so far (and, after {@link #finish}, of the misses), in milliseconds, sorted. */
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
        // Per member: when to poll it next, for the oldest play it waits for (this thread only).
        Map<String, long[]> schedule = new HashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long now = System.currentTimeMillis();
                List<String> due = new ArrayList<>();
                for (Map.Entry<String, Deque<Long>> entry : pending.entrySet()) {
                    Long oldest = entry.getValue().peekFirst();
                    if (oldest == null) {
                        continue;
                    }
                    long[] next = schedule.get(entry.getKey());
                    if (next == null || next[0] != oldest || next[1] <= now) {
                        due.add(entry.getKey());
                        schedule.put(entry.getKey(), new long[] {oldest, now + Math.max(MIN_INTERVAL_MS, (now - oldest) / 10)});
                    }
                }
                schedule.keySet().retainAll(pending.keySet());
                for (int from = 0; from < due.size(); from += BATCH) {
                    Map<String, String> keys = new HashMap<>();
                    for (String member : due.subList(from, Math.min(due.size(), from + BATCH))) {
                        keys.put(CacheKeys.row(RowNames.TOP_PICKS, member), member);
                    }
                    Map<String, byte[]> values = cache.get(keys.keySet(), 5000);
                    long read = System.currentTimeMillis();
                    for (Map.Entry<String, byte[]> value : values.entrySet()) {
                        RecommendationRow row = io.nearline.schemas.RecommendationRowCodec.decode(value.getValue());
                        String member = keys.get(value.getKey());
                        if (seen(member, row.getNewestEventTime().toEpochMilli(), read) > 0) {
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

    /** Every waiting play of the member up to the row's newest event time is seen at {@code read}; returns how many. */
    private int seen(String member, long newestEventTime, long read) {
        Deque<Long> plays = pending.get(member);
        int count = 0;
        synchronized (samples) {
            if (plays == null || misses >= 0) {
                return 0;
            }
            for (Long play = plays.peekFirst(); play != null && play <= newestEventTime; play = plays.peekFirst()) {
                plays.pollFirst();
                samples.add(read - play);
                playTimes.add(play);
                seenTimes.add(read);
                unseen.decrementAndGet();
                count++;
            }
        }
        return count;
    }

    /** How many probed plays were seen in the cache at or before {@code time} (epoch milliseconds). */
    public int seenBy(long time) {
        synchronized (samples) {
            int count = 0;
            for (long seen : seenTimes) {
                if (seen <= time) {
                    count++;
                }
            }
            return count;
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
