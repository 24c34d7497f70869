package io.nearline.operators.config;

import io.nearline.operators.archive.ArchiveOptions;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.events.EventOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.members.WeightOptions;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.S3Options;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.operators.trending.TrendingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every {@code nearline.*} option, and the check of a configuration against them. Below the job, so that the online
 * service and the savepoint tools check their settings against the same list as the job; the option classes of the
 * jobs themselves ({@link JobOptions}, {@link TrainOptions}, {@link CheckOptions}) sit beside it for that reason.
 */
public final class NearlineOptions {

    private static final List<Class<?>> OPTION_CLASSES =
            List.of(JobOptions.class, KafkaOptions.class, EventOptions.class, ArchiveOptions.class,
                    CassandraOptions.class, CacheOptions.class, S3Options.class, ModelOptions.class, WeightOptions.class, TrainOptions.class,
                    MemberOptions.class, RankerOptions.class, NeighbourOptions.class, SimilarsOptions.class, TrendingOptions.class,
                    ServingOptions.class, CheckOptions.class);

    private NearlineOptions() {}

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        options.add((ConfigOption<?>) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }

    /**
     * Parses {@code --key value} arguments into a configuration. Fails with a one-line message naming the
     * argument for a malformed argument, an unknown {@code nearline.*} key, or a value of the wrong type.
     * Keys outside {@code nearline.*} are Flink's own and pass through.
     */
    public static Configuration fromArgs(String[] args) {
        Configuration config = parseArgs(args);
        validate(config);
        return config;
    }

    /** {@code --key value} pairs as settings, a later pair overriding an earlier one; not checked. */
    public static Configuration parseArgs(String[] args) {
        Configuration config = new Configuration();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': expected --key value");
            }
            String key = arg.substring(2);
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("argument --" + key + " has no value");
            }
            config.setString(key, args[++i]);
        }
        return config;
    }

    /**
     * The job's options from the cluster's configuration and its arguments: the {@code nearline.*} keys of the
     * cluster's configuration (a Kubernetes {@code flinkConfiguration}, a session cluster's config.yaml) first,
     * the arguments after them, so that an argument overrides the cluster's value. Checked as {@link #fromArgs} does.
     */
    public static Configuration fromClusterAndArgs(ReadableConfig cluster, String[] args) {
        List<String> merged = new ArrayList<>();
        new java.util.TreeMap<>(cluster.toMap()).forEach((key, value) -> {
            if (key.startsWith("nearline.")) {
                merged.add("--" + key);
                merged.add(value);
            }
        });
        merged.addAll(List.of(args));
        return fromArgs(merged.toArray(new String[0]));
    }

    /** Settings given as key and value (such as a CLI's repeated {@code -D key=value}), checked as {@link #fromArgs} does. */
    public static Configuration fromSettings(Map<String, String> settings) {
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> {
            args.add("--" + key);
            args.add(value);
        });
        return fromArgs(args.toArray(new String[0]));
    }

    /** An option's default as a string it parses from, or null if it has none. */
    public static String defaultValue(String key) {
        for (ConfigOption<?> option : all()) {
            if (option.key().equals(key)) {
                Object value = option.defaultValue();
                return value instanceof java.time.Duration d ? org.apache.flink.util.TimeUtils.formatWithHighestUnit(d)
                        : value == null ? null : value.toString();
            }
        }
        throw new IllegalArgumentException("unknown option " + key);
    }

    /** Checks every {@code nearline.*} key is known, every known value parses and the member operator's are in range. */
    public static void validate(Configuration config) {
        List<ConfigOption<?>> options = all();
        for (Map.Entry<String, String> entry : config.toMap().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("nearline.") && !key.startsWith(KafkaClientProperties.PREFIX)
                    && options.stream().noneMatch(o -> o.key().equals(key))) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        for (ConfigOption<?> option : options) {
            try {
                config.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad value for --" + option.key() + ": '"
                        + config.toMap().get(option.key()) + "' (" + e.getMessage() + ")", e);
            }
        }
        MemberOptions.settings(config);
        NeighbourOptions.settings(config);
    }
}
