package io.nearline.savepoints;

import io.nearline.operators.members.MemberStates;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.core.fs.Path;
import org.apache.flink.state.api.output.operators.KeyedStateBootstrapOperator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the member operator's state as a whole: each member's keyed state (by {@link WriteMemberState}) and,
 * on every subtask, the same broadcast state, the model descriptors and trending rows. The State Processor
 * API's own keyed writer has no access to operator state; NearlineJob's member operator needs both under one uid.
 */
class MemberOperatorWriter extends KeyedStateBootstrapOperator<String, MemberSnapshot> {

    private static final long serialVersionUID = 1L;

    private final Map<String, ArtifactDescriptor> descriptors;
    private final Map<String, TrendingRow> trending;

    MemberOperatorWriter(long checkpointId, long timestamp, Path savepointPath, WriteMemberState function,
            Map<String, ArtifactDescriptor> descriptors, Map<String, TrendingRow> trending) {
        super(checkpointId, timestamp, savepointPath, function);
        this.descriptors = new LinkedHashMap<>(descriptors);
        this.trending = new LinkedHashMap<>(trending);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Broadcast state is restored from one subtask's copy: every subtask writes all of it.
        BroadcastState<String, ArtifactDescriptor> models = getOperatorStateBackend().getBroadcastState(MemberStates.modelDescriptors());
        for (Map.Entry<String, ArtifactDescriptor> entry : descriptors.entrySet()) {
            models.put(entry.getKey(), entry.getValue());
        }
        BroadcastState<String, TrendingRow> rows = getOperatorStateBackend().getBroadcastState(MemberStates.trendingRows());
        for (Map.Entry<String, TrendingRow> entry : trending.entrySet()) {
            rows.put(entry.getKey(), entry.getValue());
        }
    }
}
