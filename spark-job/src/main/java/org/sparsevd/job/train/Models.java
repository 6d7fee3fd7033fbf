package org.sparsevd.job.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.ModelOptions;

/** The architectures {@code train} can build by name, and the input each expects. */
public final class Models {
    private Models() {
    }

    /** Builds and initializes the network {@code model} names, for a training set of {@code n} examples. */
    public static MultiLayerNetwork build(ModelOptions model, long seed, long n) {
        ArchitectureSettings settings = ArchitectureSettings.defaults(n)
                .withSeed(seed)
                .withThreshold(model.threshold())
                .withLogSigma2Init(model.logSigma2Init())
                .withLogAlphaClip(model.logAlphaMin(), model.logAlphaMax());
        MultiLayerNetwork net = switch (model.name()) {
            case "lenet300" -> new MultiLayerNetwork(Lenet300.sparseVd(settings));
            default -> throw new JobConfigException("--model: unknown model '" + model.name() + "'");
        };
        net.init();
        return net;
    }

    /** Fails with a one-line message when the data's images don't fit {@code model}'s input. */
    public static void checkInput(String model, LabeledImages data) {
        if (model.equals("lenet300") && (data.channels() != 1 || data.featureSize() != 784)) {
            throw new JobConfigException("--model lenet300 expects 28x28 single-channel images, but "
                    + data.source() + " has " + data.channels() + "x" + data.height() + "x" + data.width());
        }
        if (data.numClasses() != 10) {
            throw new JobConfigException("--model " + model + " has 10 outputs, but the data has "
                    + data.numClasses() + " classes");
        }
    }
}
