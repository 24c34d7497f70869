package io.nearline.schemas;

import io.nearline.schemas.event.Browse;
import io.nearline.schemas.event.Impression;
import io.nearline.schemas.event.ListAdd;
import io.nearline.schemas.event.ListRemove;
import io.nearline.schemas.event.PlayCompleted;
import io.nearline.schemas.event.PlayProgress;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.PlayStopped;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.Scroll;
import io.nearline.schemas.event.Search;
import io.nearline.schemas.event.UiEvent;

import java.util.Locale;

/** The kinds of UI event, one per payload type, by the names used in configuration and archive paths. */
public enum EventKind {
    PLAY_STARTED(PlayStarted.class),
    PLAY_PROGRESS(PlayProgress.class),
    PLAY_STOPPED(PlayStopped.class),
    PLAY_COMPLETED(PlayCompleted.class),
    RATING(Rating.class),
    LIST_ADD(ListAdd.class),
    LIST_REMOVE(ListRemove.class),
    IMPRESSION(Impression.class),
    BROWSE(Browse.class),
    SCROLL(Scroll.class),
    SEARCH(Search.class);

    private final Class<?> payloadType;

    EventKind(Class<?> payloadType) {
        this.payloadType = payloadType;
    }

    public static EventKind of(UiEvent event) {
        Object payload = event.getPayload();
        for (EventKind kind : values()) {
            if (kind.payloadType.isInstance(payload)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("event " + event.getEventId() + " has no known payload: " + payload);
    }

    /** The name in configuration and archive paths, such as {@code play-started}. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code play-started}, {@code PLAY_STARTED} or {@code play_started}. */
    public static EventKind parse(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (EventKind kind : values()) {
            if (kind.name().equals(normalized)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event kind '" + name + "'; known: "
                + java.util.Arrays.stream(values()).map(EventKind::externalName).toList());
    }
}
