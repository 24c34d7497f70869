package io.nearline.operators.members;

/** What was last emitted for a member (a Flink POJO): for inspection and for the online API's fallbacks. */
public class EmittedRow {

    public String rowName;
    public String[] titles;
    public String modelVersion;
    public long computedAt;
    public long newestEventTime;

    public EmittedRow() {}

    public EmittedRow(String rowName, String[] titles, String modelVersion, long computedAt, long newestEventTime) {
        this.rowName = rowName;
        this.titles = titles;
        this.modelVersion = modelVersion;
        this.computedAt = computedAt;
        this.newestEventTime = newestEventTime;
    }
}
