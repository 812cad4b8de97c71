package org.attentionzoo.viz;

import java.util.function.ToIntFunction;

/**
 * Pixel geometry of a drawn heatmap, shared by the PNG and the SVG renderers.
 *
 * <p>The picture is, from the outside in: a margin, the labels (target tokens right-aligned down
 * the left; source tokens across the top, rotated 90° so they read upwards from the grid), a gap,
 * and the grid of square cells. Label space is sized from the widest label as measured by the
 * renderer's font.
 *
 * @param rows        number of target tokens
 * @param columns     number of source tokens
 * @param cell        side of one cell in pixels
 * @param gridLeft    x of the grid's left edge
 * @param gridTop     y of the grid's top edge
 * @param width       width of the whole picture
 * @param height      height of the whole picture
 */
record HeatmapLayout(int rows, int columns, int cell, int gridLeft, int gridTop, int width, int height) {

    /** Side of a cell in pixels. */
    static final int CELL = 28;
    /** Empty border around the picture. */
    static final int MARGIN = 10;
    /** Space between a label and the grid. */
    static final int GAP = 6;

    /**
     * Lays out an alignment.
     *
     * @param labelWidth the drawn width in pixels of a token in the renderer's font
     */
    static HeatmapLayout of(Alignment a, ToIntFunction<String> labelWidth) {
        int targetExtent = a.targetTokens().stream().mapToInt(labelWidth).max().orElse(0);
        int sourceExtent = a.sourceTokens().stream().mapToInt(labelWidth).max().orElse(0);
        int gridLeft = MARGIN + targetExtent + GAP;
        int gridTop = MARGIN + sourceExtent + GAP;
        return new HeatmapLayout(a.rows(), a.columns(), CELL, gridLeft, gridTop,
                gridLeft + a.columns() * CELL + MARGIN, gridTop + a.rows() * CELL + MARGIN);
    }

    /** x of the left edge of column {@code source}. */
    int cellX(int source) {
        return gridLeft + source * cell;
    }

    /** y of the top edge of row {@code target}. */
    int cellY(int target) {
        return gridTop + target * cell;
    }

    /** x of the centre of column {@code source}: where its rotated label is centred. */
    int centreX(int source) {
        return cellX(source) + cell / 2;
    }

    /** y of the centre of row {@code target}: where its label is centred. */
    int centreY(int target) {
        return cellY(target) + cell / 2;
    }

    /** x where target labels end (they are right-aligned here). */
    int targetLabelRight() {
        return gridLeft - GAP;
    }

    /** y where source labels start (they run upwards from here). */
    int sourceLabelBottom() {
        return gridTop - GAP;
    }

    /** Width of the grid. */
    int gridWidth() {
        return columns * cell;
    }

    /** Height of the grid. */
    int gridHeight() {
        return rows * cell;
    }
}
