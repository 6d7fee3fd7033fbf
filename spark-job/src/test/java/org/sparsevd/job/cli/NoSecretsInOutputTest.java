package org.sparsevd.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.Main;

/**
 * Every command given locations with credentials (user:password in the URI's authority, keys in its query string),
 * failing in every way it can reach (bad input, bad output, bad spec, missing files) and succeeding: no secret
 * appears on stdout, stderr, in any log line or in any file the command writes (run.json, metrics, checkpoint,
 * report, sweep files). One row per (command, way); a new command adds its rows to {@link #cases()}.
 */
class NoSecretsInOutputTest {
    /** The secrets the locations below carry; none may show anywhere. */
    private static final List<String> SECRETS = List.of("AKIAKEY", "s3cr3tPW", "u7user", "pw9secret", "sig4secret",
            "tok5secret");
    private static final String QUERY = "?X-Amz-Signature=sig4secret&token=tok5secret";
    /** An S3 location (no S3 file system here: it fails to open). */
    private static final String S3 = "s3a://AKIAKEY:s3cr3tPW@bucket/x" + QUERY;
    /** An HDFS location on a host that does not resolve. */
    private static final String HDFS = "hdfs://u7user:pw9secret@nosuchhost.invalid/x?token=tok5secret";
    /** A local location with user info (the local file system refuses it, naming it). */
    private static final String USER_FILE = "file://u7user:pw9secret@localhost/tmp/x";
    private static final List<String> UNREACHABLE = List.of(S3, HDFS, USER_FILE);
    private static final String DATA = FashionMnist.DIR.toString();

    @TempDir
    Path tmp;

    /** Prepares files under the temporary directory and returns the command lines to run, in order. */
    @FunctionalInterface
    interface Setup {
        List<List<String>> commands(Path tmp) throws IOException;
    }

    /** One way a command meets secret-bearing locations; {@code succeeds}: whether its last command must exit 0. */
    record Case(String name, boolean succeeds, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A local location under {@code tmp} with the secret query string. */
    private static String local(Path tmp, String name) {
        return tmp.resolve(name).toUri() + QUERY;
    }

    private static Case fails(String name, Setup setup) {
        return new Case(name, false, setup);
    }

    private static List<List<String>> one(String... args) {
        return List.of(List.of(args));
    }

    private static List<String> train(String output, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", DATA, "--output", output, "--limit-train",
                "200", "--epochs", "1", "--kl-zero-epochs", "0", "--kl-ramp-epochs", "1"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    private static List<String> sweep(String output, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "--data", DATA, "--output", output, "--kl-weights",
                "1", "--thresholds", "1,3", "--limit-train", "200", "--validation", "0.1", "--epochs", "1"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String uri : UNREACHABLE) {
            String kind = uri.substring(0, uri.indexOf(':'));
            // train
            cases.add(fails("train: --data " + kind, t -> one("train", "--data", uri, "--output",
                    t.resolve("out").toString())));
            cases.add(fails("train: --output " + kind, t -> List.of(train(uri))));
            cases.add(fails("train: --test-data " + kind, t -> List.of(train(t.resolve("out").toString(),
                    "--test-data", uri))));
            cases.add(fails("train: --init-from " + kind, t -> List.of(train(t.resolve("out").toString(),
                    "--init-from", uri))));
            cases.add(fails("train: --resume --output " + kind, t -> List.of(train(uri, "--resume"))));
            cases.add(fails("train: invalid option with --output " + kind, t -> List.of(train(uri, "--epochs",
                    "0"))));
            cases.add(fails("train: unknown option followed by " + kind, t -> one("train", "--outptu", uri)));
            // sweep
            cases.add(fails("sweep: --data " + kind, t -> one("sweep", "--data", uri, "--output",
                    t.resolve("out").toString(), "--kl-weights", "1", "--thresholds", "3", "--validation", "0.1")));
            cases.add(fails("sweep: --output " + kind, t -> List.of(sweep(uri))));
            cases.add(fails("sweep: --spec " + kind, t -> one("sweep", "--spec", uri)));
            cases.add(fails("sweep: spec file naming " + kind, t -> one("sweep", "--spec",
                    Files.writeString(t.resolve("spec.yaml"), "data: " + uri + "\nkl-weights: [1]\nthresholds: [3]\n"
                            + "validation: 0.1\noutput: " + t.resolve("out") + "\n").toString())));
            // report, kl-curve, export, evaluate, predict
            cases.add(fails("report: --input " + kind, t -> one("report", "--input", uri)));
            cases.add(fails("kl-curve: --output " + kind, t -> one("kl-curve", "--output", uri, "--points", "11")));
            cases.add(fails("export: --input " + kind, t -> one("export", "--input", uri, "--output",
                    t.resolve("m.svd").toString())));
            cases.add(fails("export: --output " + kind, t -> one("export", "--input", local(t, "none"), "--output",
                    uri)));
            cases.add(fails("export: --data " + kind, t -> one("export", "--input", local(t, "none"), "--output",
                    t.resolve("m.svd").toString(), "--data", uri)));
            cases.add(fails("export: invalid --retrain-lr with --output " + kind, t -> one("export", "--input",
                    local(t, "none"), "--output", uri, "--retrain-lr", "-1")));
            cases.add(fails("evaluate: --model " + kind, t -> one("evaluate", "--model", uri, "--data", DATA)));
            cases.add(fails("evaluate: --data " + kind, t -> one("evaluate", "--model", local(t, "none"), "--data",
                    uri)));
            cases.add(fails("predict: --model " + kind, t -> one("predict", "--model", uri, "--data", DATA,
                    "--output", t.resolve("p").toString())));
            cases.add(fails("predict: --output " + kind, t -> one("predict", "--model", local(t, "none"), "--data",
                    DATA, "--output", uri)));
        }
        // Local locations with a secret query string: missing, taken, or of the wrong kind.
        cases.add(fails("train: missing --data with a query", t -> one("train", "--data", local(t, "nowhere"),
                "--output", t.resolve("out").toString())));
        cases.add(fails("train: --output a file, with a query", t -> {
            Files.writeString(t.resolve("taken"), "precious");
            return List.of(train(local(t, "taken")));
        }));
        cases.add(fails("train: --output a non-empty directory, with a query", t -> {
            Files.writeString(Files.createDirectories(t.resolve("used")).resolve("x"), "x");
            return List.of(train(local(t, "used")));
        }));
        cases.add(fails("train: --resume a missing run, with a query", t -> List.of(train(local(t, "none"),
                "--resume"))));
        cases.add(fails("train: --init-from a missing model, with a query", t -> List.of(
                train(t.resolve("out").toString(), "--init-from", local(t, "missing.zip")))));
        cases.add(fails("sweep: --spec missing, with a query", t -> one("sweep", "--spec", local(t, "s.yaml"))));
        cases.add(fails("sweep: --output of something else, with a query", t -> {
            Files.writeString(Files.createDirectories(t.resolve("other")).resolve("x"), "x");
            return List.of(sweep(local(t, "other")));
        }));
        cases.add(fails("report: --input missing, with a query", t -> one("report", "--input", local(t, "none"))));
        cases.add(fails("report: --input an empty directory, with a query", t -> {
            Files.createDirectories(t.resolve("empty"));
            return one("report", "--input", local(t, "empty"));
        }));
        cases.add(fails("kl-curve: --output a file, with a query", t -> {
            Files.writeString(t.resolve("taken"), "precious");
            return one("kl-curve", "--output", local(t, "taken"), "--points", "11");
        }));
        // Runs that succeed, writing their files: run.json, metrics, checkpoint, report, sweep rows, kl-curve.
        cases.add(new Case("train then report, --output with a query", true, t -> List.of(
                train(local(t, "run")), List.of("report", "--input", local(t, "run")))));
        cases.add(new Case("sweep then report, --output with a query", true, t -> List.of(
                sweep(local(t, "sweep")), List.of("report", "--input", local(t, "sweep")))));
        cases.add(new Case("kl-curve, --output with a query", true, t -> one("kl-curve", "--output", local(t, "kl"),
                "--points", "11")));
        return cases;
    }

    private record Printed(int code, String out, String err, String logs) {
    }

    private static Printed run(List<String> args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (CapturedLogs logs = new CapturedLogs(); PrintStream captured = new PrintStream(out, true,
                StandardCharsets.UTF_8)) {
            System.setOut(captured);
            try {
                code = Main.run(new PrintWriter(err, true), args.toArray(String[]::new));
            } finally {
                System.setOut(stdout);
            }
            return new Printed(code, out.toString(StandardCharsets.UTF_8), err.toString(), logs.text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noSecretInAnyOutput(Case c) throws IOException {
        List<List<String>> commands = c.setup().commands(tmp);
        Map<Path, String> before = files(tmp);
        Printed last = null;
        StringBuilder printed = new StringBuilder();
        for (List<String> command : commands) {
            last = run(command);
            printed.append("$ ").append(command.get(0)).append(" (exit ").append(last.code()).append(")\n")
                    .append(last.out()).append(last.err()).append(last.logs());
        }
        if (c.succeeds()) {
            assertEquals(0, last.code(), printed.toString());
        } else {
            assertNotEquals(0, last.code(), printed.toString());
            assertTrue(last.err().contains("error: "), "a failure says so: " + last.err());
        }
        for (String secret : SECRETS) {
            assertTrue(!printed.toString().contains(secret), "'" + secret + "' printed:\n" + printed);
        }
        Map<Path, String> after = files(tmp);
        for (Map.Entry<Path, String> f : after.entrySet()) {
            if (!f.getValue().equals(before.get(f.getKey()))) { // written by the commands
                for (String secret : SECRETS) {
                    assertTrue(!f.getValue().contains(secret), "'" + secret + "' in " + f.getKey());
                }
            }
        }
    }

    /** The text of every file under {@code root}, zip archives' entries included. */
    private static Map<Path, String> files(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    byte[] bytes = Files.readAllBytes(p);
                    files.put(root.relativize(p), text(bytes));
                }
            }
        }
        return files;
    }

    private static String text(byte[] bytes) throws IOException {
        StringBuilder s = new StringBuilder(new String(bytes, StandardCharsets.ISO_8859_1));
        if (bytes.length > 4 && bytes[0] == 'P' && bytes[1] == 'K') {
            try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    s.append('\n').append(text(zip.readAllBytes()));
                }
            }
        }
        return s.toString();
    }
}
