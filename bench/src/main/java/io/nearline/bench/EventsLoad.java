package io.nearline.bench;

import java.util.Locale;

/**
 * wrk's requests for {@code POST /v1/events}: JSON arrays of {@link #BATCH} play starts, as the README's JSON form of
 * an event has them, each event with an id of its own (the request's number and its place in the batch).
 */
final class EventsLoad {

    /** Events per request. */
    static final int BATCH = 100;

    private EventsLoad() {}

    /**
     * The script. Each event is its text cut at the id, so that a request costs wrk a concatenation, not a format per
     * event; the event time is the script's start.
     */
    static String script(String run) {
        return String.format(Locale.ROOT, """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                local batch = %d
                local now = os.time() * 1000
                local heads = {}
                local tails = {}
                for i = 1, batch do
                  heads[i] = '{"eventId":"%s-'
                  tails[i] = string.format('-%%d","memberId":"e%%d","profileId":"e%%d","eventTime":%%.0f,'
                    .. '"context":{"deviceType":"WEB","country":"DE","appVersion":"1.0.0","sessionId":"s%%d"},'
                    .. '"payload":{"type":"PlayStarted","titleId":"t%%d","positionSeconds":0}}', i, i %% 997, i %% 997, now, i, i * 37 %% 10000)
                end
                local counter = 0
                request = function()
                  counter = counter + 1
                  local parts = {}
                  for i = 1, batch do
                    parts[i] = heads[i] .. counter .. tails[i]
                  end
                  return wrk.format(nil, "/v1/events", nil, "[" .. table.concat(parts, ",") .. "]")
                end
                """, BATCH, run);
    }
}
