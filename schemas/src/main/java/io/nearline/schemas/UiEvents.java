package io.nearline.schemas;

import io.nearline.schemas.event.Browse;
import io.nearline.schemas.event.DeviceType;
import io.nearline.schemas.event.EventContext;
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
import io.nearline.schemas.event.Thumb;
import io.nearline.schemas.event.UiEvent;

import java.time.Instant;
import java.util.List;

/** Short ways to build events, for generators, tools and tests. */
public final class UiEvents {

    private UiEvents() {}

    public static EventContext context(DeviceType device, String country) {
        return EventContext.newBuilder()
                .setDeviceType(device)
                .setCountry(country)
                .setAppVersion("1.0.0")
                .setSessionId("")
                .build();
    }

    /** An event of the member's only profile, from a TV in the US. */
    public static UiEvent event(String eventId, String memberId, Instant time, Object payload) {
        return UiEvent.newBuilder()
                .setEventId(eventId)
                .setMemberId(memberId)
                .setProfileId(memberId)
                .setEventTime(time)
                .setContext(context(DeviceType.TV, "US"))
                .setPayload(payload)
                .build();
    }

    /** One event of the given kind about a title, with plausible values for the other fields. */
    public static Object payload(EventKind kind, String titleId) {
        return switch (kind) {
            case PLAY_STARTED -> new PlayStarted(titleId, 0.0);
            case PLAY_PROGRESS -> new PlayProgress(titleId, 600.0, 5400.0);
            case PLAY_STOPPED -> new PlayStopped(titleId, 1200.0, 5400.0);
            case PLAY_COMPLETED -> new PlayCompleted(titleId, 5400.0);
            case RATING -> new Rating(titleId, Thumb.UP, 4.5);
            case LIST_ADD -> new ListAdd(titleId);
            case LIST_REMOVE -> new ListRemove(titleId);
            case IMPRESSION -> new Impression("top-picks", List.of(0, 1), List.of(titleId, titleId + "-next"));
            case BROWSE -> new Browse("home");
            case SCROLL -> new Scroll("top-picks", 0, 5);
            case SEARCH -> new Search("space", List.of(titleId));
        };
    }
}
