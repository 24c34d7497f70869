package io.nearline.serving.events;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Avro batch form of {@code POST /v1/events} ({@value #MEDIA_TYPE}): events one after the other, each a 4-byte
 * big-endian length and then that many bytes of Avro single-object encoding. Single-object encoding does not say
 * where a datum ends, hence the length.
 */
public final class AvroFrames {

    public static final String MEDIA_TYPE = "application/vnd.nearline.events+avro";

    private AvroFrames() {}

    /** Splits a body into its events; a length that is not positive or runs past the body is a 400 naming the event. */
    public static List<byte[]> split(byte[] body, int maxBatch) throws EventRefusal {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<byte[]> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int index = events.size();
            if (index == maxBatch) {
                throw EventRefusal.tooLarge("a batch holds at most " + maxBatch + " events, this one has more");
            }
            if (in.remaining() < Integer.BYTES) {
                throw EventRefusal.badEvent(index, "events[" + index + "]: " + in.remaining()
                        + " bytes left where a 4-byte length should be");
            }
            int length = in.getInt();
            if (length <= 0 || length > in.remaining()) {
                throw EventRefusal.badEvent(index, "events[" + index + "]: length " + length + " is not between 1 and the "
                        + in.remaining() + " bytes left");
            }
            int start = in.position();
            events.add(Arrays.copyOfRange(body, start, start + length));
            in.position(start + length);
        }
        if (events.isEmpty()) {
            throw EventRefusal.badRequest("events: the batch is empty");
        }
        return events;
    }

    /** The batch form of these events, as a client writes it. */
    public static byte[] join(List<byte[]> events) {
        int size = events.stream().mapToInt(e -> Integer.BYTES + e.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] event : events) {
            out.putInt(event.length).put(event);
        }
        return out.array();
    }
}
