package io.nearline.operators.offline;

import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Archived UI events become weighted interactions, by the same {@link InteractionWeights} as nearline. */
public class WeighEvents implements FlatMapFunction<UiEvent, Rated> {

    private static final long serialVersionUID = 1L;

    private final InteractionWeights weights;

    public WeighEvents(InteractionWeights weights) {
        this.weights = weights;
    }

    @Override
    public void flatMap(UiEvent event, Collector<Rated> out) {
        Interaction interaction = weights.interaction(event);
        if (interaction != null) {
            out.collect(new Rated(event.getMemberId(), interaction.titleId, interaction.weight, interaction.time));
        }
    }
}
