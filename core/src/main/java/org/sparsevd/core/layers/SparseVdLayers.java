package org.sparsevd.core.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the SparseVD layer configurations of a network and changes their settings in place. A layer's runtime
 * implementation reads klWeight, N and threshold from its configuration at every step, so changing a live
 * network's configuration (e.g. the KL weight at the start of each epoch) changes its training from the next
 * minibatch on. The setters return how many layers they changed.
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

    /** The SparseVD layer configurations of a computation graph, in the configuration's vertex order. */
    public static List<SparseVdLayer> list(ComputationGraphConfiguration conf) {
        List<SparseVdLayer> out = new ArrayList<>();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex && ((LayerVertex) v).getLayerConf() != null
                    && ((LayerVertex) v).getLayerConf().getLayer() instanceof SparseVdLayer) {
                out.add((SparseVdLayer) ((LayerVertex) v).getLayerConf().getLayer());
            }
        }
        return Collections.unmodifiableList(out);
    }

    public static int setKlWeight(MultiLayerConfiguration conf, double klWeight) {
        SparseVdValidation.klWeight(klWeight);
        return apply(list(conf), l -> l.setKlWeight(klWeight));
    }

    public static int setKlWeight(MultiLayerNetwork net, double klWeight) {
        SparseVdValidation.klWeight(klWeight);
        return apply(list(net), l -> l.setKlWeight(klWeight));
    }

    public static int setKlWeight(ComputationGraphConfiguration conf, double klWeight) {
        SparseVdValidation.klWeight(klWeight);
        return apply(list(conf), l -> l.setKlWeight(klWeight));
    }

    public static int setTrainSetSize(MultiLayerConfiguration conf, long trainSetSize) {
        SparseVdValidation.trainSetSize(trainSetSize);
        return apply(list(conf), l -> l.setTrainSetSize(trainSetSize));
    }

    public static int setTrainSetSize(MultiLayerNetwork net, long trainSetSize) {
        SparseVdValidation.trainSetSize(trainSetSize);
        return apply(list(net), l -> l.setTrainSetSize(trainSetSize));
    }

    public static int setTrainSetSize(ComputationGraphConfiguration conf, long trainSetSize) {
        SparseVdValidation.trainSetSize(trainSetSize);
        return apply(list(conf), l -> l.setTrainSetSize(trainSetSize));
    }

    public static int setThreshold(MultiLayerConfiguration conf, double threshold) {
        SparseVdValidation.threshold(threshold);
        return apply(list(conf), l -> l.setThreshold(threshold));
    }

    public static int setThreshold(MultiLayerNetwork net, double threshold) {
        SparseVdValidation.threshold(threshold);
        return apply(list(net), l -> l.setThreshold(threshold));
    }

    public static int setThreshold(ComputationGraphConfiguration conf, double threshold) {
        SparseVdValidation.threshold(threshold);
        return apply(list(conf), l -> l.setThreshold(threshold));
    }

    private static int apply(List<SparseVdLayer> layers, Consumer<SparseVdLayer> change) {
        layers.forEach(change);
        return layers.size();
    }
}
