package io.nearline.serving.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request to {@code POST /v1/events} refused before anything of it was sent: its HTTP status (400, 413 or 415), a
 * one-line reason naming the field, and the index of the event at fault when one is (null when the whole body is).
 */
public final class EventRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Integer index;

    EventRefusal(int status, String message, Integer index) {
        super(message, null, false, false);
        this.status = status;
        this.index = index;
    }

    static EventRefusal badRequest(String message) {
        return new EventRefusal(400, message, null);
    }

    static EventRefusal badEvent(int index, String message) {
        return new EventRefusal(400, message, index);
    }

    static EventRefusal tooLarge(String message) {
        return new EventRefusal(413, message, null);
    }

    static EventRefusal unsupportedType(String message) {
        return new EventRefusal(415, message, null);
    }

    public int status() {
        return status;
    }

    /** The event at fault, or null. */
    public Integer index() {
        return index;
    }

    /** The JSON answer: {@code {"error": ..., "index": ...}}, the index only when an event is at fault. */
    public Map<String, Object> answer() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", getMessage());
        if (index != null) {
            answer.put("index", index);
        }
        return answer;
    }
}
