package org.sparsevd.job.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.sparsevd.core.layers.impl.SparseVdLayerImpl;
import org.sparsevd.core.runtime.NativeThreads;
import org.sparsevd.core.seed.NoiseSeed;

/**
 * Runs on the executors around every minibatch update of one epoch. Before the update it sets the executor's BLAS
 * threads once and the worker thread's OpenMP threads for its network ({@link NativeThreads}) and seeds the noise of the
 * local reparameterization trick from (run seed, epoch, batch content), so a batch draws the same noise whichever
 * executor fits it; after the update it adds the batch's objective (DL4J's score: its data loss plus the KL term
 * klWeight/N·KL the layers added to it), its data loss (the score minus those terms, without recomputing them) and
 * the executor that fitted it to accumulators the driver reads at the end of the epoch. Both come from the same
 * forward pass, on the parameters the batch was fitted from.
 *
 * @param seed         the run's seed
 * @param epoch        1-based epoch
 * @param dataLossSum  Σ data loss · examples of the epoch's minibatches
 * @param objectiveSum Σ objective · examples of the epoch's minibatches
 * @param examples     the examples fitted
 * @param correct      the examples classified right in their training forward pass
 * @param work         the examples each executor fitted
 */
record EpochHook(long seed, int epoch, OrderFreeSum dataLossSum, OrderFreeSum objectiveSum, LongAccumulator examples,
                 LongAccumulator correct, ExecutorWork work) implements TrainingHook {
    private static final long serialVersionUID = 1L;

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        NativeThreads.apply();
        NativeThreads.forNetwork(((MultiLayerNetwork) model).getLayerWiseConfigurations());
        NoiseSeed.apply(seed, epoch, (org.nd4j.linalg.dataset.DataSet) minibatch);
        countCorrect((MultiLayerNetwork) model);
    }

    /** Makes the worker's network count its right answers in the training forward pass into this epoch's counter. */
    private void countCorrect(MultiLayerNetwork net) {
        List<TrainingListener> listeners = new ArrayList<>();
        if (net.getListeners() != null) {
            listeners.addAll(net.getListeners());
        }
        if (listeners.stream().noneMatch(l -> l instanceof TrainAccuracy t && t.countsInto(correct))) {
            listeners.removeIf(l -> l instanceof TrainAccuracy);
            listeners.add(new TrainAccuracy(correct));
            net.setListeners(listeners);
        }
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        int n = minibatch.numExamples();
        double score = model.score();
        objectiveSum.add(score * n);
        dataLossSum.add((score - regularizationTerms((MultiLayerNetwork) model)) * n);
        examples.add(n);
        work.add(n);
    }

    /** The KL (and any L1/L2) terms of the network's last score, as the layers added them. */
    private static double regularizationTerms(MultiLayerNetwork net) {
        double sum = 0;
        for (Layer layer : net.getLayers()) {
            sum += layer instanceof SparseVdLayerImpl<?> sparse ? sparse.lastRegularizationScore()
                    : layer.calcRegularizationScore(true);
        }
        return sum;
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("sparsevd trains MultiLayerNetworks on DataSets only");
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        throw new UnsupportedOperationException("sparsevd trains MultiLayerNetworks on DataSets only");
    }
}
