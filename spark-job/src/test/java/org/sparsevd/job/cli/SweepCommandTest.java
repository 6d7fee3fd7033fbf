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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.Main;
import org.sparsevd.job.config.SweepConfig;
import picocli.CommandLine;

/** The sweep's spec file and options: merging (options override the file) and one-line errors for bad input. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    private SweepConfig config(String... args) {
        SweepCommand command = new SweepCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void yamlSpecGivesEveryOptionAndTheCommandLineOverridesIt() throws IOException {
        Path spec = file("sweep.yaml", """
                # nightly sweep
                data: /usr/share/datasets/fashion-mnist
                kl_weights: [0.1, 0.3, 1]
                thresholds: [1, 2, 3, 4, 5]
                epochs: 12
                kl-zero-epochs: 0
                kl-ramp-epochs: 2
                limit-train: 5000
                lr: 1e-3
                max-accuracy-drop: 0.5
                validation: 0.1
                seeds: [42, 7]
                """);
        SweepConfig c = config("--spec", spec.toString(), "--output", tmp.resolve("out").toString(),
                "--epochs", "3", "--thresholds", "2,4");
        assertEquals(List.of(0.1, 0.3, 1.0), c.klWeights());
        assertEquals(List.of(2.0, 4.0), c.thresholds(), "the command line wins");
        assertEquals(3, c.train().schedule().epochs(), "the command line wins");
        assertEquals(5000, c.train().data().limitTrain());
        assertEquals(0.001, c.train().schedule().learningRate());
        assertEquals(0.5, c.maxAccuracyDrop());
        assertEquals(6, c.points());
        assertEquals(List.of(42L, 7L), c.seeds());
        assertEquals(0.1, c.train().data().validation());
        assertEquals(tmp.resolve("out/runs/kl-0.3-seed-7").toFile().toURI(), c.run(0.3, 7).output());
        assertEquals(0.3, c.run(0.3, 7).schedule().klWeight());
    }

    @Test
    void jsonSpecAndOptionsAlone() throws IOException {
        Path spec = file("sweep.json", "{\"kl-weights\": [0.5], \"thresholds\": [3], \"data\": \"/d\", "
                + "\"output\": \"/o\", \"validation\": 1000}");
        SweepConfig c = config("--spec", spec.toString());
        assertEquals(List.of(0.5), c.klWeights());
        assertEquals("/o", c.train().output().getPath());
        c = config("--data", "/d", "--output", "/o", "--kl-weights", "0.1,1", "--thresholds", "3", "--validation",
                "500", "--seed", "9");
        assertEquals(List.of(0.1, 1.0), c.klWeights());
        assertEquals(List.of(9L), c.seeds(), "--seed alone: one seed");
        assertEquals(1.0, c.maxAccuracyDrop(), "default rule");
        c = config("--spec", spec.toString(), "--output", "hdfs://nn/sweeps/{date}");
        assertEquals("hdfs://nn/sweeps/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC),
                c.train().output().toString(), "{date} for scheduled sweeps");
    }

    private record Result(int code, String err) {
    }

    private Result sweep(String... args) {
        List<String> all = new ArrayList<>(List.of("sweep"));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    private static void assertOneLineError(Result r, String expected) {
        assertEquals(UserErrors.BAD_USAGE, r.code(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sparsevd sweep: error: "), r.err());
        assertTrue(first.contains(expected), "'" + first + "' should mention '" + expected + "'");
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--kl-weights|0.1,NaN|--kl-weights must be a finite number >= 0, got NaN",
            "--kl-weights|0.1,-1|--kl-weights must be a finite number >= 0, got -1.0",
            "--kl-weights|0.3,0.30|--kl-weights: 0.3 is given twice",
            "--thresholds|1,Infinity|--thresholds must be a finite number, got Infinity",
            "--thresholds|1,8.5|--thresholds 8.5 is outside (--log-alpha-min -8, --log-alpha-max 8]: log alpha is "
                    + "clipped to that range, so no weight would ever be pruned",
            "--thresholds|-8,1|--thresholds -8 is outside (--log-alpha-min -8, --log-alpha-max 8]: log alpha is "
                    + "clipped to that range, so every weight would be pruned",
            "--max-accuracy-drop|-1|--max-accuracy-drop must be between 0 and 100 percentage points, got -1.0",
            "--kl-weight|0.5|--kl-weight does not apply to a sweep; give the values to sweep with --kl-weights",
            "--threshold|2|--threshold does not apply to a sweep; give the values to sweep with --thresholds",
            "--epochs|0|--epochs must be at least 1, got 0",
            "--validation|0|sweep needs --validation N (a count, or a fraction of the training set in (0, 1))",
            "--validation|2.5|--validation must be a count of examples (a whole number, at least 1), a fraction in "
                    + "(0, 1), or 0 for none, got 2.5",
            "--seeds|7,7|--seeds: a seed is given twice in [7, 7]",
            "--seed|3|--seed does not apply to a sweep given --seeds; list every seed in --seeds",
            "--parallel|0|--parallel must be at least 1 (training runs at once), got 0",
            "--parallel|-2|--parallel must be at least 1 (training runs at once), got -2",
            "--prune|fast|--prune must be 'none', 'median' or 'floor', got 'fast'",
            "--prune-after|21|--prune-after must be an epoch between 1 and --epochs (20), got 21",
            "--prune-margin|-1|--prune-margin must be between 0 and 100 percentage points, got -1.0",
    })
    void invalidValuesAreOneLineErrorsAndWriteNothing(String option, String value, String message) {
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("--data", FashionMnist.DIR.toString(), "--output",
                out.toString(), option, value));
        for (String required : List.of("--kl-weights", "--thresholds", "--validation", "--seeds")) {
            if (!option.equals(required)) {
                args.addAll(List.of(required, required.equals("--seeds") ? "1,2" : "1"));
            }
        }
        Result r = sweep(args.toArray(String[]::new));
        assertOneLineError(r, message);
        assertFalse(Files.exists(out));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--epochs 2 --kl-zero-epochs 1 --kl-ramp-epochs 1|--kl-weights 0.3,1 would train identical runs: with "
                    + "--epochs 2, --kl-zero-epochs 1 and --kl-ramp-epochs 1 the KL weight is 0 in every epoch (it "
                    + "first rises in epoch 3); give more --epochs or a shorter warm-up",
            "--epochs 3 --kl-zero-epochs 3 --kl-ramp-epochs 0|--kl-weights 0.3,1 would train identical runs: with "
                    + "--epochs 3, --kl-zero-epochs 3 and --kl-ramp-epochs 0 the KL weight is 0 in every epoch (it "
                    + "first rises in epoch 4)",
            "--variant plain|--kl-weights 0.3,1 would train identical runs: --variant plain has no KL term; sweep "
                    + "--variant sparsevd, or give one KL weight",
    })
    void klWeightsThatWouldTrainIdenticalRunsAreRefused(String options, String message) {
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("--data", FashionMnist.DIR.toString(), "--output",
                out.toString(), "--kl-weights", "0.3,1", "--thresholds", "1,3", "--validation", "0.1"));
        args.addAll(List.of(options.split(" ")));
        assertOneLineError(sweep(args.toArray(String[]::new)), message);
        assertFalse(Files.exists(out));
        // One more epoch, and the runs differ from the last epoch on (its weight is 0.3/1 x 1/ramp)
        config("--data", "/d", "--output", "/o", "--validation", "100", "--kl-weights", "0.3,1", "--thresholds", "1", "--epochs", "3",
                "--kl-zero-epochs", "1", "--kl-ramp-epochs", "1");
        config("--data", "/d", "--output", "/o", "--validation", "100", "--kl-weights", "1", "--thresholds", "1", "--epochs", "2",
                "--kl-zero-epochs", "1", "--kl-ramp-epochs", "1"); // one weight: nothing to confuse
    }

    @Test
    void badSpecFilesAreOneLineErrors() throws IOException {
        Path out = tmp.resolve("out");
        String o = out.toString();
        assertOneLineError(sweep("--spec", tmp.resolve("missing.yaml").toString(), "--output", o),
                "missing.yaml does not exist");
        assertOneLineError(sweep("--spec", file("a.yaml", "kl_weights: [0.1\nthresholds: 1").toString(),
                "--output", o), "a.yaml is not valid YAML");
        assertOneLineError(sweep("--spec", file("b.json", "{\"kl-weights\": [0.1],}").toString(), "--output", o),
                "b.json is not valid JSON");
        assertOneLineError(sweep("--spec", file("c.yaml", "kl_weight_list: [1]").toString(), "--output", o),
                "unknown key 'kl_weight_list'");
        assertOneLineError(sweep("--spec", file("d.yaml", "epochs: [1, 2]").toString(), "--output", o),
                "key 'epochs' takes one value, not a list");
        assertOneLineError(sweep("--spec", file("e.yaml", "epochs: ten").toString(), "--output", o),
                "'ten' is not an int");
        assertOneLineError(sweep("--spec", file("f.yaml", "- 1\n- 2").toString(), "--output", o),
                "must be a mapping of option names to values");
        assertOneLineError(sweep("--spec", file("g.yaml", "epochs: 1\nepochs: 2").toString(), "--output", o),
                "Duplicate field 'epochs'");
        assertOneLineError(sweep("--spec", file("h.yaml", "thresholds: [1]\ndata: /d").toString(), "--output", o),
                "--kl-weights is required");
        assertOneLineError(sweep("--kl-weights", "1", "--thresholds", "1", "--output", o), "--data is required");
        assertFalse(Files.exists(out));
    }
}
