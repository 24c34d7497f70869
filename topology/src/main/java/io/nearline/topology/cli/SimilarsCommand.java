package io.nearline.topology.cli;

import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.operators.offline.Rated;
import io.nearline.operators.similars.AlgorithmSpec;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.InvalidAlgorithmException;
import io.nearline.topology.similars.SimilarsBuild;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bin/nearline similars}: SimilarsBuildJob in this process or on a session cluster. Exit code 0 when
 * every algorithm was built or reused, 3 when some failed (the others are still stored and published).
 */
@Command(name = "similars", mixinStandardHelpOptions = true,
        description = "Builds similar-title lists with algorithms defined as documents, stores them and publishes them "
                + "with the catalog they were built from.")
final class SimilarsCommand implements Callable<Integer> {

    static final class Viewing {
        @Option(names = "--ratings", required = true, description = "Co-watch from a ratings file (u.data or ratings.csv).")
        String ratings;

        @Option(names = "--archive", required = true, description = "Co-watch from the archive NearlineJob writes (file:// or s3:// folder).")
        String archive;
    }

    @Option(names = "--catalog", required = true, description = "The catalog: u.item, movies.csv (with tags.csv beside it) or JSON lines; a path or URI.")
    String catalog;

    @Option(names = "--algorithms", required = true, description = "A folder of algorithm documents (*.yaml, *.json), local or s3://.")
    String algorithms;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Viewing viewing;

    @Option(names = "--no-publish", description = "Build and store only: announce nothing on the published topic.")
    boolean noPublish;

    @Mixin
    JobEnvironments job;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = new CommandLine(this);
        Configuration config = job.config(cli);
        ArtifactSource artifacts = new ArtifactSource(config);
        Catalog titles;
        try {
            titles = SimilarsBuild.readCatalog(URI.create(JobEnvironments.uri(catalog, "--catalog", cli)), artifacts);
        } catch (java.io.IOException | io.nearline.operators.models.BadArtifactException e) {
            throw new CommandLine.ParameterException(cli, "--catalog: " + e.getMessage());
        }
        List<AlgorithmSpec> specs;
        try {
            specs = SimilarsBuild.readAlgorithms(URI.create(JobEnvironments.uri(algorithms, "--algorithms", cli)), artifacts);
        } catch (InvalidAlgorithmException e) {
            throw new CommandLine.ParameterException(cli, "--algorithms: " + e.getMessage());
        }
        StreamExecutionEnvironment env = job.environment(config, cli);
        DataStream<Rated> rated = null;
        if (viewing != null) {
            rated = viewing.ratings != null
                    ? OfflineInteractions.ratings(env, config, JobEnvironments.uri(viewing.ratings, "--ratings", cli))
                    : OfflineInteractions.archive(env, config, JobEnvironments.uri(viewing.archive, "--archive", cli));
        }
        long start = System.nanoTime();
        SimilarsBuild.Summary summary;
        try {
            summary = SimilarsBuild.run(env, config, titles, specs, rated, !noPublish);
        } catch (InvalidAlgorithmException e) {
            throw new CommandLine.ParameterException(cli, "--algorithms: " + e.getMessage());
        }
        System.out.printf(Locale.ROOT, "similars: %d titles, %d algorithms, %.1f s%n", titles.size(), specs.size(),
                (System.nanoTime() - start) / 1e9);
        summary.published().forEach(d -> System.out.println("published " + d.getName() + " " + d.getVersion() + " at " + d.getUri()));
        if (summary.catalog() != null) {
            System.out.println("published catalog " + summary.catalog().getVersion() + " (" + titles.size() + " titles) at "
                    + summary.catalog().getUri());
        }
        System.out.println(summary.line());
        return summary.failed().isEmpty() ? 0 : 3;
    }
}
