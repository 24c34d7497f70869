package io.nearline.topology.train;

import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.Rating;
import io.nearline.topology.train.Records.Rated;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * A MovieLens line (tab- or comma-separated user, item, rating, timestamp in seconds) becomes a rating
 * event, weighted by the same {@link InteractionWeights} as nearline. Headers are skipped; malformed lines
 * are counted and skipped, never fatal.
 */
public class ParseRatings extends RichFlatMapFunction<String, Rated> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseRatings.class);

    private final Configuration config;
    private transient InteractionWeights weights;
    private transient Counter malformed;

    public ParseRatings(ReadableConfig config) {
        this.config = Configuration.fromMap(config.toMap());
    }

    @Override
    public void open(OpenContext openContext) {
        weights = new InteractionWeights(config);
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
            Instant time = Instant.ofEpochSecond(Long.parseLong(fields[3].trim()));
            String member = fields[0].trim();
            Interaction interaction = weights.interaction(UiEvents.event("r", member, time,
                    Rating.newBuilder().setTitleId(fields[1].trim()).setStars(Double.parseDouble(fields[2].trim())).build()));
            if (interaction != null) {
                out.collect(new Rated(member, interaction.titleId, interaction.weight, interaction.time));
            }
        } catch (RuntimeException e) {
            if (malformed.getCount() < 10) {
                LOG.warn("skipping malformed ratings line '{}': {}", line, e.getMessage());
            }
            malformed.inc();
        }
    }
}
