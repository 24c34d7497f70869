package io.nearline.operators.cassandra;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/** One row to upsert, as buffered (and checkpointed) by the sink. */
public final class CassandraWrite implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Object[] values;
    private final int partitionKeyColumns;
    /** Retries so far; not checkpointed, since a restore starts a fresh budget. */
    private transient int retries;

    public CassandraWrite(Object[] values, int partitionKeyColumns) {
        this.values = values;
        this.partitionKeyColumns = partitionKeyColumns;
    }

    public Object[] values() {
        return values;
    }

    public int partitionKeyColumns() {
        return partitionKeyColumns;
    }

    /** The partition key values, which decide which rows may share an unlogged batch. */
    public List<Object> partitionKey() {
        return Arrays.asList(values).subList(0, partitionKeyColumns);
    }

    int retries() {
        return retries;
    }

    void countRetry() {
        retries++;
    }

    long sizeInBytes() {
        long size = 16;
        for (Object value : values) {
            if (value == null) {
                size += 1;
            } else if (value instanceof java.util.Collection<?> collection) {
                size += 16L + 16L * collection.size();
            } else {
                size += 8L + String.valueOf(value).length();
            }
        }
        return size;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
