package io.nearline.operators.offline;

import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Collector;

/** Archived UI events become weighted interactions, by the same {@link InteractionWeights} as nearline. */
public class WeighEvents extends RichFlatMapFunction<UiEvent, Rated> {

    private static final long serialVersionUID = 1L;

    private final Configuration config;
    private transient InteractionWeights weights;

    public WeighEvents(ReadableConfig config) {
        this.config = Configuration.fromMap(config.toMap());
    }

    @Override
    public void open(OpenContext openContext) {
        weights = new InteractionWeights(config);
    }

    @Override
    public void flatMap(UiEvent event, Collector<Rated> out) {
        Interaction interaction = weights.interaction(event);
        if (interaction != null) {
            out.collect(new Rated(event.getMemberId(), interaction.titleId, interaction.weight, interaction.time));
        }
    }
}
