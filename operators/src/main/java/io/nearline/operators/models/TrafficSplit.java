package io.nearline.operators.models;

import java.nio.charset.StandardCharsets;

/**
 * Assigns members to experiment cells: a member's point in [0, 1) is a hash of member id and experiment
 * name, so a member always lands in the same cell of an experiment, and different experiments split
 * members independently.
 */
public final class TrafficSplit {

    private TrafficSplit() {}

    /** The member's point in [0, 1) for the experiment. */
    public static double point(String memberId, String experiment) {
        // FNV-1a over the bytes, then the SplitMix64 finaliser to spread nearby ids over the whole range.
        long hash = 0xcbf29ce484222325L;
        for (byte b : (experiment + '\u0000' + memberId).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 30;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 27;
        hash *= 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return (hash >>> 11) * 0x1.0p-53;
    }
}
