package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Settings of event decoding, de-duplication, classification and event time. */
public final class EventOptions {

    public static final ConfigOption<List<String>> TIME_SENSITIVE_KINDS = ConfigOptions
            .key("nearline.events.time-sensitive-kinds")
            .stringType()
            .asList()
            .defaultValues("play-started", "play-stopped", "play-completed", "rating", "list-add", "list-remove")
            .withDescription("Event kinds that are time-sensitive events and go on to member state; every other "
                    + "kind is bulk data (by default impression, browse, scroll, search, play-progress). All valid "
                    + "events are archived either way. Kinds: play-started, play-progress, play-stopped, "
                    + "play-completed, rating, list-add, list-remove, impression, browse, scroll, search.");

    public static final ConfigOption<Duration> DEDUP_WINDOW = ConfigOptions.key("nearline.events.dedup-window")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("How long an event id is remembered per member to drop client retries of the same event.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("nearline.events.max-future-skew")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("Events whose time is further ahead of the job's clock than this are dead letters.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions
            .key("nearline.events.max-out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How late an event may arrive relative to the newest one and still count as on time "
                    + "(the watermark trails the newest event time by this much).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOptions.key("nearline.events.idle-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A source split or subtask with no events for this long is marked idle, so that "
                    + "it does not hold back event time for the others.");

    private EventOptions() {}

    /** The configured time-sensitive kinds; an unknown kind fails with a message naming it. */
    public static Set<EventKind> timeSensitiveKinds(ReadableConfig config) {
        Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String name : config.get(TIME_SENSITIVE_KINDS)) {
            try {
                kinds.add(EventKind.parse(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TIME_SENSITIVE_KINDS.key() + ": " + e.getMessage(), e);
            }
        }
        return kinds;
    }
}
