package org.sparsevd.job.train;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparsevd.core.arch.AlexNetCifar;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.arch.VggLike;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.TrainConfig;

import java.util.Locale;

/** The architectures {@code train} can build by name, and the input each expects. */
public final class Models {
    private Models() {
    }

    /**
     * Builds and initializes the network of a run of {@code config} for a training set of {@code n} examples: its
     * model, seed and, in every Sparse VD layer, the KL weight its schedule gives the first epoch (the trainer sets
     * each epoch's before fitting it), so the layers never hold a weight the run does not train with.
     */
    public static MultiLayerNetwork build(TrainConfig config, long n) {
        return build(config.model(), config.schedule().klSchedule().weight(0), config.seed(), n);
    }

    /**
     * Builds and initializes the network {@code model} names, for a training set of {@code n} examples, its Sparse
     * VD layers holding {@code klWeight}; with {@code --init-from}, its weights and biases are then copied from that
     * model file ({@link Pretrained}).
     */
    public static MultiLayerNetwork build(ModelOptions model, double klWeight, long seed, long n) {
        ArchitectureSettings settings = ArchitectureSettings.defaults(n)
                .withSeed(seed)
                .withKlWeight(klWeight)
                .withThreshold(model.threshold())
                .withLogSigma2Init(model.logSigma2Init())
                .withLogAlphaClip(model.logAlphaMin(), model.logAlphaMax());
        Variant variant = Variant.valueOf(model.variant().toUpperCase(Locale.ROOT));
        MultiLayerConfiguration conf = switch (model.name()) {
            case "lenet300" -> Lenet300.of(settings, variant, model.dropout());
            case "lenet5" -> Lenet5.of(settings, variant, model.dropout());
            case "vgglike" -> VggLike.of(settings, variant, model.dropout(), model.width());
            case "alexnet" -> AlexNetCifar.of(settings, variant, model.dropout());
            default -> throw new JobConfigException("--model: unknown model '" + model.name() + "'");
        };
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (model.initFrom() != null) {
            Pretrained.copyInto(net, model.initFrom(), new Configuration());
        }
        return net;
    }

    /**
     * Fails with a one-line message when the data's images don't fit {@code model}'s input, or when its
     * {@code --init-from} model is missing or of another architecture (checked by building the network once).
     */
    public static void checkInput(ModelOptions model, LabeledImages data) {
        boolean cifar = model.defaultDataset().equals(org.sparsevd.job.config.DataOptions.CIFAR10);
        int channels = cifar ? 3 : 1;
        int side = cifar ? 32 : 28;
        if (data.channels() != channels || data.height() != side || data.width() != side) {
            throw new JobConfigException("--model " + model.name() + " expects " + side + "x" + side + " images with "
                    + channels + (channels == 1 ? " channel" : " channels") + ", but " + data.source() + " has "
                    + data.channels() + "x" + data.height() + "x" + data.width() + " (channels x height x width)");
        }
        if (data.numClasses() != 10) {
            throw new JobConfigException("--model " + model.name() + " has 10 outputs, but the data has "
                    + data.numClasses() + " classes");
        }
        if (model.initFrom() != null) {
            build(model, 0, 0, 1); // only to read --init-from into the architecture: no KL weight matters
        }
    }
}
