package io.nearline.operators.offline;

import io.nearline.operators.members.InteractionWeights;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A MovieLens line (tab- or comma-separated user, item, rating, timestamp in seconds) becomes a star
 * rating, weighted by the same {@link InteractionWeights} as nearline. Headers are skipped; malformed lines
 * are counted and skipped, never fatal.
 */
public class ParseRatings extends RichFlatMapFunction<String, Rated> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseRatings.class);

    private final InteractionWeights weights;
    private transient Counter malformed;

    public ParseRatings(InteractionWeights weights) {
        this.weights = weights;
    }

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter("malformedLines");
    }

    @Override
    public void flatMap(String line, Collector<Rated> out) {
        if (line.isBlank() || line.startsWith("userId")) {
            return;
        }
        String[] fields = line.split(line.indexOf('\t') >= 0 ? "\t" : ",");
        try {
            if (fields.length < 4) {
                throw new IllegalArgumentException("expected user, item, rating, timestamp");
            }
            long time = Long.parseLong(fields[3].trim()) * 1000;
            // A star rating's weight, as InteractionWeights gives it for a rating event (without building one).
            float weight = (float) weights.stars(Double.parseDouble(fields[2].trim()));
            if (weight != 0) {
                out.collect(new Rated(fields[0].trim(), fields[1].trim(), weight, time));
            }
        } catch (RuntimeException e) {
            if (malformed.getCount() < 10) {
                LOG.warn("skipping malformed ratings line '{}': {}", line, e.getMessage());
            }
            malformed.inc();
        }
    }
}
