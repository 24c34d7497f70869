package io.nearline.topology.train;

import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.Gram;
import org.apache.flink.api.common.functions.MapPartitionFunction;
import org.apache.flink.util.Collector;

/** The Gram matrix of one partition's factors; the partial sums are added up by a reduce. */
public class PartialGram implements MapPartitionFunction<Factor, Gram> {

    private static final long serialVersionUID = 1L;

    private final int rank;

    public PartialGram(int rank) {
        this.rank = rank;
    }

    @Override
    public void mapPartition(Iterable<Factor> factors, Collector<Gram> out) {
        double[] gram = new double[rank * rank];
        for (Factor factor : factors) {
            float[] y = factor.vector;
            for (int i = 0; i < rank; i++) {
                double yi = y[i];
                int row = i * rank;
                for (int j = 0; j < rank; j++) {
                    gram[row + j] += yi * y[j];
                }
            }
        }
        out.collect(new Gram(gram));
    }

    /** Adds two partial sums. */
    static Gram add(Gram a, Gram b) {
        double[] sum = a.values.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b.values[i];
        }
        return new Gram(sum);
    }
}
