package io.nearline.operators.members;

import java.util.Objects;

/**
 * One weighted interaction of a member with a title, as kept in member state. A Flink POJO: public fields
 * and a no-argument constructor keep its serializer fast and its state schema evolvable.
 */
public class Interaction {

    public String titleId;
    /** Positive for interest, negative for disinterest; already decayed to {@link #time}. */
    public float weight;
    /** Event time in epoch milliseconds. */
    public long time;

    public Interaction() {}

    public Interaction(String titleId, float weight, long time) {
        this.titleId = titleId;
        this.weight = weight;
        this.time = time;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interaction other && titleId.equals(other.titleId) && weight == other.weight && time == other.time;
    }

    @Override
    public int hashCode() {
        return Objects.hash(titleId, weight, time);
    }

    @Override
    public String toString() {
        return titleId + ":" + weight + "@" + time;
    }
}
