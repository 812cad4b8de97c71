package org.attentionzoo.io;

import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Models saved by earlier versions keep loading and translating as they did: every checked-in fixture
 * ({@link SavedModelFixtures}) loads, and gives the greedy and beam outputs recorded when it was saved, with the
 * beam's log-probability equal to 1e-4 (float arithmetic may differ in the last digits between CPUs).
 */
class SavedModelFixturesTest {

    @Test
    void everySavedFixtureLoadsAndTranslatesAsWhenSaved() throws Exception {
        List<String> lines = Files.readAllLines(SavedModelFixtures.FOLDER.resolve("expected.tsv"), StandardCharsets.UTF_8);
        List<String> expected = lines.stream().filter(l -> !l.startsWith("#")).toList();
        List<String> names = SavedModelFixtures.fixtures().stream().map(SavedModelFixtures.Fixture::name).toList();
        assertEquals(names.size() * SavedModelFixtures.SOURCES.size(), expected.size(), "one row per fixture and source");
        List<String> actual = new ArrayList<>();
        for (String name : names) {
            TranslationModel model = ModelArchive.load(SavedModelFixtures.FOLDER.resolve(name + ".zip"));
            actual.addAll(SavedModelFixtures.expectedRows(name, model));
        }
        for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i).split("\t", -1);
            String[] a = actual.get(i).split("\t", -1);
            String where = e[0] + " on '" + e[1] + "'";
            assertEquals(e[0] + "\t" + e[1] + "\t" + e[2] + "\t" + e[3], a[0] + "\t" + a[1] + "\t" + a[2] + "\t" + a[3], where);
            assertEquals(Double.parseDouble(e[4]), Double.parseDouble(a[4]), 1e-4, where + ": log-probability");
        }
    }
}
