package io.nearline.sinks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The record Flink's sink test suite writes through our sinks: an id and a value, ordered by id. */
public record SinkTestRow(String id, int value) implements Comparable<SinkTestRow>, Serializable {

    @Override
    public int compareTo(SinkTestRow other) {
        int byId = id.compareTo(other.id);
        return byId != 0 ? byId : Integer.compare(value, other.value);
    }

    /** Rows with ids unique to the seed, as the suite asks for fresh data for each part of a test. */
    static List<SinkTestRow> generate(long seed) {
        Random random = new Random(seed);
        int count = 50 + random.nextInt(150);
        List<SinkTestRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new SinkTestRow("s" + Long.toHexString(seed) + "-" + i, random.nextInt()));
        }
        return rows;
    }
}
