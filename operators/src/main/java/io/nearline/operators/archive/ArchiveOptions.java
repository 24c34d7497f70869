package io.nearline.operators.archive;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;

/** Settings of the event archive. */
public final class ArchiveOptions {

    public static final ConfigOption<String> PATH = ConfigOptions.key("nearline.archive.path")
            .stringType()
            .defaultValue("file:///tmp/nearline/archive")
            .withDescription("Where the archive of every valid event goes: any Flink file system URI, such as "
                    + "s3://bucket/archive in production. Files land under kind=/date=/hour= partitions.");

    public static final ConfigOption<MemorySize> MAX_PART_SIZE = ConfigOptions.key("nearline.archive.max-part-size")
            .memoryType()
            .defaultValue(MemorySize.parse("128mb"))
            .withDescription("A part file is closed when it reaches this size, besides at every checkpoint.");

    public static final ConfigOption<Duration> ROLLOVER_INTERVAL = ConfigOptions.key("nearline.archive.rollover-interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("A part file is closed when it is this old, besides at every checkpoint.");

    private ArchiveOptions() {}
}
