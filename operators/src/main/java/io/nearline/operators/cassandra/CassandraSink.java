package io.nearline.operators.cassandra;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A Sink V2 for Cassandra on Flink's {@link AsyncSinkBase}: idempotent upserts of one table through a
 * {@link CassandraRowMapper}, with a bounded number of requests in flight and retries with backoff. See
 * {@link CassandraSinkWriter} for the error contract and metrics.
 */
public class CassandraSink<T> extends AsyncSinkBase<T, CassandraWrite> {

    private static final long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

    private final CassandraConnection connection;
    private final String insertCql;
    private final int maxRetries;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final CassandraRowMapper<T> mapper;
    private final long writeBehindMillis;
    private final int maxHeldRows;

    private CassandraSink(CassandraRowMapper<T> mapper, CassandraConnection connection, int maxBatchSize, int maxInFlight,
            Duration maxTimeInBuffer, int maxRetries, Duration retryBaseDelay, Duration retryMaxDelay, Duration writeBehind,
            int maxHeldRows) {
        super((record, context) -> new CassandraWrite(withWriteTime(mapper, record), mapper.partitionKeyColumns()),
                maxBatchSize, maxInFlight, Math.max(maxBatchSize * maxInFlight * 2, 10_000),
                MAX_BUFFERED_BYTES, maxTimeInBuffer.toMillis(), MAX_BUFFERED_BYTES);
        this.connection = connection;
        this.insertCql = insertCql(mapper);
        this.maxRetries = maxRetries;
        this.retryBaseDelay = retryBaseDelay;
        this.retryMaxDelay = retryMaxDelay;
        this.mapper = mapper;
        this.writeBehindMillis = writeBehind.toMillis();
        this.maxHeldRows = maxHeldRows;
    }

    /** A sink for the mapper's table, configured by {@link CassandraOptions}. */
    public static <T> CassandraSink<T> of(CassandraRowMapper<T> mapper, ReadableConfig config) {
        int maxBatchSize = positive(config, CassandraOptions.MAX_BATCH_SIZE);
        int maxInFlight = positive(config, CassandraOptions.MAX_IN_FLIGHT);
        int maxRetries = config.get(CassandraOptions.MAX_RETRIES);
        if (maxRetries < 0) {
            throw new IllegalArgumentException(CassandraOptions.MAX_RETRIES.key() + " must not be negative");
        }
        return new CassandraSink<>(mapper, CassandraConnection.from(config), maxBatchSize, maxInFlight,
                config.get(CassandraOptions.MAX_TIME_IN_BUFFER), maxRetries,
                config.get(CassandraOptions.RETRY_BASE_DELAY), config.get(CassandraOptions.RETRY_MAX_DELAY),
                notNegative(config, CassandraOptions.WRITE_BEHIND), positive(config, CassandraOptions.WRITE_BEHIND_MAX_ROWS));
    }

    static String insertCql(CassandraRowMapper<?> mapper) {
        List<String> columns = mapper.columns();
        return "INSERT INTO " + mapper.table() + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")"
                + (mapper.usesWriteTime() ? " USING TIMESTAMP ?" : "");
    }

    /** The row's values, followed by its write time when the mapper gives one (the last bind marker). */
    private static <T> Object[] withWriteTime(CassandraRowMapper<T> mapper, T record) {
        Object[] values = mapper.values(record);
        if (!mapper.usesWriteTime()) {
            return values;
        }
        Object[] withTime = java.util.Arrays.copyOf(values, values.length + 1);
        withTime[values.length] = mapper.writeTimeMicros(record);
        return withTime;
    }

    private static Duration notNegative(ReadableConfig config, org.apache.flink.configuration.ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative()) {
            throw new IllegalArgumentException(option.key() + " must not be negative, not " + value);
        }
        return value;
    }

    private static int positive(ReadableConfig config, org.apache.flink.configuration.ConfigOption<Integer> option) {
        int value = config.get(option);
        if (value < 1) {
            throw new IllegalArgumentException(option.key() + " must be at least 1, not " + value);
        }
        return value;
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<CassandraWrite>> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<CassandraWrite>> restoreWriter(WriterInitContext context,
            Collection<BufferedRequestState<CassandraWrite>> state) {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .build();
        return new CassandraSinkWriter<>(getElementConverter(), context, configuration, state, connection, insertCql,
                maxRetries, BackoffStrategy.exponentialDelayHalfJitter(retryBaseDelay, retryMaxDelay), mapper::primaryKey,
                writeBehindMillis, maxHeldRows);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<CassandraWrite>> getWriterStateSerializer() {
        return new CassandraWriteSerializer();
    }
}
