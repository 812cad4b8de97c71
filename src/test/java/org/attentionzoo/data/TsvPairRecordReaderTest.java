package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsvPairRecordReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static TsvPairRecordReader open(Path file, boolean skip) throws Exception {
        TsvPairRecordReader reader = new TsvPairRecordReader(skip);
        reader.initialize(new FileSplit(file.toFile()));
        return reader;
    }

    @Test
    void recordsAreTwoTextsWithFileAndLineMetadata() throws Exception {
        Path file = write("en-fr.tsv", "hello\tbonjour\n\nbye\tau revoir\n");
        TsvPairRecordReader reader = open(file, false);
        Record first = reader.nextRecord();
        assertEquals(List.of(new Text("hello"), new Text("bonjour")), first.getRecord());
        RecordMetaDataLine meta = assertInstanceOf(RecordMetaDataLine.class, first.getMetaData());
        assertEquals(0, meta.getLineNumber());
        assertEquals(file.toUri().getPath(), meta.getURI().getPath());
        Record second = reader.nextRecord();
        assertEquals(List.of(new Text("bye"), new Text("au revoir")), second.getRecord());
        assertEquals(2, ((RecordMetaDataLine) second.getMetaData()).getLineNumber());
        assertFalse(reader.hasNext());
        assertEquals(List.of(new Text("bye"), new Text("au revoir")),
                reader.loadFromMetaData(second.getMetaData()).getRecord());
        reader.close();
    }

    @Test
    void resetReadsAgain() throws Exception {
        TsvPairRecordReader reader = open(write("r.tsv", "a\tb\nc\td\n"), false);
        List<String> seen = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            while (reader.hasNext()) {
                List<Writable> r = reader.next();
                seen.add(r.get(0) + "|" + r.get(1));
            }
            reader.reset();
        }
        assertEquals(List.of("a|b", "c|d", "a|b", "c|d"), seen);
        assertTrue(reader.resetSupported());
        reader.close();
    }

    @Test
    void noTabLineIsAnErrorNamingFileAndLine() throws Exception {
        Path file = write("notab.tsv", "a\tb\nc\td\njust one field\ne\tf\n");
        TsvPairRecordReader reader = open(file, false);
        reader.next();
        reader.next();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::hasNext);
        assertInstanceOf(CorpusFormatException.class, e.getCause());
        assertTrue(e.getMessage().startsWith(file + ":3: no tab"), e.getMessage());
        assertEquals(e.getMessage(), e.getCause().getMessage());
        reader.close();
    }

    @Test
    void skipBadLinesCountsAndReports() throws Exception {
        Path file = write("skip.tsv", "a\tb\nbroken\nc\t \n\td\ne\tf\n");
        TsvPairRecordReader reader = open(file, true);
        List<String> sources = new ArrayList<>();
        while (reader.hasNext()) {
            sources.add(reader.next().get(0).toString());
        }
        assertEquals(List.of("a", "e"), sources);
        assertEquals(3, reader.skippedLines());
        assertEquals(3, reader.skippedLineMessages().size());
        assertTrue(reader.skippedLineMessages().get(0).startsWith(file + ":2: no tab"));
        assertTrue(reader.skippedLineMessages().get(1).startsWith(file + ":3: empty target"));
        assertTrue(reader.skippedLineMessages().get(2).startsWith(file + ":4: empty source"));
        reader.close();
    }
}
