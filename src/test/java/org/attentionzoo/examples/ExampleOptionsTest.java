package org.attentionzoo.examples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example mains' picocli options: defaults, values, help, and the Benchmark's options for its forked runs. */
class ExampleOptionsTest {

    private static final List<Callable<Integer>> EXAMPLES = List.of(new AlignmentExample(), new AttentionExample(),
            new Benchmark(), new CompareAttention(), new EncoderLayerBenchmark(), new EventHistoryClassifier(),
            new FineTuneExample(), new Quickstart(), new Seq2SeqExample(), new TransformerExample());

    @Test
    void everyExamplePrintsItsHelpAndExitsZeroWithoutRunning() {
        for (Callable<Integer> example : EXAMPLES) {
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(example);
            cli.setOut(new PrintWriter(out));
            assertEquals(0, cli.execute("--help"), example.getClass().getSimpleName());
            assertTrue(out.toString().startsWith("Usage: " + example.getClass().getSimpleName() + " "), out.toString());
        }
    }

    @Test
    void defaultsAndGivenValues() {
        Quickstart q = new Quickstart();
        new CommandLine(q).parseArgs();
        assertEquals(2.0, q.minutes);
        assertEquals(800, q.steps);
        assertEquals("luong-general", q.cardName);
        new CommandLine(q).parseArgs("--minutes", "5", "--steps", "0", "--model", "bahdanau");
        assertEquals(5.0, q.minutes);
        assertEquals(0, q.steps);
        assertEquals("bahdanau", q.cardName);

        CompareAttention c = new CompareAttention();
        new CommandLine(c).parseArgs("--cards", "luong-dot,bahdanau", "--steps", "10");
        assertEquals(List.of("luong-dot", "bahdanau"), c.cards, "the given cards replace the default list");
        assertEquals(10, c.steps);
        assertEquals(7, new CommandLine(new CompareAttention()).<CompareAttention>getCommand().cards.size());

        FineTuneExample f = new FineTuneExample();
        new CommandLine(f).parseArgs("--extend", "false");
        assertEquals(false, f.extend);
        assertEquals(Path.of("finetune-out", "dates.zip"), f.modelFile);

        EventHistoryClassifier e = new EventHistoryClassifier();
        new CommandLine(e).parseArgs();
        assertEquals(Integer.MAX_VALUE, e.maxSteps);

        assertEquals(2, new CommandLine(new Seq2SeqExample()).execute("--stepz", "3"), "a usage mistake exits 2");
    }

    @Test
    void aForkedBenchmarkRunGetsTheParentsOptionsForOneCard() {
        Benchmark parent = new Benchmark();
        new CommandLine(parent).parseArgs("--train", "t.tsv", "--dev", "d.tsv", "--cards", "a,b", "--steps", "7",
                "--decode", "false", "--workers", "3", "--decode-warmup", "0.5", "--translate-beam", "5",
                "--translate-models", "runs");
        assertNull(parent.threads);
        Benchmark child = new Benchmark();
        new CommandLine(child).parseArgs(parent.childArguments("b", 12.5).toArray(String[]::new));
        assertEquals(Path.of("t.tsv"), child.trainFile);
        assertEquals(Path.of("d.tsv"), child.devFile);
        assertEquals(List.of("b"), child.cards);
        assertEquals(7, child.steps);
        assertEquals(256, child.decodeSentences);
        assertEquals(false, child.decode);
        assertEquals(3, child.workers);
        assertEquals(0.5, child.warmupSeconds);
        assertEquals(3.0, child.measureSeconds);
        assertEquals(true, child.translate);
        assertEquals(5, child.translateBeam);
        assertEquals(Path.of("runs"), child.translateModels);
        assertEquals(false, child.fork);
        assertEquals(true, child.rowsOnly);
        assertEquals(12.5, child.givenGflops);
        assertNull(child.threads);
    }
}
