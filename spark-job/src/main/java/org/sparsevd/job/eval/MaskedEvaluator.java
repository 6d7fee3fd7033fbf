package org.sparsevd.job.eval;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.job.train.TaskGpu;
import org.sparsevd.datasets.ChannelNormalization;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;

/**
 * Accuracy and cross-entropy of the masked, deterministic network on a distributed data set, for one or several mask thresholds in
 * a single pass: the parameters are broadcast once, every partition rebuilds the network and scores its batches
 * under each threshold, and the counts are tree-aggregated to the driver. Thresholds never need retraining.
 */
public final class MaskedEvaluator {
    /** Minibatch size of evaluation passes. */
    private static final int BATCH = 500;
    private MaskedEvaluator() {
    }

    /**
     * Evaluates {@code net} on {@code data} (blocks of examples, normalized like the training data).
     *
     * @param thresholds mask thresholds to evaluate; {@code null} for the thresholds in the network's configuration
     */
    public static EvalCounts evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<LabeledImages> data,
                                      ChannelNormalization normalization, double[] thresholds) {
        Broadcast<Snapshot> snapshot = sc.broadcast(new Snapshot(net.getLayerWiseConfigurations().toJson(),
                net.params().dup(), thresholds));
        try {
            int n = thresholds == null ? 1 : thresholds.length;
            return data.flatMap(block -> Minibatches.of(block, BATCH, normalization).iterator())
                    .mapPartitions(new PartitionEvaluation(snapshot))
                    .treeAggregate(new EvalCounts(n), EvalCounts::merge, EvalCounts::merge);
        } finally {
            snapshot.destroy();
        }
    }

    /** What the executors need to rebuild the network. */
    private record Snapshot(String configurationJson, INDArray params, double[] thresholds) implements Serializable {
    }

    private static final class PartitionEvaluation implements FlatMapFunction<Iterator<DataSet>, EvalCounts> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Snapshot> snapshot;

        PartitionEvaluation(Broadcast<Snapshot> snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public Iterator<EvalCounts> call(Iterator<DataSet> batches) {
            TaskGpu.pinCurrentTask();
            Snapshot s = snapshot.value();
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(s.configurationJson());
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init(s.params(), false);
            int n = s.thresholds() == null ? 1 : s.thresholds().length;
            EvalCounts counts = new EvalCounts(n);
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                INDArray actual = batch.getLabels().argMax(1);
                for (int t = 0; t < n; t++) {
                    if (s.thresholds() != null) {
                        SparseVdLayers.setThreshold(conf, s.thresholds()[t]);
                    }
                    counts.add(t, net.output(batch.getFeatures(), false), batch.getLabels(), actual);
                }
                counts.addExamples(batch.numExamples());
            }
            return List.of(counts).iterator();
        }
    }
}
