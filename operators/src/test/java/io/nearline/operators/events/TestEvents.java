package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;

import java.time.Instant;

/** Events and their bytes for the tests of this package. */
final class TestEvents {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final UiEventCodec CODEC = new UiEventCodec();

    private TestEvents() {}

    static UiEvent event(String eventId, String member, EventKind kind) {
        return UiEvents.event(eventId, member, NOW.minusSeconds(1), UiEvents.payload(kind, "t-1"));
    }

    static RawEvent raw(UiEvent event, long offset) {
        return raw(CODEC.encode(event), offset);
    }

    static RawEvent raw(byte[] bytes, long offset) {
        return new RawEvent("ui-events", 3, offset, NOW.toEpochMilli(), bytes);
    }
}
