package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes buffered rows to Cassandra with one prepared INSERT: rows of the same partition in one request go
 * as an unlogged batch (one partition, so no coordinator fan-out), others as single statements.
 *
 * <p>Error contract: a write that fails with a retryable error ({@link CassandraErrors}) is retried after an
 * exponential backoff with jitter, up to {@code nearline.cassandra.max-retries} times; then, or at once for
 * a fatal error (authentication, invalid query, schema mismatch), the sink fails the job with the cause,
 * and the job restarts from its last checkpoint. Writes are upserts by primary key, so replays are harmless.
 *
 * <p>Write-behind ({@code nearline.cassandra.write-behind}): rows are held by primary key and the newest of each is
 * written when the interval ends, so a row updated several times within it is written once. Held rows are in every
 * checkpoint, so a restore loses nothing; they are not written at the checkpoint, which would make the checkpoint
 * wait until Cassandra took them all (the writer drains its buffer while it waits for requests in flight).
 *
 * <p>Metrics (besides the sink's standard numRecordsOut and numRecordsSendErrors): {@code cassandra.retries},
 * {@code cassandra.errors}, {@code cassandra.writeLatencyMs}, {@code cassandra.requestsInFlight},
 * {@code cassandra.heldRows} and {@code cassandra.conflatedRows} (writes saved by write-behind).
 */
class CassandraSinkWriter<T> extends AsyncSinkWriter<T, CassandraWrite> {

    private static final Logger LOG = LoggerFactory.getLogger(CassandraSinkWriter.class);

    private final CassandraConnection connection;
    private final String insertCql;
    private final int maxRetries;
    private final BackoffStrategy backoff;
    private final CqlSession session;
    private final PreparedStatement insert;
    private final CodecRegistry codecs;
    /** The codec each bind variable last took: looking one up inspects the value (a list's elements too). */
    private final TypeCodec<Object>[] columnCodecs;
    private final ScheduledExecutorService retryTimer;
    private final Counter retries;
    private final Counter errors;
    private final Counter sendErrors;
    private final Histogram latency;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ElementConverter<T, CassandraWrite> converter;
    private final java.util.function.Function<T, List<Object>> primaryKey;
    private final long writeBehindMillis;
    private final int maxHeldRows;
    private final ProcessingTimeService time;
    /** Rows held for write-behind, the newest of each primary key, in the order their keys were first held. */
    private final Map<List<Object>, T> held = new LinkedHashMap<>();
    private boolean releaseScheduled;
    private final Counter conflated;

    CassandraSinkWriter(ElementConverter<T, CassandraWrite> converter, WriterInitContext context,
            AsyncSinkWriterConfiguration configuration, Collection<BufferedRequestState<CassandraWrite>> state,
            CassandraConnection connection, String insertCql, int maxRetries, BackoffStrategy backoff,
            java.util.function.Function<T, List<Object>> primaryKey,
            long writeBehindMillis, int maxHeldRows) {
        super(converter, context, configuration, state);
        this.converter = converter;
        this.primaryKey = primaryKey;
        this.writeBehindMillis = writeBehindMillis;
        this.maxHeldRows = maxHeldRows;
        this.time = context.getProcessingTimeService();
        this.connection = connection;
        this.insertCql = insertCql;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.session = SharedSessions.acquire(connection);
        try {
            this.insert = session.prepare(insertCql);
        } catch (RuntimeException e) {
            SharedSessions.release(connection);
            // A missing table or a column of another type: the schema does not match, retrying cannot help.
            throw new CassandraSinkException("cannot prepare '" + insertCql + "' in " + connection, e);
        }
        this.codecs = session.getContext().getCodecRegistry();
        @SuppressWarnings("unchecked")
        TypeCodec<Object>[] resolved = new TypeCodec[insert.getVariableDefinitions().size()];
        this.columnCodecs = resolved;
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cassandra-sink-retries");
            thread.setDaemon(true);
            return thread;
        });
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.sendErrors = metrics.getNumRecordsSendErrorsCounter();
        var group = metrics.addGroup("cassandra");
        // Updated from the driver's I/O threads, hence thread-safe counters.
        this.retries = group.counter("retries", new ThreadSafeSimpleCounter());
        this.errors = group.counter("errors", new ThreadSafeSimpleCounter());
        this.latency = group.histogram("writeLatencyMs", new DescriptiveStatisticsHistogram(1000));
        group.gauge("requestsInFlight", inFlight::get);
        group.gauge("heldRows", held::size);
        this.conflated = group.counter("conflatedRows");
        LOG.info("Cassandra sink writing '{}' to {}", insertCql, connection);
    }

    @Override
    public void write(T element, Context context) throws java.io.IOException, InterruptedException {
        if (writeBehindMillis <= 0) {
            super.write(element, context);
            return;
        }
        List<Object> key = primaryKey.apply(element);
        if (held.put(key, element) != null) {
            conflated.inc();
        }
        if (held.size() >= maxHeldRows) {
            release(); // bounded memory: a burst of new keys is written early rather than held
        } else if (!releaseScheduled) {
            releaseScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + writeBehindMillis, now -> {
                releaseScheduled = false;
                release();
            });
        }
    }

    /** Hands every held row to the buffer that writes them. */
    private void release() throws java.io.IOException, InterruptedException {
        if (held.isEmpty()) {
            return;
        }
        List<T> due = new ArrayList<>(held.values());
        held.clear();
        for (T element : due) {
            super.write(element, NO_CONTEXT);
        }
    }

    /**
     * At the end of the input (a bounded job, or a stop with {@code --drain}) the held rows are written. At a
     * checkpoint they stay held and go into its state ({@link #snapshotState}): releasing them here made every
     * checkpoint wait until Cassandra had taken the whole interval's rows, a stall of the member operator's thread
     * at each checkpoint.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (endOfInput) {
            try {
                release();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        super.flush(endOfInput);
    }

    /** The buffered rows and the held ones: a job restored from the checkpoint writes them. */
    @Override
    public List<BufferedRequestState<CassandraWrite>> snapshotState(long checkpointId) {
        List<BufferedRequestState<CassandraWrite>> state = new ArrayList<>(super.snapshotState(checkpointId));
        if (!held.isEmpty()) {
            List<RequestEntryWrapper<CassandraWrite>> entries = new ArrayList<>(held.size());
            for (T element : held.values()) {
                CassandraWrite write = converter.apply(element, NO_CONTEXT);
                entries.add(new RequestEntryWrapper<>(write, getSizeInBytes(write)));
            }
            state.add(new BufferedRequestState<>(entries));
        }
        return state;
    }

    /** The converter reads no context (no event time, no watermark). */
    private static final Context NO_CONTEXT = new Context() {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    @Override
    protected void submitRequestEntries(List<CassandraWrite> entries, ResultHandler<CassandraWrite> handler) {
        Map<List<Object>, List<CassandraWrite>> byPartition = new LinkedHashMap<>();
        for (CassandraWrite entry : entries) {
            byPartition.computeIfAbsent(entry.partitionKey(), k -> new ArrayList<>()).add(entry);
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>(byPartition.size());
        List<CassandraWrite> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> causes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> fatal = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (List<CassandraWrite> partition : byPartition.values()) {
            inFlight.incrementAndGet();
            writes.add(session.executeAsync(statement(partition)).toCompletableFuture()
                    .handle((AsyncResultSet result, Throwable error) -> {
                        inFlight.decrementAndGet();
                        if (error != null) {
                            errors.inc();
                            if (CassandraErrors.isRetryable(error)) {
                                failed.addAll(partition);
                                causes.add(CassandraErrors.unwrap(error));
                            } else {
                                fatal.add(CassandraErrors.unwrap(error));
                            }
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).whenComplete((ignored, e) -> {
            latency.update(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            if (!fatal.isEmpty()) {
                sendErrors.inc(entries.size());
                handler.completeExceptionally(new CassandraSinkException(
                        "fatal error writing to Cassandra with '" + insertCql + "'", fatal.get(0)));
            } else if (failed.isEmpty()) {
                handler.complete();
            } else {
                retry(failed, causes.get(causes.size() - 1), handler);
            }
        });
    }

    private void retry(List<CassandraWrite> failed, Throwable lastCause, ResultHandler<CassandraWrite> handler) {
        int attempt = 0;
        for (CassandraWrite write : failed) {
            write.countRetry();
            attempt = Math.max(attempt, write.retries());
        }
        if (attempt > maxRetries) {
            sendErrors.inc(failed.size());
            handler.completeExceptionally(new CassandraSinkException("writes to Cassandra still failed after "
                    + maxRetries + " retries; " + connection + " may be down", lastCause));
            return;
        }
        retries.inc(failed.size());
        long delay = backoff.computeDelay(attempt).toMillis();
        LOG.warn("Retrying {} Cassandra writes in {} ms (retry {} of {})", failed.size(), delay, attempt, maxRetries);
        retryTimer.schedule(() -> handler.retryForEntries(failed), delay, TimeUnit.MILLISECONDS);
    }

    private Statement<?> statement(List<CassandraWrite> partition) {
        if (partition.size() == 1) {
            return bind(partition.get(0));
        }
        List<BoundStatement> rows = new ArrayList<>(partition.size());
        partition.forEach(write -> rows.add(bind(write)));
        return BatchStatement.newInstance(BatchType.UNLOGGED).addAll(rows);
    }

    /** Binds the non-null values; null ones stay unset, so no tombstones are written. */
    private BoundStatement bind(CassandraWrite write) {
        BoundStatementBuilder builder = insert.boundStatementBuilder();
        Object[] values = write.values();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                // The registry picks the codec from the column's CQL type and the value itself (lists included), at a
                // cost: once per column, again only if a value's Java type changes. Lists of text and floats take
                // ListCodecs' encoders.
                TypeCodec<Object> codec = columnCodecs[i];
                if (codec == null || !codec.accepts(values[i])) {
                    var type = insert.getVariableDefinitions().get(i).getType();
                    codec = ListCodecs.forColumn(type);
                    if (codec == null || !codec.accepts(values[i])) {
                        codec = codecs.codecFor(type, values[i]);
                    }
                    columnCodecs[i] = codec;
                }
                builder = builder.set(i, values[i], codec);
            }
        }
        return builder.build();
    }

    @Override
    protected long getSizeInBytes(CassandraWrite entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        super.close();
        SharedSessions.release(connection);
    }
}
