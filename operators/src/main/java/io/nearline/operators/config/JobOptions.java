package io.nearline.operators.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Settings of the nearline job as a whole. */
public final class JobOptions {

    public static final ConfigOption<String> JOB_NAME = ConfigOptions.key("nearline.job.name")
            .stringType()
            .defaultValue("nearline")
            .withDescription("The name the job runs under on the cluster.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("nearline.job.checkpoint-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How often to checkpoint, unless Flink's execution.checkpointing.interval is set. The "
                    + "archive commits its files and the dead-letter topic its transactions at checkpoints.");

    public static final ConfigOption<Duration> BUFFER_TIMEOUT = ConfigOptions.key("nearline.job.buffer-timeout")
            .durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("How long a network buffer between tasks may wait to fill before it is sent, unless Flink's "
                    + "execution.buffer-timeout.interval is set. An event crosses two shuffles on its way to member state: "
                    + "Flink's default (100 ms) could add up to 200 ms to a row's freshness.");

    public static final ConfigOption<Boolean> UNALIGNED_CHECKPOINTS = ConfigOptions.key("nearline.job.unaligned-checkpoints")
            .booleanType()
            .defaultValue(true)
            .withDescription("Checkpoint without aligning barriers, unless Flink's execution.checkpointing.unaligned.enabled "
                    + "is set: under load a barrier then overtakes the queued events instead of holding member state up "
                    + "behind them (measured in docs/architecture.md).");

    public static final ConfigOption<Boolean> OBJECT_REUSE = ConfigOptions.key("nearline.job.object-reuse")
            .booleanType()
            .defaultValue(true)
            .withDescription("Hand records between chained operators without copying them, unless Flink's "
                    + "pipeline.object-reuse is set. No operator of the job changes or keeps a record it is given, so "
                    + "the copies (a deep copy of every event and row, each through Avro) bought nothing.");

    public static final ConfigOption<Boolean> HEAP_TIMERS = ConfigOptions.key("nearline.job.heap-timers")
            .booleanType()
            .defaultValue(true)
            .withDescription("Keep timers on the heap beside RocksDB state, unless Flink's "
                    + "state.backend.rocksdb.timer-service.factory is set. The job's timers are few (a member's pending "
                    + "recompute, trending panes): on the heap a recompute saves a RocksDB write and delete, and a "
                    + "checkpoint's synchronous phase is shorter.");

    public static final ConfigOption<Integer> MAX_PARALLELISM = ConfigOptions.key("nearline.job.max-parallelism")
            .intType()
            .defaultValue(128)
            .withDescription("The number of key groups member state is split into: the most subtasks any keyed operator "
                    + "can ever run with. Fixed for the life of the job's state: a savepoint restores only into the same "
                    + "value, and bin/nearline savepoint bootstrap writes it into new savepoints. Flink's default for "
                    + "parallelism up to 85 is 128, so this matches savepoints taken before it was set.");

    public static final ConfigOption<List<ResultSink>> RESULT_SINKS = ConfigOptions.key("nearline.job.result-sinks")
            .enumType(ResultSink.class).asList()
            .defaultValues(ResultSink.CASSANDRA, ResultSink.CACHE)
            .withDescription("Where results go: CASSANDRA (member rows, factors and trending rows) and CACHE (member rows "
                    + "and trending rows, memcached). An empty list writes nowhere, for runs that only ingest.");

    public static final ConfigOption<Boolean> CHECK_CONNECTIONS = ConfigOptions.key("nearline.job.check-connections")
            .booleanType()
            .defaultValue(true)
            .withDescription("Before the job starts, connect once to Kafka and (if results go there) Cassandra with the "
                    + "job's credentials and TLS settings: a refusal fails the submission with one line. A store that "
                    + "does not answer only gets a warning. Turn off where the submitting process cannot reach them.");

    /** The stores results are written to. */
    public enum ResultSink { CASSANDRA, CACHE }

    private JobOptions() {}
}
