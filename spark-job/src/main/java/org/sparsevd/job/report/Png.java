package org.sparsevd.job.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The reports' PNG encoder, made for speed because the live report ({@code train --report}) encodes every figure
 * after every epoch: 8-bit RGB (PNG colour type 2), every row with the "Up" filter (the difference to the row above,
 * which turns the flat areas and horizontal lines of charts and the repeated pixel rows of the weight tiles into
 * zeros), one IDAT chunk, deflated at {@link Deflater#BEST_SPEED}, straight from the image's int pixels in memory.
 * JDK's ImageIO writer, used before, tries every filter on every row, reads pixels through the sample model and, to
 * an output stream, caches through a temporary file; its encoding was most of the live report's time. Lossless:
 * the image decodes to exactly its pixels.
 */
final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int BIT_DEPTH = 8;
    private static final int COLOUR_TYPE_RGB = 2;
    private static final int FILTER_UP = 2;

    private Png() {
    }

    /** {@code image} as PNG bytes; any transparency is flattened onto white (the reports' background). */
    static byte[] encode(BufferedImage image) {
        BufferedImage rgb = image.getType() == BufferedImage.TYPE_INT_RGB ? image : onWhite(image);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        WritableRaster raster = rgb.getRaster();
        int stride = ((SinglePixelPackedSampleModel) raster.getSampleModel()).getScanlineStride();
        DataBufferInt buffer = (DataBufferInt) raster.getDataBuffer();
        int[] pixels = buffer.getData();
        int first = buffer.getOffset() - raster.getSampleModelTranslateY() * stride
                - raster.getSampleModelTranslateX();

        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(w * h / 8 + 64);
        byte[] chunk = new byte[64 * 1024];
        byte[] row = new byte[1 + 3 * w];
        byte[] above = new byte[3 * w];
        byte[] current = new byte[3 * w];
        row[0] = FILTER_UP;
        try {
            for (int y = 0; y < h; y++) {
                int p0 = first + y * stride;
                for (int x = 0, i = 0; x < w; x++, i += 3) {
                    int p = pixels[p0 + x];
                    current[i] = (byte) (p >> 16);
                    current[i + 1] = (byte) (p >> 8);
                    current[i + 2] = (byte) p;
                }
                for (int i = 0; i < current.length; i++) {
                    row[1 + i] = (byte) (current[i] - above[i]);
                }
                deflater.setInput(row);
                drain(deflater, idat, chunk);
                byte[] t = above;
                above = current;
                current = t;
            }
            finish(deflater, idat, chunk);
        } finally {
            deflater.end();
        }

        ByteArrayOutputStream png = new ByteArrayOutputStream(idat.size() + 64);
        png.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, w);
        putInt(header, 4, h);
        header[8] = BIT_DEPTH;
        header[9] = COLOUR_TYPE_RGB; // compression, filter method and interlace stay 0
        writeChunk(png, "IHDR", header);
        writeChunk(png, "IDAT", idat.toByteArray());
        writeChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** Deflates the input given so far into {@code out}; once {@link Deflater#finish()} was called, all the rest. */
    private static void drain(Deflater deflater, ByteArrayOutputStream out, byte[] chunk) {
        while (!deflater.needsInput()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
    }

    /** Finishes the stream into {@code out}. */
    private static void finish(Deflater deflater, ByteArrayOutputStream out, byte[] chunk) {
        deflater.finish();
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
    }

    private static BufferedImage onWhite(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    private static void writeChunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        png.writeBytes(length);
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        png.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
