package io.nearline.topology;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.trending.TrendingOptions;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape of NearlineJob's graph as {@link NearlineJob#build} wires it (built, not run). */
class NearlineJobGraphTest {

    private static final List<String> TRENDING_UIDS = List.of(OperatorUids.TRENDING_PLAYS, OperatorUids.TRENDING_PANE_COUNTS,
            OperatorUids.TRENDING_TOP_TITLES, OperatorUids.TRENDING_CASSANDRA_SINK, OperatorUids.TRENDING_CACHE_SINK);

    private static StreamGraph graph(Sink<TrendingRow> trendingToCassandra, Sink<TrendingRow> trendingToCache) {
        return graph(new Configuration(), trendingToCassandra, trendingToCache);
    }

    private static StreamGraph graph(Configuration config, Sink<TrendingRow> trendingToCassandra, Sink<TrendingRow> trendingToCache) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        NearlineJob.build(env, config, NearlineJob.productionSources(config), new NearlineJob.Sinks(
                new DiscardingSink<>(), new DiscardingSink<>(), null, null, null, trendingToCassandra, trendingToCache));
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst().orElseThrow();
    }

    @Test
    void trendingCountsTheDeduplicatedEventsAndWritesToBothItsSinks() {
        StreamGraph graph = graph(new DiscardingSink<>(), new DiscardingSink<>());

        assertThat(graph.getStreamNodes()).extracting(StreamNode::getTransformationUID).containsAll(TRENDING_UIDS);
        StreamNode plays = node(graph, OperatorUids.TRENDING_PLAYS);
        assertThat(plays.getInEdges()).singleElement()
                .satisfies(edge -> assertThat(edge.getSourceId()).isEqualTo(node(graph, OperatorUids.DEDUPLICATE).getId()));
        StreamNode topTitles = node(graph, OperatorUids.TRENDING_TOP_TITLES);
        assertThat(topTitles.getOutEdges()).extracting(edge -> edge.getTargetId()).containsExactlyInAnyOrder(
                node(graph, OperatorUids.TRENDING_CASSANDRA_SINK).getId(),
                node(graph, OperatorUids.TRENDING_CACHE_SINK).getId(),
                node(graph, OperatorUids.TRENDING_FALLBACK).getId());
        // The fallback reaches member state beside the published descriptors.
        assertThat(node(graph, OperatorUids.TRENDING_FALLBACK).getOutEdges()).singleElement()
                .satisfies(edge -> assertThat(edge.getTargetId()).isEqualTo(node(graph, OperatorUids.MEMBER_STATE).getId()));
    }

    @Test
    void withTrendingDisabledNoTrendingOperatorRuns() {
        Configuration config = new Configuration();
        config.set(TrendingOptions.ENABLED, false);
        StreamGraph graph = graph(config, new DiscardingSink<>(), new DiscardingSink<>());

        assertThat(graph.getStreamNodes()).extracting(StreamNode::getTransformationUID).filteredOn(Objects::nonNull)
                .doesNotContainAnyElementsOf(TRENDING_UIDS)
                .doesNotContain(OperatorUids.TRENDING_FALLBACK)
                .contains(OperatorUids.DEDUPLICATE, OperatorUids.ARCHIVE_SINK, OperatorUids.MEMBER_STATE);
    }

    @Test
    void withoutTrendingSinksTrendingStillFeedsTheFallbackButWritesNothing() {
        StreamGraph graph = graph(null, null);

        assertThat(graph.getStreamNodes()).extracting(StreamNode::getTransformationUID).filteredOn(Objects::nonNull)
                .contains(OperatorUids.TRENDING_TOP_TITLES, OperatorUids.TRENDING_FALLBACK)
                .doesNotContain(OperatorUids.TRENDING_CASSANDRA_SINK, OperatorUids.TRENDING_CACHE_SINK);
    }
}
