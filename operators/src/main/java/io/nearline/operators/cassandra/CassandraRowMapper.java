package io.nearline.operators.cassandra;

import java.io.Serializable;
import java.util.List;

/**
 * How one kind of record becomes one row: the table, its columns in order (partition key columns first),
 * and the values to bind. A null value is left unset, so it writes no tombstone.
 */
public interface CassandraRowMapper<T> extends Serializable {

    String table();

    List<String> columns();

    /** How many of the first {@link #columns()} form the partition key. */
    int partitionKeyColumns();

    /** How many of the first columns make the primary key (the partition key, then the clustering columns). */
    default int primaryKeyColumns() {
        return partitionKeyColumns();
    }

    /**
     * The row's primary key values (the first {@link #primaryKeyColumns()} of {@link #values}), for write-behind to
     * keep the newest row per key. Mappers override it where building every value would be wasted work.
     */
    default List<Object> primaryKey(T record) {
        return List.copyOf(java.util.Arrays.asList(values(record)).subList(0, primaryKeyColumns()));
    }

    /** The values in the order of {@link #columns()}; each must be Serializable and of a type the driver maps. */
    Object[] values(T record);

    /**
     * Whether rows carry their own write time ({@link #writeTimeMicros}). With it, Cassandra keeps the newest
     * version of a row whatever order writes arrive in: a retried or replayed older write loses to a newer one.
     */
    default boolean usesWriteTime() {
        return false;
    }

    /** Microseconds since the epoch, Cassandra's unit of write time. */
    static long micros(java.time.Instant time) {
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
    }

    /** The row's write time in microseconds since the epoch, when {@link #usesWriteTime()}. */
    default long writeTimeMicros(T record) {
        throw new UnsupportedOperationException(table() + " rows carry no write time");
    }
}
