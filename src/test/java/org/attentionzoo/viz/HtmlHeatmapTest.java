package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlHeatmapTest {

    private static final Alignment SAMPLE = new Alignment(List.of("le", "chat"), List.of("the", "cat", "</s>"),
            new double[][] {{1.0, 0.0}, {0.25, 0.75}, {0.0, 1.0}});

    private static final Alignment NASTY = new Alignment(List.of("<s>", "&", "\"q\""), List.of("a'b", "</s>"),
            new double[][] {{0.25, 0.5, 0.25}, {0, 0, 1}});

    @TempDir
    Path dir;

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String svgOf(String html) {
        return html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + "</svg>".length());
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    @Test
    void svgIsWellFormedWithOneRectPerCellAtTheLayoutPositions() throws Exception {
        Document svg = parse(svgOf(HtmlHeatmap.render(SAMPLE)));
        assertEquals("http://www.w3.org/2000/svg", svg.getDocumentElement().getNamespaceURI());
        List<Element> rects = elements(svg, "rect");
        assertEquals(3 * 2, rects.size());
        // labels are estimated at 8 px per column: widest target "</s>" and source "chat" are 32 px,
        // so the grid starts at 10 + 32 + 6 = 48 on both axes
        assertEquals("114", svg.getDocumentElement().getAttribute("width"));
        assertEquals("142", svg.getDocumentElement().getAttribute("height"));
        Element first = rects.get(0);
        assertEquals("48", first.getAttribute("x"));
        assertEquals("48", first.getAttribute("y"));
        Element last = rects.get(5);
        assertEquals("76", last.getAttribute("x"));
        assertEquals("104", last.getAttribute("y"));
        assertEquals("28", last.getAttribute("width"));
    }

    @Test
    void cellsAreGreyWithHoverTitles() throws Exception {
        List<Element> rects = elements(parse(svgOf(HtmlHeatmap.render(SAMPLE))), "rect");
        assertEquals("#000000", rects.get(0).getAttribute("fill"));
        assertEquals("#ffffff", rects.get(1).getAttribute("fill"));
        assertEquals("#bfbfbf", rects.get(2).getAttribute("fill"));
        assertEquals("cat → le: 0.250", rects.get(2).getTextContent());
        assertEquals("</s> → chat: 1.000", rects.get(5).getTextContent());
    }

    @Test
    void tokensAreEscapedAndSurviveAParse() throws Exception {
        String html = HtmlHeatmap.render(NASTY);
        assertTrue(html.contains(">&lt;s&gt;</text>"), html);
        assertTrue(html.contains(">&amp;</text>"), html);
        assertTrue(html.contains(">&quot;q&quot;</text>"), html);
        assertTrue(html.contains(">a&#39;b</text>"), html);
        assertFalse(html.contains("<s>"));

        Document page = parse(html);
        assertEquals(0, elements(page, "s").size());
        List<String> labels = elements(page, "text").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("a'b", "</s>", "<s>", "&", "\"q\""), labels);
        Element quarter = elements(page, "rect").get(0);
        assertEquals("#bfbfbf", quarter.getAttribute("fill"));
        assertEquals("a'b → <s>: 0.250", quarter.getTextContent());
    }

    @Test
    void pageIsSelfContained() {
        String html = HtmlHeatmap.render(SAMPLE);
        assertTrue(html.startsWith("<!DOCTYPE html>\n"));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertEquals(1, html.split("http", -1).length - 1, "only the SVG namespace may name a URL");
    }

    @Test
    void tinyAndLargeMatricesRender() throws Exception {
        assertEquals(1, elements(parse(svgOf(HtmlHeatmap.render(
                new Alignment(List.of("猫"), List.of("</s>"), new double[][] {{1}})))), "rect").size());
        assertEquals(1600, elements(parse(svgOf(HtmlHeatmap.render(Fixtures.diagonal(40)))), "rect").size());
    }

    @Test
    void atomicWriteProducesUtf8AndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("align.html");
        HtmlHeatmap.write(NASTY, file);
        HtmlHeatmap.write(SAMPLE, file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(HtmlHeatmap.render(SAMPLE), Files.readString(file, StandardCharsets.UTF_8));
    }
}
