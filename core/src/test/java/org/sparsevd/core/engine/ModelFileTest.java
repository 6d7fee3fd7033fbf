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

    private static float[] floats(Random r, int n) {
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
        version[9] = 2;
        assertMessage("format version 2 is not supported", version);
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
