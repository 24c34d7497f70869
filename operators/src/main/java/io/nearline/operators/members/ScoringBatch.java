package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Members folded in within one scoring delay, waiting to be scored together when it ends: the first member
 * taken scores them all ({@link Recommender#rank}, one pass over each model's item factors), the others find
 * their result ready. Held in memory only: after a restore, each member's own timer recomputes it from state.
 */
final class ScoringBatch {

    /** What a member's rows need besides its titles. */
    record Pending(ModelArtifact model, List<Interaction> compacted, long newestEventTime, String country) {}

    /** A member's titles with what its rows need. */
    record Scored(Pending pending, Recommender.Result result) {}

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Recommender.Scoring> scorings = new LinkedHashMap<>();
    private Map<String, Recommender.Result> results;

    /** Adds a member; a member added again is scored once, with its newest fold-in. */
    void add(String member, Pending entry, Recommender.Scoring scoring) {
        pending.put(member, entry);
        scorings.put(member, scoring);
    }

    /** The member's result, scoring the whole batch first if nobody has yet; null if the member is not in it. */
    Scored take(String member, Recommender recommender) {
        Pending entry = pending.remove(member);
        if (entry == null) {
            return null;
        }
        if (results == null) {
            List<String> members = new ArrayList<>(scorings.keySet());
            List<Recommender.Result> ranked = recommender.rank(new ArrayList<>(scorings.values()));
            results = new HashMap<>(members.size() * 2);
            for (int i = 0; i < members.size(); i++) {
                results.put(members.get(i), ranked.get(i));
            }
            scorings.clear();
        }
        return new Scored(entry, results.remove(member));
    }

    /** Whether the batch was scored already (its first member taken). */
    boolean scored() {
        return results != null;
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
