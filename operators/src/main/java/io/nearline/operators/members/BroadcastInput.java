package io.nearline.operators.members;

import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.TrendingRow;

import java.util.List;

/**
 * What reaches every member-state task: a published descriptor (a model or a similars result) or a Trending
 * Now row (the fallback for members with too little history). One broadcast input carries both, as a keyed
 * broadcast function has one. A Flink POJO: exactly one field is set.
 */
public class BroadcastInput {

    public ArtifactDescriptor descriptor;
    public TrendingRow trending;

    public BroadcastInput() {}

    public static BroadcastInput of(ArtifactDescriptor descriptor) {
        BroadcastInput input = new BroadcastInput();
        input.descriptor = descriptor;
        return input;
    }

    public static BroadcastInput of(TrendingRow trending) {
        BroadcastInput input = new BroadcastInput();
        input.trending = trending;
        return input;
    }

    /** Every broadcast state that member state keeps, for Flink's broadcast() and for the test harness. */
    public static List<org.apache.flink.api.common.state.MapStateDescriptor<?, ?>> states() {
        return List.of(MemberStates.modelDescriptors(), MemberStates.trendingRows());
    }
}
