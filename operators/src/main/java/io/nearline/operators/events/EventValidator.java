package io.nearline.operators.events;

import io.nearline.schemas.event.Impression;
import io.nearline.schemas.event.ListAdd;
import io.nearline.schemas.event.ListRemove;
import io.nearline.schemas.event.PlayCompleted;
import io.nearline.schemas.event.PlayProgress;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.PlayStopped;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.Scroll;
import io.nearline.schemas.event.UiEvent;

import java.time.Duration;
import java.time.Instant;

/** Checks what the schema cannot: ids present, a plausible event time, sane numbers. */
public final class EventValidator {

    /** Events before this are clock errors or forgeries. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /** Ids longer than this are refused: they would bloat state and exceed what stores accept as keys. */
    public static final int MAX_ID_LENGTH = 256;

    private final long maxFutureSkewMillis;

    public EventValidator(Duration maxFutureSkew) {
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    public DecodeResult validate(UiEvent event, long nowMillis) {
        String missing = firstBlank(event);
        if (missing != null) {
            return DecodeResult.rejected(DeadLetterReason.MISSING_ID, missing + " is missing or blank");
        }
        String invalid = firstInvalidId(event);
        if (invalid != null) {
            return DecodeResult.rejected(DeadLetterReason.INVALID_ID, invalid);
        }
        long time = event.getEventTime().toEpochMilli();
        if (time < EARLIEST_EVENT_TIME.toEpochMilli()) {
            return DecodeResult.rejected(DeadLetterReason.EVENT_TIME_TOO_OLD, "eventTime " + event.getEventTime()
                    + " is before " + EARLIEST_EVENT_TIME);
        }
        if (time > nowMillis + maxFutureSkewMillis) {
            return DecodeResult.rejected(DeadLetterReason.EVENT_TIME_IN_FUTURE, "eventTime " + event.getEventTime()
                    + " is more than " + Duration.ofMillis(maxFutureSkewMillis) + " ahead of "
                    + Instant.ofEpochMilli(nowMillis));
        }
        String badNumber = firstInvalidNumber(event.getPayload());
        if (badNumber != null) {
            return DecodeResult.rejected(DeadLetterReason.INVALID_NUMBER, badNumber);
        }
        return DecodeResult.valid(event);
    }

    private static String firstBlank(UiEvent event) {
        if (isBlank(event.getEventId())) {
            return "eventId";
        }
        if (isBlank(event.getMemberId())) {
            return "memberId";
        }
        if (isBlank(event.getProfileId())) {
            return "profileId";
        }
        Object payload = event.getPayload();
        String titleId = titleIdOf(payload);
        if (titleId != null && titleId.isBlank()) {
            return "payload.titleId";
        }
        if (payload instanceof Impression impression && impression.getTitleIds().stream().anyMatch(EventValidator::isBlank)) {
            return "payload.titleIds";
        }
        return null;
    }

    private static String firstInvalidId(UiEvent event) {
        String[][] ids = {{"eventId", event.getEventId()}, {"memberId", event.getMemberId()},
            {"profileId", event.getProfileId()}, {"payload.titleId", titleIdOf(event.getPayload())}};
        for (String[] id : ids) {
            if (id[1] != null && !isValidId(id[1])) {
                return id[0] + " is longer than " + MAX_ID_LENGTH + " characters or has control characters";
            }
        }
        if (event.getPayload() instanceof Impression impression
                && !impression.getTitleIds().stream().allMatch(EventValidator::isValidId)) {
            return "payload.titleIds has an id longer than " + MAX_ID_LENGTH + " characters or with control characters";
        }
        return null;
    }

    private static boolean isValidId(String id) {
        return id.length() <= MAX_ID_LENGTH && id.chars().noneMatch(Character::isISOControl);
    }

    private static String firstInvalidNumber(Object payload) {
        if (payload instanceof PlayStarted p) {
            return nonNegative("positionSeconds", p.getPositionSeconds());
        } else if (payload instanceof PlayProgress p) {
            return firstNonNull(nonNegative("positionSeconds", p.getPositionSeconds()),
                    nonNegative("durationSeconds", p.getDurationSeconds()));
        } else if (payload instanceof PlayStopped p) {
            return firstNonNull(nonNegative("positionSeconds", p.getPositionSeconds()),
                    nonNegative("durationSeconds", p.getDurationSeconds()));
        } else if (payload instanceof PlayCompleted p) {
            return nonNegative("durationSeconds", p.getDurationSeconds());
        } else if (payload instanceof Rating r) {
            Double stars = r.getStars();
            return stars == null || (stars >= 0.5 && stars <= 5.0) ? null : "stars " + stars + " is outside 0.5..5";
        } else if (payload instanceof Impression i) {
            return i.getPositions().stream().anyMatch(p -> p < 0)
                    ? "impression positions " + i.getPositions() + " contain a negative" : null;
        } else if (payload instanceof Scroll s) {
            return s.getFromPosition() < 0 || s.getToPosition() < 0
                    ? "scroll positions " + s.getFromPosition() + ".." + s.getToPosition() + " are negative" : null;
        }
        return null;
    }

    /** The title an event is about, or null for kinds about several titles or none. */
    public static String titleIdOf(Object payload) {
        if (payload instanceof PlayStarted p) {
            return p.getTitleId();
        } else if (payload instanceof PlayProgress p) {
            return p.getTitleId();
        } else if (payload instanceof PlayStopped p) {
            return p.getTitleId();
        } else if (payload instanceof PlayCompleted p) {
            return p.getTitleId();
        } else if (payload instanceof Rating p) {
            return p.getTitleId();
        } else if (payload instanceof ListAdd p) {
            return p.getTitleId();
        } else if (payload instanceof ListRemove p) {
            return p.getTitleId();
        }
        return null;
    }

    private static String nonNegative(String field, double value) {
        return Double.isFinite(value) && value >= 0 ? null : field + " is " + value;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
