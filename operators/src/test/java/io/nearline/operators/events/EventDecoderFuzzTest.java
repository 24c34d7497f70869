package io.nearline.operators.events;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.event.UiEvent;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes either decode to a valid event or become a dead letter with a reason; nothing escapes the decoder.
 * The seeds (resources, EventDecoderFuzzTestInputs) are valid events of every kind; {@code bin/nearline fuzz decoder}
 * fuzzes from them, and what it finds is kept there as a regression case.
 */
class EventDecoderFuzzTest {

    /** A minute after the seeds' event time, so that they are valid events. */
    private static final long NOW = java.time.Instant.parse("2026-11-30T20:01:00Z").toEpochMilli();
    private static final EventDecoder DECODER = new EventDecoder(Duration.ofMinutes(5));
    private static final UiEventCodec CODEC = new UiEventCodec();

    @FuzzTest(maxDuration = "60s")
    void anyBytesDecodeToAValidEventOrADeadLetterWithAReason(byte[] bytes) throws Exception {
        DecodeResult result = DECODER.decode(bytes, NOW);

        if (result.isValid()) {
            UiEvent event = result.event();
            assertThat(result.reason()).isNull();
            // A valid event is whole: it encodes and decodes to itself.
            assertThat(CODEC.decode(CODEC.encode(event))).isEqualTo(event);
        } else {
            assertThat(result.event()).isNull();
            assertThat(result.reason()).isNotNull();
            assertThat(result.detail()).isNotBlank().doesNotContain("\n");
        }
    }
}
