package org.attentionzoo.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a file atomically: to a temporary file in the same folder, then renamed over the target,
 * so a reader never sees a half-written file and a failed write leaves no temporary file behind.
 * Used for pictures, pages, training logs and models alike.
 *
 * <p>The temporary file of {@code name} is {@code .name.<random digits>.azoo-tmp}
 * ({@link #temporaryFile}): a name no other program writes, so one that a killed writer left behind can
 * be found ({@link #leftovers}) and removed without touching anybody else's files.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code out}; the caller closes it. */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Ending of every temporary file written here. */
    public static final String TEMPORARY_SUFFIX = ".azoo-tmp";

    /**
     * Creates a new, empty temporary file for {@code target} in its folder (which must exist):
     * {@code .<target name>.<random digits>.azoo-tmp}.
     */
    public static Path temporaryFile(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        return Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", TEMPORARY_SUFFIX);
    }

    /**
     * The temporary files of {@code target} in its folder ({@link #temporaryFile}'s names exactly), such
     * as a process killed while writing it leaves behind.
     */
    public static List<Path> leftovers(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        String prefix = "." + abs.getFileName() + ".";
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(abs.getParent())) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(abs.getParent())) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(TEMPORARY_SUFFIX)
                        && n.length() > prefix.length() + TEMPORARY_SUFFIX.length()
                        && n.substring(prefix.length(), n.length() - TEMPORARY_SUFFIX.length()).chars()
                        .allMatch(Character::isDigit)
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    /**
     * Writes {@code content} to {@code file}, creating missing parent folders.
     *
     * @throws IOException naming {@code file} when it cannot be written; the file is then as it was
     */
    public static void write(Path file, Content content) throws IOException {
        try {
            replace(file, content);
        } catch (IOException e) {
            // Such as a full disk, whose message names no file.
            String m = String.valueOf(e.getMessage());
            throw m.contains(file.toString()) ? e : new IOException(file + ": cannot write (" + m + ")", e);
        }
    }

    private static void replace(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = temporaryFile(target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
