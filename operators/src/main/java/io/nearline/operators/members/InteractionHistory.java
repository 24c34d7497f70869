package io.nearline.operators.members;

import java.util.ArrayList;
import java.util.List;

/**
 * A member's compacted interactions as one value (a Flink POJO of three arrays): reading and writing it
 * costs one state access and a few array copies, where a list of hundreds of entries would cost one
 * serializer call per entry.
 */
public class InteractionHistory {

    public String[] titles;
    public float[] weights;
    public long[] times;

    public InteractionHistory() {}

    public static InteractionHistory of(List<Interaction> interactions) {
        InteractionHistory history = new InteractionHistory();
        int n = interactions.size();
        history.titles = new String[n];
        history.weights = new float[n];
        history.times = new long[n];
        for (int i = 0; i < n; i++) {
            Interaction interaction = interactions.get(i);
            history.titles[i] = interaction.titleId;
            history.weights[i] = interaction.weight;
            history.times[i] = interaction.time;
        }
        return history;
    }

    public List<Interaction> toList() {
        List<Interaction> list = new ArrayList<>(titles == null ? 0 : titles.length);
        for (int i = 0; titles != null && i < titles.length; i++) {
            list.add(new Interaction(titles[i], weights[i], times[i]));
        }
        return list;
    }
}
