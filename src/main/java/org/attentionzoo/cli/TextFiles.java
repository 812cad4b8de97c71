package org.attentionzoo.cli;

import org.attentionzoo.data.Utf8LineReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads plain-text line files (references, hypotheses) strictly as UTF-8, naming the file and line on error. */
final class TextFiles {

    private TextFiles() {
    }

    /** All lines of a file, or of standard input when {@code file} is null. */
    static List<String> lines(Path file) throws IOException {
        if (file != null && !Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": file not found");
        }
        try (InputStream in = file == null ? System.in : Files.newInputStream(file);
             Utf8LineReader reader = new Utf8LineReader(in, file == null ? "<stdin>" : file.toString())) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    /** Checks that hypotheses and references pair up line by line. */
    static void sameLength(List<String> hyps, String hypName, List<String> refs, String refName) {
        if (hyps.size() != refs.size()) {
            throw new IllegalArgumentException(hypName + " has " + hyps.size() + " lines but " + refName + " has "
                    + refs.size() + ": they must pair up line by line");
        }
        if (refs.isEmpty()) {
            throw new IllegalArgumentException(refName + " is empty");
        }
    }
}
