package io.nearline.bench;

import io.nearline.operators.members.InteractionWeights;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.topology.eval.PrequentialEvaluation;
import io.nearline.topology.eval.RatingsFile;
import io.nearline.topology.train.ModelTrainer;
import io.nearline.topology.train.TrainJob;
import io.nearline.operators.config.TrainOptions;
import io.nearline.operators.als.ImplicitAls;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TrainJob against Spark MLlib's ALS on the same interactions: the first 80% in time of a ratings file,
 * weighted the same way, same rank, iterations and confidence scaling. Each model is then scored by the
 * evaluation protocol's nearline HR@10 on the remaining 20%.
 */
final class TrainBenchmark {

    record Result(double seconds, double sparkSeconds, double hr10, double sparkHr10, int titles) {}

    private TrainBenchmark() {}

    static Result run(Path ratingsFile, int rank, int iterations, double sparkRegParam, String sparkClasspath, Path dir)
            throws Exception {
        List<RatingsFile.Rating> ratings = RatingsFile.read(ratingsFile);
        int split = (int) Math.round(ratings.size() * 0.8);
        List<String> lines = new ArrayList<>();
        for (RatingsFile.Rating r : ratings.subList(0, split)) {
            lines.add(r.member() + "\t" + r.title() + "\t" + r.stars() + "\t" + r.time() / 1000);
        }
        Path training = Files.write(dir.resolve("train.data"), lines);

        Configuration config = new Configuration();
        config.set(TrainOptions.RANK, rank);
        config.set(TrainOptions.ITERATIONS, iterations);
        config.set(TrainOptions.HOLDOUT_FRACTION, 0.0);
        config.set(TrainOptions.VERSION, "bench");
        long start = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                Runtime.getRuntime().availableProcessors(), config);
        ModelArtifact model = ModelTrainer.train(env, config, OfflineInteractions.ratings(env, config, training.toUri().toString()), false).model();
        double seconds = (System.nanoTime() - start) / 1e9;

        // Spark gets the same weights: one per (member, title), 0.4 per star; confidence 1 + alpha * weight.
        InteractionWeights weights = new InteractionWeights(config);
        List<String> weighted = new ArrayList<>();
        for (RatingsFile.Rating r : ratings.subList(0, split)) {
            weighted.add(r.member() + "\t" + r.title() + "\t" + (float) weights.stars(r.stars()));
        }
        Path sparkInput = Files.write(dir.resolve("spark-input.tsv"), weighted);
        Path sparkOutput = dir.resolve("spark-factors.tsv");
        double sparkSeconds = runSpark(sparkClasspath, sparkInput, sparkOutput, rank, iterations, sparkRegParam,
                config.get(TrainOptions.ALPHA));
        ModelArtifact spark = readSparkModel(sparkOutput, rank, model.popular());

        Configuration evalConfig = new Configuration();
        // The factors alone are compared: Spark's model has no neighbour table.
        evalConfig.set(io.nearline.operators.members.RankerOptions.SEQUENCE_WEIGHT, 0.0);
        PrequentialEvaluation evaluation = new PrequentialEvaluation(evalConfig, new ImplicitAls.Settings(rank, 1, 1, 1, 0), 0.8, false);
        double hr10 = evaluation.nearlineHitRate(ratings, model);
        double sparkHr10 = evaluation.nearlineHitRate(ratings, spark);
        return new Result(seconds, sparkSeconds, hr10, sparkHr10, model.numItems());
    }

    private static double runSpark(String classpath, Path input, Path output, int rank, int iterations, double regParam,
            double alpha) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g",
                // What Spark's launcher adds on Java 17.
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
                "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-cp", classpath, "io.nearline.bench.spark.SparkAls", input.toString(), output.toString(),
                Integer.toString(rank), Integer.toString(iterations), Double.toString(regParam), Double.toString(alpha),
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double seconds = Double.NaN;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("spark_seconds=")) {
                    seconds = Double.parseDouble(line.substring("spark_seconds=".length()));
                }
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
        }
        if (process.waitFor() != 0 || Double.isNaN(seconds)) {
            throw new IllegalStateException("Spark ALS failed:\n" + String.join("\n", tail));
        }
        return seconds;
    }

    private static ModelArtifact readSparkModel(Path file, int rank, List<String> popular) throws Exception {
        Map<String, float[]> vectors = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t");
            String[] values = parts[1].split(",");
            float[] vector = new float[rank];
            for (int k = 0; k < rank; k++) {
                vector[k] = Float.parseFloat(values[k]);
            }
            vectors.put(parts[0], vector);
        }
        List<String> ids = new ArrayList<>(vectors.keySet());
        ids.sort(Comparator.naturalOrder());
        float[] factors = new float[ids.size() * rank];
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(vectors.get(ids.get(i)), 0, factors, i * rank, rank);
        }
        return ModelArtifacts.assemble("spark", "bench", ids.toArray(new String[0]), factors, rank, Map.of(),
                Instant.EPOCH, Instant.EPOCH, popular, Map.of());
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "train seconds=%.2f spark_seconds=%.2f speedup=%.2f hr10=%.4f spark_hr10=%.4f",
                r.seconds(), r.sparkSeconds(), r.sparkSeconds() / r.seconds(), r.hr10(), r.sparkHr10());
    }
}
