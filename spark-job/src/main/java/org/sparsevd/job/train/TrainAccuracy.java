package org.sparsevd.job.train;

import java.util.List;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Counts, on an executor, the training examples the network classifies right in the forward pass it is being
 * trained on (under the training noise, on the parameters before the update): no extra pass over the data. DL4J
 * hands a training listener the activations up to the input of the output layer; the class scores are that input
 * for a parameter-free loss layer (the Sparse VD networks) and that input times the output layer's W plus b for a
 * DL4J output layer (the baselines; any dropout on the output layer's own input is not applied here).
 */
final class TrainAccuracy extends BaseTrainingListener {
    private final LongAccumulator correct;

    TrainAccuracy(LongAccumulator correct) {
        this.correct = correct;
    }

    /** Whether this listener counts into {@code accumulator}. */
    boolean countsInto(LongAccumulator accumulator) {
        return correct == accumulator;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        INDArray labels = net.getLabels();
        int last = net.getnLayers() - 1;
        INDArray scores = activations.get(activations.size() - 1);
        InputPreProcessor preprocessor = net.getLayerWiseConfigurations().getInputPreProcess(last);
        if (preprocessor != null) {
            scores = preprocessor.preProcess(scores, (int) scores.size(0), LayerWorkspaceMgr.noWorkspaces());
        }
        Layer output = net.getLayer(last);
        if (output.numParams() > 0) {
            scores = scores.mmul(output.getParam(DefaultParamInitializer.WEIGHT_KEY))
                    .addiRowVector(output.getParam(DefaultParamInitializer.BIAS_KEY));
        }
        correct.add(scores.argMax(1).eq(labels.argMax(1)).castTo(DataType.INT64).sumNumber().longValue());
    }
}
