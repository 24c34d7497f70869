package io.nearline.topology.cli;

import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

import java.time.Duration;

/** Durations on the command line as Flink's options write them: "120 s", "120s", "2 min", "500 ms". */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 120 s or 2 min");
        }
    }
}
