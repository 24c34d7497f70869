package io.nearline.operators.neighbours;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How training counts each title's neighbours ({@link NeighbourTraining}); TrainJob and {@code bin/nearline eval}
 * read them. The defaults were chosen by {@code bin/nearline eval --tune} on the validation slice of MovieLens 100k.
 */
public final class NeighbourOptions {

    public static final ConfigOption<Integer> NEIGHBOURS = ConfigOptions.key("nearline.train.neighbours")
            .intType().defaultValue(400)
            .withDescription("Neighbours kept per title in the model artifact. 0 trains no neighbour table (the ranker's "
                    + "item-to-item score is then zero).");

    public static final ConfigOption<Integer> WINDOW = ConfigOptions.key("nearline.train.neighbour-window")
            .intType().defaultValue(10)
            .withDescription("Two titles a member watched within this many titles of each other count as co-watched.");

    public static final ConfigOption<Integer> FORWARD_WINDOW = ConfigOptions.key("nearline.train.forward-window")
            .intType().defaultValue(5)
            .withDescription("A title a member watched within this many titles after another counts, besides, as what "
                    + "follows it.");

    public static final ConfigOption<Double> FORWARD_WEIGHT = ConfigOptions.key("nearline.train.forward-weight")
            .doubleType().defaultValue(2.0)
            .withDescription("Weight of what follows a title against what was co-watched with it. 0 makes neighbours "
                    + "symmetric.");

    private NeighbourOptions() {}

    /** The settings, checked: a negative value is refused with the option's name. */
    public static NeighbourTraining.Settings settings(ReadableConfig config) {
        for (ConfigOption<Integer> option : java.util.List.of(NEIGHBOURS, WINDOW, FORWARD_WINDOW)) {
            if (config.get(option) < 0) {
                throw new IllegalArgumentException(option.key() + " must be at least 0, not " + config.get(option));
            }
        }
        double forward = config.get(FORWARD_WEIGHT);
        if (!(forward >= 0) || Double.isInfinite(forward)) {
            throw new IllegalArgumentException(FORWARD_WEIGHT.key() + " must be a finite number of at least 0, not " + forward);
        }
        return new NeighbourTraining.Settings(config.get(NEIGHBOURS), config.get(WINDOW), config.get(FORWARD_WINDOW), forward);
    }
}
