package io.nearline.operators.models;

/**
 * Title id to row, by open addressing over two int arrays (the hash and the row of each slot). A recompute
 * looks up every title of a member's history, so this replaces a {@code HashMap<String, Integer>} whose
 * nodes and boxed rows cost two extra cache misses per lookup ({@code bench member-state} showed the map as
 * the largest single cost of a recompute at 500 interactions).
 */
final class TitleIndex {

    private final String[] ids;
    private final int[] hashes;
    /** Row + 1 per slot; 0 marks an empty slot. */
    private final int[] slots;
    private final int mask;

    /** @throws IllegalArgumentException if an id appears twice */
    TitleIndex(String[] ids) {
        this.ids = ids;
        int capacity = Integer.highestOneBit(Math.max(4, ids.length * 2 - 1)) << 1;
        this.hashes = new int[capacity];
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int row = 0; row < ids.length; row++) {
            int hash = spread(ids[row].hashCode());
            int slot = hash & mask;
            while (slots[slot] != 0) {
                if (hashes[slot] == hash && ids[slots[slot] - 1].equals(ids[row])) {
                    throw new IllegalArgumentException("item " + ids[row] + " appears twice");
                }
                slot = (slot + 1) & mask;
            }
            hashes[slot] = hash;
            slots[slot] = row + 1;
        }
    }

    /** The row of an id, or -1. */
    int row(String id) {
        int hash = spread(id.hashCode());
        int slot = hash & mask;
        int entry;
        while ((entry = slots[slot]) != 0) {
            if (hashes[slot] == hash && ids[entry - 1].equals(id)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private static int spread(int hash) {
        // Titles like "t-123" differ in their last characters; mix the high bits into the low ones.
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
