package io.nearline.operators.members;

/**
 * When a member's factor was last written to member_factors, with which model version, and when the pending
 * newer one is due (a Flink POJO, kept in keyed state).
 */
public class FactorWrite {

    /** Processing time of the last write, epoch milliseconds. */
    public long writtenAt;
    /** Processing time the pending factor is written at; 0 if none is pending. */
    public long dueAt;
    public String modelName;
    public String modelVersion;

    public FactorWrite() {}

    public FactorWrite(long writtenAt, long dueAt, String modelName, String modelVersion) {
        this.writtenAt = writtenAt;
        this.dueAt = dueAt;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    /**
     * How much after the interval a member's pending factor is due: a fixed share of the interval by member, so
     * that the members who all became active at once (a start, a restore) do not all write at the same moment.
     */
    static long spread(String member, long intervalMillis) {
        return Math.floorMod(member.hashCode() * 0x9E3779B97F4A7C15L, intervalMillis);
    }

    /** Whether a factor of this model version may be written at {@code now}, or must wait for the interval. */
    boolean allowsWriteAt(long now, long intervalMillis, String name, String version) {
        return !name.equals(modelName) || !version.equals(modelVersion) || (dueAt == 0 && now - writtenAt >= intervalMillis);
    }
}
