package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngHeatmapTest {

    private static final Alignment SAMPLE = new Alignment(List.of("le", "chat"), List.of("the", "cat", "</s>"),
            new double[][] {{1.0, 0.0}, {0.25, 0.75}, {0.0, 1.0}});

    @TempDir
    Path dir;

    private static int rgbAt(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    @Test
    void writesAPictureWithBlackForOneAndWhiteForZero() throws IOException {
        Path file = dir.resolve("align.png");
        PngHeatmap.write(SAMPLE, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "not a readable PNG");

        HeatmapLayout layout = PngHeatmap.layout(SAMPLE);
        assertEquals(layout.width(), image.getWidth());
        assertEquals(layout.height(), image.getHeight());
        assertEquals(layout.gridLeft() + 2 * 28 + 10, image.getWidth());
        assertEquals(layout.gridTop() + 3 * 28 + 10, image.getHeight());

        assertEquals(0x000000, rgbAt(image, layout.centreX(0), layout.centreY(0)));
        assertEquals(0xffffff, rgbAt(image, layout.centreX(1), layout.centreY(0)));
        assertEquals(0xbfbfbf, rgbAt(image, layout.centreX(0), layout.centreY(1)));
        assertEquals(0x000000, rgbAt(image, layout.centreX(1), layout.centreY(2)));
        // cells are filled edge to edge, with no antialiased seams
        assertEquals(0x000000, rgbAt(image, layout.cellX(0), layout.cellY(0)));
        assertEquals(0x000000, rgbAt(image, layout.cellX(0) + 27, layout.cellY(0) + 27));
    }

    @Test
    void labelsAreDrawnLeftOfAndAboveTheGrid() {
        BufferedImage image = PngHeatmap.draw(SAMPLE);
        HeatmapLayout layout = PngHeatmap.layout(SAMPLE);
        assertTrue(darkPixels(image, 0, layout.cellY(0), layout.targetLabelRight(), layout.cellY(1)) > 5,
                "no target label drawn beside row 0");
        assertTrue(darkPixels(image, layout.cellX(1), 0, layout.cellX(2), layout.sourceLabelBottom()) > 5,
                "no source label drawn above column 1");
        // labels stay out of the margins: the outer 10 px are blank all round
        int w = image.getWidth();
        int h = image.getHeight();
        assertEquals(0, darkPixels(image, 0, 0, w, HeatmapLayout.MARGIN));
        assertEquals(0, darkPixels(image, 0, 0, HeatmapLayout.MARGIN, h));
        assertEquals(0, darkPixels(image, 0, h - HeatmapLayout.MARGIN, w, h));
        assertEquals(0, darkPixels(image, w - HeatmapLayout.MARGIN, 0, w, h));
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xff) < 128) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void runsHeadless() {
        PngHeatmap.draw(SAMPLE);
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    @Test
    void tinyAndLargeMatricesAndWideCharactersDoNotCrash() throws IOException {
        PngHeatmap.write(new Alignment(List.of("猫"), List.of("</s>"), new double[][] {{1}}), dir.resolve("one.png"));
        PngHeatmap.write(Fixtures.diagonal(40), dir.resolve("forty.png"));
        BufferedImage forty = ImageIO.read(dir.resolve("forty.png").toFile());
        HeatmapLayout layout = PngHeatmap.layout(Fixtures.diagonal(40));
        assertEquals(0x000000, rgbAt(forty, layout.centreX(39), layout.centreY(39)));
        assertEquals(0xffffff, rgbAt(forty, layout.centreX(0), layout.centreY(39)));
    }

    @Test
    void atomicWriteReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("sub/align.png");
        PngHeatmap.write(Fixtures.diagonal(3), file);
        PngHeatmap.write(SAMPLE, file);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(PngHeatmap.layout(SAMPLE).height(), ImageIO.read(file.toFile()).getHeight());
    }
}
