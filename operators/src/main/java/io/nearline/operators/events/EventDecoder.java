package io.nearline.operators.events;

import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.event.UiEvent;
import org.apache.avro.AvroTypeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * Turns bytes into a valid {@link UiEvent} or says why they are not one. Never throws on any input:
 * every failure of decoding or validation becomes a {@link DecodeResult#rejected rejection}.
 */
public final class EventDecoder {

    private final UiEventCodec codec = new UiEventCodec();
    private final EventValidator validator;

    public EventDecoder(Duration maxFutureSkew) {
        this.validator = new EventValidator(maxFutureSkew);
    }

    /** Decodes and validates; {@code nowMillis} bounds how far in the future an event time may be. */
    public DecodeResult decode(byte[] bytes, long nowMillis) {
        if (bytes == null || bytes.length == 0) {
            return DecodeResult.rejected(DeadLetterReason.NOT_AVRO, "empty record");
        }
        UiEvent event;
        try {
            event = codec.decode(bytes);
        } catch (BadHeaderException e) {
            return DecodeResult.rejected(DeadLetterReason.NOT_AVRO, "no Avro single-object marker");
        } catch (MissingSchemaException e) {
            return DecodeResult.rejected(DeadLetterReason.UNKNOWN_SCHEMA, oneLine(e.getMessage()));
        } catch (EOFException e) {
            return DecodeResult.rejected(DeadLetterReason.TRUNCATED, "datum ends early");
        } catch (AvroTypeException e) {
            String message = oneLine(e.getMessage());
            return message.contains("Enumeration out of range") || message.contains("enum")
                    ? DecodeResult.rejected(DeadLetterReason.UNKNOWN_ENUM_SYMBOL, message)
                    : DecodeResult.rejected(DeadLetterReason.MALFORMED, message);
        } catch (IOException | RuntimeException e) {
            // AvroRuntimeException, IndexOutOfBounds, NegativeArraySize, ...: damaged bytes.
            return DecodeResult.rejected(DeadLetterReason.MALFORMED,
                    e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
        } catch (OutOfMemoryError e) {
            // A forged length can ask for a huge array; that is the record's fault, not the job's.
            return DecodeResult.rejected(DeadLetterReason.MALFORMED, "a length in the datum is too large");
        }
        return validator.validate(event, nowMillis);
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
