package org.sparsevd.job.train;

import org.apache.spark.TaskContext;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.sparsevd.core.layers.spec.SparseVdLayer;

/**
 * Records, on the executors, every minibatch in the order it was fitted, and what each SparseVD layer's
 * configuration said at that moment (N and KL weight), with the Spark partition that did the work.
 */
final class ObservingHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    final CollectionAccumulator<org.nd4j.linalg.dataset.DataSet> batches;
    final CollectionAccumulator<String> observations;

    ObservingHook(CollectionAccumulator<org.nd4j.linalg.dataset.DataSet> batches,
                  CollectionAccumulator<String> observations) {
        this.batches = batches;
        this.observations = observations;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        batches.add(((org.nd4j.linalg.dataset.DataSet) minibatch).copy());
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i).conf().getLayer() instanceof SparseVdLayer l) {
                observations.add("partition=" + TaskContext.getPartitionId() + " layer=" + i
                        + " N=" + l.getTrainSetSize() + " klWeight=" + l.getKlWeight());
            }
        }
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
