package org.sparsevd.job.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The FAIR scheduler settings of a sweep with --parallel: pools per slot, no locality wait, the user's own kept. */
class FairPoolsTest {
    @Test
    void onePoolPerSlotInATemporaryFileAndNoLocalityWait() throws Exception {
        SparkConf conf = new SparkConf(false);
        Path file;
        try (FairPools pools = FairPools.configure(conf, 3, 2)) {
            assertEquals("FAIR", conf.get("spark.scheduler.mode"));
            assertEquals("0s", conf.get("spark.locality.wait"));
            file = Path.of(URI.create(conf.get("spark.scheduler.allocation.file")));
            String xml = Files.readString(file);
            for (int slot = 1; slot <= 3; slot++) {
                assertTrue(xml.contains("<pool name=\"" + FairPools.name(slot) + "\"><schedulingMode>FIFO</schedulingMode>"
                        + "<weight>1</weight><minShare>2</minShare></pool>"), xml);
            }
            assertFalse(xml.contains(FairPools.name(4)), xml);
        }
        assertFalse(Files.exists(file), "removed when the sweep ends");

        SparkConf own = new SparkConf(false).set("spark.scheduler.allocation.file", "file:/etc/pools.xml")
                .set("spark.locality.wait", "1s");
        try (FairPools pools = FairPools.configure(own, 2, 1)) {
            assertEquals("file:/etc/pools.xml", own.get("spark.scheduler.allocation.file"), "the user's pools kept");
            assertEquals("1s", own.get("spark.locality.wait"), "the user's locality wait kept");
        }
    }
}
