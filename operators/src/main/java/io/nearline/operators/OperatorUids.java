package io.nearline.operators;

import java.util.ArrayList;
import java.util.List;

/**
 * Every operator uid the jobs set, in one place. A savepoint maps state to operators by uid, so these strings never
 * change: a renamed uid leaves its state behind on restore. The job sets them, the savepoint tools find state by
 * them; {@code OperatorUidsTest} (topology) fails when a stateful operator of NearlineJob has no uid from
 * {@link #NEARLINE_JOB}, or a listed uid is no longer in the graph.
 */
public final class OperatorUids {

    // NearlineJob, in the order of its graph.
    public static final String EVENTS_SOURCE = "ui-events-source";
    public static final String DECODE = "decode-events";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String EVENT_TIME = "event-time";
    public static final String DEDUPLICATE = "deduplicate-events";
    public static final String ARCHIVE_SINK = "archive-sink";
    /** The stateless extraction of plays (kept stable with the others). */
    public static final String TRENDING_PLAYS = "trending-plays";
    /**
     * The window operator counting plays per region, title and pane. (Before panes it counted per sliding window
     * under the uid "trending-window-counts"; a savepoint of then restores with {@code --allow-non-restored-state}
     * and trending rows are complete again one window later.)
     */
    public static final String TRENDING_PANE_COUNTS = "trending-pane-counts";
    /** The ranking per region ({@code trending.TopTitles}). */
    public static final String TRENDING_TOP_TITLES = "trending-top-titles";
    public static final String TRENDING_CASSANDRA_SINK = "trending-cassandra-sink";
    public static final String TRENDING_CACHE_SINK = "trending-cache-sink";
    public static final String CLASSIFY = "classify-events";
    public static final String MODELS_SOURCE = "published-source";
    public static final String DESCRIPTORS = "published-descriptors";
    public static final String TRENDING_FALLBACK = "trending-fallback";
    /** The member operator; its state descriptors are in {@code members.MemberStates}. */
    public static final String MEMBER_STATE = "member-recommendations";
    public static final String ROWS_CASSANDRA_SINK = "rows-cassandra-sink";
    public static final String ROWS_CACHE_SINK = "rows-cache-sink";
    public static final String STARTED_TITLES = "started-titles";
    /** The cache sink of the started-titles ("watching") rows; rows and these go through two sink instances. */
    public static final String WATCHING_CACHE_SINK = "watching-cache-sink";
    public static final String FACTORS_CASSANDRA_SINK = "factors-cassandra-sink";

    /** Every uid NearlineJob sets: what the savepoint tools name a savepoint's operators by. */
    public static final List<String> NEARLINE_JOB = List.of(EVENTS_SOURCE, DECODE, DEAD_LETTER_SINK, EVENT_TIME,
            DEDUPLICATE, ARCHIVE_SINK, TRENDING_PLAYS, TRENDING_PANE_COUNTS, TRENDING_TOP_TITLES, TRENDING_CASSANDRA_SINK,
            TRENDING_CACHE_SINK, CLASSIFY, MODELS_SOURCE, DESCRIPTORS, TRENDING_FALLBACK, MEMBER_STATE,
            ROWS_CASSANDRA_SINK, ROWS_CACHE_SINK, STARTED_TITLES, WATCHING_CACHE_SINK, FACTORS_CASSANDRA_SINK);

    // CheckedNearlineJob: NearlineJob and its sequence check.
    public static final String SEQUENCE_CHECK = "sequence-check";
    public static final String SEQUENCE_CHECK_ALERTS = "sequence-check-alerts";

    /** Every uid CheckedNearlineJob sets. */
    public static final List<String> CHECKED_NEARLINE_JOB = concat(NEARLINE_JOB, SEQUENCE_CHECK, SEQUENCE_CHECK_ALERTS);

    // SimilarsBuildJob: a batch job, restored from no savepoint; the uids keep its operators' names stable.
    public static final String SIMILARS_SHARDS = "similars-shards";
    public static final String SIMILARS_BUILD = "similars-build";
    public static final String SIMILARS_CASSANDRA_SINK = "similars-cassandra-sink";

    /** Every uid SimilarsBuildJob sets. */
    public static final List<String> SIMILARS_BUILD_JOB = List.of(SIMILARS_SHARDS, SIMILARS_BUILD, SIMILARS_CASSANDRA_SINK);

    private OperatorUids() {}

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
