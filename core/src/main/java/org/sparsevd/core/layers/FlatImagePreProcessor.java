package org.sparsevd.core.layers;

import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link FeedForwardToCnnPreProcessor} (flat [minibatch, C·H·W] inputs as images [minibatch, C, H, W]) that
 * also takes a first layer's absent input gradient: DL4J's backprop hands the input gradient of layer 0 to its
 * preprocessor even when the layer returned none (skipInputGradient), and DL4J's preprocessor fails on null; this
 * one returns null for null and is DL4J's otherwise. The architectures with flat image inputs set it on their first
 * layer.
 */
public class FlatImagePreProcessor extends FeedForwardToCnnPreProcessor {

    private static final long serialVersionUID = 1L;

    @JsonCreator
    public FlatImagePreProcessor(@JsonProperty("inputHeight") long inputHeight,
                                 @JsonProperty("inputWidth") long inputWidth,
                                 @JsonProperty("numChannels") long numChannels) {
        super(inputHeight, inputWidth, numChannels);
    }

    /** The input gradient as images, or null if the layer computed none. */
    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return epsilons == null ? null : super.backprop(epsilons, miniBatchSize, workspaceMgr);
    }
}
