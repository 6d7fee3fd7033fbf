package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.config.ModelOptions;

/** Building models by name, their input checks, and --init-from. */
class ModelsTest {
    @TempDir
    Path tmp;

    private static ModelOptions options(String model, String variant, URI initFrom) {
        return new ModelOptions(model, variant, 0.5, 1, initFrom, 3, -10, -8, 8);
    }

    private URI saved(String model, String variant) throws Exception {
        MultiLayerNetwork net = Models.build(options(model, variant, null), 7, 100);
        net.params().addi(0.25); // distinguishable from any fresh initialization
        Path file = tmp.resolve(model + "-" + variant + ".zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file.toUri();
    }

    @Test
    void initFromCopiesWeightsAndBiasesOfAPlainNetworkAndKeepsLogSigma2() throws Exception {
        URI plainFile = saved("lenet5", "plain");
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(Path.of(plainFile).toFile(), false);
        MultiLayerNetwork net = Models.build(options("lenet5", "sparsevd", plainFile), 1, 100);
        for (String layer : new String[]{"conv1", "conv2", "dense1", "dense2"}) {
            int i = index(net, layer);
            int j = index(plain, layer);
            assertEquals(plain.getLayer(j).getParam("W"), net.getLayer(i).getParam("W"), layer);
            assertEquals(plain.getLayer(j).getParam("b").reshape(net.getLayer(i).getParam("b").shape()),
                    net.getLayer(i).getParam("b"), layer);
            assertTrue(net.getLayer(i).getParam("logSigma2").eq(-10).all(), layer);
        }
    }

    private static int index(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new AssertionError("no layer " + name);
    }

    @Test
    void initFromAnotherArchitectureOrAMissingOrBrokenFileIsAOneLineError() throws Exception {
        URI lenet300 = saved("lenet300", "plain");
        JobConfigException e = assertThrows(JobConfigException.class,
                () -> Models.build(options("lenet5", "sparsevd", lenet300), 1, 100));
        assertTrue(e.getMessage().contains("is not a network of this architecture"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        URI missing = tmp.resolve("missing.zip").toUri();
        e = assertThrows(JobConfigException.class, () -> Models.build(options("lenet5", "sparsevd", missing), 1, 100));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());

        Path junk = Files.writeString(tmp.resolve("junk.zip"), "not a model");
        e = assertThrows(JobConfigException.class, () -> Models.build(options("lenet5", "sparsevd", junk.toUri()), 1, 100));
        assertTrue(e.getMessage().contains("not a readable DL4J"), e.getMessage());
    }

    @Test
    void inputShapesAreChecked() {
        LabeledImages cifarLike = new LabeledImages("cifar", new byte[2 * 3072], new byte[2], 3, 32, 32, 10);
        JobConfigException e = assertThrows(JobConfigException.class,
                () -> Models.checkInput(options("lenet300", "sparsevd", null), cifarLike));
        assertEquals("--model lenet300 expects 28x28 images with 1 channel, but cifar has 3x32x32 (channels x height "
                + "x width)", e.getMessage());
        Models.checkInput(options("vgglike", "plain", null), cifarLike);
        LabeledImages mnistLike = new LabeledImages("mnist", new byte[2 * 784], new byte[2], 1, 28, 28, 10);
        e = assertThrows(JobConfigException.class, () -> Models.checkInput(options("alexnet", "plain", null), mnistLike));
        assertTrue(e.getMessage().contains("expects 32x32 images with 3 channels"), e.getMessage());
        Models.checkInput(options("lenet5", "dropout", null), mnistLike);
    }
}
