package org.sparsevd.core.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.sparsevd.core.compress.BitWriter;
import org.sparsevd.core.compress.CanonicalHuffman;

/**
 * Writes a {@link NetworkSpec} as a {@link ModelFile}: the three stages of Deep Compression (Han, Mao, Dally, ICLR
 * 2016) on the kept weights of every layer: positions as gaps (relative indices; a gap too long for the layer's
 * alphabet is bridged by escape symbols), values shared by k-means ({@link Codebook}, 2^bits centroids), and the gap
 * symbols and centroid indices each canonical-Huffman coded ({@link CanonicalHuffman}) with the layer's own code.
 * The codebooks are k-means ones ({@link Codebook#kMeans}) unless the caller gives others (retrained ones).
 * The escape of each layer is chosen to make its coded gaps smallest.
 */
public final class ModelEncoder {
    /** The largest gap escape tried (2^12 − 1). */
    private static final int MAX_ESCAPE_BITS = 12;

    /**
     * The file and its layers' sizes.
     *
     * @param bytes the model file
     * @param sizes one per weighted layer, in layer order
     */
    public record Encoded(byte[] bytes, List<LayerSize> sizes) {
        /** The weights' bytes at each stage summed over layers: dense, sparse, quantized, coded. */
        public LayerSize total() {
            long w = 0;
            long k = 0;
            long d = 0;
            long s = 0;
            long q = 0;
            long c = 0;
            for (LayerSize l : sizes) {
                w += l.weights();
                k += l.kept();
                d += l.denseBytes();
                s += l.sparseBytes();
                q += l.quantizedBytes();
                c += l.codedBytes();
            }
            return new LayerSize("total", w, k, d, s, q, c);
        }
    }

    private ModelEncoder() {
    }

    /**
     * Encodes the network; its values are quantized as {@code quantization} says (k-means codebooks,
     * {@link Codebook#kMeans(NetworkSpec, Quantization)}).
     */
    public static Encoded encode(NetworkSpec spec, Quantization quantization) {
        return encode(spec, quantization, quantization.enabled() ? Codebook.kMeans(spec, quantization) : null);
    }

    /**
     * Encodes the network with the given codebooks (one per weighted layer, in order, e.g. retrained ones:
     * {@link CentroidTraining}); {@code books} is null exactly when {@code quantization} keeps float32 values.
     * Each codebook has at most 2^bits centroids for its layer's bits.
     */
    public static Encoded encode(NetworkSpec spec, Quantization quantization, List<Codebook> books) {
        Objects.requireNonNull(quantization, "quantization");
        if (quantization.enabled() != (books != null)) {
            throw new IllegalArgumentException(quantization.enabled() ? "quantized values need codebooks"
                    : "float32 values take no codebooks");
        }
        long weighted = spec.layers().stream().filter(LayerSpec::weighted).count();
        if (books != null && books.size() != weighted) {
            throw new IllegalArgumentException(books.size() + " codebooks for " + weighted + " weighted layers");
        }
        try {
            ObjectNode header = ModelFile.JSON.createObjectNode();
            header.put("format", ModelFile.FORMAT_NAME);
            header.put("version", ModelFile.VERSION);
            ObjectNode input = header.putObject("input");
            Shape in = spec.input().shape();
            input.put("channels", in.channels());
            input.put("height", in.height());
            input.put("width", in.width());
            input.put("pixel_scale", 255);
            ArrayNode mean = input.putArray("mean");
            ArrayNode std = input.putArray("std");
            for (int c = 0; c < in.channels(); c++) {
                mean.add(spec.input().mean()[c]);
                std.add(spec.input().std()[c]);
            }
            header.put("classes", spec.classes());
            header.put("output", "softmax");
            if (Double.isNaN(spec.threshold())) {
                header.putNull("threshold");
            } else {
                header.put("threshold", spec.threshold());
            }
            ArrayNode layers = header.putArray("layers");
            List<byte[]> sections = new ArrayList<>();
            List<LayerSize> sizes = new ArrayList<>();
            int w = 0;
            for (LayerSpec l : spec.layers()) {
                ObjectNode node = layers.addObject();
                describe(l, node);
                Codebook book = books == null || !l.weighted() ? null : books.get(w++);
                if (l instanceof LayerSpec.Dense d) {
                    section(d.name(), (long) d.in().size() * d.outputs(), d.positions(), d.values(), d.bias(),
                            quantization.enabled() ? quantization.denseBits() : ModelFile.FLOAT_VALUES, book,
                            d.in().size(), node, sections, sizes);
                } else if (l instanceof LayerSpec.Conv c) {
                    section(c.name(), (long) c.out().channels() * c.in().channels() * c.kh() * c.kw(),
                            c.positions(), c.values(), c.bias(),
                            quantization.enabled() ? quantization.convBits() : ModelFile.FLOAT_VALUES, book, 0, node,
                            sections, sizes);
                }
            }
            header.set("provenance", ModelFile.JSON.readTree(spec.provenance()));
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(file);
            out.write(ModelFile.MAGIC);
            out.writeShort(ModelFile.VERSION);
            block(out, ModelFile.JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8));
            for (byte[] s : sections) {
                block(out, s);
            }
            out.flush();
            return new Encoded(file.toByteArray(), List.copyOf(sizes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void describe(LayerSpec l, ObjectNode node) {
        node.put("name", l.name());
        node.set("in", shape(l.in()));
        if (l instanceof LayerSpec.Dense d) {
            node.put("type", ModelFile.DENSE);
            node.put("outputs", d.outputs());
            node.put("activation", d.relu() ? "relu" : "identity");
        } else if (l instanceof LayerSpec.Conv c) {
            node.put("type", ModelFile.CONV);
            window(node, c.out(), c.kh(), c.kw(), c.sh(), c.sw(), c.padTop(), c.padLeft());
            node.put("activation", c.relu() ? "relu" : "identity");
        } else if (l instanceof LayerSpec.MaxPool p) {
            node.put("type", ModelFile.MAX_POOL);
            window(node, p.out(), p.kh(), p.kw(), p.sh(), p.sw(), p.padTop(), p.padLeft());
        } else if (l instanceof LayerSpec.Lrn n) {
            node.put("type", ModelFile.LRN);
            node.put("k", n.k());
            node.put("n", n.n());
            node.put("alpha", n.alpha());
            node.put("beta", n.beta());
        } else {
            node.put("type", ModelFile.RELU);
        }
    }

    private static void window(ObjectNode node, Shape out, int kh, int kw, int sh, int sw, int padTop, int padLeft) {
        node.set("out", shape(out));
        node.set("kernel", pair(kh, kw));
        node.set("stride", pair(sh, sw));
        node.set("padding", pair(padTop, padLeft));
    }

    private static ArrayNode shape(Shape s) {
        return ModelFile.JSON.createArrayNode().add(s.channels()).add(s.height()).add(s.width());
    }

    private static ArrayNode pair(int a, int b) {
        return ModelFile.JSON.createArrayNode().add(a).add(b);
    }

    /**
     * One layer's section. A dense layer ({@code inputs} &gt; 0) codes its positions in whichever order gives the
     * shorter gap code: by input ({@code i · outputs + j}) or by output ({@code j · inputs + i}), its values (or
     * centroid indices) in the same order; the header's {@code position_order} says which.
     */
    private static void section(String name, long total, int[] positions, float[] values, float[] bias, int bits,
                                Codebook book, int inputs, ObjectNode node, List<byte[]> sections,
                                List<LayerSize> sizes) throws IOException {
        int kept = positions.length;
        if (book != null && (book.index().length != kept || book.centroids().length > 1 << bits)) {
            throw new IllegalArgumentException(name + ": a codebook of " + book.centroids().length + " centroids for "
                    + book.index().length + " weights does not fit " + kept + " kept weights at " + bits + " bits");
        }
        if (book != null) {
            book = book.compact();  // the centroids no weight uses cost 32 bits each and code nothing
        }
        node.put("weights", total);
        node.put("kept", kept);
        node.put("value_bits", bits);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeInt(kept);

        Gaps gaps = bestGaps(positions);
        int[] index = book == null ? null : book.index();
        if (inputs > 0) {
            int outputs = (int) (total / inputs);
            int[] order = ModelFile.outputMajorOrder(positions, inputs, outputs);
            int[] transposed = new int[kept];
            for (int k = 0; k < kept; k++) {
                int p = positions[order[k]];
                transposed[k] = p % outputs * inputs + p / outputs;
            }
            Gaps byOutput = bestGaps(transposed);
            boolean transpose = byOutput.bits < gaps.bits;
            node.put("position_order", transpose ? ModelFile.OUTPUT_MAJOR : ModelFile.INPUT_MAJOR);
            if (transpose) {
                gaps = byOutput;
                float[] v = new float[kept];
                int[] ix = index == null ? null : new int[kept];
                for (int k = 0; k < kept; k++) {
                    v[k] = values[order[k]];
                    if (ix != null) {
                        ix[k] = index[order[k]];
                    }
                }
                values = v;
                index = ix;
            }
        }
        out.writeInt(gaps.escape);
        out.writeInt(gaps.symbols.length);
        BitWriter gapBits = new BitWriter();
        gaps.code.writeTable(gapBits);
        for (int s : gaps.symbols) {
            gaps.code.encode(s, gapBits);
        }
        writeBytes(out, gapBits.toByteArray());
        long fixedGapBits = (long) gaps.symbols.length * (32 - Integer.numberOfLeadingZeros(gaps.escape));

        out.writeByte(bits);
        long fixedValueBytes;
        if (bits == ModelFile.FLOAT_VALUES || kept == 0) {
            if (bits != ModelFile.FLOAT_VALUES) {
                out.writeInt(1);  // an empty layer: one (unused) centroid, no index stream
                out.writeFloat(0f);
            } else {
                for (float v : values) {
                    out.writeFloat(v);
                }
            }
            fixedValueBytes = 4L * kept;
        } else {
            float[] centroids = book.centroids();
            long[] counts = new long[centroids.length];
            for (int i : index) {
                counts[i]++;
            }
            CanonicalHuffman code = CanonicalHuffman.forCounts(counts);
            out.writeInt(centroids.length);
            for (float c : centroids) {
                out.writeFloat(c);
            }
            BitWriter indexBits = new BitWriter();
            code.writeTable(indexBits);
            for (int i : index) {
                code.encode(i, indexBits);
            }
            writeBytes(out, indexBits.toByteArray());
            fixedValueBytes = ((long) kept * bits + 7) / 8 + 4L * centroids.length;
        }
        for (float b : bias) {
            out.writeFloat(b);
        }
        out.flush();
        byte[] section = buffer.toByteArray();
        sections.add(section);
        sizes.add(new LayerSize(name, total, kept, 4 * total, 8L * kept, (fixedGapBits + 7) / 8 + fixedValueBytes,
                section.length - 4L * bias.length));
    }

    private record Gaps(int escape, int[] symbols, CanonicalHuffman code, long bits) {
    }

    /**
     * The gap symbols of ascending positions for the escape whose Huffman code (with its table) is shortest. Symbol
     * s &lt; escape: the next kept weight is s + 1 positions after the previous one (the first: s positions after the
     * start); the escape: skip {@code escape} positions without a weight.
     */
    private static Gaps bestGaps(int[] positions) {
        Gaps best = null;
        for (int b = 1; b <= MAX_ESCAPE_BITS; b++) {
            int escape = (1 << b) - 1;
            int[] symbols = gapSymbols(positions, escape);
            long[] counts = new long[escape + 1];
            for (int s : symbols) {
                counts[s]++;
            }
            if (symbols.length == 0) {
                counts[0] = 1;  // an empty layer still gets a (one-symbol) code table
            }
            CanonicalHuffman code = CanonicalHuffman.forCounts(counts);
            long bits = code.tableBits();
            for (int s = 0; s <= escape; s++) {
                bits += counts[s] * code.length(s);
            }
            if (best == null || bits < best.bits) {
                best = new Gaps(escape, symbols, code, bits);
            }
        }
        return best;
    }

    private static int[] gapSymbols(int[] positions, int escape) {
        int[] out = new int[positions.length];
        int n = 0;
        long previous = -1;
        for (int p : positions) {
            long gap = p - previous - 1;
            while (gap >= escape) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2 + 1);
                }
                out[n++] = escape;
                gap -= escape;
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2 + 1);
            }
            out[n++] = (int) gap;
            previous = p;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void block(DataOutputStream out, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.writeInt((int) crc.getValue());
    }
}
