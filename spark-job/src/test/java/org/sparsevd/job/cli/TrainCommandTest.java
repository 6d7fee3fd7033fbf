package org.sparsevd.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.job.CifarFiles;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.Main;

/**
 * Bad input to {@code sparsevd train}: one line on stderr naming the problem, a non-zero exit code, and no output
 * directory left behind. These fail before Spark starts, so they are fast.
 */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private record Result(int code, String err) {
    }

    private Result train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(extra));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    private static void assertOneLineError(Result r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sparsevd train: error: "), r.err());
        assertTrue(first.contains(expected), "'" + first + "' should mention '" + expected + "'");
        assertTrue(r.err().lines().count() <= 2, "no stack trace: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--kl-weight|-1|--kl-weight must be a finite number >= 0, got -1.0",
            "--kl-weight|NaN|--kl-weight must be a finite number >= 0, got NaN",
            "--threshold|NaN|--threshold must be a finite number, got NaN",
            "--epochs|0|--epochs must be at least 1, got 0",
            "--model|resnet|--model: unknown model 'resnet'",
            "--lr|0|--lr must be a finite number > 0, got 0.0",
            "--workers|0|--workers must be at least 1, got 0",
            "--batch-size|-5|--batch-size must be at least 1, got -5",
            "--limit-train|-1|--limit-train must be 0 or more, got -1",
            "--lr-decay|cosine|--lr-decay must be 'constant' or 'linear', got 'cosine'",
            "--log-alpha-min|9|--log-alpha-min (9.0) must be below --log-alpha-max (8.0)",
            "--random-labels|1.5|--random-labels must be a fraction in [0, 1], got 1.5",
            "--random-labels|-0.1|--random-labels must be a fraction in [0, 1], got -0.1",
            "--variant|bayes|--variant: unknown variant 'bayes' (known: sparsevd, plain, dropout)",
            "--dropout|1|--dropout must be a probability in [0, 1), got 1.0",
            "--width|2|--width applies to --model vgglike only, got --width 2.0 with --model lenet300",
            "--width|0|--width must be a finite number > 0, got 0.0",
            "--dataset|png|--dataset must be one of auto, idx, cifar10, got 'png'",
            "--init-from|/nonexistent/model.zip|--init-from file:/nonexistent/model.zip: no such file",
    })
    void invalidOptionValuesAreRejectedBeforeAnythingIsWritten(String option, String value, String message) {
        Path out = tmp.resolve("out");
        Result r = train("--data", FashionMnist.DIR.toString(), "--output", out.toString(), option, value);
        assertOneLineError(r, UserErrors.BAD_USAGE, message);
        assertFalse(Files.exists(out));
    }

    @Test
    void unparseableNumbersAndUnknownOptionsAreUsageErrors() {
        Path out = tmp.resolve("out");
        Result r = train("--data", FashionMnist.DIR.toString(), "--output", out.toString(), "--epochs", "ten");
        assertEquals(UserErrors.BAD_USAGE, r.code());
        assertTrue(r.err().contains("--epochs") && r.err().contains("ten"), r.err());
        r = train("--data", FashionMnist.DIR.toString(), "--output", out.toString(), "--klweight", "1");
        assertEquals(UserErrors.BAD_USAGE, r.code());
        assertTrue(r.err().contains("--klweight"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void outputThatIsAFileIsRejectedAndLeftAlone() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "precious");
        Result r = train("--data", FashionMnist.DIR.toString(), "--output", file.toString());
        assertOneLineError(r, UserErrors.FAILED, "exists and is a file");
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void nonEmptyOutputDirectoryIsRejectedAndLeftAlone() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("previous-run"));
        Files.writeString(dir.resolve("metrics.jsonl"), "{}\n");
        Result r = train("--data", FashionMnist.DIR.toString(), "--output", dir.toString());
        assertOneLineError(r, UserErrors.FAILED, "already exists and is not empty");
        assertEquals("{}\n", Files.readString(dir.resolve("metrics.jsonl")));
    }

    @Test
    void missingDataDirectoryNamesTheMissingFile() {
        Path out = tmp.resolve("out");
        Result r = train("--data", tmp.resolve("nowhere").toString(), "--output", out.toString());
        assertOneLineError(r, UserErrors.FAILED, "nowhere");
        assertFalse(Files.exists(out));
    }

    @Test
    void corruptDataFileIsNamedAndNoOutputIsLeft() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String name : List.of("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(FashionMnist.DIR.toPath().resolve(name), data.resolve(name));
        }
        byte[] truncated = Files.readAllBytes(FashionMnist.DIR.toPath().resolve("train-images-idx3-ubyte.gz"));
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(data.resolve("train-images-idx3-ubyte.gz")))) {
            gz.write(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(truncated)).readNBytes(50_000));
        }
        Path out = tmp.resolve("out");
        Result r = train("--data", data.toString(), "--output", out.toString());
        assertOneLineError(r, UserErrors.FAILED, "train-images-idx3-ubyte.gz");
        assertTrue(r.err().contains("truncated"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void cifarDataForAnIdxModelIsRejected() throws IOException {
        Path cifar = CifarFiles.write(tmp.resolve("cifar"), 4, 4, 1);
        Path out = tmp.resolve("out");
        Result r = train("--data", cifar.toString(), "--dataset", "cifar10", "--output", out.toString());
        assertOneLineError(r, UserErrors.BAD_USAGE, "--model lenet300 expects 28x28 images with 1 channel, but ");
        assertTrue(r.err().contains("has 3x32x32"), r.err());
        r = train("--data", cifar.toString(), "--model", "alexnet", "--test-data", cifar.toString(), "--output",
                out.toString());
        assertOneLineError(r, UserErrors.BAD_USAGE, "--test-data is for IDX data only");
        r = train("--data", FashionMnist.DIR.toString(), "--model", "vgglike", "--dataset", "idx", "--output",
                out.toString());
        assertOneLineError(r, UserErrors.BAD_USAGE, "--model vgglike expects 32x32 images with 3 channels, but ");
        r = train("--data", FashionMnist.DIR.toString(), "--model", "alexnet", "--output", out.toString());
        assertOneLineError(r, UserErrors.FAILED, "missing data_batch_1.bin");
        assertFalse(Files.exists(out));
    }

    @Test
    void initFromAnotherArchitectureIsRejected() throws Exception {
        MultiLayerNetwork lenet300 = new MultiLayerNetwork(Lenet300.plain(ArchitectureSettings.defaults(10)));
        lenet300.init();
        Path model = tmp.resolve("lenet300.zip");
        ModelSerializer.writeModel(lenet300, model.toFile(), false);
        Path out = tmp.resolve("out");
        Result r = train("--data", FashionMnist.DIR.toString(), "--model", "lenet5", "--init-from", model.toString(),
                "--output", out.toString());
        assertOneLineError(r, UserErrors.BAD_USAGE, "is not a network of this architecture: its layers with "
                + "parameters are");
        assertFalse(Files.exists(out));
    }

    @Test
    void helpListsEveryOption() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("train", "--help"));
        for (String option : List.of("--data", "--test-data", "--output", "--model", "--epochs", "--limit-train",
                "--workers", "--batch-size", "--averaging-frequency", "--kl-weight", "--threshold", "--lr",
                "--seed", "--master", "--variant", "--dropout", "--width", "--init-from", "--dataset",
                "--random-labels", "--augment")) {
            assertTrue(out.toString().contains(option), option + " in:\n" + out);
        }
    }
}
