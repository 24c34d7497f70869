package io.nearline.topology;

import io.nearline.operators.OperatorUids;
import io.nearline.topology.check.CheckedNearlineJob;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleUdfStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OperatorUids} against the graphs the jobs build with their embedded defaults (production sources and sinks,
 * built, not run): every stateful operator has a listed uid, and every listed uid is in the graph. A stateful
 * operator without a stable uid would leave its state behind on the next restore.
 */
class OperatorUidsTest {

    /** Flink gives a sink's committer a uid of its own, made from the sink's. */
    private static final String COMMITTER_PREFIX = "Sink Committer: ";

    @Test
    void nearlineJobSetsExactlyTheListedUids() {
        assertUids(NearlineJob::build, OperatorUids.NEARLINE_JOB);
    }

    @Test
    void checkedNearlineJobSetsExactlyTheListedUids() {
        assertUids(CheckedNearlineJob::build, OperatorUids.CHECKED_NEARLINE_JOB);
    }

    @Test
    void listsNameEachUidOnce() {
        assertThat(OperatorUids.CHECKED_NEARLINE_JOB).doesNotHaveDuplicates().containsAll(OperatorUids.NEARLINE_JOB);
        assertThat(OperatorUids.SIMILARS_BUILD_JOB).doesNotHaveDuplicates().doesNotContainAnyElementsOf(OperatorUids.CHECKED_NEARLINE_JOB);
    }

    private interface JobBuilder {
        void build(StreamExecutionEnvironment env, Configuration config, NearlineJob.Sources sources, NearlineJob.Sinks sinks);
    }

    private static void assertUids(JobBuilder job, List<String> listed) {
        Configuration config = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        job.build(env, config, NearlineJob.productionSources(config), NearlineJob.productionSinks(config));
        StreamGraph graph = env.getStreamGraph();

        assertThat(graph.getStreamNodes()).filteredOn(OperatorUidsTest::stateful)
                .as("stateful operators whose uid is not in OperatorUids")
                .allSatisfy(node -> assertThat(ownUid(node)).as(describe(node)).isIn(listed));
        assertThat(graph.getStreamNodes().stream().map(OperatorUidsTest::ownUid).filter(Objects::nonNull).toList())
                .as("uids of the graph")
                .containsAll(listed);
    }

    /**
     * Flink cannot say which operators hold state, so any operator counts as stateful unless it is a plain function:
     * not keyed, not broadcast, not a {@link CheckpointedFunction}. Sources, sinks, committers and windows are.
     */
    private static boolean stateful(StreamNode node) {
        if (node.getStateKeySerializer() != null) {
            return true;
        }
        if (node.getOperatorFactory() instanceof SimpleUdfStreamOperatorFactory<?> udf) {
            Function function = udf.getUserFunction();
            StreamOperator<?> operator = udf.getOperator();
            return function instanceof CheckpointedFunction || operator instanceof CoBroadcastWithKeyedOperator
                    || operator instanceof CoBroadcastWithNonKeyedOperator;
        }
        return true;
    }

    /** The node's uid, or for a sink's committer the uid of its sink. */
    private static String ownUid(StreamNode node) {
        String uid = node.getTransformationUID();
        return uid != null && uid.startsWith(COMMITTER_PREFIX) ? uid.substring(COMMITTER_PREFIX.length()) : uid;
    }

    private static String describe(StreamNode node) {
        return "operator '" + node.getOperatorName() + "' (uid " + node.getTransformationUID() + ")";
    }
}
