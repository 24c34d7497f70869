package io.nearline.schemas;

/**
 * The names of the rows the job writes ({@code row_name} in Cassandra, the row part of a cache key). The job
 * writes them and the online service reads them, so they live here rather than in either.
 */
public final class RowNames {

    /** The row of personal picks. */
    public static final String TOP_PICKS = "top-picks";
    /** The titles a member started lately (live context, cache only): the service leaves them out of the rows. */
    public static final String WATCHING = "watching";
    /** The prefix of "because you watched" rows; the slot follows it (1 for the newest watched title). */
    public static final String BECAUSE_YOU_WATCHED = "because-you-watched:";

    private RowNames() {}
}
