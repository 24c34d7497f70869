package io.nearline.schemas;

import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.UiEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UiEventCodecTest {

    private final UiEventCodec codec = new UiEventCodec();
    private final Instant time = Instant.parse("2026-11-21T20:15:30.123Z");

    @ParameterizedTest
    @EnumSource(EventKind.class)
    void everyKindRoundTrips(EventKind kind) throws Exception {
        UiEvent event = UiEvents.event("e-1", "m-1", time, UiEvents.payload(kind, "t-9"));

        UiEvent decoded = codec.decode(codec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(EventKind.of(decoded)).isEqualTo(kind);
    }

    @Test
    void eventWrittenWithVersionOneIsReadByTheCurrentSchema() throws Exception {
        Schema v1 = UiEventCodec.knownVersions().get(0);
        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(UiEvent.SCHEMA$));
        GenericRecord context = new GenericData.Record(v1.getField("context").schema());
        context.put("deviceType", new GenericData.EnumSymbol(context.getSchema().getField("deviceType").schema(), "PHONE"));
        context.put("country", "BR");
        context.put("appVersion", "0.9");
        Schema playStarted = v1.getField("payload").schema().getTypes().stream()
                .filter(s -> s.getName().equals("PlayStarted")).findFirst().orElseThrow();
        GenericRecord payload = new GenericData.Record(playStarted);
        payload.put("titleId", "t-1");
        payload.put("positionSeconds", 12.5);
        GenericRecord old = new GenericData.Record(v1);
        old.put("eventId", "e-old");
        old.put("memberId", "m-old");
        old.put("profileId", "p-old");
        old.put("eventTime", time.toEpochMilli());
        old.put("context", context);
        old.put("payload", payload);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        UiEvent read = codec.decode(bytes);

        assertThat(read.getEventId()).isEqualTo("e-old");
        assertThat(read.getProfileId()).isEqualTo("p-old");
        assertThat(read.getEventTime()).isEqualTo(time);
        assertThat(read.getContext().getCountry()).isEqualTo("BR");
        assertThat(read.getContext().getSessionId()).as("field added in v2 takes its default").isEmpty();
        assertThat(read.getPayload()).isEqualTo(new PlayStarted("t-1", 12.5));
    }

    @Test
    void bytesWithoutTheSingleObjectMarkerAreRejected() {
        assertThatThrownBy(() -> codec.decode("{\"json\": true}".getBytes()))
                .isInstanceOf(BadHeaderException.class);
    }

    @Test
    void unknownFingerprintIsRejected() {
        byte[] bytes = codec.encode(UiEvents.event("e", "m", time, UiEvents.payload(EventKind.BROWSE, "t")));
        ByteBuffer.wrap(bytes).putLong(2, 0x0123456789abcdefL);

        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(MissingSchemaException.class);
    }

    @Test
    void truncatedDatumIsRejected() {
        byte[] bytes = codec.encode(UiEvents.event("e", "m", time, UiEvents.payload(EventKind.RATING, "t")));

        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOfAny(java.io.IOException.class, org.apache.avro.AvroRuntimeException.class);
    }
}
