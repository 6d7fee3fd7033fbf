package org.sparsevd.core.engine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.sparsevd.core.compress.BitReader;
import org.sparsevd.core.compress.CanonicalHuffman;
import org.sparsevd.core.compress.CorruptCodeException;

/**
 * The exported model file, format version {@value #VERSION} (specified in {@code docs/model-format.md}; written by
 * {@code org.sparsevd.core.export.ModelWriter}). Big-endian:
 * <pre>
 *   magic     8 bytes  "SPARSEVD"
 *   version   u16      2 (version 1 is read too)
 *   header    u32 length, that many bytes of UTF-8 JSON, u32 CRC-32 of them
 *   sections  per weighted layer, in layer order: u32 length, the section, u32 CRC-32 of it
 * </pre>
 * and nothing after. A section holds a layer's kept weights: positions as gaps, canonical-Huffman coded; values as
 * float32, or as indices into a codebook of shared values (k-means centroids), canonical-Huffman coded; then the
 * biases as float32.
 */
public final class ModelFile {
    /** The first 8 bytes of every model file. */
    public static final byte[] MAGIC = "SPARSEVD".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes; it also reads version 1 (dense positions always by input). */
    public static final int VERSION = 2;
    /** The oldest format version this code reads. */
    public static final int OLDEST_VERSION = 1;
    /** A dense layer's {@code position_order}: positions coded as {@code i · outputs + j} (version 1's only order). */
    public static final String INPUT_MAJOR = "input_major";
    /** A dense layer's {@code position_order}: positions coded as {@code j · inputs + i}. */
    public static final String OUTPUT_MAJOR = "output_major";
    /** The header's {@code format} field. */
    public static final String FORMAT_NAME = "sparsevd-model";
    /** The longest header accepted (bytes). */
    public static final int MAX_HEADER_BYTES = 64 << 20;
    /** {@code value_bits} of a layer whose values are stored as float32. */
    public static final int FLOAT_VALUES = 32;

    /** Layer types in the header. */
    public static final String DENSE = "dense";
    public static final String CONV = "conv";
    public static final String MAX_POOL = "max_pool";
    public static final String LRN = "lrn";
    public static final String RELU = "relu";

    static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    /** Reads and checks a whole model file; the stream is read to its end (not closed). */
    public static NetworkSpec read(InputStream in) throws IOException {
        return read(in.readAllBytes());
    }

    /** Reads and checks a model file's bytes. */
    public static NetworkSpec read(byte[] file) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new ModelFormatException("not a sparsevd model file (it does not start with \"SPARSEVD\")");
            }
            int version = in.readUnsignedShort();
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new ModelFormatException("model file format version " + version + " is not supported (this "
                        + "sparsevd reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
            }
            byte[] headerBytes = block(in, "the header", MAX_HEADER_BYTES);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new ModelFormatException("the header is not valid JSON: " + e.getOriginalMessage());
            }
            NetworkSpec spec = parse(header, version, in);
            if (in.available() > 0) {
                throw new ModelFormatException(in.available() + " unexpected bytes after the last section");
            }
            return spec;
        } catch (EOFException e) {
            throw new ModelFormatException("the model file is truncated (" + file.length + " bytes)", e);
        } catch (IOException e) {
            throw new ModelFormatException("the model file cannot be read: " + e.getMessage(), e);
        }
    }

    /** A length-prefixed block followed by its CRC-32, checked. */
    private static byte[] block(DataInputStream in, String what, int maxBytes) throws IOException {
        long length = Integer.toUnsignedLong(in.readInt());
        if (length > maxBytes || length > in.available()) {
            throw new ModelFormatException("the model file is truncated or corrupt: " + what + " claims " + length
                    + " bytes, " + in.available() + " remain");
        }
        byte[] bytes = new byte[(int) length];
        in.readFully(bytes);
        long stored = Integer.toUnsignedLong(in.readInt());
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != stored) {
            throw new ModelFormatException("the model file is corrupt: the checksum of " + what + " does not match");
        }
        return bytes;
    }

    private static NetworkSpec parse(JsonNode h, int version, DataInputStream in) throws IOException {
        if (!h.isObject() || !FORMAT_NAME.equals(h.path("format").asText())) {
            throw new ModelFormatException("the header is not a " + FORMAT_NAME + " header");
        }
        if (h.path("version").asInt(-1) != version) {
            throw new ModelFormatException("the header's version " + h.path("version") + " differs from the file's "
                    + version);
        }
        try {
            JsonNode input = field(h, "input", "the header");
            Shape inShape = new Shape(integer(input, "channels"), integer(input, "height"), integer(input, "width"));
            InputSpec inputSpec = new InputSpec(inShape, doubles(input, "mean"), doubles(input, "std"));
            List<LayerSpec> layers = new ArrayList<>();
            Shape shape = inShape;
            int index = 0;
            for (Iterator<JsonNode> it = field(h, "layers", "the header").elements(); it.hasNext(); index++) {
                JsonNode l = it.next();
                String where = "layer " + index;
                String type = text(l, "type", where);
                String name = text(l, "name", where);
                where = "layer " + index + " (" + name + ")";
                LayerSpec layer = switch (type) {
                    case DENSE -> dense(l, name, shape, where, in);
                    case CONV -> conv(l, name, shape, where, in);
                    case MAX_POOL -> new LayerSpec.MaxPool(name, shape, shapeOf(l, "out", where),
                            pair(l, "kernel", where)[0], pair(l, "kernel", where)[1], pair(l, "stride", where)[0],
                            pair(l, "stride", where)[1], pair(l, "padding", where)[0], pair(l, "padding", where)[1]);
                    case LRN -> new LayerSpec.Lrn(name, shape, number(l, "k", where), integer(l, "n"),
                            number(l, "alpha", where), number(l, "beta", where));
                    case RELU -> new LayerSpec.Relu(name, shape);
                    default -> throw new ModelFormatException(where + " has the unknown type \"" + type + "\"");
                };
                layers.add(layer);
                shape = layer.out();
            }
            JsonNode threshold = h.path("threshold");
            JsonNode provenance = h.path("provenance");
            NetworkSpec spec = new NetworkSpec(inputSpec, layers, threshold.isNumber() ? threshold.asDouble()
                    : Double.NaN, provenance.isObject() ? JSON.writeValueAsString(provenance) : "{}");
            if (h.path("classes").asInt(-1) != spec.classes()) {
                throw new ModelFormatException("the header declares " + h.path("classes") + " classes but the last "
                        + "layer has " + spec.classes() + " outputs");
            }
            return spec;
        } catch (IllegalArgumentException | CorruptCodeException e) {
            throw new ModelFormatException("the model file is corrupt: " + e.getMessage(), e);
        }
    }

    private static LayerSpec dense(JsonNode l, String name, Shape in, String where, DataInputStream data)
            throws IOException {
        int outputs = integer(l, "outputs");
        Weights w = section(data, l, where, (long) in.size() * outputs, outputs);
        String order = l.path("position_order").asText(INPUT_MAJOR);
        if (order.equals(OUTPUT_MAJOR)) {
            // Coded as j · inputs + i, ascending: back to i · outputs + j, ascending.
            int inputs = in.size();
            int[] sorted = outputMajorOrder(w.positions, outputs, inputs);
            int[] p = new int[sorted.length];
            float[] v = new float[sorted.length];
            for (int k = 0; k < p.length; k++) {
                int t = w.positions[sorted[k]];
                p[k] = t % inputs * outputs + t / inputs;
                v[k] = w.values[sorted[k]];
            }
            return new LayerSpec.Dense(name, in, outputs, relu(l, where), p, v, w.bias);
        } else if (!order.equals(INPUT_MAJOR)) {
            throw new ModelFormatException(where + " has the unknown position_order \"" + order + "\"");
        }
        return new LayerSpec.Dense(name, in, outputs, relu(l, where), w.positions, w.values, w.bias);
    }

    /**
     * The order that sorts a dense layer's positions {@code p = i · outputs + j} (i &lt; inputs) by
     * {@code j · inputs + i}: the k-th index of the result is the k-th position in output-major order. (With inputs
     * and outputs swapped it sorts output-major positions back into input-major order.)
     */
    static int[] outputMajorOrder(int[] positions, int inputs, int outputs) {
        long[] keys = new long[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int p = positions[k];
            keys[k] = ((long) (p % outputs) * inputs + p / outputs) << 32 | k;
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[positions.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = (int) keys[k];
        }
        return order;
    }

    private static LayerSpec conv(JsonNode l, String name, Shape in, String where, DataInputStream data)
            throws IOException {
        Shape out = shapeOf(l, "out", where);
        int[] kernel = pair(l, "kernel", where);
        int[] stride = pair(l, "stride", where);
        int[] padding = pair(l, "padding", where);
        Weights w = section(data, l, where, (long) out.channels() * in.channels() * kernel[0] * kernel[1],
                out.channels());
        return new LayerSpec.Conv(name, in, out, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                relu(l, where), w.positions, w.values, w.bias);
    }

    private record Weights(int[] positions, float[] values, float[] bias) {
    }

    /** Reads and decodes one weighted layer's section. */
    private static Weights section(DataInputStream data, JsonNode l, String where, long total, int biases)
            throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(block(data, "the section of " + where,
                Integer.MAX_VALUE)));
        int kept = in.readInt();
        if (kept != integer(l, "kept") || kept < 0 || kept > total) {
            throw new ModelFormatException(where + ": the section holds " + kept + " weights, the header says "
                    + l.path("kept") + " of " + total);
        }
        int escape = in.readInt();
        int symbols = in.readInt();
        if (escape < 1 || escape > CanonicalHuffman.MAX_ALPHABET - 1 || symbols < kept) {
            throw new ModelFormatException(where + ": bad gap code (escape " + escape + ", " + symbols + " symbols)");
        }
        BitReader gaps = new BitReader(bytes(in, where));
        CanonicalHuffman gapCode = CanonicalHuffman.readTable(gaps, escape + 1);
        int[] positions = new int[kept];
        long previous = -1;
        int k = 0;
        for (int s = 0; s < symbols; s++) {
            int symbol = gapCode.decode(gaps);
            if (symbol == escape) {
                previous += escape;
            } else {
                if (k == kept) {
                    throw new ModelFormatException(where + ": more weights coded than the " + kept + " declared");
                }
                previous += symbol + 1;
                if (previous >= total) {
                    throw new ModelFormatException(where + ": a weight position is beyond the layer's " + total);
                }
                positions[k++] = (int) previous;
            }
        }
        if (k != kept) {
            throw new ModelFormatException(where + ": " + k + " weights coded, " + kept + " declared");
        }
        int bits = in.readUnsignedByte();
        if (bits != integer(l, "value_bits")) {
            throw new ModelFormatException(where + ": value bits " + bits + " differ from the header's "
                    + l.path("value_bits"));
        }
        float[] values = new float[kept];
        if (bits == FLOAT_VALUES) {
            for (int i = 0; i < kept; i++) {
                values[i] = in.readFloat();
            }
        } else if (bits >= 1 && bits <= 16) {
            int count = in.readInt();
            if (count < 1 || count > 1 << bits) {
                throw new ModelFormatException(where + ": " + count + " centroids for " + bits + " bits");
            }
            float[] centroids = new float[count];
            for (int i = 0; i < count; i++) {
                centroids[i] = in.readFloat();
            }
            if (kept > 0) {
                BitReader indices = new BitReader(bytes(in, where));
                CanonicalHuffman valueCode = CanonicalHuffman.readTable(indices, count);
                for (int i = 0; i < kept; i++) {
                    values[i] = centroids[valueCode.decode(indices)];
                }
            }
        } else {
            throw new ModelFormatException(where + ": value bits " + bits + " is neither 1..16 nor 32");
        }
        float[] bias = new float[biases];
        for (int i = 0; i < biases; i++) {
            bias[i] = in.readFloat();
        }
        if (in.available() > 0) {
            throw new ModelFormatException(where + ": " + in.available() + " unexpected bytes at the end of its section");
        }
        return new Weights(positions, values, bias);
    }

    private static byte[] bytes(DataInputStream in, String where) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new ModelFormatException(where + ": a coded stream claims " + n + " bytes, " + in.available()
                    + " remain");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static JsonNode field(JsonNode node, String name, String where) {
        JsonNode f = node.get(name);
        if (f == null || f.isNull()) {
            throw new ModelFormatException(where + " has no \"" + name + "\"");
        }
        return f;
    }

    private static String text(JsonNode node, String name, String where) {
        JsonNode f = field(node, name, where);
        if (!f.isTextual()) {
            throw new ModelFormatException(where + ": \"" + name + "\" must be a string, got " + f);
        }
        return f.asText();
    }

    private static int integer(JsonNode node, String name) {
        JsonNode f = field(node, name, "the header");
        if (!f.canConvertToInt() || !f.isIntegralNumber()) {
            throw new ModelFormatException("the header's \"" + name + "\" must be an integer, got " + f);
        }
        return f.asInt();
    }

    private static double number(JsonNode node, String name, String where) {
        JsonNode f = field(node, name, where);
        if (!f.isNumber()) {
            throw new ModelFormatException(where + ": \"" + name + "\" must be a number, got " + f);
        }
        return f.asDouble();
    }

    private static double[] doubles(JsonNode node, String name) {
        JsonNode f = field(node, name, "the header's input");
        double[] out = new double[f.size()];
        for (int i = 0; i < out.length; i++) {
            if (!f.get(i).isNumber()) {
                throw new ModelFormatException("the header's input \"" + name + "\" must hold numbers, got " + f);
            }
            out[i] = f.get(i).asDouble();
        }
        return out;
    }

    private static int[] pair(JsonNode node, String name, String where) {
        JsonNode f = field(node, name, where);
        if (!f.isArray() || f.size() != 2 || !f.get(0).isIntegralNumber() || !f.get(1).isIntegralNumber()) {
            throw new ModelFormatException(where + ": \"" + name + "\" must be two integers, got " + f);
        }
        return new int[] {f.get(0).asInt(), f.get(1).asInt()};
    }

    private static Shape shapeOf(JsonNode node, String name, String where) {
        JsonNode f = field(node, name, where);
        if (!f.isArray() || f.size() != 3) {
            throw new ModelFormatException(where + ": \"" + name + "\" must be [channels, height, width], got " + f);
        }
        return new Shape(f.get(0).asInt(), f.get(1).asInt(), f.get(2).asInt());
    }

    private static boolean relu(JsonNode node, String where) {
        String act = text(node, "activation", where);
        if (!act.equals("relu") && !act.equals("identity")) {
            throw new ModelFormatException(where + ": unknown activation \"" + act + "\" (relu or identity)");
        }
        return act.equals("relu");
    }
}
