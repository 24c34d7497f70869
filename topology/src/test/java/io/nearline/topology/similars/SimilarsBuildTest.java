package io.nearline.topology.similars;

import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.LocalArtifactStore;
import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.operators.similars.AlgorithmSpec;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.InvalidAlgorithmException;
import io.nearline.operators.similars.SimilarsFiles;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.schemas.similars.SimilarTitles;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SimilarsBuild on a Flink in this process: shards in parallel, manifests, reuse, the closing summary. */
class SimilarsBuildTest {

    @TempDir
    Path dir;
    private Configuration config;
    private Catalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        Path catalogFile = dir.resolve("catalog.jsonl");
        Files.writeString(catalogFile, """
                {"id": "a", "name": "A", "facets": {"genre": ["Drama", "War"], "maturity": "R"}}
                {"id": "b", "name": "B", "facets": {"genre": ["Drama"], "maturity": "PG"}}
                {"id": "c", "name": "C", "facets": {"genre": ["War", "Action"], "maturity": "R"}}
                {"id": "d", "name": "D", "facets": {"genre": ["Comedy"], "maturity": "PG"}}
                {"id": "e", "name": "E", "facets": {"genre": ["Comedy", "Drama"], "maturity": "NC-17"}}
                """);
        catalog = SimilarsBuild.readCatalog(catalogFile.toUri(), new ArtifactSource(new Configuration()));
        // u.data: member, title, stars, seconds. Two members watch a with d, one a with b.
        Files.writeString(dir.resolve("u.data"), "1\ta\t5\t100\n1\td\t4\t101\n2\ta\t4\t102\n2\td\t5\t103\n3\ta\t5\t104\n3\tb\t3\t105\n");
        Path algorithms = Files.createDirectories(dir.resolve("algorithms"));
        Files.writeString(algorithms.resolve("genre.yaml"), "name: genre\nversion: 1\ncandidates: [genre]\nweights: {genre: 1}\n"
                + "filters: {exclude-values: {maturity: [NC-17]}}\n");
        Files.writeString(algorithms.resolve("watched.json"), "{\"name\": \"watched\", \"version\": 1, \"candidates\": [\"co-watch\"], "
                + "\"weights\": {\"co-watch\": 1}}");
        Files.writeString(algorithms.resolve("more-like-this.yaml"), "name: more-like-this\nversion: 1\nblend: {genre: 0.5, watched: 1}\n");
        Files.writeString(algorithms.resolve("README.txt"), "not an algorithm");
        config = new Configuration();
        config.set(SimilarsOptions.OUTPUT, dir.resolve("out").toUri().toString());
        config.set(SimilarsOptions.SHARDS, 4);
        config.set(SimilarsOptions.WRITE_CASSANDRA, false);
    }

    private SimilarsBuild.Summary build() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        List<AlgorithmSpec> specs = SimilarsBuild.readAlgorithms(dir.resolve("algorithms").toUri(), new ArtifactSource(config));
        return SimilarsBuild.run(env, config, catalog, specs, OfflineInteractions.ratings(env, config, dir.resolve("u.data").toUri().toString()), false);
    }

    @Test
    void buildsEveryAlgorithmInParallelShardsAndWritesAManifestOfThem() throws Exception {
        SimilarsBuild.Summary summary = build();
        assertThat(summary.built()).containsExactly("genre", "watched", "more-like-this");
        assertThat(summary.failed()).isEmpty();
        SimilarsFiles.Manifest blend = summary.manifests().get("more-like-this");
        assertThat(blend.shards()).hasSize(4);
        assertThat(blend.titles()).isEqualTo(5);
        // The manifest and the shard files it lists are where the build says, and hold every title once.
        URI folder = SimilarsFiles.resultFolder(URI.create(config.get(SimilarsOptions.OUTPUT)), specs("more-like-this"), blend.key());
        LocalArtifactStore store = new LocalArtifactStore();
        assertThat(SimilarsFiles.readManifest(store.read(SimilarsFiles.manifestUri(folder)), "manifest")).isEqualTo(blend);
        List<SimilarTitles> lists = new java.util.ArrayList<>();
        for (SimilarsFiles.Shard shard : blend.shards()) {
            lists.addAll(SimilarsFiles.readShard(store.read(URI.create(shard.uri())), shard.uri()));
        }
        assertThat(lists).extracting(SimilarTitles::getTitleId).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        SimilarTitles ofA = lists.stream().filter(l -> l.getTitleId().equals("a")).findFirst().orElseThrow();
        // d: co-watched by 2 of a's 3 members (0.667); b: 0.5 * 0.5 genre + 1/sqrt(3) co-watch; c: 0.5 * 1/3 genre; e is NC-17.
        assertThat(ofA.getTitles()).containsExactly("b", "d", "c");
    }

    @Test
    void aSecondBuildReusesEveryResultAndAChangedDocumentRebuildsItAndItsBlend() throws Exception {
        build();
        SimilarsBuild.Summary again = build();
        assertThat(again.built()).isEmpty();
        assertThat(again.reused()).containsExactly("genre", "watched", "more-like-this");

        Files.writeString(dir.resolve("algorithms/genre.yaml"), "name: genre\nversion: 2\ncandidates: [genre]\nweights: {genre: 1}\n");
        SimilarsBuild.Summary changed = build();
        assertThat(changed.built()).containsExactly("genre", "more-like-this");
        assertThat(changed.reused()).containsExactly("watched");
    }

    @Test
    void failedTasksAreRestartedUnlessFlinksOwnRestartSettingsSayOtherwise() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        SimilarsBuildJob.build(env, config, catalog, io.nearline.operators.similars.BuildPlan.of(
                SimilarsBuild.readAlgorithms(dir.resolve("algorithms").toUri(), new ArtifactSource(config)), catalog), null, null);
        assertThat(env.getConfiguration().get(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(env.getConfiguration().get(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(SimilarsBuildJob.TASK_RETRIES);

        config.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment configured = StreamExecutionEnvironment.getExecutionEnvironment(config);
        SimilarsBuildJob.build(configured, config, catalog, io.nearline.operators.similars.BuildPlan.of(
                SimilarsBuild.readAlgorithms(dir.resolve("algorithms").toUri(), new ArtifactSource(config)), catalog), null, null);
        assertThat(configured.getConfiguration().get(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
    }

    @Test
    void aCycleIsRefusedBeforeTheJobRuns() throws Exception {
        Files.writeString(dir.resolve("algorithms/loop.yaml"), "name: loop\nversion: 1\nblend: {more-like-this: 1}\n");
        Files.writeString(dir.resolve("algorithms/more-like-this.yaml"), "name: more-like-this\nversion: 1\nblend: {genre: 0.5, loop: 1}\n");
        assertThatThrownBy(this::build).isInstanceOf(InvalidAlgorithmException.class)
                .hasMessage("algorithms blend each other in a cycle: loop -> more-like-this -> loop");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private AlgorithmSpec specs(String name) throws Exception {
        return SimilarsBuild.readAlgorithms(dir.resolve("algorithms").toUri(), new ArtifactSource(config)).stream()
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
