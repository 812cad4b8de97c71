package org.attentionzoo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A saved model whose card does not describe its graph is refused at load, naming the file and what
 * differs: a card edited to fewer layers, other sizes, other heads, another positional encoding.
 */
class ModelArchiveConsistencyTest {

    @TempDir
    Path dir;

    /** The fixture {@code fixture} with one card.json value replaced; asserts the edit took. */
    private Path editedCard(String fixture, String from, String to) throws IOException {
        Map<String, byte[]> outer = HostileModelFiles.entries(SavedModelFixtures.FOLDER.resolve(fixture + ".zip"));
        String card = new String(outer.get("card.json"), StandardCharsets.UTF_8);
        String edited = card.replace(from, to);
        assertNotEquals(card, edited, "the fixture's card has " + from);
        outer.put("card.json", edited.getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(fixture + "-lying.zip");
        HostileModelFiles.write(outer, file);
        return file;
    }

    private static String refusal(Path file) {
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(file));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file + "!/graph.zip does not match card.json and the vocabularies: "),
                e.getMessage());
        return e.getMessage().substring(e.getMessage().indexOf("vocabularies: ") + "vocabularies: ".length());
    }

    @Test
    void cardWithFewerDecoderLayersThanTheGraphIsRefused() throws IOException {
        String why = refusal(editedCard("transformer-tiny", "\"decoderLayers\" : 2", "\"decoderLayers\" : 1"));
        assertTrue(why.startsWith("the graph has [decoder_1"), why);
        assertTrue(why.endsWith("which the card does not describe (layer counts differ?)"), why);
    }

    @Test
    void cardWithMoreEncoderLayersThanTheGraphIsRefused() throws IOException {
        String why = refusal(editedCard("seq2seq-lstm", "\"encoderLayers\" : 1", "\"encoderLayers\" : 2"));
        assertTrue(why.startsWith("the card describes [encoder_1"), why);
    }

    @Test
    void cardWithAnotherHiddenSizeIsRefused() throws IOException {
        String why = refusal(editedCard("seq2seq-lstm", "\"hiddenSize\" : 12", "\"hiddenSize\" : 16"));
        // The first vertex in the card's order whose parameters differ: the encoder LSTM, 4 gates of
        // (8 inputs + 12 or 16 recurrent + 1 bias) x 12 or 16 units.
        assertTrue(why.matches("vertex \"encoder_0\" has 1,008 parameters in the graph, 1,600 by the card \\(sizes differ\\?\\)"),
                why);
    }

    @Test
    void cardWithOtherHeadsButTheSameParameterCountIsRefused() throws IOException {
        String why = refusal(editedCard("transformer-tiny", "\"heads\" : 2", "\"heads\" : 4"));
        assertTrue(why.matches("vertex \"\\w+\" differs in .*2 in the graph, 4 by the card"), why);
    }

    @Test
    void cardWithAnotherAttentionScoreIsRefused() throws IOException {
        String why = refusal(editedCard("luong-general", "\"score\" : \"general\"", "\"score\" : \"dot\""));
        assertTrue(why.startsWith("vertex \"attention\""), why);
    }
}
