package io.nearline.operators.archive;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

import java.io.IOException;

/**
 * Rolls a part file at every checkpoint (bulk formats must, for exactly-once commits), and also when it
 * reaches a size or an age, so that busy hours are split into files of a useful size.
 */
public class ArchiveRollingPolicy extends CheckpointRollingPolicy<UiEvent, String> {

    private final long maxPartSizeBytes;
    private final long rolloverIntervalMillis;

    public ArchiveRollingPolicy(long maxPartSizeBytes, long rolloverIntervalMillis) {
        this.maxPartSizeBytes = maxPartSizeBytes;
        this.rolloverIntervalMillis = rolloverIntervalMillis;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFile, UiEvent element) throws IOException {
        return partFile.getSize() >= maxPartSizeBytes;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFile, long now) {
        return now - partFile.getCreationTime() >= rolloverIntervalMillis;
    }
}
