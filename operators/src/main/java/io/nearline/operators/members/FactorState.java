package io.nearline.operators.members;

/** A member's factor and the model version it was folded in against (a Flink POJO, kept in keyed state). */
public class FactorState {

    public String modelName;
    public String modelVersion;
    public float[] factor;
    /** Processing time of the fold-in, epoch milliseconds. */
    public long updatedAt;

    public FactorState() {}

    public FactorState(String modelName, String modelVersion, float[] factor, long updatedAt) {
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.factor = factor;
        this.updatedAt = updatedAt;
    }

    /** The factor as a warm start, if it was computed with this model version. */
    public double[] warmStart(String name, String version) {
        if (factor == null || !name.equals(modelName) || !version.equals(modelVersion)) {
            return null;
        }
        double[] x = new double[factor.length];
        for (int k = 0; k < factor.length; k++) {
            x[k] = factor[k];
        }
        return x;
    }
}
