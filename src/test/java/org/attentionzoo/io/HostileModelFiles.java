package org.attentionzoo.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds damaged and hostile model files from a good one, for the loader's tests. */
final class HostileModelFiles {

    /** A small good model: the seq2seq-lstm fixture. */
    static final Path GOOD = SavedModelFixtures.FOLDER.resolve("seq2seq-lstm.zip");

    private HostileModelFiles() {
    }

    /** The entries of a zip, in order. */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return m;
    }

    /** The entries of an in-memory zip, in order. */
    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                m.put(e.getName(), z.readAllBytes());
            }
        }
        return m;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(entries, out);
        return out.toByteArray();
    }

    static void write(Map<String, byte[]> entries, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(entries, out);
        }
    }

    private static void write(Map<String, byte[]> entries, OutputStream raw) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(raw)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /** The good model with its graph.zip's entries changed by {@code edit}, written to {@code to}. */
    static Path withGraph(Path to, UnaryOperator<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> outer = entries(GOOD);
        Map<String, byte[]> graph = edit.apply(entries(outer.get("graph.zip")));
        outer.put("graph.zip", zip(graph));
        write(outer, to);
        return to;
    }

    /** The good model with entry {@code name} replaced by {@code content}. */
    static Path withEntry(Path to, String name, byte[] content) throws IOException {
        Map<String, byte[]> outer = entries(GOOD);
        outer.put(name, content);
        write(outer, to);
        return to;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Rewrites, in a zip file's central directory, the uncompressed size recorded for {@code name} to
     * {@code size}: a zip that lies about how large an entry inflates.
     */
    static void lieAboutSize(Path zip, String name, int size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (int i = 0; i + 46 < b.length; i++) {
            if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 0x01 && b[i + 3] == 0x02) {
                int nameLength = (b[i + 28] & 0xff) | (b[i + 29] & 0xff) << 8;
                if (nameLength == n.length && java.util.Arrays.equals(b, i + 46, i + 46 + nameLength, n, 0, n.length)) {
                    b[i + 24] = (byte) size;
                    b[i + 25] = (byte) (size >>> 8);
                    b[i + 26] = (byte) (size >>> 16);
                    b[i + 27] = (byte) (size >>> 24);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalStateException(name + " not in " + zip);
        }
        Files.write(zip, b);
    }
}
