package io.nearline.operators.archive;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/**
 * The archive of every valid event: Avro container files written by Flink's {@link FileSink} to any Flink
 * file system (S3 in production), partitioned by kind, date and hour, committed exactly once with
 * checkpoints. It is the input of offline training.
 */
public final class EventArchive {

    /** Part files are named {@code events-<uid>-<n>.avro}. */
    public static final String PART_PREFIX = "events";
    public static final String PART_SUFFIX = ".avro";

    private EventArchive() {}

    public static FileSink<UiEvent> sink(ReadableConfig config) {
        return FileSink.forBulkFormat(new Path(config.get(ArchiveOptions.PATH)), AvroWriters.forSpecificRecord(UiEvent.class))
                .withBucketAssigner(new ArchiveBucketAssigner())
                .withRollingPolicy(new ArchiveRollingPolicy(
                        config.get(ArchiveOptions.MAX_PART_SIZE).getBytes(),
                        config.get(ArchiveOptions.ROLLOVER_INTERVAL).toMillis()))
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PART_PREFIX).withPartSuffix(PART_SUFFIX).build())
                .build();
    }
}
