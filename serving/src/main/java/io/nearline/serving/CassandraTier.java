package io.nearline.serving;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cassandra.CassandraConnection;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The Cassandra tier: members' rows and factors, similar titles, trending rows. The session is opened in the
 * background and again after a failure to open, so that the service starts, and serves its fallback, while
 * Cassandra is down.
 */
final class CassandraTier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraTier.class);

    /** What a query reads, prepared once per session. */
    private record Statements(CqlSession session, PreparedStatement rows, PreparedStatement similars,
            PreparedStatement factor, PreparedStatement trending) {}

    /** A member's factor as member_factors holds it. */
    record Factor(String modelVersion, float[] factor, List<String> watched, List<Float> watchedWeights, Instant updatedAt) {}

    /** A title's similar titles. */
    record Similars(List<String> titles, List<Float> scores) {}

    /** A trending row. */
    record Trending(String region, List<String> titles, Instant windowEnd) {}

    private final CassandraConnection connection;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cassandra-connect");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Statements statements;
    private volatile String unavailable = "not connected yet";

    CassandraTier(ReadableConfig config) {
        this.connection = CassandraConnection.from(config);
        connector.execute(this::connect);
    }

    private void connect() {
        try {
            CqlSession session = connection.open(true);
            statements = new Statements(session,
                    session.prepare("SELECT row_name, anchor_title, titles, scores, model_name, model_version, computed_at "
                            + "FROM recommendations WHERE member_id = ?"),
                    session.prepare("SELECT similar_titles, scores FROM similars "
                            + "WHERE algorithm = ? AND algorithm_version = ? AND title_id = ?"),
                    session.prepare("SELECT model_version, factor, watched, watched_weights, updated_at FROM member_factors "
                            + "WHERE member_id = ? AND model_name = ?"),
                    session.prepare("SELECT region, titles, window_end FROM trending"));
            LOG.info("connected to Cassandra ({})", connection);
        } catch (RuntimeException e) {
            unavailable = "cannot connect: " + e.getMessage();
            LOG.warn("cannot connect to Cassandra ({}): {}; trying again in 5 s", connection, e.getMessage());
            connector.schedule(this::connect, 5, TimeUnit.SECONDS);
        }
    }

    boolean connected() {
        return statements != null;
    }

    List<ServedRow> rows(String member, long timeoutMillis) throws TierException {
        Statements s = ready();
        return query(s.rows().bind(member), timeoutMillis, "rows", rs -> {
            List<ServedRow> rows = new ArrayList<>();
            for (Row row : rs.currentPage()) {
                Instant computed = row.getInstant("computed_at");
                rows.add(new ServedRow(row.getString("row_name"), row.getString("anchor_title"), row.getList("titles", String.class),
                        row.getList("scores", Float.class), ServedRow.CASSANDRA, row.getString("model_name"),
                        row.getString("model_version"), computed == null ? 0 : computed.toEpochMilli(), 0));
            }
            return rows;
        });
    }

    Similars similars(String algorithm, String version, String title, long timeoutMillis) throws TierException {
        Statements s = ready();
        return query(s.similars().bind(algorithm, version, title), timeoutMillis, "similars", rs -> {
            Row row = rs.one();
            return row == null ? null : new Similars(row.getList("similar_titles", String.class), row.getList("scores", Float.class));
        });
    }

    Factor factor(String member, String modelName, long timeoutMillis) throws TierException {
        Statements s = ready();
        return query(s.factor().bind(member, modelName), timeoutMillis, "member factor", rs -> {
            Row row = rs.one();
            if (row == null) {
                return null;
            }
            List<Float> values = row.getList("factor", Float.class);
            float[] factor = new float[values.size()];
            for (int k = 0; k < factor.length; k++) {
                factor[k] = values.get(k);
            }
            List<String> watched = row.isNull("watched") ? List.of() : row.getList("watched", String.class);
            List<Float> weights = row.isNull("watched_weights") ? List.of() : row.getList("watched_weights", Float.class);
            return new Factor(row.getString("model_version"), factor, watched, weights, row.getInstant("updated_at"));
        });
    }

    List<Trending> trending(long timeoutMillis) throws TierException {
        Statements s = ready();
        return query(s.trending().bind(), timeoutMillis, "trending", rs -> {
            List<Trending> rows = new ArrayList<>();
            for (Row row : rs.currentPage()) {
                rows.add(new Trending(row.getString("region"), row.getList("titles", String.class), row.getInstant("window_end")));
            }
            return rows;
        });
    }

    private Statements ready() throws TierException {
        Statements s = statements;
        if (s == null) {
            throw new TierException("Cassandra is unavailable (" + unavailable + ")", null);
        }
        return s;
    }

    private <T> T query(BoundStatement statement, long timeoutMillis, String what, Function<AsyncResultSet, T> read)
            throws TierException {
        CompletableFuture<AsyncResultSet> future = statements.session().executeAsync(statement).toCompletableFuture();
        try {
            return read.apply(future.get(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TierException("Cassandra did not answer the " + what + " query within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TierException("interrupted while reading Cassandra", e);
        } catch (ExecutionException e) {
            throw new TierException("Cassandra failed the " + what + " query: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        connector.shutdownNow();
        Statements s = statements;
        if (s != null) {
            s.session().close();
        }
    }
}
