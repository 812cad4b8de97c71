package org.attentionzoo;

import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.LogRow;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingChart;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.util.ShapeInfoCache;
import org.attentionzoo.util.Threads;
import org.attentionzoo.viz.Alignment;
import org.attentionzoo.viz.PngHeatmap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.BaseShapeInfoProvider;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library changes nothing outside its own objects: loading a model, constructing a {@link Trainer} and a
 * {@link Translator} (greedy and beam, which build the cached step models) and running them leave ND4J's
 * shape-information provider, its threads per operation and the JVM's standard streams as they were, and
 * drawing an alignment heatmap or a training chart leaves the system properties as they were; only
 * {@link AttentionZoo#configure()} changes them, and calling it twice installs nothing twice.
 */
class NoGlobalSideEffectsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/saved-models/v1");
    /** The fixtures' task (see the fixtures' generator in the io tests): reverse 2-5 symbols of 6. */
    private static final List<SentencePair> PAIRS = new ReverseTask(6, 2, 5).generate(16, 5);

    /** ND4J's descriptors, built natively for every request, as a provider the test can recognise. */
    private static final class Uncached extends BaseShapeInfoProvider {
        @Override
        public void purgeCache() {
        }
    }

    /** ND4J keeps its provider in a static field with no setter; the test swaps it to see what others do. */
    private static Field providerField() throws ReflectiveOperationException {
        Field f = Nd4j.class.getDeclaredField("shapeInfoProvider");
        f.setAccessible(true);
        return f;
    }

    @Test
    void trainingAndTranslatingEveryFamilyLeaveNd4jAndTheStreamsAsTheyWere() throws Exception {
        Field field = providerField();
        ShapeInfoProvider before = (ShapeInfoProvider) field.get(null);
        ShapeInfoProvider plain = new Uncached();
        PrintStream out = System.out;
        PrintStream err = System.err;
        int threads = Threads.current();
        field.set(null, plain);
        try {
            for (String name : List.of("seq2seq-lstm", "luong-general", "bahdanau", "transformer-tiny")) {
                TranslationModel model = ModelArchive.load(FIXTURES.resolve(name + ".zip"));
                Translation greedy = new Translator(model).translate("1 2 3");
                Translation beam = new Translator(model, Decoding.beam(3)).translate("1 2 3");
                assertEquals("1 2 3", greedy.source(), name);
                assertEquals("1 2 3", beam.source(), name);
                Trainer.builder().model(model).data(TrainingData.batches(model, PAIRS, 8, 20, 1)).maxSteps(1).build().train();

                assertSame(plain, field.get(null), name + ": ND4J's shape-information provider untouched");
                assertFalse(ShapeInfoCache.installed(), name);
                assertSame(out, System.out, name + ": System.out untouched");
                assertSame(err, System.err, name + ": System.err untouched");
                assertEquals(threads, Threads.current(), name + ": ND4J threads per operation untouched");
            }
        } finally {
            field.set(null, before);
        }
    }

    @Test
    void configureInstallsTheShapeCacheAndTheQuietStreamOnce() throws Exception {
        Field field = providerField();
        ShapeInfoProvider before = (ShapeInfoProvider) field.get(null);
        PrintStream out = System.out;
        int threads = Threads.current();
        field.set(null, new Uncached());
        System.setOut(new PrintStream(new java.io.ByteArrayOutputStream(), true));   // a stream configure has not seen
        PrintStream fresh = System.out;
        try {
            AttentionZoo.configure();
            assertTrue(ShapeInfoCache.installed());
            Object cache = field.get(null);
            PrintStream quiet = System.out;
            // QuietOutput wraps System.out once per JVM; the test extension installed it before this test ran,
            // so here System.out is left as this test set it. What matters: a second call changes nothing.
            AttentionZoo.configure();
            assertSame(cache, field.get(null), "the same cache, not a second one");
            assertSame(quiet, System.out, "System.out not wrapped twice");
            assertNotSame(before, cache, "a cache of its own was installed over the plain provider");
            assertSame(fresh, quiet);
        } finally {
            field.set(null, before);
            System.setOut(out);
            Threads.use(threads);
        }
    }

    @Test
    void theCommandLineConfiguresTheProcessBeforeItRuns() throws Exception {
        Field field = providerField();
        ShapeInfoProvider before = (ShapeInfoProvider) field.get(null);
        PrintStream out = System.out;
        int threads = Threads.current();
        field.set(null, new Uncached());
        System.setOut(new PrintStream(new java.io.ByteArrayOutputStream(), true));
        try {
            assertEquals(0, org.attentionzoo.cli.ZooCli.run("--version"));
            assertTrue(ShapeInfoCache.installed(), "the command line's decoding and training get the shape cache");
        } finally {
            field.set(null, before);
            System.setOut(out);
            Threads.use(threads);
        }
    }

    @Test
    void drawingAHeatmapAndATrainingChartLeavesTheSystemPropertiesAsTheyWere(@TempDir Path dir) throws Exception {
        // configure() (another test in this JVM) may have set it; without it a drawing class that set it would pass
        String headless = System.clearProperty("java.awt.headless");
        try {
            // the JDK records its own font manager in a property on first use of a font: done here, before the snapshot
            java.awt.Graphics2D warm = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB)
                    .createGraphics();
            warm.drawString("x", 0, 0);
            warm.dispose();
            Map<Object, Object> before = new HashMap<>(System.getProperties());
            PngHeatmap.write(new Alignment(List.of("a", "b"), List.of("x", "</s>"),
                    new double[][] {{0.9, 0.1}, {0.2, 0.8}}), dir.resolve("heatmap.png"));
            TrainingChart.write(List.of(new LogRow(10, 1, 1, 3.0, 100, 5.0, 20, 0.001),
                    new LogRow(20, 1, 2, 2.0, 100, 9.0, 30, 0.001)), dir.resolve("training.png"));
            assertTrue(Files.size(dir.resolve("heatmap.png")) > 0);
            assertTrue(Files.size(dir.resolve("training.png")) > 0);
            Map<Object, Object> after = new HashMap<>(System.getProperties());
            after.entrySet().removeAll(before.entrySet());
            assertEquals(Map.of(), after, "system properties set or changed by drawing");
            assertEquals(before.keySet(), System.getProperties().keySet(), "system properties removed by drawing");
            assertEquals(null, System.getProperty("java.awt.headless"));
        } finally {
            if (headless != null) {
                System.setProperty("java.awt.headless", headless);
            }
        }
    }
}
