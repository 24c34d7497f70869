package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.DeviceType;
import io.nearline.schemas.event.PlayProgress;
import io.nearline.schemas.event.UiEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** One malformed record for each dead-letter reason, as a misbehaving client would send them (shared with the ITCases). */
public final class MalformedRecords {

    private static final UiEventCodec CODEC = new UiEventCodec();

    private MalformedRecords() {}

    /** One record per reason; {@code tag} makes the bytes unique, {@code now} is the decoder's clock. */
    public static Map<DeadLetterReason, byte[]> oneOfEachReason(String tag, Instant now) {
        UiEvent valid = UiEvents.event("bad-" + tag, "member-bad", now.minusSeconds(5),
                UiEvents.payload(EventKind.PLAY_STARTED, "title-1"));
        byte[] validBytes = CODEC.encode(valid);
        Map<DeadLetterReason, byte[]> bad = new EnumMap<>(DeadLetterReason.class);

        bad.put(DeadLetterReason.NOT_AVRO, ("{\"event\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8));

        byte[] unknown = validBytes.clone();
        ByteBuffer.wrap(unknown).putLong(2, 0x5eed_0000_0000_0000L + tag.hashCode());
        bad.put(DeadLetterReason.UNKNOWN_SCHEMA, unknown);

        bad.put(DeadLetterReason.TRUNCATED, Arrays.copyOf(validBytes, validBytes.length - 1));

        byte[] negativeLength = validBytes.clone();
        negativeLength[10] = 0x01;
        bad.put(DeadLetterReason.MALFORMED, negativeLength);

        byte[] tv = validBytes;
        byte[] other = CODEC.encode(UiEvent.newBuilder(valid).setContext(UiEvents.context(DeviceType.OTHER, "US")).build());
        int at = 0;
        while (tv[at] == other[at]) {
            at++;
        }
        byte[] enumOut = tv.clone();
        enumOut[at] = 0x22;
        bad.put(DeadLetterReason.UNKNOWN_ENUM_SYMBOL, enumOut);

        bad.put(DeadLetterReason.MISSING_ID, CODEC.encode(UiEvent.newBuilder(valid).setMemberId(" ").build()));
        bad.put(DeadLetterReason.INVALID_ID, CODEC.encode(UiEvent.newBuilder(valid).setMemberId("m".repeat(300)).build()));
        bad.put(DeadLetterReason.EVENT_TIME_TOO_OLD,
                CODEC.encode(UiEvent.newBuilder(valid).setEventTime(Instant.parse("1999-06-01T00:00:00Z")).build()));
        bad.put(DeadLetterReason.EVENT_TIME_IN_FUTURE,
                CODEC.encode(UiEvent.newBuilder(valid).setEventTime(now.plus(Duration.ofDays(2))).build()));
        bad.put(DeadLetterReason.INVALID_NUMBER,
                CODEC.encode(UiEvent.newBuilder(valid).setPayload(new PlayProgress("title-1", Double.NaN, 100.0)).build()));
        return bad;
    }
}
