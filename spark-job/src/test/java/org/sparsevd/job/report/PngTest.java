package org.sparsevd.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The reports' PNG encoder is lossless: what ImageIO decodes is the image, pixel for pixel. */
class PngTest {

    private static BufferedImage decoded(BufferedImage image) throws IOException {
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Png.encode(image)));
        assertEquals(image.getWidth(), back.getWidth());
        assertEquals(image.getHeight(), back.getHeight());
        return back;
    }

    private static BufferedImage random(int w, int h, int type, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // runs of one colour, as in charts and weight tiles, between random pixels
                img.setRGB(x, y, r.nextInt(4) == 0 ? 0xff000000 | r.nextInt() : x > 0 ? img.getRGB(x - 1, y) : -1);
            }
        }
        return img;
    }

    @Test
    void rgbImagesDecodeToTheirPixels() throws IOException {
        for (int[] size : new int[][] {{1, 1}, {37, 23}, {900, 500}}) {
            BufferedImage img = random(size[0], size[1], BufferedImage.TYPE_INT_RGB, size[0]);
            BufferedImage back = decoded(img);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    assertEquals(img.getRGB(x, y), back.getRGB(x, y), size[0] + "x" + size[1] + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aSubimageIsEncodedAsItself() throws IOException {
        BufferedImage whole = random(50, 40, BufferedImage.TYPE_INT_RGB, 7);
        BufferedImage part = whole.getSubimage(11, 5, 20, 30);
        BufferedImage back = decoded(part);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(whole.getRGB(11 + x, 5 + y), back.getRGB(x, y), x + "," + y);
            }
        }
    }

    @Test
    void transparencyIsFlattenedOntoWhite() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00123456); // fully transparent
        img.setRGB(1, 0, 0xff123456); // opaque
        img.setRGB(2, 0, 0xff000000);
        BufferedImage back = decoded(img);
        assertEquals(0xffffffff, back.getRGB(0, 0));
        assertEquals(0xff123456, back.getRGB(1, 0));
        assertEquals(0xff000000, back.getRGB(2, 0));
    }
}
