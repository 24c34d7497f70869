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
        } catch (IOException | RuntimeException e) {
            // Includes Avro's limit errors for forged lengths (see UiEventCodec).
            return classify(e);
        }
        return validator.validate(event, nowMillis);
    }

    /** Names the failure: Avro wraps the real cause, so the whole cause chain is looked at. */
    private static DecodeResult classify(Exception failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof BadHeaderException) {
                return DecodeResult.rejected(DeadLetterReason.NOT_AVRO, "no Avro single-object marker");
            }
            if (e instanceof MissingSchemaException) {
                return DecodeResult.rejected(DeadLetterReason.UNKNOWN_SCHEMA, oneLine(e.getMessage()));
            }
            if (e instanceof EOFException) {
                return DecodeResult.rejected(DeadLetterReason.TRUNCATED, "datum ends early");
            }
            if (readingEnum(e)) {
                return DecodeResult.rejected(DeadLetterReason.UNKNOWN_ENUM_SYMBOL, oneLine(e.getMessage()));
            }
        }
        return DecodeResult.rejected(DeadLetterReason.MALFORMED,
                failure.getClass().getSimpleName() + ": " + oneLine(failure.getMessage()));
    }

    /** Avro reports an enum index outside the symbols as a bare index or type error thrown while reading an enum. */
    private static boolean readingEnum(Throwable e) {
        if (!(e instanceof IndexOutOfBoundsException || e instanceof AvroTypeException)) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getMethodName().equals("readEnum")) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
