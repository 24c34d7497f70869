package io.nearline.operators.archive;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Puts each event under {@code kind=<kind>/date=<yyyy-MM-dd>/hour=<HH>} of its event time in UTC, so
 * offline jobs read exactly the kinds and hours they need. Used with {@link FileSink}.
 */
public class ArchiveBucketAssigner implements BucketAssigner<UiEvent, String> {

    private static final DateTimeFormatter PARTITION =
            DateTimeFormatter.ofPattern("'date='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    public static String bucketOf(UiEvent event) {
        return "kind=" + EventKind.of(event).externalName() + "/" + PARTITION.format(event.getEventTime());
    }

    @Override
    public String getBucketId(UiEvent event, Context context) {
        return bucketOf(event);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
