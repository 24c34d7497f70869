package io.nearline.operators.archive;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveBucketAssignerTest {

    @Test
    void eventsArePartitionedByKindDateAndHourOfEventTimeInUtc() {
        var event = UiEvents.event("e", "m", Instant.parse("2026-11-21T23:59:59.999Z"),
                UiEvents.payload(EventKind.PLAY_COMPLETED, "t"));
        var next = UiEvents.event("e", "m", Instant.parse("2026-11-22T00:00:00Z"),
                UiEvents.payload(EventKind.SEARCH, "t"));

        assertThat(ArchiveBucketAssigner.bucketOf(event)).isEqualTo("kind=play-completed/date=2026-11-21/hour=23");
        assertThat(ArchiveBucketAssigner.bucketOf(next)).isEqualTo("kind=search/date=2026-11-22/hour=00");
    }
}
