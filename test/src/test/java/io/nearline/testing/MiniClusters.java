package io.nearline.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;

import java.util.Collections;

/** An in-process Flink cluster that a test can fail on purpose (kill its TaskManager) and query over REST. */
public final class MiniClusters {

    private MiniClusters() {}

    /** Starts one TaskManager with {@code slots} slots and a REST endpoint on a free port. */
    public static MiniCluster start(Configuration clusterConfig, int slots) throws Exception {
        Configuration config = new Configuration(clusterConfig);
        config.set(RestOptions.PORT, 0);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return cluster;
    }

    /** An environment that submits to the cluster with the job's own configuration. */
    public static TestStreamEnvironment environment(MiniCluster cluster, Configuration jobConfig, int parallelism) {
        return new TestStreamEnvironment(cluster, jobConfig, parallelism, Collections.emptyList(), Collections.emptyList());
    }
}
