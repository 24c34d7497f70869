package io.nearline.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Cache keys: {@code nearline:<row>:<member>} for rows, {@code nearline:trending:<region>} for trending rows
 * (one key per region, which members share). memcached keys are at most 250 bytes without
 * spaces or control characters, so such characters become {@code _} and an overlong key keeps its first
 * 200 bytes plus a SHA-1 of the whole. The job's cache sinks write under these keys and the online service reads
 * them, so both take them from here.
 */
public final class CacheKeys {

    public static final String PREFIX = "nearline:";
    private static final int MAX_KEY_BYTES = 250;

    private CacheKeys() {}

    public static String row(String rowName, String memberId) {
        return safe(PREFIX + rowName + ":" + memberId);
    }

    public static String trending(String region) {
        return safe(PREFIX + "trending:" + region);
    }

    private static String safe(String key) {
        StringBuilder cleaned = new StringBuilder(key.length());
        key.codePoints().forEach(c -> cleaned.appendCodePoint(c <= ' ' || c == 0x7f ? '_' : c));
        String result = cleaned.toString();
        byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_KEY_BYTES) {
            return result;
        }
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
            return new String(bytes, 0, 200, StandardCharsets.US_ASCII).replaceAll("[^\\x21-\\x7e]", "_") + "#" + digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
