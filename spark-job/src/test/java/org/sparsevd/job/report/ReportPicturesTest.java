package org.sparsevd.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparsevd.core.layers.spec.SparseVdLayer;
import org.sparsevd.core.sparsity.LayerSparsity;
import org.sparsevd.core.sparsity.SparsityReport;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.metrics.EpochMetrics;
import org.sparsevd.job.metrics.LayerMetrics;
import org.sparsevd.job.metrics.LogAlphaHistogram;
import org.sparsevd.job.output.RunOutput;
import org.sparsevd.job.train.Models;

/**
 * Every picture of the run report is drawn for every architecture and opens as a PNG: the curves, the log alpha
 * distribution of every Sparse VD layer and the first-layer weights (dense tiles for LeNet-300-100, filters for the
 * convolutional networks), from an untrained network whose log sigma^2 is raised on a pattern so that some weights
 * are pruned. No Spark, no training.
 */
class ReportPicturesTest {
    private static final List<String> CURVES = List.of("accuracy.png", "data-loss.png", "kl.png", "sgvlb.png",
            "compression.png", "sparsity.png");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "lenet5", "vgglike", "alexnet"})
    void everyPictureIsWrittenForEveryArchitecture(String model) throws IOException {
        MultiLayerNetwork net = Models.build(new ModelOptions(model, "sparsevd", 0.5,
                model.equals("vgglike") ? 0.125 : 1, null, 3, -10, -8, 8), 1.0, 1, 1000);
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            prune(net, e);
            epochs.add(metrics(e, net));
        }
        Path dir = tmp.resolve(model);
        Path index = Path.of(RunReport.writeLive(RunOutput.create(dir.toUri(), new Configuration()), epochs, null,
                net, 0).toUri());
        assertTrue(Files.readString(index).contains("<img src=\"data:image/png;base64,"));

        List<String> pictures = new ArrayList<>(CURVES);
        pictures.add(LogAlphaFigure.FILE);
        pictures.add(RunReport.WEIGHTS_FILE);
        try (Stream<Path> files = Files.list(dir.resolve(Html.DIR))) {
            List<String> pngs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted()
                    .toList();
            assertEquals(pictures.stream().sorted().toList(), pngs, model);
        }
        for (String name : CURVES) {
            BufferedImage img = read(dir, name);
            assertEquals(Charts.WIDTH, img.getWidth(), name);
            assertEquals(Charts.HEIGHT, img.getHeight(), name);
        }
        long sparseLayers = epochs.get(0).layers().stream().filter(l -> l.logAlphaHistogram() != null).count();
        BufferedImage logAlpha = read(dir, LogAlphaFigure.FILE);
        assertEquals(Charts.WIDTH, logAlpha.getWidth());
        assertEquals(sparseLayers * LogAlphaFigure.ROW_HEIGHT, logAlpha.getHeight(), "one row per layer");
        BufferedImage weights = read(dir, RunReport.WEIGHTS_FILE);
        BufferedImage tiles = WeightImage.firstLayer(net).tiles();
        assertTrue(weights.getWidth() >= tiles.getWidth() + 2 * WeightImage.MARGIN, model);
        assertTrue(tiles.getHeight() >= 30 && tiles.getWidth() >= 30, model + ": " + tiles.getWidth() + "x"
                + tiles.getHeight());
        assertTrue(countRgb(tiles, WeightImage.PRUNED_RGB) > 0, model + ": pruned taps are white");
    }

    private static BufferedImage read(Path dir, String name) throws IOException {
        BufferedImage img = ImageIO.read(dir.resolve(Html.DIR).resolve(name).toFile());
        assertNotNull(img, name + " is a PNG");
        return img;
    }

    /** Raises log sigma^2 to 10 (log alpha clipped to the top) on every {@code 7 - epoch}-th weight of each layer. */
    private static void prune(MultiLayerNetwork net, int epoch) {
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof SparseVdLayer) {
                INDArray logSigma2 = layer.getParam("logSigma2");
                INDArray flat = logSigma2.reshape(logSigma2.length());
                for (long i = 0; i < flat.length(); i += 7 - epoch) {
                    flat.putScalar(i, 10.0);
                }
                logSigma2.assign(flat.reshape(logSigma2.shape()));
            }
        }
    }

    private static EpochMetrics metrics(int epoch, MultiLayerNetwork net) {
        List<LayerSparsity> layers = SparsityReport.of(net);
        Map<String, LogAlphaHistogram> histograms = LogAlphaHistogram.of(net);
        List<LayerMetrics> lm = layers.stream().map(l -> LayerMetrics.of(l, histograms.get(l.name()))).toList();
        return new EpochMetrics(epoch, 10, 10 * epoch, 0.5 * epoch, 1e-3, 1.0 / epoch, 1000, 1.0, 1000, null,
                0.5 + 0.1 * epoch, SparsityReport.compression(layers), lm, 0.6 + 0.1 * epoch, 0.9 / epoch);
    }

    private static int countRgb(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
