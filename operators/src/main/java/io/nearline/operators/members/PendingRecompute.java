package io.nearline.operators.members;

/** A recompute that a timer will run: when, and the newest event time it will include (a Flink POJO). */
public class PendingRecompute {

    /** Processing time of the registered timer. */
    public long timer;
    /** Event time of the newest interaction since the last recompute. */
    public long newestEventTime;

    public PendingRecompute() {}

    public PendingRecompute(long timer, long newestEventTime) {
        this.timer = timer;
        this.newestEventTime = newestEventTime;
    }
}
