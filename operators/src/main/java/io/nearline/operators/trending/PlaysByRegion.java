package io.nearline.operators.trending;

import io.nearline.schemas.event.PlayCompleted;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.util.Collector;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns each play into (region, title) pairs: one for the event's country and one for {@link #ALL}. Every
 * other event is dropped.
 *
 * <p>What counts as a play: {@code PlayStarted} and {@code PlayCompleted}. A start is the freshest signal of
 * what members are turning to right now, which is what "trending" means; a completion is a stronger one, so a
 * play watched to the end counts twice (start and completion) while an abandoned start counts once. Not
 * counted: {@code PlayProgress}, periodic heartbeats whose number grows with the length of the title rather
 * than with interest, and {@code PlayStopped}, which ends a play already counted by its start (counting it
 * would count each play again, abandoned ones included). Ratings and list changes are not plays. Client
 * retries were removed upstream by de-duplication on event id.
 *
 * <p>A country that is not two letters (ISO 3166-1 alpha-2, case-insensitive) is not a region: such a play
 * counts only for {@link #ALL}. That also keeps garbage from clients out of the key space.
 */
public class PlaysByRegion implements FlatMapFunction<UiEvent, Tuple2<String, String>> {

    private static final long serialVersionUID = 1L;
    /** The region of plays from every country. */
    public static final String ALL = "ALL";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    @Override
    public void flatMap(UiEvent event, Collector<Tuple2<String, String>> out) {
        String title = playedTitle(event);
        if (title == null) {
            return;
        }
        String region = region(event.getContext().getCountry());
        if (region != null) {
            out.collect(Tuple2.of(region, title));
        }
        out.collect(Tuple2.of(ALL, title));
    }

    /** The title a counted play is of, or null for an event that is not one. */
    static String playedTitle(UiEvent event) {
        Object payload = event.getPayload();
        if (payload instanceof PlayStarted started) {
            return started.getTitleId();
        }
        if (payload instanceof PlayCompleted completed) {
            return completed.getTitleId();
        }
        return null;
    }

    /** The region of a country as clients send it, or null when it is not a country code. */
    static String region(String country) {
        if (country == null) {
            return null;
        }
        String code = country.trim().toUpperCase(Locale.ROOT);
        return COUNTRY.matcher(code).matches() ? code : null;
    }
}
