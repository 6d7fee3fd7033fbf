package org.sparsevd.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.arch.AlexNetCifar;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.arch.VggLike;
import org.sparsevd.core.engine.CentroidTraining;
import org.sparsevd.core.engine.Codebook;
import org.sparsevd.core.engine.InputSpec;
import org.sparsevd.core.engine.LayerSpec;
import org.sparsevd.core.engine.ModelEncoder;
import org.sparsevd.core.engine.ModelFile;
import org.sparsevd.core.engine.NetworkSpec;
import org.sparsevd.core.engine.Quantization;
import org.sparsevd.core.engine.Shape;
import org.sparsevd.core.engine.SparseNetwork;
import org.sparsevd.core.layers.NativeConvolutionLayer;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.layers.spec.SparseVdParamInitializer;

/**
 * The engine against DL4J on every architecture: a Sparse VD network with random weights, log α spread around the
 * threshold and random batch-norm statistics, exported without quantization, gives DL4J's masked outputs; exported
 * with quantization, it gives the outputs of the DL4J network whose kept weights are replaced by the decoded
 * (shared) values, also after the centroids were retrained. Also the dense layout and the plain variant.
 */
class EngineMatchesDl4jTest {

    static final double TOLERANCE = 2e-4;

    static MultiLayerNetwork network(String arch, Variant variant) {
        ArchitectureSettings s = ArchitectureSettings.defaults(1000).withSeed(7);
        MultiLayerConfiguration conf = switch (arch) {
            case "lenet300" -> Lenet300.of(s, variant, 0.5);
            case "lenet5" -> Lenet5.of(s, variant, 0.5);
            case "vgglike" -> VggLike.of(s, variant, 0.5, 0.125);
            case "alexnet" -> AlexNetCifar.of(s, variant, 0.5);
            default -> throw new IllegalArgumentException(arch);
        };
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomize(net, new Random(11));
        return net;
    }

    static Shape shape(String arch) {
        return arch.startsWith("lenet") ? new Shape(1, 28, 28) : new Shape(3, 32, 32);
    }

    /** log α uniform in [−6, 6] (threshold 3: about a quarter pruned), BN statistics and affine random. */
    static void randomize(MultiLayerNetwork net, Random r) {
        for (int i = 0; i < net.getnLayers(); i++) {
            Map<String, INDArray> p = net.getLayer(i).paramTable();
            if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof SparseVdLayer) {
                INDArray w = p.get(SparseVdParamInitializer.WEIGHT_KEY);
                INDArray ls = p.get(SparseVdParamInitializer.LOG_SIGMA2_KEY);
                double[] wv = w.dup('c').data().asDouble();
                double[] lv = new double[wv.length];
                for (int k = 0; k < wv.length; k++) {
                    lv[k] = Math.log(wv[k] * wv[k] + 1e-8) + (r.nextDouble() * 12 - 6);
                }
                ls.assign(Nd4j.create(lv, w.shape(), 'c').castTo(ls.dataType()));
                INDArray b = p.get(SparseVdParamInitializer.BIAS_KEY);
                b.assign(Nd4j.rand(b.dataType(), b.shape()).subi(0.5).muli(0.1));
            }
            if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof BatchNormalization) {
                for (Map.Entry<String, INDArray> e : p.entrySet()) {
                    INDArray a = e.getValue();
                    INDArray u = Nd4j.rand(a.dataType(), a.shape());
                    switch (e.getKey()) {
                        case BatchNormalizationParamInitializer.GAMMA -> a.assign(u.addi(0.5));
                        case BatchNormalizationParamInitializer.GLOBAL_LOG_STD -> a.assign(u.subi(0.5).muli(0.4));
                        case BatchNormalizationParamInitializer.GLOBAL_VAR -> a.assign(u.addi(0.5));
                        default -> a.assign(u.subi(0.5).muli(0.2));
                    }
                }
            }
        }
    }

    static float[][] inputs(Shape shape, int batch, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[batch][shape.size()];
        for (float[] row : x) {
            for (int f = 0; f < row.length; f++) {
                row[f] = r.nextFloat();
            }
        }
        return x;
    }

    static void assertClose(INDArray expected, float[][] actual, String what) {
        double worst = 0;
        for (int b = 0; b < actual.length; b++) {
            for (int j = 0; j < actual[b].length; j++) {
                worst = Math.max(worst, Math.abs(expected.getDouble(b, j) - actual[b][j]));
            }
        }
        assertTrue(worst < TOLERANCE, what + ": largest difference " + worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "lenet5", "vgglike", "alexnet"})
    void unquantizedExportEqualsTheMaskedNetwork(String arch) {
        MultiLayerNetwork net = network(arch, Variant.SPARSEVD);
        float[][] x = inputs(shape(arch), 5, 3);
        INDArray expected = net.output(Nd4j.create(x));
        NetworkSpec spec = Dl4jExport.of(net, Double.NaN, InputSpec.unitScale(shape(arch)), "{}");
        SparseNetwork direct = SparseNetwork.of(spec);
        assertClose(expected, direct.predict(x), arch + " engine");
        assertClose(expected, direct.withDenseLayout().predict(x), arch + " engine, dense layout");
        // Batch of one, the scalar path.
        assertClose(expected.getRow(2, true), direct.predict(new float[][] {x[2]}), arch + " engine, batch 1");
        // Through the file, float32 values: the same network.
        SparseNetwork loaded = SparseNetwork.of(ModelFile.read(ModelEncoder.encode(spec, Quantization.none()).bytes()));
        assertClose(expected, loaded.predict(x), arch + " engine from the file");
        long kept = spec.layers().stream().filter(LayerSpec::weighted).mapToLong(l -> l instanceof LayerSpec.Dense d
                ? d.positions().length : ((LayerSpec.Conv) l).positions().length).sum();
        long total = Math.round(net.numParams() / 2.0); // W and log σ² of equal size dominate the count
        assertTrue(kept > 0 && kept < total, arch + ": some weights must be pruned, kept " + kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "lenet5", "vgglike", "alexnet"})
    void quantizedExportEqualsTheNetworkWithDecodedWeights(String arch) {
        MultiLayerNetwork net = network(arch, Variant.SPARSEVD);
        NetworkSpec spec = Dl4jExport.of(net, Double.NaN, InputSpec.unitScale(shape(arch)), "{}");
        NetworkSpec decoded = ModelFile.read(ModelEncoder.encode(spec, new Quantization(true, 3, 4)).bytes());
        MultiLayerNetwork withDecoded = network(arch, Variant.SPARSEVD);
        substitute(withDecoded, spec, decoded);
        float[][] x = inputs(shape(arch), 4, 5);
        assertClose(withDecoded.output(Nd4j.create(x)), SparseNetwork.of(decoded).predict(x), arch + " quantized");
        // And the quantization did change the outputs (3 and 4 bits are coarse).
        double moved = withDecoded.output(Nd4j.create(x)).sub(net.output(Nd4j.create(x))).norm1Number().doubleValue();
        assertTrue(moved > 1e-4, arch + ": quantization left the outputs unchanged");
    }

    /** The same with centroids retrained (on random examples): the file still holds what DL4J computes. */
    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "lenet5", "vgglike", "alexnet"})
    void retrainedExportEqualsTheNetworkWithDecodedWeights(String arch) {
        MultiLayerNetwork net = network(arch, Variant.SPARSEVD);
        NetworkSpec spec = Dl4jExport.of(net, Double.NaN, InputSpec.unitScale(shape(arch)), "{}");
        Quantization q = new Quantization(true, 3, 4);
        java.util.List<Codebook> kMeans = Codebook.kMeans(spec, q);
        Random r = new Random(4);
        byte[] pixels = new byte[8 * shape(arch).size()];
        r.nextBytes(pixels);
        byte[] labels = new byte[8];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(10);
        }
        java.util.List<Codebook> retrained = CentroidTraining.retrain(spec, kMeans,
                new CentroidTraining.Examples(pixels, labels), new CentroidTraining.Settings(1, 1e-2, 4, 1));
        assertTrue(!java.util.Arrays.equals(kMeans.get(0).centroids(), retrained.get(0).centroids()),
                arch + ": retraining moved no centroid");
        NetworkSpec decoded = ModelFile.read(ModelEncoder.encode(spec, q, retrained).bytes());
        MultiLayerNetwork withDecoded = network(arch, Variant.SPARSEVD);
        substitute(withDecoded, spec, decoded);
        float[][] x = inputs(shape(arch), 4, 5);
        assertClose(withDecoded.output(Nd4j.create(x)), SparseNetwork.of(decoded).predict(x), arch + " retrained");
    }

    /**
     * Sets every Sparse VD layer's kept weights to the decoded values (divided by the batch-norm scale the export
     * folded in), log σ² so that exactly the kept weights stay kept.
     */
    private static void substitute(MultiLayerNetwork net, NetworkSpec original, NetworkSpec decoded) {
        int weighted = 0;
        java.util.List<LayerSpec> orig = original.layers().stream().filter(LayerSpec::weighted).toList();
        java.util.List<LayerSpec> dec = decoded.layers().stream().filter(LayerSpec::weighted).toList();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (!(net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof SparseVdLayer)) {
                continue;
            }
            Map<String, INDArray> p = net.getLayer(i).paramTable();
            INDArray w = p.get(SparseVdParamInitializer.WEIGHT_KEY);
            double[] before = w.dup('c').data().asDouble();
            int[] positions = positions(orig.get(weighted));
            float[] folded = values(orig.get(weighted));
            float[] values = values(dec.get(weighted));
            double[] nw = new double[before.length];
            double[] ls = new double[before.length];
            java.util.Arrays.fill(ls, 20.0);   // log α clipped to 8 >= 3: pruned
            for (int k = 0; k < positions.length; k++) {
                double scale = folded[k] / before[positions[k]];  // 1 unless batch norm was folded in
                nw[positions[k]] = values[k] / scale;
                ls[positions[k]] = -20.0;      // log α clipped to −8: kept
            }
            w.assign(Nd4j.create(nw, w.shape(), 'c').castTo(w.dataType()));
            p.get(SparseVdParamInitializer.LOG_SIGMA2_KEY).assign(Nd4j.create(ls, w.shape(), 'c').castTo(w.dataType()));
            weighted++;
        }
        assertEquals(orig.size(), weighted);
    }

    private static int[] positions(LayerSpec l) {
        return l instanceof LayerSpec.Dense d ? d.positions() : ((LayerSpec.Conv) l).positions();
    }

    private static float[] values(LayerSpec l) {
        return l instanceof LayerSpec.Dense d ? d.values() : ((LayerSpec.Conv) l).values();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "lenet5"})
    void plainNetworksExportEveryWeight(String arch) {
        MultiLayerNetwork net = network(arch, Variant.PLAIN);
        float[][] x = inputs(shape(arch), 3, 9);
        NetworkSpec spec = Dl4jExport.of(net, Double.NaN, InputSpec.unitScale(shape(arch)), "{}");
        assertClose(net.output(Nd4j.create(x)), SparseNetwork.of(spec).predict(x), arch + " plain");
        assertTrue(Double.isNaN(spec.threshold()));
    }

    /**
     * A plain LeNet-5 as saved before its convolutions were {@link NativeConvolutionLayer}s (DL4J's
     * ConvolutionLayer in the JSON): it still loads, computes what the current network computes, and exports.
     */
    @Test
    void plainNetworksWithDl4jConvolutionsStillLoadAndExport() throws Exception {
        MultiLayerNetwork net = network("lenet5", Variant.PLAIN);
        String json = net.getLayerWiseConfigurations().toJson();
        assertTrue(json.contains(NativeConvolutionLayer.class.getName()));
        MultiLayerConfiguration old = MultiLayerConfiguration.fromJson(
                json.replace(NativeConvolutionLayer.class.getName(), ConvolutionLayer.class.getName()));
        MultiLayerNetwork before = new MultiLayerNetwork(old);
        before.init(net.params().dup(), false);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ModelSerializer.writeModel(before, saved, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(saved.toByteArray()),
                false);
        assertEquals(ConvolutionLayer.class, loaded.getLayer(0).conf().getLayer().getClass());
        float[][] x = inputs(shape("lenet5"), 3, 9);
        assertClose(net.output(Nd4j.create(x)), loaded.output(Nd4j.create(x)).toFloatMatrix(), "DL4J's convolution");
        NetworkSpec spec = Dl4jExport.of(loaded, Double.NaN, InputSpec.unitScale(shape("lenet5")), "{}");
        assertClose(loaded.output(Nd4j.create(x)), SparseNetwork.of(spec).predict(x), "lenet5 plain, DL4J's convolution");
    }
}
