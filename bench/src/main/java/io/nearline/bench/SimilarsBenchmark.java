package io.nearline.bench;

import io.nearline.operators.offline.Rated;
import io.nearline.operators.similars.AlgorithmDocuments;
import io.nearline.operators.similars.AlgorithmSpec;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogTitle;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.topology.similars.SimilarsBuild;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The similars build on a generated catalog: titles with genres, tags (Zipf-like: a few very common), decade,
 * language, maturity and regions, and members whose viewing follows their favourite genres. Three base
 * algorithms (facets; co-watch; tags and language) and one blend, built by SimilarsBuildJob on a Flink in this
 * process into a local folder, timed from the job's start to the last manifest.
 */
final class SimilarsBenchmark {

    static final List<String> ALGORITHMS = List.of(
            "name: genre-tags\nversion: 1\ncandidates: [genre, tag]\nweights: {genre: 1, tag: 2, decade: 0.5}\n"
                    + "filters: {require-shared: [region], exclude-values: {maturity: [NC-17]}, min-score: 0.2}\nlength: 25\n",
            "name: co-watched\nversion: 1\ncandidates: [co-watch]\nweights: {co-watch: 1}\nfilters: {require-shared: [region]}\nlength: 25\n",
            "name: tag-language\nversion: 1\ncandidates: [tag]\nweights: {tag: 1, language: 0.5}\nlength: 25\n",
            "name: more-like-this\nversion: 1\nblend: {genre-tags: 0.3, co-watched: 0.5, tag-language: 0.2}\nlength: 25\n");

    private SimilarsBenchmark() {}

    static Catalog catalog(int titles, Random random) {
        List<CatalogTitle> list = new ArrayList<>(titles);
        for (int t = 0; t < titles; t++) {
            TreeSet<String> genres = new TreeSet<>();
            int count = 1 + random.nextInt(3);
            while (genres.size() < count) {
                genres.add("genre-" + random.nextInt(20));
            }
            TreeSet<String> tags = new TreeSet<>();
            int tagCount = 3 + random.nextInt(6);
            while (tags.size() < tagCount) {
                // Zipf-like: tag k is drawn with probability about 1/k.
                tags.add("tag-" + (int) Math.floor(Math.exp(random.nextDouble() * Math.log(2000))));
            }
            TreeSet<String> regions = new TreeSet<>();
            int regionCount = 5 + random.nextInt(15);
            while (regions.size() < regionCount) {
                regions.add("region-" + random.nextInt(30));
            }
            list.add(new CatalogTitle("title-" + t, "Title " + t, Map.of(
                    "genre", List.copyOf(genres), "tag", List.copyOf(tags), "decade", List.of((1950 + 10 * random.nextInt(8)) + "s"),
                    "language", List.of("lang-" + random.nextInt(10)), "maturity", List.of(List.of("G", "PG", "PG-13", "R", "NC-17").get(random.nextInt(5))),
                    "region", List.copyOf(regions))));
        }
        return Catalog.of(list);
    }

    /** Members with two favourite genres who watch mostly titles of those. */
    static List<Rated> viewing(Catalog catalog, int members, int perMember, Random random) {
        Map<String, List<String>> byGenre = new TreeMap<>();
        for (CatalogTitle title : catalog.titles()) {
            for (String genre : title.facets().get("genre")) {
                byGenre.computeIfAbsent(genre, g -> new ArrayList<>()).add(title.id());
            }
        }
        List<String> genres = new ArrayList<>(byGenre.keySet());
        List<Rated> rated = new ArrayList<>(members * perMember);
        for (int m = 0; m < members; m++) {
            String first = genres.get(random.nextInt(genres.size()));
            String second = genres.get(random.nextInt(genres.size()));
            for (int i = 0; i < perMember; i++) {
                List<String> pool = random.nextDouble() < 0.8 ? byGenre.get(random.nextBoolean() ? first : second)
                        : byGenre.get(genres.get(random.nextInt(genres.size())));
                rated.add(new Rated("member-" + m, pool.get(random.nextInt(pool.size())), 1f, i));
            }
        }
        return rated;
    }

    static int run(int titles, int members, int perMember, int parallelism, int shards) throws Exception {
        Random random = new Random(7);
        Catalog catalog = catalog(titles, random);
        List<Rated> viewing = viewing(catalog, members, perMember, random);
        List<AlgorithmSpec> specs = new ArrayList<>();
        for (String doc : ALGORITHMS) {
            specs.add(AlgorithmDocuments.parse("bench.yaml", doc));
        }
        Path out = Files.createTempDirectory("nearline-bench-similars");
        try {
            Configuration config = new Configuration();
            config.set(SimilarsOptions.OUTPUT, out.toUri().toString());
            config.set(SimilarsOptions.SHARDS, shards);
            config.set(SimilarsOptions.WRITE_CASSANDRA, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(parallelism);
            DataStream<Rated> input = env.fromData(viewing, TypeInformation.of(Rated.class));
            long start = System.nanoTime();
            SimilarsBuild.Summary summary = SimilarsBuild.run(env, config, catalog, specs, input, false);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(summary.line());
            summary.manifests().forEach((name, manifest) -> System.out.printf("  %s: %d titles in %d shards%n", name,
                    manifest.titles(), manifest.shards().size()));
            System.out.printf("catalog: %d titles, %d members, %d views, parallelism %d, %d shards%n", titles, members,
                    viewing.size(), parallelism, shards);
            System.out.println("machine: " + BenchMain.machine());
            System.out.printf(java.util.Locale.ROOT, "similars seconds=%.1f titles=%d algorithms=%d%n", seconds, titles, specs.size());
            return summary.failed().isEmpty() ? 0 : 1;
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
