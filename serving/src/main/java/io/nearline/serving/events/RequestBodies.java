package io.nearline.serving.events;

import java.io.IOException;
import java.io.InputStream;

/** Reads a request body, but never more than a limit: a larger one is refused (413) before it is held in memory. */
final class RequestBodies {

    private RequestBodies() {}

    /** {@code declaredLength} is the Content-Length, or -1 when the body is chunked. */
    static byte[] read(InputStream in, long declaredLength, int maxBytes, String option) throws IOException, EventRefusal {
        if (declaredLength > maxBytes) {
            throw tooLarge(declaredLength + " bytes", maxBytes, option);
        }
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw tooLarge("more than " + maxBytes + " bytes", maxBytes, option);
        }
        return body;
    }

    private static EventRefusal tooLarge(String size, int maxBytes, String option) {
        return EventRefusal.tooLarge("the body has " + size + "; at most " + maxBytes + " bytes are accepted (" + option + ")");
    }
}
