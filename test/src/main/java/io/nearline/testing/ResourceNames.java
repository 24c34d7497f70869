package io.nearline.testing;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Fresh names for per-test-class resources, valid under each system's rules: Kafka topics
 * ({@code [a-zA-Z0-9._-]}, at most 249), Cassandra keyspaces ({@code [a-zA-Z0-9_]}, at most 48,
 * starting with a letter) and S3 buckets (lower case, digits and hyphens, 3 to 63, starting and
 * ending with a letter or digit).
 */
public final class ResourceNames {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 8;

    private ResourceNames() {}

    public static String topic(String owner) {
        return truncate(owner.replaceAll("[^a-zA-Z0-9._-]", "-"), 249 - SUFFIX_LENGTH - 1) + "-" + suffix();
    }

    public static String keyspace(String owner) {
        String base = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return "t_" + truncate(base, 48 - 2 - SUFFIX_LENGTH - 1) + "_" + suffix();
    }

    public static String bucket(String owner) {
        String base = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
        return "t-" + truncate(base, 63 - 2 - SUFFIX_LENGTH - 1) + "-" + suffix();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    private static String suffix() {
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
