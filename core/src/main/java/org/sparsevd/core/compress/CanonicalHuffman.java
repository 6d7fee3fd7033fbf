package org.sparsevd.core.compress;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A canonical Huffman code over the alphabet {@code 0 .. size-1} (Deep Compression's third stage, Han et al. 2016,
 * sec. 4; canonical codes as in DEFLATE, RFC 1951 sec. 3.2.2): it is fully described by each symbol's code length,
 * so a file stores only the lengths. Codes are at most {@value #MAX_LENGTH} bits long. Immutable.
 *
 * <p>Stored form ({@link #writeTable}): the alphabet size (32 bits), the bits per length (5 bits), then every
 * symbol's length in that many bits. A symbol of length 0 does not occur.
 */
public final class CanonicalHuffman {
    /** The longest code; longer optimal codes are avoided by flattening the counts. */
    public static final int MAX_LENGTH = 24;
    /** The largest alphabet a table may declare. */
    public static final int MAX_ALPHABET = 1 << 20;

    private final int[] lengths;
    /** Canonical code of each symbol (meaningful where its length is &gt; 0). */
    private final int[] codes;
    /** Per length 1..MAX_LENGTH: how many codes have it. */
    private final int[] countPerLength;
    /** Symbols in canonical order (by length, then symbol). */
    private final int[] sorted;

    private CanonicalHuffman(int[] lengths) {
        this.lengths = lengths;
        this.countPerLength = new int[MAX_LENGTH + 1];
        int used = 0;
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] < 0 || lengths[s] > MAX_LENGTH) {
                throw new CorruptCodeException("code length " + lengths[s] + " of symbol " + s + " is not in [0, "
                        + MAX_LENGTH + "]");
            }
            if (lengths[s] > 0) {
                countPerLength[lengths[s]]++;
                used++;
            }
        }
        // Kraft: a complete or under-full prefix code (one symbol alone gets length 1).
        long left = 1;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            left = (left << 1) - countPerLength[len];
            if (left < 0) {
                throw new CorruptCodeException("the code lengths describe no prefix code (too many codes of length "
                        + len + ")");
            }
        }
        this.sorted = new int[used];
        int[] next = new int[MAX_LENGTH + 2];
        for (int len = 1; len <= MAX_LENGTH; len++) {
            next[len + 1] = next[len] + countPerLength[len];
        }
        this.codes = new int[lengths.length];
        int code = 0;
        int[] firstCode = new int[MAX_LENGTH + 1];
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code = (code + countPerLength[len - 1]) << 1;
            firstCode[len] = code;
        }
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len > 0) {
                sorted[next[len]++] = s;
                codes[s] = firstCode[len]++;
            }
        }
    }

    /**
     * The optimal code for symbol counts (a count of 0: the symbol never occurs and gets no code), limited to
     * {@value #MAX_LENGTH} bits by halving the counts until the code fits. At least one count must be positive.
     */
    public static CanonicalHuffman forCounts(long[] counts) {
        if (counts.length == 0 || counts.length > MAX_ALPHABET) {
            throw new IllegalArgumentException("alphabet size must be in [1, " + MAX_ALPHABET + "], got "
                    + counts.length);
        }
        long[] c = counts.clone();
        while (true) {
            int[] lengths = optimalLengths(c);
            if (Arrays.stream(lengths).max().orElse(0) <= MAX_LENGTH) {
                return new CanonicalHuffman(lengths);
            }
            for (int s = 0; s < c.length; s++) {
                if (c[s] > 0) {
                    c[s] = Math.max(1, c[s] >> 1);
                }
            }
        }
    }

    private static int[] optimalLengths(long[] counts) {
        int n = counts.length;
        // Nodes 0..n-1 are leaves; internal nodes are appended. parent[] gives each node's depth at the end.
        long[] weight = new long[2 * n];
        int[] parent = new int[2 * n];
        Arrays.fill(parent, -1);
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        int used = 0;
        for (int s = 0; s < n; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("count of symbol " + s + " is negative: " + counts[s]);
            }
            if (counts[s] > 0) {
                weight[s] = counts[s];
                queue.add(new long[] {counts[s], s});
                used++;
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("no symbol occurs: nothing to code");
        }
        int[] lengths = new int[n];
        if (used == 1) {
            lengths[(int) queue.peek()[1]] = 1;
            return lengths;
        }
        int next = n;
        while (queue.size() > 1) {
            long[] a = queue.poll();
            long[] b = queue.poll();
            weight[next] = a[0] + b[0];
            parent[(int) a[1]] = next;
            parent[(int) b[1]] = next;
            queue.add(new long[] {weight[next], next});
            next++;
        }
        for (int s = 0; s < n; s++) {
            if (counts[s] > 0) {
                int depth = 0;
                for (int p = parent[s]; p >= 0; p = parent[p]) {
                    depth++;
                }
                lengths[s] = depth;
            }
        }
        return lengths;
    }

    /** The alphabet size. */
    public int alphabetSize() {
        return lengths.length;
    }

    /** The code length of {@code symbol} in bits (0: it has no code). */
    public int length(int symbol) {
        return lengths[symbol];
    }

    /** Appends the code of {@code symbol}. */
    public void encode(int symbol, BitWriter out) {
        if (symbol < 0 || symbol >= lengths.length || lengths[symbol] == 0) {
            throw new IllegalArgumentException("symbol " + symbol + " has no code");
        }
        out.write(codes[symbol], lengths[symbol]);
    }

    /** Reads one symbol (canonical decoding: one comparison per code length). */
    public int decode(BitReader in) {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code |= in.bit();
            int count = countPerLength[len];
            if (code - first < count) {
                return sorted[index + code - first];
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        throw new CorruptCodeException("no symbol has the code read (the bit stream is corrupt)");
    }

    /** Writes the table: alphabet size (32 bits), bits per length (5 bits), each symbol's length. */
    public void writeTable(BitWriter out) {
        int max = Arrays.stream(lengths).max().orElse(0);
        int width = 32 - Integer.numberOfLeadingZeros(max);
        out.write(lengths.length, 32);
        out.write(width, 5);
        for (int len : lengths) {
            out.write(len, width);
        }
    }

    /** Reads a table written by {@link #writeTable}; {@code maxAlphabet} bounds the size it may declare. */
    public static CanonicalHuffman readTable(BitReader in, int maxAlphabet) {
        int size = in.bits(31) << 1 | in.bit();
        if (size < 1 || size > Math.min(maxAlphabet, MAX_ALPHABET)) {
            throw new CorruptCodeException("code table declares " + size + " symbols (at most "
                    + Math.min(maxAlphabet, MAX_ALPHABET) + " expected)");
        }
        int width = in.bits(5);
        int[] lengths = new int[size];
        for (int s = 0; s < size; s++) {
            lengths[s] = in.bits(width);
        }
        return new CanonicalHuffman(lengths);
    }

    /** The bits the table takes in {@link #writeTable}'s form. */
    public long tableBits() {
        int max = Arrays.stream(lengths).max().orElse(0);
        return 37L + (long) lengths.length * (32 - Integer.numberOfLeadingZeros(max));
    }
}
