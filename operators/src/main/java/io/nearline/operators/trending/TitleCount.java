package io.nearline.operators.trending;

import java.util.Objects;

/**
 * The plays of one title in one region within one pane (a tumbling window), as the window operator emits them (a Flink POJO,
 * and the element of {@link TopTitles}' buffered state).
 */
public class TitleCount {

    public String region;
    public String titleId;
    public long count;
    /** Milliseconds since the epoch, inclusive. */
    public long windowStart;
    /** Milliseconds since the epoch, exclusive. */
    public long windowEnd;

    public TitleCount() {}

    public TitleCount(String region, String titleId, long count, long windowStart, long windowEnd) {
        this.region = region;
        this.titleId = titleId;
        this.count = count;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TitleCount other && count == other.count && windowStart == other.windowStart
                && windowEnd == other.windowEnd && Objects.equals(region, other.region)
                && Objects.equals(titleId, other.titleId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, titleId, count, windowStart, windowEnd);
    }

    @Override
    public String toString() {
        return region + "/" + titleId + "=" + count + "@[" + windowStart + "," + windowEnd + ")";
    }
}
