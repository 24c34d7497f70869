package io.nearline.bench;

import io.nearline.operators.events.DecodeResult;
import io.nearline.operators.events.EventDecoder;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;

/** Decoding and validating UI events from their wire bytes, as the job's decode operator does. */
public class DecodeBenchmark {

    private static final int RECORDS = 8192;

    /** A mix of every event kind, encoded once. */
    @State(Scope.Benchmark)
    public static class Records {
        final byte[][] bytes = new byte[RECORDS][];
        final long now = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();

        @Setup
        public void encode() {
            UiEventCodec codec = new UiEventCodec();
            EventKind[] kinds = EventKind.values();
            for (int i = 0; i < RECORDS; i++) {
                bytes[i] = codec.encode(UiEvents.event("event-" + i, "member-" + (i % 1000),
                        Instant.ofEpochMilli(now - i * 10L), UiEvents.payload(kinds[i % kinds.length], "title-" + (i % 5000))));
            }
        }
    }

    /** One decoder per thread, as one per operator instance in the job. */
    @State(Scope.Thread)
    public static class Decoder {
        final EventDecoder decoder = new EventDecoder(Duration.ofMinutes(5));
        int next;
    }

    @Benchmark
    public DecodeResult decode(Records records, Decoder decoder) {
        int i = decoder.next++ & (RECORDS - 1);
        return decoder.decoder.decode(records.bytes[i], records.now);
    }
}
