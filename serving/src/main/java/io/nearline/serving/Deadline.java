package io.nearline.serving;

/** What is left of a request's time budget. */
final class Deadline {

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    static Deadline in(java.time.Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** Whether the budget is spent. */
    boolean passed() {
        return System.nanoTime() >= endNanos;
    }

    /** Milliseconds left, at least 1 so that a store gets a chance to answer from what it already has. */
    long remainingMillis() {
        return Math.max(1, (endNanos - System.nanoTime()) / 1_000_000);
    }
}
