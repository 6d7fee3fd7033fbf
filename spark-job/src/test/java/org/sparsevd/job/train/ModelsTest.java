package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.core.layers.SparseVdLayers;
import org.sparsevd.core.seed.NoiseSeed;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.cli.TrainOptions;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.TrainConfig;
import picocli.CommandLine;

/** Building models by name, their input checks, and --init-from. */
class ModelsTest {
    @TempDir
    Path tmp;

    private static ModelOptions options(String model, String variant, URI initFrom) {
        return new ModelOptions(model, variant, 0.5, 1, initFrom, 3, -10, -8, 8);
    }

    private URI saved(String model, String variant) throws Exception {
        MultiLayerNetwork net = Models.build(options(model, variant, null), 1.0, 7, 100);
        net.params().addi(0.25); // distinguishable from any fresh initialization
        Path file = tmp.resolve(model + "-" + variant + ".zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file.toUri();
    }

    @Test
    void initFromCopiesWeightsAndBiasesOfAPlainNetworkAndKeepsLogSigma2() throws Exception {
        URI plainFile = saved("lenet5", "plain");
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(Path.of(plainFile).toFile(), false);
        MultiLayerNetwork net = Models.build(options("lenet5", "sparsevd", plainFile), 1.0, 1, 100);
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
                () -> Models.build(options("lenet5", "sparsevd", lenet300), 1.0, 1, 100));
        assertTrue(e.getMessage().contains("is not a network of this architecture"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        URI missing = tmp.resolve("missing.zip").toUri();
        e = assertThrows(JobConfigException.class, () -> Models.build(options("lenet5", "sparsevd", missing), 1.0, 1, 100));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());

        Path junk = Files.writeString(tmp.resolve("junk.zip"), "not a model");
        e = assertThrows(JobConfigException.class, () -> Models.build(options("lenet5", "sparsevd", junk.toUri()), 1.0, 1, 100));
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

    /**
     * The KL weight's one path, command line → schedule → layers: a run's network holds its first epoch's weight from
     * the moment it is built, so its first steps are the steps of that weight. With {@code --kl-weight 0.37} from
     * epoch 1 (no warm-up), two steps of the network as built give the same score and parameters, bit for bit, as
     * the same network told 0.37 explicitly, and not those of the layers' default 1: a network built holding any
     * other weight fails here.
     */
    @Test
    void aRunsNetworkTakesItsFirstStepsWithTheScheduledKlWeight() {
        TrainOptions options = new TrainOptions();
        new CommandLine(options).parseArgs("--data", tmp.toString(), "--output", tmp.resolve("o").toString(),
                "--kl-weight", "0.37", "--kl-zero-epochs", "0", "--kl-ramp-epochs", "0", "--seed", "5");
        TrainConfig config = options.config();
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.rand(20, 784), Nd4j.eye(10).repeat(0, 2));
        float[] asBuilt = twoSteps(Models.build(config, 1000), batch, Double.NaN);
        float[] told = twoSteps(Models.build(config, 1000), batch, 0.37);
        float[] atDefault = twoSteps(Models.build(config, 1000), batch, 1.0);
        assertTrue(Arrays.equals(told, asBuilt), "the network as built trains with the scheduled weight 0.37");
        assertNotEquals(told[0], atDefault[0], "the weight shows in the score: a wrong one would fail the test");
    }

    /** The score after two steps on {@code batch} (KL weight {@code klWeight} set first, unless NaN), then the parameters. */
    private static float[] twoSteps(MultiLayerNetwork net, DataSet batch, double klWeight) {
        if (!Double.isNaN(klWeight)) {
            SparseVdLayers.setKlWeight(net.getLayerWiseConfigurations(), klWeight);
        }
        for (int step = 0; step < 2; step++) {
            NoiseSeed.apply(5, 0, batch);
            net.fit(batch);
        }
        float[] params = net.params().data().asFloat();
        float[] out = new float[params.length + 1];
        out[0] = (float) net.score();
        System.arraycopy(params, 0, out, 1, params.length);
        return out;
    }
}
