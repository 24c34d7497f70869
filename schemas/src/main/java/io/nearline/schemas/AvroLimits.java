package io.nearline.schemas;

/**
 * Avro allocates a string, bytes, array or map of the length a datum declares before reading it, so a few forged
 * bytes could ask for gigabytes. These limits make such a datum fail to decode instead. Avro reads them once, when
 * it first checks a length, so every reader of untrusted Avro calls {@link #apply()} before its first read; they
 * are set here unless given as JVM flags ({@code -Dorg.apache.avro.limits.string.maxLength=...}), which is what
 * clusters should do.
 */
public final class AvroLimits {

    static {
        setIfAbsent("org.apache.avro.limits.string.maxLength", 1 << 20);
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", 64 << 20);
        setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", 1 << 20);
    }

    private AvroLimits() {}

    /** Sets the limits (once per JVM; later calls do nothing). */
    public static void apply() {
        // The static initialiser did the work.
    }

    private static void setIfAbsent(String key, int value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, Integer.toString(value));
        }
    }
}
