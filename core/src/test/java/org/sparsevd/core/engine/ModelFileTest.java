package org.sparsevd.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The model file: round trip, sizes per stage, and one clear error for every kind of damage. */
class ModelFileTest {

    /** A small net: conv 2@3x3 on 1x6x6, pool, dense 18 -> 3, with about a third of the weights kept. */
    static NetworkSpec small() {
        Random r = new Random(2);
        Shape in = new Shape(1, 6, 6);
        LayerSpec.Conv conv = new LayerSpec.Conv("conv", in, new Shape(2, 6, 6), 3, 3, 1, 1, 1, 1, true,
                new int[] {0, 4, 5, 9, 13, 17}, floats(r, 6), floats(r, 2));
        LayerSpec.MaxPool pool = new LayerSpec.MaxPool("pool", conv.out(), new Shape(2, 3, 3), 2, 2, 2, 2, 0, 0);
        int[] positions = new int[18];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = k * 3 + k % 3;
        }
        LayerSpec.Dense dense = new LayerSpec.Dense("dense", pool.out(), 3, false, positions, floats(r, 18),
                floats(r, 3));
        return new NetworkSpec(InputSpec.unitScale(in), List.of(conv, pool, dense), 3.0,
                "{\"run\":\"file:/tmp/run\"}");
    }

    /** n standard normal floats. */
    static float[] floats(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    @Test
    void float32RoundTripIsExact() {
        NetworkSpec spec = small();
        ModelEncoder.Encoded e = ModelEncoder.encode(spec, Quantization.none());
        NetworkSpec back = ModelFile.read(e.bytes());
        assertEquals(spec.input(), back.input());
        assertEquals(3.0, back.threshold());
        assertEquals("{\"run\":\"file:/tmp/run\"}", back.provenance());
        for (int i = 0; i < 3; i++) {
            assertEquals(spec.layers().get(i).out(), back.layers().get(i).out());
        }
        LayerSpec.Dense d = (LayerSpec.Dense) spec.layers().get(2);
        LayerSpec.Dense db = (LayerSpec.Dense) back.layers().get(2);
        assertArrayEquals(d.positions(), db.positions());
        assertArrayEquals(d.values(), db.values());
        assertArrayEquals(d.bias(), db.bias());
        float[][] x = {new float[36], new float[36]};
        x[1][7] = 1f;
        assertArrayEquals(SparseNetwork.of(spec).predict(x)[1], SparseNetwork.of(back).predict(x)[1]);
    }

    @Test
    void quantizedValuesComeFromTheCodebook() {
        ModelEncoder.Encoded e = ModelEncoder.encode(small(), new Quantization(true, 2, 1));
        LayerSpec.Dense d = (LayerSpec.Dense) ModelFile.read(e.bytes()).layers().get(2);
        assertTrue(Arrays.stream(box(d.values())).distinct().count() <= 4);
        LayerSpec.Conv c = (LayerSpec.Conv) ModelFile.read(e.bytes()).layers().get(0);
        assertTrue(Arrays.stream(box(c.values())).distinct().count() <= 2);
        LayerSize dense = e.sizes().get(1);
        assertEquals(54 * 4, dense.denseBytes());
        assertEquals(18 * 8, dense.sparseBytes());
        assertEquals(18, dense.kept());
        assertTrue(dense.codedBytes() < dense.sparseBytes());
    }

    /**
     * A codebook's centroids that no weight uses are not stored (k-means with 2^bits centroids on a small layer leaves
     * many), equal ones are stored once, the rest ascending; the weights' values do not change.
     */
    @Test
    void onlyTheUsedCentroidsAreStored() {
        NetworkSpec spec = rowsOrColumns(true);
        int kept = ((LayerSpec.Dense) spec.layers().get(0)).positions().length;
        float[] centroids = new float[256];
        for (int c = 0; c < centroids.length; c++) {
            centroids[c] = c % 2 == 0 ? 1f - c / 256f : 0.25f;   // the odd ones are all equal
        }
        int[] index = new int[kept];
        for (int k = 0; k < kept; k++) {
            index[k] = k % 3 == 0 ? 7 : k % 2 * 100;   // centroids 0, 7, 100: values 1, 0.25, 0.609375
        }
        Codebook book = new Codebook(centroids, index);
        Codebook compact = book.compact();
        assertArrayEquals(new float[] {0.25f, 0.609375f, 1f}, compact.centroids());
        assertArrayEquals(book.decode(), compact.decode());
        Quantization q = new Quantization(true, 8, 8);
        ModelEncoder.Encoded e = ModelEncoder.encode(spec, q, List.of(book));
        LayerSpec.Dense read = (LayerSpec.Dense) ModelFile.read(e.bytes()).layers().get(0);
        assertArrayEquals(book.decode(), read.values());
        // 3 stored centroids, not 256: the layer's coded bytes are well under the 1,024 bytes of 256 floats
        assertTrue(e.sizes().get(0).codedBytes() < 200, "coded bytes " + e.sizes().get(0).codedBytes());
    }

    /** A 200 x 50 dense layer keeping whole rows (inputs 5, 17, 30) or whole columns (outputs 1, 2, 6). */
    private static NetworkSpec rowsOrColumns(boolean rows) {
        List<Integer> kept = new java.util.ArrayList<>();
        for (int p = 0; p < 200 * 50; p++) {
            int i = p / 50;
            int j = p % 50;
            if (rows ? i == 5 || i == 17 || i == 30 : j == 1 || j == 2 || j == 6) {
                kept.add(p);
            }
        }
        int[] positions = kept.stream().mapToInt(Integer::intValue).toArray();
        Shape in = Shape.flat(200);
        LayerSpec.Dense d = new LayerSpec.Dense("d", in, 50, false, positions, floats(new Random(3), positions.length),
                new float[50]);
        return new NetworkSpec(InputSpec.unitScale(in), List.of(d), Double.NaN, "{}");
    }

    @Test
    void denseLayersCodeTheirPositionsInTheShorterOrder() {
        for (boolean rows : new boolean[] {true, false}) {
            NetworkSpec spec = rowsOrColumns(rows);
            for (Quantization q : List.of(Quantization.none(), new Quantization(true, 3, 3))) {
                byte[] file = ModelEncoder.encode(spec, q).bytes();
                String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(text.contains("\"position_order\":\"" + (rows ? ModelFile.INPUT_MAJOR
                        : ModelFile.OUTPUT_MAJOR) + "\""), "rows " + rows);
                LayerSpec.Dense back = (LayerSpec.Dense) ModelFile.read(file).layers().get(0);
                LayerSpec.Dense d = (LayerSpec.Dense) spec.layers().get(0);
                assertArrayEquals(d.positions(), back.positions());
                float[] expected = q.enabled() ? Codebook.kMeans(d.values(), 3).decode() : d.values();
                assertArrayEquals(expected, back.values(), "values stay with their positions");
            }
        }
    }

    /** A version 1 file (the same bytes but for the version and without position_order) still reads. */
    @Test
    void versionOneFilesStillRead() throws Exception {
        NetworkSpec spec = rowsOrColumns(true);
        byte[] v2 = ModelEncoder.encode(spec, Quantization.none()).bytes();
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(v2));
        in.skipNBytes(10);
        byte[] header = new byte[in.readInt()];
        in.readFully(header);
        in.readInt();
        byte[] sections = in.readAllBytes();
        String json = new String(header, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"version\":2", "\"version\":1").replace(",\"position_order\":\"input_major\"", "");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.write(ModelFile.MAGIC);
        out.writeShort(1);
        byte[] h = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(h.length);
        out.write(h);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(h);
        out.writeInt((int) crc.getValue());
        out.write(sections);
        assertTrue(!json.contains("position_order") && json.contains("\"version\":1"), json);
        LayerSpec.Dense back = (LayerSpec.Dense) ModelFile.read(bytes.toByteArray()).layers().get(0);
        assertArrayEquals(((LayerSpec.Dense) spec.layers().get(0)).positions(), back.positions());
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void damageIsReportedInOneClearMessage() {
        byte[] good = ModelEncoder.encode(small(), Quantization.defaults()).bytes();
        assertMessage("does not start with \"SPARSEVD\"", "PK\3\4 not a model".getBytes());
        byte[] version = good.clone();
        version[9] = 3;
        assertMessage("format version 3 is not supported", version);
        assertMessage("truncated", Arrays.copyOf(good, good.length - 7));
        assertMessage("truncated", Arrays.copyOf(good, 12));
        byte[] flipped = good.clone();
        flipped[good.length - 10] ^= 0x10;
        assertMessage("checksum", flipped);
        byte[] header = good.clone();
        header[20] ^= 0x01;
        assertMessage("checksum of the header", header);
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertMessage("unexpected bytes", longer);
    }

    private static void assertMessage(String expected, byte[] file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void predictRefusesInputsOfAnotherSize() {
        SparseNetwork net = SparseNetwork.of(small());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.predict(new float[][] {new float[35]}));
        assertTrue(e.getMessage().contains("takes 36"), e.getMessage());
    }
}
