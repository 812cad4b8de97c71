package org.attentionzoo.io;

import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.attentionzoo.io.HostileModelFiles.utf8;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A model read from a stream or a class-path resource is the model read from its file, and a bad one is
 * refused with the message its file gets, naming the stream where the file's path would be.
 */
class ModelArchiveStreamTest {

    private static final ClassLoader LOADER = ModelArchiveStreamTest.class.getClassLoader();

    @TempDir
    Path dir;

    @Test
    void everyFixtureTranslatesTheSameFromItsFileAStreamAndTheClassPath() throws IOException {
        List<String> names = SavedModelFixtures.fixtures().stream().map(SavedModelFixtures.Fixture::name).toList();
        assertEquals(13, names.size());
        for (String name : names) {
            Path file = SavedModelFixtures.FOLDER.resolve(name + ".zip");
            TranslationModel fromFile = ModelArchive.load(file);
            TranslationModel fromStream;
            try (InputStream in = Files.newInputStream(file)) {
                fromStream = ModelArchive.load(in, file.toString(), true);
            }
            TranslationModel fromResource = ModelArchive.loadResource("saved-models/v1/" + name + ".zip", LOADER, true);
            List<String> expected = SavedModelFixtures.expectedRows(name, fromFile);
            assertEquals(expected, SavedModelFixtures.expectedRows(name, fromStream), name + " from a stream");
            assertEquals(expected, SavedModelFixtures.expectedRows(name, fromResource), name + " from the class path");
            for (TranslationModel m : List.of(fromStream, fromResource)) {
                assertEquals(fromFile.graph().params(), m.graph().params(), name);
                assertEquals(fromFile.graph().getUpdater().getStateViewArray(), m.graph().getUpdater().getStateViewArray(),
                        name + ": optimiser state");
                assertEquals(fromFile.card(), m.card(), name);
                assertEquals(fromFile.provenance(), m.provenance(), name);
                assertEquals(fromFile.sourceTokenizer().name(), m.sourceTokenizer().name(), name);
            }
        }
        // The convenience overload finds it through the context class loader; a leading '/' is ignored.
        TranslationModel m = ModelArchive.loadResource("/saved-models/v1/seq2seq-lstm.zip", false);
        assertEquals(ModelArchive.load(HostileModelFiles.GOOD).graph().params(), m.graph().params());
    }

    @Test
    void aModelInsideAnApplicationJarLoads() throws IOException {
        Path jar = dir.resolve("app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("models/reverse.zip"));
            out.write(Files.readAllBytes(HostileModelFiles.GOOD));
            out.closeEntry();
        }
        try (var app = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            TranslationModel m = ModelArchive.loadResource("models/reverse.zip", app, false);
            TranslationModel expected = ModelArchive.load(HostileModelFiles.GOOD, false);
            assertEquals(expected.graph().params(), m.graph().params());
            assertEquals(SavedModelFixtures.expectedRows("seq2seq-lstm", expected),
                    SavedModelFixtures.expectedRows("seq2seq-lstm", m));
            IOException e = assertThrows(IOException.class, () -> ModelArchive.loadResource("models/other.zip", app, false));
            assertEquals("classpath:models/other.zip: model resource not found", e.getMessage());
        }
    }

    @Test
    void aMissingResourceIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> ModelArchive.loadResource("saved-models/v1/nope.zip", LOADER, false));
        assertEquals("classpath:saved-models/v1/nope.zip: model resource not found", e.getMessage());
    }

    @Test
    void aStreamThatIsNotAZipIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(
                new ByteArrayInputStream(utf8("not a model at all")), "upload-7", false));
        assertEquals("upload-7: not a model file, or a corrupted one (not a readable zip: it does not start with a zip"
                + " header)", e.getMessage());
        IOException empty = assertThrows(IOException.class, () -> ModelArchive.load(
                new ByteArrayInputStream(new byte[0]), "upload-8", false));
        assertEquals("upload-8: not a model file, or a corrupted one (not a readable zip: it does not start with a zip"
                + " header)", empty.getMessage());
    }

    @Test
    void aTruncatedOrDamagedStreamIsNamed() throws IOException {
        byte[] good = Files.readAllBytes(HostileModelFiles.GOOD);
        for (int cut : new int[] {10, good.length / 2, good.length * 9 / 10}) {
            IOException e = assertThrows(IOException.class, () -> ModelArchive.load(
                    new ByteArrayInputStream(Arrays.copyOf(good, cut)), "cut-" + cut, false));
            assertTrue(e.getMessage().startsWith("cut-" + cut + ": ") || e.getMessage().startsWith("cut-" + cut + "!/"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        // Without the end of its central directory the stream still holds every entry, each checked against
        // its CRC: it loads (the file does not, being no readable zip).
        assertNotNull(ModelArchive.load(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 10)), "end", false));
        byte[] damaged = good.clone();
        for (int i = good.length / 3; i < good.length / 3 + 64; i++) {
            damaged[i] ^= 0x5a;
        }
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(
                new ByteArrayInputStream(damaged), "damaged", false));
        assertTrue(e.getMessage().startsWith("damaged!/"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anEntryNameThatAppearsTwiceIsRefusedFromAFileAndAStream() throws IOException {
        // One in the parts read first, one after graph.zip, which only the stream's last pass sees.
        for (String name : List.of("card.json", "notes.txt")) {
            Map<String, byte[]> entries = HostileModelFiles.entries(HostileModelFiles.GOOD);
            // ZipOutputStream refuses a second entry of the same name: write another of the same length, then
            // rename it in the local and central headers.
            String stand = name.substring(0, name.length() - 1) + "#";
            entries.putIfAbsent(name, utf8("a note"));
            entries.put(stand, entries.get(name));
            byte[] zip = HostileModelFiles.zip(entries);
            byte[] from = utf8(stand);
            byte[] to = utf8(name);
            int renamed = 0;
            for (int i = 0; i + from.length <= zip.length; i++) {
                if (Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
                    System.arraycopy(to, 0, zip, i, to.length);
                    renamed++;
                }
            }
            assertEquals(2, renamed, "local and central header");
            Path file = Files.write(dir.resolve("twice-" + name + ".zip"), zip);
            IOException fromFile = assertThrows(IOException.class, () -> ModelArchive.load(file, false));
            assertEquals(file + "!/" + name + ": appears twice; refused", fromFile.getMessage());
            IOException fromStream = assertThrows(IOException.class, () -> ModelArchive.load(
                    new ByteArrayInputStream(zip), "twice", false));
            assertEquals("twice!/" + name + ": appears twice; refused", fromStream.getMessage());
        }
    }

    @Test
    void aStreamGivingGraphZipBeforeThePartsThatBoundItIsRefused() throws IOException {
        // As zip -r would repack an unpacked model: entries in name order, graph.zip before preprocessing.json.
        Map<String, byte[]> sorted = new TreeMap<>(HostileModelFiles.entries(HostileModelFiles.GOOD));
        Path file = dir.resolve("sorted.zip");
        HostileModelFiles.write(new LinkedHashMap<>(sorted), file);
        assertNotNull(ModelArchive.load(file, false), "a file's entries are read in any order");
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(Files.newInputStream(file), "sorted", false));
        assertEquals("sorted!/graph.zip: comes before preprocessing.json, which a model read from a stream must give"
                + " first (as ModelArchive.save writes them); refused", e.getMessage());
        // A large graph.zip out of order is refused as soon as it is found large, not inflated to its end.
        sorted.put("graph.zip", new byte[65 << 20]);
        byte[] large = HostileModelFiles.zip(new LinkedHashMap<>(sorted));
        IOException big = assertThrows(IOException.class, () -> ModelArchive.load(new ByteArrayInputStream(large), "large", false));
        assertEquals("large!/graph.zip: comes before preprocessing.json, which a model read from a stream must give"
                + " first (as ModelArchive.save writes them); refused", big.getMessage());
    }

    /** Each hostile file of {@link ModelArchiveSafetyTest} is refused from a stream as from its file. */
    @Test
    void hostileFilesAreRefusedFromAStreamAsFromTheirFile() throws IOException {
        byte[] marker = serialized(new ModelArchiveSafetyTest.Marker());
        List<Path> files = new ArrayList<>();
        files.add(HostileModelFiles.withGraph(dir.resolve("marker.zip"), g -> {
            Map<String, byte[]> m = new LinkedHashMap<>();
            m.put("preprocessor.bin", marker);
            m.putAll(g);
            return m;
        }));
        files.add(HostileModelFiles.withGraph(dir.resolve("marker-last.zip"), g -> {
            g.put("preprocessor.bin", marker);
            return g;
        }));
        files.add(HostileModelFiles.withGraph(dir.resolve("foreign.zip"), g -> {
            String json = new String(g.get("configuration.json"), StandardCharsets.UTF_8);
            g.put("configuration.json", utf8(json.replaceFirst(
                    "\"org\\.nd4j\\.linalg\\.activations\\.impl\\.Activation\\w+\"", "\"com.example.Gadget\"")));
            return g;
        }));
        files.add(HostileModelFiles.withGraph(dir.resolve("no-coefficients.zip"), g -> {
            g.remove("coefficients.bin");
            return g;
        }));
        files.add(HostileModelFiles.withEntry(dir.resolve("lying-card.zip"), "card.json", utf8(" ".repeat(2 << 20) + "{}")));
        HostileModelFiles.lieAboutSize(files.get(files.size() - 1), "card.json", 100);
        files.add(HostileModelFiles.withEntry(dir.resolve("big-vocab.zip"), "source.vocab",
                utf8("a\n".repeat(33 << 20))));
        files.add(HostileModelFiles.withEntry(dir.resolve("version.zip"), "format.json",
                utf8("{\"format\": \"attention-zoo-model\", \"formatVersion\": 2}")));
        files.add(HostileModelFiles.withEntry(dir.resolve("bad-json.zip"), "provenance.json", utf8("{")));
        Map<String, byte[]> outer = HostileModelFiles.entries(HostileModelFiles.GOOD);
        String card = new String(outer.get("card.json"), StandardCharsets.UTF_8);
        files.add(HostileModelFiles.withEntry(dir.resolve("huge-card.zip"), "card.json",
                utf8(card.replace("\"hiddenSize\" : 12", "\"hiddenSize\" : 100000"))));
        files.add(HostileModelFiles.withEntry(dir.resolve("lying-card-layers.zip"), "card.json",
                utf8(card.replace("\"encoderLayers\" : 1", "\"encoderLayers\" : 2"))));
        Map<String, byte[]> noVocab = new LinkedHashMap<>(outer);
        noVocab.remove("target.vocab");
        Path missing = dir.resolve("missing.zip");
        HostileModelFiles.write(noVocab, missing);
        files.add(missing);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(bomb)) {
            z.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                z.write(spaces);
            }
            z.closeEntry();
        }
        Map<String, byte[]> bombed = new LinkedHashMap<>(outer);
        bombed.put("graph.zip", bomb.toByteArray());
        Path bombFile = dir.resolve("bomb.zip");
        HostileModelFiles.write(bombed, bombFile);
        files.add(bombFile);

        for (Path file : files) {
            IOException fromFile = assertThrows(IOException.class, () -> ModelArchive.load(file, false), file.toString());
            IOException fromStream;
            try (InputStream in = Files.newInputStream(file)) {
                fromStream = assertThrows(IOException.class, () -> ModelArchive.load(in, file.toString(), false),
                        file.toString());
            }
            String expected = fromFile.getMessage();
            if (file.endsWith("big-vocab.zip")) {
                // ZipOutputStream's local headers declare no size (it follows the data), so the stream's count
                // refuses what the file's central directory declared.
                assertEquals(file + "!/source.vocab: declares 69,206,016 bytes, more than the 67,108,864 a model"
                        + " part may have here; refused", expected);
                expected = file + "!/source.vocab: larger than the 67,108,864 bytes a model part may have here; refused";
            }
            assertEquals(expected, fromStream.getMessage(), file.getFileName().toString());
            assertFalse(fromStream.getMessage().contains("\n"), fromStream.getMessage());
        }
        assertFalse(ModelArchiveSafetyTest.markerRan, "loading ran the serialized object's readObject");
    }

    /** A part whose size the stream's local header declares is refused unread, as from the central directory. */
    @Test
    void aStoredPartDeclaringTooManyBytesIsRefusedUnreadFromAStream() throws IOException {
        Map<String, byte[]> entries = HostileModelFiles.entries(HostileModelFiles.GOOD);
        byte[] big = utf8(" ".repeat(2 << 20) + "{}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                var entry = new java.util.zip.ZipEntry(e.getKey());
                byte[] content = e.getKey().equals("card.json") ? big : e.getValue();
                if (e.getKey().equals("card.json")) {
                    entry.setMethod(java.util.zip.ZipEntry.STORED);
                    entry.setSize(content.length);
                    var crc = new java.util.zip.CRC32();
                    crc.update(content);
                    entry.setCrc(crc.getValue());
                }
                z.putNextEntry(entry);
                z.write(content);
                z.closeEntry();
            }
        }
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(
                new ByteArrayInputStream(out.toByteArray()), "stored", false));
        assertEquals("stored!/card.json: declares 2,097,154 bytes, more than the 1,048,576 a model part may have"
                + " here; refused", e.getMessage());
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }
}
