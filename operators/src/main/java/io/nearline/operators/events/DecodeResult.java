package io.nearline.operators.events;

import io.nearline.schemas.event.UiEvent;

/** Either a valid event, or the reason and detail why the bytes are not one. */
public record DecodeResult(UiEvent event, DeadLetterReason reason, String detail) {

    public static DecodeResult valid(UiEvent event) {
        return new DecodeResult(event, null, null);
    }

    public static DecodeResult rejected(DeadLetterReason reason, String detail) {
        return new DecodeResult(null, reason, detail);
    }

    public boolean isValid() {
        return event != null;
    }
}
