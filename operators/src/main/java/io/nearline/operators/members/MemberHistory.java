package io.nearline.operators.members;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compaction of a member's interactions: one entry per title, the most recent {@code maxTitles} titles
 * kept. With a half-life, weights decay exponentially, which lets two entries of a title merge exactly:
 * the older weight is decayed to the newer time and added.
 */
public final class MemberHistory implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxTitles;
    private final long halfLifeMillis;

    /** @param halfLifeMillis 0 for no decay */
    public MemberHistory(int maxTitles, long halfLifeMillis) {
        if (maxTitles < 1) {
            throw new IllegalArgumentException("maxTitles must be at least 1, not " + maxTitles);
        }
        this.maxTitles = maxTitles;
        this.halfLifeMillis = halfLifeMillis;
    }

    /** The weight an interaction of weight {@code weight} at {@code from} has at {@code to}. */
    public float decay(float weight, long from, long to) {
        if (halfLifeMillis <= 0 || to <= from) {
            return weight;
        }
        return (float) (weight * Math.pow(0.5, (double) (to - from) / halfLifeMillis));
    }

    /**
     * Merges raw entries (in any order) into one per title, ordered oldest first, keeping the newest
     * {@code maxTitles}. Titles whose weights cancel out stay: the member has seen them.
     */
    public List<Interaction> compact(Iterable<Interaction> entries) {
        Map<String, Interaction> byTitle = new HashMap<>();
        List<Interaction> sorted = new ArrayList<>();
        for (Interaction entry : entries) {
            sorted.add(entry);
        }
        sorted.sort(Comparator.comparingLong(i -> i.time));
        for (Interaction entry : sorted) {
            Interaction merged = byTitle.get(entry.titleId);
            if (merged == null) {
                byTitle.put(entry.titleId, new Interaction(entry.titleId, entry.weight, entry.time));
            } else {
                merged.weight = decay(merged.weight, merged.time, entry.time) + entry.weight;
                merged.time = Math.max(merged.time, entry.time);
            }
        }
        List<Interaction> compacted = new ArrayList<>(byTitle.values());
        compacted.sort(Comparator.<Interaction>comparingLong(i -> i.time).thenComparing(i -> i.titleId));
        if (compacted.size() > maxTitles) {
            return new ArrayList<>(compacted.subList(compacted.size() - maxTitles, compacted.size()));
        }
        return compacted;
    }

    public int maxTitles() {
        return maxTitles;
    }
}
