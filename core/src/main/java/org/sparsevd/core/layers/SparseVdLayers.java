package org.sparsevd.core.layers;

import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdSettings;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.sparsevd.core.kl.LogAlpha;

/**
 * Finds the SparseVD layer configurations of a network and changes their settings in place. A layer's runtime
 * implementation reads klWeight, N and threshold from its configuration at every step, so changing a live
 * network's configuration (e.g. the KL weight at the start of each epoch) changes its training from the next
 * minibatch on. The setters check their argument (even for a network without SparseVD layers) and return how many
 * layers they changed.
 */
public final class SparseVdLayers {

    private SparseVdLayers() {
    }

    /** The SparseVD layer configurations, in layer order. */
    public static List<SparseVdLayer> list(MultiLayerConfiguration conf) {
        List<SparseVdLayer> out = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            if (c.getLayer() instanceof SparseVdLayer) {
                out.add((SparseVdLayer) c.getLayer());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The SparseVD layer configurations of a network: those of its MultiLayerConfiguration and those its layers
     * run with (normally the same objects), each once.
     */
    public static List<SparseVdLayer> list(MultiLayerNetwork net) {
        Set<SparseVdLayer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SparseVdLayer> out = new ArrayList<>();
        for (SparseVdLayer l : list(net.getLayerWiseConfigurations())) {
            if (seen.add(l)) {
                out.add(l);
            }
        }
        Layer[] layers = net.getLayers();
        if (layers != null) {
            for (Layer layer : layers) {
                if (layer.conf() != null && layer.conf().getLayer() instanceof SparseVdLayer) {
                    SparseVdLayer l = (SparseVdLayer) layer.conf().getLayer();
                    if (seen.add(l)) {
                        out.add(l);
                    }
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Sets the KL weight (finite, ≥ 0) of every SparseVD layer of {@code conf}. */
    public static int setKlWeight(MultiLayerConfiguration conf, double klWeight) {
        SparseVdSettings.checkKlWeight(klWeight);
        return apply(conf, s -> s.withKlWeight(klWeight));
    }

    /** Sets N, the number of examples of the whole training set (&gt; 0), of every SparseVD layer of {@code conf}. */
    public static int setTrainSetSize(MultiLayerConfiguration conf, long trainSetSize) {
        return apply(conf, s -> s.withTrainSetSize(trainSetSize));
    }

    /** Sets the logα threshold of the inference mask (finite) of every SparseVD layer of {@code conf}. */
    public static int setThreshold(MultiLayerConfiguration conf, double threshold) {
        LogAlpha.checkThreshold(threshold);
        return apply(conf, s -> s.withThreshold(threshold));
    }

    private static int apply(MultiLayerConfiguration conf, UnaryOperator<SparseVdSettings> change) {
        List<SparseVdLayer> layers = list(conf);
        layers.forEach(l -> l.setSparseVd(change.apply(l.getSparseVd())));
        return layers.size();
    }
}
