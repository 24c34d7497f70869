package io.nearline.operators.similars;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/** The similars build (SimilarsBuildJob) and the use of its results in NearlineJob. */
public final class SimilarsOptions {

    public static final ConfigOption<String> OUTPUT = ConfigOptions.key("nearline.similars.output")
            .stringType()
            .defaultValue("file:///tmp/nearline/similars")
            .withDescription("Where the similars build stores its results (s3://bucket/prefix or file:///path): one folder "
                    + "per algorithm and result key, with shard files and a manifest.");

    public static final ConfigOption<Integer> SHARDS = ConfigOptions.key("nearline.similars.shards")
            .intType()
            .defaultValue(16)
            .withDescription("How many shard files each algorithm's result is split into (titles by hash of their id); "
                    + "the unit of parallel work, reuse and retry. Changing it rebuilds everything.");

    public static final ConfigOption<List<String>> PUBLISH = ConfigOptions.key("nearline.similars.publish")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Algorithms whose results are announced on the published topic after a build "
                    + "(semicolon-separated); none given means all of them.");

    public static final ConfigOption<Boolean> WRITE_CASSANDRA = ConfigOptions.key("nearline.similars.write-cassandra")
            .booleanType()
            .defaultValue(true)
            .withDescription("Whether the build also writes every list to the Cassandra similars table.");

    public static final ConfigOption<String> ALGORITHM = ConfigOptions.key("nearline.similars.algorithm")
            .stringType()
            .defaultValue("more-like-this")
            .withDescription("The similars algorithm whose published lists fill members' \"because you watched\" rows "
                    + "in NearlineJob.");

    private SimilarsOptions() {}
}
