package org.sparsevd.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalHuffmanTest {

    private static int[] roundTrip(int[] symbols, int alphabet) {
        long[] counts = new long[alphabet];
        for (int s : symbols) {
            counts[s]++;
        }
        CanonicalHuffman code = CanonicalHuffman.forCounts(counts);
        BitWriter out = new BitWriter();
        code.writeTable(out);
        for (int s : symbols) {
            code.encode(s, out);
        }
        BitReader in = new BitReader(out.toByteArray());
        CanonicalHuffman read = CanonicalHuffman.readTable(in, alphabet);
        int[] back = new int[symbols.length];
        for (int i = 0; i < back.length; i++) {
            back[i] = read.decode(in);
        }
        return back;
    }

    @Test
    void skewedSymbolsRoundTripAndCostNearTheirEntropy() {
        Random r = new Random(1);
        int[] symbols = new int[20000];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = Math.min(31, (int) Math.abs(r.nextGaussian() * 3));
        }
        assertArrayEquals(symbols, roundTrip(symbols, 32));
        long[] counts = new long[32];
        for (int s : symbols) {
            counts[s]++;
        }
        CanonicalHuffman code = CanonicalHuffman.forCounts(counts);
        double bits = 0;
        double entropy = 0;
        for (int s = 0; s < 32; s++) {
            bits += counts[s] * code.length(s);
            if (counts[s] > 0) {
                double p = counts[s] / (double) symbols.length;
                entropy -= counts[s] * Math.log(p) / Math.log(2);
            }
        }
        assertTrue(bits >= entropy && bits < entropy + symbols.length, bits + " bits for entropy " + entropy);
    }

    @Test
    void oneSymbolAndUnusedSymbols() {
        assertArrayEquals(new int[] {5, 5, 5}, roundTrip(new int[] {5, 5, 5}, 8));
        CanonicalHuffman code = CanonicalHuffman.forCounts(new long[] {0, 3, 0, 1});
        assertEquals(0, code.length(0));
        assertThrows(IllegalArgumentException.class, () -> code.encode(0, new BitWriter()));
    }

    @Test
    void lengthsAreLimitedForFibonacciCounts() {
        long[] counts = new long[40];
        long a = 1;
        long b = 1;
        for (int s = 0; s < counts.length; s++) {
            counts[s] = a;
            long t = a + b;
            a = b;
            b = t;
        }
        CanonicalHuffman code = CanonicalHuffman.forCounts(counts);
        for (int s = 0; s < counts.length; s++) {
            assertTrue(code.length(s) >= 1 && code.length(s) <= CanonicalHuffman.MAX_LENGTH);
        }
        int[] symbols = new int[counts.length];
        for (int s = 0; s < symbols.length; s++) {
            symbols[s] = s;
        }
        assertArrayEquals(symbols, roundTrip(symbols, counts.length));
    }

    @Test
    void corruptTablesAndStreamsAreRefused() {
        BitWriter w = new BitWriter();
        w.write(4, 32);
        w.write(2, 5);
        for (int s = 0; s < 4; s++) {
            w.write(1, 2);   // four codes of length 1: no prefix code
        }
        assertThrows(CorruptCodeException.class, () -> CanonicalHuffman.readTable(new BitReader(w.toByteArray()), 4));
        CanonicalHuffman code = CanonicalHuffman.forCounts(new long[] {1, 1, 1});
        assertThrows(CorruptCodeException.class, () -> code.decode(new BitReader(new byte[0])));
    }
}
