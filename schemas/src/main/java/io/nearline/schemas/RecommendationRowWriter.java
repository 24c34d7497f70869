package io.nearline.schemas;

import io.nearline.schemas.result.RecommendationRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a row in Avro single-object encoding, byte for byte what {@code RecommendationRow.getEncoder()} writes,
 * without Avro's generic writer: every recompute puts its rows into the cache, and walking the schema per field and
 * per array item was the largest part of the member operator's cache writes ({@code docs/architecture.md}).
 * Bound to the current schema: {@code RecommendationRowWriterTest} compares it with Avro's encoder, so a field added
 * to the schema fails that test until it is added here. Not thread-safe (reuses a buffer): one per thread.
 */
final class RecommendationRowWriter {

    /** The single-object header (marker and the schema's fingerprint), taken from Avro's own encoding. */
    private static final byte[] HEADER;

    static {
        RecommendationRow empty = RecommendationRow.newBuilder().setMemberId("").setRowName("").setTitles(List.of())
                .setScores(List.of()).setModelName("").setModelVersion("").setComputedAt(Instant.EPOCH)
                .setNewestEventTime(Instant.EPOCH).build();
        try {
            HEADER = Arrays.copyOf(RecommendationRow.getEncoder().encode(empty).array(), 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] buffer = new byte[1024];
    private int position;

    byte[] write(RecommendationRow row) {
        position = 0;
        bytes(HEADER);
        string(row.getMemberId());
        string(row.getRowName());
        List<String> titles = row.getTitles();
        arrayStart(titles.size());
        for (int i = 0; i < titles.size(); i++) {
            string(titles.get(i));
        }
        arrayEnd(titles.size());
        List<Float> scores = row.getScores();
        arrayStart(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            floatValue(scores.get(i));
        }
        arrayEnd(scores.size());
        string(row.getModelName());
        string(row.getModelVersion());
        longValue(row.getComputedAt().toEpochMilli());
        longValue(row.getNewestEventTime().toEpochMilli());
        if (row.getAnchorTitle() == null) {
            longValue(0); // union branch 0: null
        } else {
            longValue(1);
            string(row.getAnchorTitle());
        }
        return Arrays.copyOf(buffer, position);
    }

    /** Arrays as one block: its count, the items, then the empty block that ends it. An empty array is the end alone. */
    private void arrayStart(int count) {
        if (count > 0) {
            longValue(count);
        }
    }

    private void arrayEnd(int count) {
        longValue(0);
    }

    private void string(String value) {
        int length = value.length();
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (ascii) {
            longValue(length);
            ensure(length);
            for (int i = 0; i < length; i++) {
                buffer[position++] = (byte) value.charAt(i);
            }
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            longValue(utf8.length);
            bytes(utf8);
        }
    }

    private void floatValue(float value) {
        ensure(4);
        int bits = Float.floatToRawIntBits(value);
        buffer[position++] = (byte) bits;
        buffer[position++] = (byte) (bits >>> 8);
        buffer[position++] = (byte) (bits >>> 16);
        buffer[position++] = (byte) (bits >>> 24);
    }

    /** Zig-zag, then seven bits per byte, low first. */
    private void longValue(long value) {
        ensure(10);
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        buffer[position++] = (byte) n;
    }

    private void bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    private void ensure(int more) {
        if (position + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }
}
