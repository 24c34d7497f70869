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

    /** Above this many new entries, {@link #merge} compacts everything instead of scanning per title. */
    private static final int MAX_MERGED = 16;
    private static final Comparator<Interaction> BY_TIME_AND_TITLE =
            Comparator.<Interaction>comparingLong(i -> i.time).thenComparing(i -> i.titleId);

    private final int maxTitles;
    private final long halfLifeMillis;
    private final double decayPerMilli;

    /** @param halfLifeMillis 0 for no decay */
    public MemberHistory(int maxTitles, long halfLifeMillis) {
        if (maxTitles < 1) {
            throw new IllegalArgumentException("maxTitles must be at least 1, not " + maxTitles);
        }
        this.maxTitles = maxTitles;
        this.halfLifeMillis = halfLifeMillis;
        this.decayPerMilli = halfLifeMillis > 0 ? -Math.log(2) / halfLifeMillis : 0;
    }

    /** The weight an interaction of weight {@code weight} at {@code from} has at {@code to}. */
    public float decay(float weight, long from, long to) {
        if (halfLifeMillis <= 0 || to <= from) {
            return weight;
        }
        // exp rather than pow(0.5, ...): the same value to a float's precision, at a fraction of the cost (a recompute
        // decays every interaction of the member).
        return (float) (weight * Math.exp((to - from) * decayPerMilli));
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
        compacted.sort(BY_TIME_AND_TITLE);
        if (compacted.size() > maxTitles) {
            return new ArrayList<>(compacted.subList(compacted.size() - maxTitles, compacted.size()));
        }
        return compacted;
    }

    /**
     * Merges new entries into a history that {@link #compact} produced: the same result as compacting both
     * together, at a cost linear in the history (a recompute usually adds a few entries to hundreds), where
     * compacting everything hashes and sorts the whole history again.
     */
    public List<Interaction> merge(List<Interaction> compacted, List<Interaction> appended) {
        if (appended.isEmpty()) {
            return compacted;
        }
        if (appended.size() > MAX_MERGED) {
            List<Interaction> all = new ArrayList<>(compacted.size() + appended.size());
            all.addAll(compacted);
            all.addAll(appended);
            return compact(all);
        }
        List<Interaction> merged = new ArrayList<>(compacted.size() + appended.size());
        for (Interaction entry : compacted) {
            merged.add(new Interaction(entry.titleId, entry.weight, entry.time));
        }
        boolean[] done = new boolean[appended.size()];
        List<Interaction> group = new ArrayList<>();
        for (int i = 0; i < appended.size(); i++) {
            if (done[i]) {
                continue;
            }
            String title = appended.get(i).titleId;
            int existing = -1;
            for (int j = 0; j < merged.size() && existing < 0; j++) {
                if (merged.get(j).titleId.equals(title)) {
                    existing = j;
                }
            }
            // The title's entries in the order compact() would meet them: by time, the stored one first on ties.
            group.clear();
            if (existing >= 0) {
                group.add(merged.get(existing));
            }
            for (int k = i; k < appended.size(); k++) {
                if (!done[k] && appended.get(k).titleId.equals(title)) {
                    group.add(appended.get(k));
                    done[k] = true;
                }
            }
            group.sort(Comparator.comparingLong(entry -> entry.time));
            Interaction first = group.get(0);
            Interaction result = new Interaction(first.titleId, first.weight, first.time);
            for (int k = 1; k < group.size(); k++) {
                Interaction entry = group.get(k);
                result.weight = decay(result.weight, result.time, entry.time) + entry.weight;
                result.time = Math.max(result.time, entry.time);
            }
            if (existing >= 0) {
                merged.set(existing, result);
            } else {
                merged.add(result);
            }
        }
        // Nearly sorted already (changed entries move towards the end): TimSort takes it in one pass.
        merged.sort(BY_TIME_AND_TITLE);
        if (merged.size() > maxTitles) {
            return new ArrayList<>(merged.subList(merged.size() - maxTitles, merged.size()));
        }
        return merged;
    }
}
