package io.nearline.serving.events;

/**
 * How a refusal names where the fault is: {@code events[3].payload.titleId} in a batch, {@code payload.titleId} for
 * a request of one event.
 */
final class EventPaths {

    private EventPaths() {}

    /** The event itself: {@code events[3]} in a batch, empty for a single event. */
    static String event(int index, boolean batch) {
        return batch ? "events[" + index + "]" : "";
    }

    /** A field below {@code path}. */
    static String field(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A statement about the thing at {@code path} that is not about one of its fields. */
    static String about(String path, String statement) {
        return path.isEmpty() ? statement : path + ": " + statement;
    }
}
