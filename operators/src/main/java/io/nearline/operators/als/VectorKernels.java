package io.nearline.operators.als;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels written with the Vector API; loaded only when {@link VectorSupport#available()}. Each gives
 * what its plain-Java counterpart gives, up to the order of float additions.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Shorts as many as the floats of a vector: one bfloat16 load widens to one float vector. */
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());

    private VectorKernels() {}

    /**
     * Approximate scores of one block of items from bfloat16 columns into {@code s}: for each item, the sum over
     * k of x[k] times its factor k, accumulated in k order with fused multiply-adds.
     */
    static void scoreBFloat16(short[][] columns, int base, int rank, float[] x, float[] s, int length) {
        java.util.Arrays.fill(s, 0, length, 0f);
        int vectorEnd = FLOATS.loopBound(length);
        int k = 0;
        for (; k + 3 < rank; k += 4) {
            FloatVector x0 = FloatVector.broadcast(FLOATS, x[k]);
            FloatVector x1 = FloatVector.broadcast(FLOATS, x[k + 1]);
            FloatVector x2 = FloatVector.broadcast(FLOATS, x[k + 2]);
            FloatVector x3 = FloatVector.broadcast(FLOATS, x[k + 3]);
            short[] c0 = columns[base + k];
            short[] c1 = columns[base + k + 1];
            short[] c2 = columns[base + k + 2];
            short[] c3 = columns[base + k + 3];
            int i = 0;
            // The widening is written out, not a helper: a helper the JIT happens not to inline (it depends on what
            // was compiled first) returns boxed vectors, and scoring then took half as long again in some JVMs.
            for (; i < vectorEnd; i += FLOATS.length()) {
                FloatVector acc = FloatVector.fromArray(FLOATS, s, i);
                acc = ((IntVector) ShortVector.fromArray(SHORTS, c0, i).convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x0, acc);
                acc = ((IntVector) ShortVector.fromArray(SHORTS, c1, i).convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x1, acc);
                acc = ((IntVector) ShortVector.fromArray(SHORTS, c2, i).convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x2, acc);
                acc = ((IntVector) ShortVector.fromArray(SHORTS, c3, i).convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x3, acc);
                acc.intoArray(s, i);
            }
            for (; i < length; i++) {
                float acc = s[i];
                acc = Math.fma(x[k], ScoringLayout.BFloat16.toFloat(c0[i]), acc);
                acc = Math.fma(x[k + 1], ScoringLayout.BFloat16.toFloat(c1[i]), acc);
                acc = Math.fma(x[k + 2], ScoringLayout.BFloat16.toFloat(c2[i]), acc);
                s[i] = Math.fma(x[k + 3], ScoringLayout.BFloat16.toFloat(c3[i]), acc);
            }
        }
        for (; k < rank; k++) {
            FloatVector xk = FloatVector.broadcast(FLOATS, x[k]);
            short[] column = columns[base + k];
            int i = 0;
            for (; i < vectorEnd; i += FLOATS.length()) {
                ((IntVector) ShortVector.fromArray(SHORTS, column, i).convertShape(VectorOperators.S2I, INTS, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xk, FloatVector.fromArray(FLOATS, s, i))
                        .intoArray(s, i);
            }
            for (; i < length; i++) {
                s[i] = Math.fma(x[k], ScoringLayout.BFloat16.toFloat(column[i]), s[i]);
            }
        }
    }

    /**
     * The first index in {@code from..length-1} whose score is at least {@code bar}, or {@code length}: a vector
     * of scores compared at once, so that the many below the bar cost a compare per vector, not a branch each.
     */
    static int indexAtLeast(float[] s, int from, int length, float bar) {
        int i = from;
        for (; i + FLOATS.length() <= length; i += FLOATS.length()) {
            VectorMask<Float> above = FloatVector.fromArray(FLOATS, s, i).compare(VectorOperators.GE, bar);
            if (above.anyTrue()) {
                return i + above.firstTrue();
            }
        }
        for (; i < length; i++) {
            if (s[i] >= bar) {
                return i;
            }
        }
        return length;
    }

    /**
     * acc += sum_n strengths[n] (rows[n] . v) rows[n], one pass over the rows: each row's dot product with v, then
     * its weighted add, while the row is in registers and L1. No transposed copy of the rows is needed.
     */
    static void addWeightedProjections(float[] acc, float[][] rows, float[] strengths, int count, float[] v, int rank) {
        int vectorEnd = FLOATS.loopBound(rank);
        int n = 0;
        // Four rows at a time: four dot products in flight, and one update of the accumulator for the four.
        for (; n + 3 < count; n += 4) {
            float[] y0 = rows[n];
            float[] y1 = rows[n + 1];
            float[] y2 = rows[n + 2];
            float[] y3 = rows[n + 3];
            FloatVector sum0 = FloatVector.zero(FLOATS);
            FloatVector sum1 = FloatVector.zero(FLOATS);
            FloatVector sum2 = FloatVector.zero(FLOATS);
            FloatVector sum3 = FloatVector.zero(FLOATS);
            int k = 0;
            for (; k < vectorEnd; k += FLOATS.length()) {
                FloatVector vk = FloatVector.fromArray(FLOATS, v, k);
                sum0 = FloatVector.fromArray(FLOATS, y0, k).fma(vk, sum0);
                sum1 = FloatVector.fromArray(FLOATS, y1, k).fma(vk, sum1);
                sum2 = FloatVector.fromArray(FLOATS, y2, k).fma(vk, sum2);
                sum3 = FloatVector.fromArray(FLOATS, y3, k).fma(vk, sum3);
            }
            float d0 = sum0.reduceLanes(VectorOperators.ADD);
            float d1 = sum1.reduceLanes(VectorOperators.ADD);
            float d2 = sum2.reduceLanes(VectorOperators.ADD);
            float d3 = sum3.reduceLanes(VectorOperators.ADD);
            for (int t = k; t < rank; t++) {
                d0 = Math.fma(y0[t], v[t], d0);
                d1 = Math.fma(y1[t], v[t], d1);
                d2 = Math.fma(y2[t], v[t], d2);
                d3 = Math.fma(y3[t], v[t], d3);
            }
            float w0 = strengths[n] * d0;
            float w1 = strengths[n + 1] * d1;
            float w2 = strengths[n + 2] * d2;
            float w3 = strengths[n + 3] * d3;
            FloatVector wv0 = FloatVector.broadcast(FLOATS, w0);
            FloatVector wv1 = FloatVector.broadcast(FLOATS, w1);
            FloatVector wv2 = FloatVector.broadcast(FLOATS, w2);
            FloatVector wv3 = FloatVector.broadcast(FLOATS, w3);
            for (k = 0; k < vectorEnd; k += FLOATS.length()) {
                FloatVector a = FloatVector.fromArray(FLOATS, acc, k);
                a = FloatVector.fromArray(FLOATS, y0, k).fma(wv0, a);
                a = FloatVector.fromArray(FLOATS, y1, k).fma(wv1, a);
                a = FloatVector.fromArray(FLOATS, y2, k).fma(wv2, a);
                a = FloatVector.fromArray(FLOATS, y3, k).fma(wv3, a);
                a.intoArray(acc, k);
            }
            for (; k < rank; k++) {
                acc[k] = Math.fma(w3, y3[k], Math.fma(w2, y2[k], Math.fma(w1, y1[k], Math.fma(w0, y0[k], acc[k]))));
            }
        }
        for (; n < count; n++) {
            float[] y = rows[n];
            FloatVector sum = FloatVector.zero(FLOATS);
            int k = 0;
            for (; k < vectorEnd; k += FLOATS.length()) {
                sum = FloatVector.fromArray(FLOATS, y, k).fma(FloatVector.fromArray(FLOATS, v, k), sum);
            }
            float dot = sum.reduceLanes(VectorOperators.ADD);
            for (; k < rank; k++) {
                dot = Math.fma(y[k], v[k], dot);
            }
            float w = strengths[n] * dot;
            FloatVector wv = FloatVector.broadcast(FLOATS, w);
            for (k = 0; k < vectorEnd; k += FLOATS.length()) {
                FloatVector.fromArray(FLOATS, y, k).fma(wv, FloatVector.fromArray(FLOATS, acc, k)).intoArray(acc, k);
            }
            for (; k < rank; k++) {
                acc[k] = Math.fma(w, y[k], acc[k]);
            }
        }
    }

    /** {@code out[c] = rows[titles[c]] . x}: four rows at a time, four dot products in flight. */
    static void dots(float[][] rows, int[] titles, int count, float[] x, float[] out) {
        int rank = x.length;
        int vectorEnd = FLOATS.loopBound(rank);
        int c = 0;
        for (; c + 3 < count; c += 4) {
            float[] y0 = rows[titles[c]];
            float[] y1 = rows[titles[c + 1]];
            float[] y2 = rows[titles[c + 2]];
            float[] y3 = rows[titles[c + 3]];
            FloatVector sum0 = FloatVector.zero(FLOATS);
            FloatVector sum1 = FloatVector.zero(FLOATS);
            FloatVector sum2 = FloatVector.zero(FLOATS);
            FloatVector sum3 = FloatVector.zero(FLOATS);
            int k = 0;
            for (; k < vectorEnd; k += FLOATS.length()) {
                FloatVector xk = FloatVector.fromArray(FLOATS, x, k);
                sum0 = FloatVector.fromArray(FLOATS, y0, k).fma(xk, sum0);
                sum1 = FloatVector.fromArray(FLOATS, y1, k).fma(xk, sum1);
                sum2 = FloatVector.fromArray(FLOATS, y2, k).fma(xk, sum2);
                sum3 = FloatVector.fromArray(FLOATS, y3, k).fma(xk, sum3);
            }
            float d0 = sum0.reduceLanes(VectorOperators.ADD);
            float d1 = sum1.reduceLanes(VectorOperators.ADD);
            float d2 = sum2.reduceLanes(VectorOperators.ADD);
            float d3 = sum3.reduceLanes(VectorOperators.ADD);
            for (; k < rank; k++) {
                d0 = Math.fma(y0[k], x[k], d0);
                d1 = Math.fma(y1[k], x[k], d1);
                d2 = Math.fma(y2[k], x[k], d2);
                d3 = Math.fma(y3[k], x[k], d3);
            }
            out[c] = d0;
            out[c + 1] = d1;
            out[c + 2] = d2;
            out[c + 3] = d3;
        }
        for (; c < count; c++) {
            float[] y = rows[titles[c]];
            FloatVector sum = FloatVector.zero(FLOATS);
            int k = 0;
            for (; k < vectorEnd; k += FLOATS.length()) {
                sum = FloatVector.fromArray(FLOATS, y, k).fma(FloatVector.fromArray(FLOATS, x, k), sum);
            }
            float dot = sum.reduceLanes(VectorOperators.ADD);
            for (; k < rank; k++) {
                dot = Math.fma(y[k], x[k], dot);
            }
            out[c] = dot;
        }
    }
}
