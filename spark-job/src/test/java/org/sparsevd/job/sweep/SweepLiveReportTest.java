package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsevd.job.FashionMnist;
import org.sparsevd.job.Main;

/**
 * {@code sweep --report} while the sweep runs: a watcher reads the pages as a browser would, every few
 * milliseconds. Each run's report is rewritten after each of its epochs and says the run is going, the sweep's
 * report after each run's points are recorded; every page read is whole (written to a temporary name and renamed);
 * and the last pages are what {@code sparsevd report} writes, figures byte for byte.
 */
class SweepLiveReportTest {
    @TempDir
    Path tmp;

    private static final String SWEEP_PAGE = "report/index.html";
    private static final List<String> RUN_PAGES = List.of("runs/kl-0.1-seed-3/report/index.html",
            "runs/kl-1-seed-3/report/index.html");

    @Test
    void theLiveSweepReportIsRewrittenWholeAfterEveryEpochAndPointAndEndsAsReportWritesIt() throws Exception {
        Path out = tmp.resolve("sweep");
        List<String> pages = new ArrayList<>(RUN_PAGES);
        pages.add(SWEEP_PAGE);
        Map<String, List<String>> seen = new LinkedHashMap<>();
        pages.forEach(p -> seen.put(p, Collections.synchronizedList(new ArrayList<>())));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                for (String page : pages) {
                    String html = read(out.resolve(page));
                    List<String> versions = seen.get(page);
                    if (html != null && (versions.isEmpty() || !versions.get(versions.size() - 1).equals(html))) {
                        versions.add(html);
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        int code;
        try {
            code = Main.run("sweep", "--data", FashionMnist.DIR.toString(), "--output", out.toString(),
                    "--kl-weights", "0.1,1", "--thresholds", "1,3", "--limit-train", "300", "--validation", "60",
                    "--epochs", "2", "--kl-zero-epochs", "0", "--kl-ramp-epochs", "1", "--workers", "2", "--seed", "3",
                    "--quiet", "--report");
        } finally {
            running.set(false);
            watcher.join();
        }
        assertEquals(0, code);

        for (String page : pages) {
            for (String html : seen.get(page)) {
                assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"),
                        page + ": every version read is a whole page");
            }
        }
        for (String page : RUN_PAGES) {
            List<String> versions = seen.get(page);
            for (int epoch = 1; epoch <= 2; epoch++) {
                String live = "<p class=\"headline\">Test accuracy after epoch " + epoch + " of 2 (running): ";
                assertTrue(versions.stream().anyMatch(h -> h.contains(live) && h.contains("http-equiv=\"refresh\"")),
                        page + ": a reloading page after epoch " + epoch + " of 2 while the run trained");
            }
            assertTrue(versions.get(versions.size() - 1).contains("<p class=\"headline\">Final test accuracy "),
                    page + ": the last version is the final report");
        }
        List<String> sweepVersions = seen.get(SWEEP_PAGE);
        assertTrue(sweepVersions.stream().anyMatch(h -> h.contains(RUN_PAGES.get(0)) && !h.contains(RUN_PAGES.get(1))),
                "the sweep's report after the first run's points");
        assertTrue(sweepVersions.get(sweepVersions.size() - 1).contains(RUN_PAGES.get(1)),
                "and after the second's");

        // The last pages and figures are what 'sparsevd report' writes (but for the time in the footer).
        Map<Path, byte[]> live = reportFiles(out);
        assertEquals(0, Main.run("report", "--input", out.toString()));
        Map<Path, byte[]> after = reportFiles(out);
        assertEquals(live.keySet(), after.keySet(), "the same files");
        assertTrue(live.keySet().stream().filter(p -> p.toString().endsWith(".png")).count() >= 3 * 6);
        for (Path file : live.keySet()) {
            if (file.toString().endsWith(".html")) {
                assertEquals(withoutTime(live.get(file)), withoutTime(after.get(file)), file.toString());
            } else {
                assertArrayEquals(live.get(file), after.get(file), file.toString());
            }
        }
    }

    /** The page, or null while it does not exist yet. */
    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every file of every report directory under {@code out}, by path (Hadoop's .crc files aside). */
    private static Map<Path, byte[]> reportFiles(Path out) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                Path relative = out.relativize(p);
                if (relative.toString().contains("report/") && !p.getFileName().toString().endsWith(".crc")) {
                    files.put(relative, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static String withoutTime(byte[] html) {
        return new String(html, java.nio.charset.StandardCharsets.UTF_8).replaceAll("Generated at \\S+ by ",
                "Generated at (time) by ");
    }
}
