package org.sparsevd.job.serve;

import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.SparseNetwork;

/** Scores labelled data in batches with a classifier (the engine, or a DL4J network) on this thread. */
public final class Scoring {
    /** Examples per batch. */
    public static final int DEFAULT_BATCH = 100;

    private Scoring() {
    }

    /** The engine as a batch classifier. */
    public static UnaryOperator<float[][]> engine(SparseNetwork net) {
        return net::predict;
    }

    /** A DL4J network (masked at inference) as a batch classifier. */
    public static UnaryOperator<float[][]> dl4j(MultiLayerNetwork net) {
        return x -> {
            INDArray out = net.output(Nd4j.create(x));
            return out.toFloatMatrix();
        };
    }

    /** Accuracy, per-class accuracy, confusion matrix and speed of {@code model} on labelled {@code data}. */
    public static Evaluation evaluate(UnaryOperator<float[][]> model, InputSpec input, ScoringData data, int classes,
                                      int batch) {
        Evaluation e = new Evaluation(classes);
        int size = input.shape().size();
        long start = System.nanoTime();
        for (int from = 0; from < data.count(); from += batch) {
            int n = Math.min(batch, data.count() - from);
            float[][] x = new float[n][];
            for (int b = 0; b < n; b++) {
                x[b] = input.features(data.pixels(), (from + b) * size);
            }
            float[][] p = model.apply(x);
            for (int b = 0; b < n; b++) {
                e.add(Byte.toUnsignedInt(data.labels()[from + b]), SparseNetwork.argmax(p[b]));
            }
        }
        e.seconds((System.nanoTime() - start) / 1e9);
        return e;
    }
}
