package io.nearline.bench.spark;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains Spark MLlib's implicit ALS in local mode on weighted interactions (tab-separated member, title,
 * weight; numeric ids) and writes the title factors (title, then the factors comma-separated). Prints
 * {@code spark_seconds=<x>}: from creating the session to having the factors, like the TrainJob figure.
 *
 * <p>Arguments: input output rank iterations regParam alpha threads
 */
public final class SparkAls {

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        int rank = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        double regParam = Double.parseDouble(args[4]);
        double alpha = Double.parseDouble(args[5]);
        int threads = Integer.parseInt(args[6]);
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            rows.add(RowFactory.create(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Float.parseFloat(f[2])));
        }
        long start = System.nanoTime();
        SparkSession spark = SparkSession.builder().master("local[" + threads + "]").appName("nearline-bench-als")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", Integer.toString(threads))
                .getOrCreate();
        StructType schema = new StructType()
                .add("member", DataTypes.IntegerType).add("title", DataTypes.IntegerType).add("weight", DataTypes.FloatType);
        Dataset<Row> ratings = spark.createDataFrame(rows, schema);
        ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setMaxIter(iterations).setRegParam(regParam)
                .setAlpha(alpha).setUserCol("member").setItemCol("title").setRatingCol("weight").setSeed(42).fit(ratings);
        List<Row> factors = model.itemFactors().collectAsList();
        double seconds = (System.nanoTime() - start) / 1e9;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
            for (Row row : factors) {
                List<Object> vector = row.getList(1);
                StringBuilder line = new StringBuilder().append(row.getInt(0)).append('\t');
                for (int k = 0; k < vector.size(); k++) {
                    line.append(k == 0 ? "" : ",").append(vector.get(k));
                }
                out.println(line);
            }
        }
        spark.stop();
        System.out.printf(Locale.ROOT, "spark_seconds=%.2f%n", seconds);
    }
}
