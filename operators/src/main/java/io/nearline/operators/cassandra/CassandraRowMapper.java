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

    /** The values in the order of {@link #columns()}; each must be Serializable and of a type the driver maps. */
    Object[] values(T record);
}
