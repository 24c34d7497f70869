package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.PlayProgress;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.Scroll;
import io.nearline.schemas.event.Thumb;
import io.nearline.schemas.event.UiEvent;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static io.nearline.operators.events.TestEvents.CODEC;
import static io.nearline.operators.events.TestEvents.NOW;
import static org.assertj.core.api.Assertions.assertThat;

class EventDecoderTest {

    private final EventDecoder decoder = new EventDecoder(Duration.ofMinutes(5));

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(bytes, NOW.toEpochMilli());
    }

    private DecodeResult decode(UiEvent event) {
        return decode(CODEC.encode(event));
    }

    private static UiEvent valid() {
        return TestEvents.event("e-1", "m-1", EventKind.PLAY_STARTED);
    }

    @Test
    void validEventIsDecoded() {
        DecodeResult result = decode(valid());

        assertThat(result.isValid()).isTrue();
        assertThat(result.event()).isEqualTo(valid());
    }

    @Test
    void bytesThatAreNotAvroAreRejected() {
        assertThat(decode("{\"member\":\"m-1\"}".getBytes()).reason()).isEqualTo(DeadLetterReason.NOT_AVRO);
        assertThat(decode(new byte[0]).reason()).isEqualTo(DeadLetterReason.NOT_AVRO);
        assertThat(decoder.decode(null, NOW.toEpochMilli()).reason()).isEqualTo(DeadLetterReason.NOT_AVRO);
    }

    @Test
    void unknownFingerprintIsRejected() {
        byte[] bytes = CODEC.encode(valid());
        ByteBuffer.wrap(bytes).putLong(2, 42L);

        assertThat(decode(bytes).reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
    }

    @Test
    void truncatedPayloadIsRejected() {
        byte[] bytes = CODEC.encode(valid());

        for (int cut = 11; cut < bytes.length; cut += 3) {
            DecodeResult result = decode(Arrays.copyOf(bytes, cut));
            assertThat(result.reason()).as("cut at %d of %d", cut, bytes.length)
                    .isIn(DeadLetterReason.TRUNCATED, DeadLetterReason.MALFORMED);
        }
        DecodeResult lastByteMissing = decode(Arrays.copyOf(bytes, bytes.length - 1));
        assertThat(lastByteMissing.reason()).as(lastByteMissing.detail()).isEqualTo(DeadLetterReason.TRUNCATED);
    }

    @Test
    void negativeLengthIsMalformed() {
        byte[] bytes = CODEC.encode(valid());
        bytes[10] = 0x01; // the event id's length, zig-zag encoded: -1

        assertThat(decode(bytes).reason()).isEqualTo(DeadLetterReason.MALFORMED);
    }

    @Test
    void enumIndexOutsideTheSymbolsIsRejected() {
        DecodeResult result = decode(MalformedRecords.oneOfEachReason("enum", NOW).get(DeadLetterReason.UNKNOWN_ENUM_SYMBOL));

        assertThat(result.reason()).as(result.detail()).isEqualTo(DeadLetterReason.UNKNOWN_ENUM_SYMBOL);
    }

    @Test
    void blankIdsAreRejected() {
        assertThat(decode(UiEvent.newBuilder(valid()).setEventId(" ").build()).reason())
                .isEqualTo(DeadLetterReason.MISSING_ID);
        assertThat(decode(UiEvent.newBuilder(valid()).setMemberId("").build()).detail()).contains("memberId");
        assertThat(decode(UiEvent.newBuilder(valid()).setProfileId("").build()).reason())
                .isEqualTo(DeadLetterReason.MISSING_ID);
        assertThat(decode(UiEvent.newBuilder(valid()).setPayload(new PlayStarted("", 0.0)).build()).detail())
                .contains("titleId");
    }

    @Test
    void overlongOrControlCharacterIdsAreRejected() {
        assertThat(decode(UiEvent.newBuilder(valid()).setMemberId("m".repeat(257)).build()).reason())
                .isEqualTo(DeadLetterReason.INVALID_ID);
        assertThat(decode(UiEvent.newBuilder(valid()).setEventId("e\u00001").build()).reason())
                .isEqualTo(DeadLetterReason.INVALID_ID);
        assertThat(decode(UiEvent.newBuilder(valid()).setMemberId("m".repeat(256)).build()).isValid()).isTrue();
    }

    @Test
    void forgedHugeLengthIsMalformedWithoutAllocatingIt() {
        byte[] bytes = CODEC.encode(valid());
        // The event id's length as a zig-zag varint of 2^30: far beyond the record and Avro's limit.
        byte[] forged = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, forged, 0, 10);
        forged[10] = (byte) 0x80;
        forged[11] = (byte) 0x80;
        forged[12] = (byte) 0x80;
        forged[13] = (byte) 0x80;
        forged[14] = (byte) 0x08;
        System.arraycopy(bytes, 11, forged, 15, bytes.length - 11);

        DecodeResult result = decode(forged);

        assertThat(result.reason()).as(result.detail()).isIn(DeadLetterReason.MALFORMED, DeadLetterReason.TRUNCATED);
    }

    @Test
    void eventTimesBefore2000AreRejected() {
        UiEvent old = UiEvent.newBuilder(valid()).setEventTime(Instant.parse("1999-12-31T23:59:59Z")).build();

        assertThat(decode(old).reason()).isEqualTo(DeadLetterReason.EVENT_TIME_TOO_OLD);
    }

    @Test
    void eventTimesBeyondTheFutureMarginAreRejected() {
        UiEvent nearFuture = UiEvent.newBuilder(valid()).setEventTime(NOW.plus(Duration.ofMinutes(4))).build();
        UiEvent farFuture = UiEvent.newBuilder(valid()).setEventTime(NOW.plus(Duration.ofMinutes(6))).build();

        assertThat(decode(nearFuture).isValid()).isTrue();
        assertThat(decode(farFuture).reason()).isEqualTo(DeadLetterReason.EVENT_TIME_IN_FUTURE);
    }

    @Test
    void nanOrNegativeNumbersAreRejected() {
        Object[] payloads = {
            new PlayStarted("t", Double.NaN),
            new PlayStarted("t", -1.0),
            new PlayProgress("t", 10.0, Double.NEGATIVE_INFINITY),
            new PlayProgress("t", 10.0, -5.0),
            new Rating("t", Thumb.UP, Double.NaN),
            new Rating("t", null, 9.0),
            new Scroll("row", -1, 3),
        };
        for (Object payload : payloads) {
            DecodeResult result = decode(UiEvent.newBuilder(valid()).setPayload(payload).build());
            assertThat(result.reason()).as("payload %s", payload).isEqualTo(DeadLetterReason.INVALID_NUMBER);
        }
    }

    @Test
    void everyKindWithPlausibleValuesIsValid() {
        for (EventKind kind : EventKind.values()) {
            assertThat(decode(TestEvents.event("e-" + kind, "m", kind)).isValid()).as("%s", kind).isTrue();
        }
    }
}
