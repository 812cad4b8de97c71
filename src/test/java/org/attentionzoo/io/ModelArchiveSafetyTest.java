package org.attentionzoo.io;

import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.attentionzoo.io.HostileModelFiles.utf8;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Model files are untrusted input: a serialized Java object in graph.zip is never deserialized, a zip
 * that inflates without end is refused within its limit, and every refusal is one line naming the file
 * and its part.
 */
class ModelArchiveSafetyTest {

    @TempDir
    Path dir;

    /** Set by {@link Marker#readObject}: true once Java deserialization ran code from a model file. */
    static volatile boolean markerRan;

    /** A class whose deserialization has a visible effect, like a gadget would. */
    static final class Marker implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            markerRan = true;
        }
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    @Test
    void goodFixtureLoadsWithAndWithoutTheOptimiserState() throws IOException {
        TranslationModel with = ModelArchive.load(HostileModelFiles.GOOD);
        TranslationModel without = ModelArchive.load(HostileModelFiles.GOOD, false);
        assertEquals(with.graph().params(), without.graph().params());
        assertTrue(with.graph().getUpdater().getStateViewArray().sumNumber().doubleValue() != 0,
                "the saved Adam moments were read");
    }

    @Test
    void serializedObjectInGraphZipIsRefusedWithoutRunningIt() throws Exception {
        byte[] payload = serialized(new Marker());
        // The payload is live: Java deserialization does run it.
        new ObjectInputStream(new ByteArrayInputStream(payload)).readObject();
        assertTrue(markerRan);
        markerRan = false;
        for (boolean first : new boolean[] {true, false}) {
            Path bad = HostileModelFiles.withGraph(dir.resolve("marker-" + first + ".zip"), g -> {
                Map<String, byte[]> m = new LinkedHashMap<>();
                if (first) {
                    m.put("preprocessor.bin", payload);
                }
                m.putAll(g);
                if (!first) {
                    m.put("preprocessor.bin", payload);
                }
                return m;
            });
            IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
            assertFalse(markerRan, "loading ran the serialized object's readObject");
            assertTrue(e.getMessage().startsWith(bad + "!/graph.zip!/preprocessor.bin: unexpected entry"), e.getMessage());
            assertTrue(e.getMessage().contains("serialized Java object"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
        }
    }

    @Test
    void nestedHashSetPayloadDoesNotHangTheLoader() throws IOException {
        // The classic deserialization bomb: 2^100 set hash computations when read by ObjectInputStream.
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        byte[] payload = serialized(root);
        assertTrue(payload.length < 10_000);
        Path bad = HostileModelFiles.withGraph(dir.resolve("laughs.zip"), g -> {
            g.put("preprocessor.bin", payload);
            return g;
        });
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(IOException.class, () -> ModelArchive.load(bad)));
        assertTrue(e.getMessage().contains("preprocessor.bin"), e.getMessage());
    }

    @Test
    void configurationNamingAForeignClassIsRefusedBeforeJacksonLoadsIt() throws IOException {
        Path bad = HostileModelFiles.withGraph(dir.resolve("foreign.zip"), g -> {
            String json = new String(g.get("configuration.json"), StandardCharsets.UTF_8);
            String edited = json.replaceFirst("\"org\\.nd4j\\.linalg\\.activations\\.impl\\.Activation\\w+\"",
                    "\"com.example.Gadget\"");
            assertNotEquals(json, edited);
            g.put("configuration.json", utf8(edited));
            return g;
        });
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertEquals(bad + "!/graph.zip!/configuration.json: names the class \"com.example.Gadget\", outside DL4J,"
                + " ND4J and attention-zoo; refused", e.getMessage());
    }

    @Test
    void arrayDeclaringMoreValuesThanTheCardImpliesIsRefusedBeforeAllocating() throws IOException {
        Path bad = HostileModelFiles.withGraph(dir.resolve("huge-array.zip"), g -> {
            byte[] c = g.get("coefficients.bin").clone();
            // The data buffer's header (mode name, long length, type name) follows the shape buffer (of
            // LONGs): set the length before its "FLOAT" to 2^40.
            int at = indexOf(c, utf8("FLOAT"), 0);
            assertTrue(at > 10);
            int lengthAt = at - 2 - 8;
            long huge = 1L << 40;
            for (int i = 0; i < 8; i++) {
                c[lengthAt + i] = (byte) (huge >>> (56 - 8 * i));
            }
            g.put("coefficients.bin", c);
            return g;
        });
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().startsWith(bad + "!/graph.zip!/coefficients.bin: holds 1,099,511,627,776 parameters"
                + " where card.json and the vocabularies imply "), e.getMessage());
    }

    @Test
    void textPartThatDeclaresTooManyBytesIsRefusedUnread() throws IOException {
        Path bad = HostileModelFiles.withEntry(dir.resolve("big-card.zip"), "card.json",
                utf8(" ".repeat(2 << 20) + "{}"));
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertEquals(bad + "!/card.json: declares 2,097,154 bytes, more than the 1,048,576 a model part may have"
                + " here; refused", e.getMessage());
    }

    @Test
    void textPartThatLiesAboutItsSizeIsCutOffWhileInflating() throws IOException {
        Path bad = HostileModelFiles.withEntry(dir.resolve("lying-card.zip"), "card.json",
                utf8(" ".repeat(2 << 20) + "{}"));
        HostileModelFiles.lieAboutSize(bad, "card.json", 100);
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertEquals(bad + "!/card.json: larger than the 1,048,576 bytes a model part may have here; refused",
                e.getMessage());
    }

    @Test
    void graphEntryInflatingFarPastItsLimitIsRefusedWithoutGrowingMemory() throws IOException {
        long size = 256L << 20;
        Path bad = dir.resolve("bomb.zip");
        Map<String, byte[]> outer = HostileModelFiles.entries(HostileModelFiles.GOOD);
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(graph)) {
            z.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (long i = 0; i < size; i += spaces.length) {
                z.write(spaces);
            }
            z.closeEntry();
        }
        outer.put("graph.zip", graph.toByteArray());
        HostileModelFiles.write(outer, bad);
        assertTrue(Files.size(bad) < 2 << 20, "small on disk: " + Files.size(bad));
        long before = resetHeapPeak();
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        long grown = heapPeak() - before;
        assertEquals(bad + "!/graph.zip!/configuration.json: larger than the 16,777,216 bytes a model part may have"
                + " here; refused", e.getMessage());
        assertTrue(grown < 96L << 20, "heap grew by " + (grown >> 20) + " MiB reading a 256 MiB entry");
    }

    @Test
    void cardDescribingAHugeModelIsRefusedBeforeTheGraphIsRead() throws IOException {
        Map<String, byte[]> outer = HostileModelFiles.entries(HostileModelFiles.GOOD);
        String card = new String(outer.get("card.json"), StandardCharsets.UTF_8);
        outer.put("card.json", utf8(card.replace("\"hiddenSize\" : 12", "\"hiddenSize\" : 100000")));
        Path bad = dir.resolve("huge-card.zip");
        HostileModelFiles.write(outer, bad);
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().startsWith(bad + ": card.json and the vocabularies describe "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" parameters, more than the 1,000,000,000 accepted; refused"), e.getMessage());
        IOException small = assertThrows(IOException.class, () -> ModelArchive.load(HostileModelFiles.GOOD, false, 1000));
        assertTrue(small.getMessage().endsWith(" parameters, more than the 1,000 accepted; refused"), small.getMessage());
    }

    @Test
    void aFailedSaveNamesTheFile() throws IOException {
        TranslationModel model = ModelArchive.load(HostileModelFiles.GOOD, false);
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        Path file = blocker.resolve("model.zip");
        IOException e = assertThrows(IOException.class, () -> ModelArchive.save(model, file));
        assertTrue(e.getMessage().startsWith(file + ": cannot save the model ("), e.getMessage());
    }

    private static long resetHeapPeak() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
