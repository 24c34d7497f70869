package io.nearline.operators.offline;

import io.nearline.operators.members.InteractionWeights;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Weighted interactions from offline data, as TrainJob, the similars build and the savepoint bootstrap read them:
 * all three weigh them alike, so they share these sources.
 */
public final class OfflineInteractions {

    private OfflineInteractions() {}

    /** Interactions from a ratings file in the MovieLens formats ({@code u.data} or {@code ratings.csv}). */
    public static DataStream<Rated> ratings(StreamExecutionEnvironment env, ReadableConfig config, String uri) {
        FileSource<String> source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(uri)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "ratings")
                .flatMap(new ParseRatings(new InteractionWeights(config)))
                .name("weigh ratings");
    }

    /** Interactions from the archive of UI events that NearlineJob writes. */
    public static DataStream<Rated> archive(StreamExecutionEnvironment env, ReadableConfig config, String uri) {
        // Avro's specific reader (UiEvent objects); files whose names start with '.' or '_', such as the
        // archive's in-progress files, are skipped.
        AvroInputFormat<UiEvent> format = new AvroInputFormat<>(new Path(uri), UiEvent.class);
        format.setNestedFileEnumeration(true);
        return env.createInput(format, TypeInformation.of(UiEvent.class))
                .name("archive")
                .flatMap(new WeighEvents(new InteractionWeights(config)))
                .name("weigh events");
    }
}
