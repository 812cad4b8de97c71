package org.attentionzoo.io;

import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.Hypothesis;
import org.attentionzoo.decode.LengthLimit;
import org.attentionzoo.decode.StepModels;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The saved models checked in under {@code src/test/resources/saved-models/v1}: one tiny model per family and
 * layer kind whose class names a saved model records, written once by the code of format version 1 and never
 * regenerated unless the format itself is meant to change. {@link SavedModelFixturesTest} loads them and
 * checks their translations and log-probabilities against {@code expected.tsv}, written at the same time.
 *
 * <p>Regenerate (only for a deliberate format change):
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.attentionzoo.io.SavedModelFixtures}
 */
public final class SavedModelFixtures {

    /** Where the fixtures live, relative to the repository root. */
    static final Path FOLDER = Path.of("src/test/resources/saved-models/v1");
    /** Sources every fixture translates. */
    static final List<String> SOURCES = List.of("1 2 3", "4 5 6 1 2", "3", "2 2 5 4");
    static final ReverseTask TASK = new ReverseTask(6, 2, 5);
    static final int BEAM = 3;
    /** The length-normalisation exponent the expected beams were searched with (the default when they were saved). */
    static final double ALPHA = 0.6;

    /** Fixture name and the card it was built from (shrunk). */
    record Fixture(String name, ModelCard card, boolean bpe) {
    }

    /** The shipped cards when the fixtures were saved (cards added later have no fixture of their own). */
    static final List<String> SAVED_CARDS = List.of("seq2seq-lstm", "seq2seq-gru", "luong-dot", "luong-general",
            "luong-concat", "luong-general-feed", "bahdanau", "transformer-tiny", "transformer-small", "transformer-base");

    /** The fixtures as built when saved; the test uses only their names (each archive holds its own card). */
    static List<Fixture> fixtures() throws IOException {
        List<Fixture> out = new ArrayList<>();
        for (String name : SAVED_CARDS) {
            out.add(new Fixture(name, tiny(Zoo.card(name)), false));
        }
        // The SameDiff BiLSTM encoder and plain LSTM encoder, which no shipped card uses today.
        out.add(new Fixture("luong-general-bilstm", tiny(Zoo.card("luong-general").toBuilder()
                .encoder(ModelCard.Encoder.BILSTM).name("luong-general-bilstm").build()), false));
        out.add(new Fixture("luong-general-lstm", tiny(Zoo.card("luong-general").toBuilder()
                .encoder(ModelCard.Encoder.LSTM).name("luong-general-lstm").build()), false));
        // BPE on both sides: the merge files inside the archive.
        out.add(new Fixture("luong-general-bpe", tiny(Zoo.card("luong-general").toBuilder()
                .name("luong-general-bpe").build()), true));
        return out;
    }

    static ModelCard tiny(ModelCard shipped) {
        ModelCard.Builder tiny = shipped.toBuilder().embeddingSize(8).hiddenSize(12).dropout(0.1);
        switch (shipped.family()) {
            case ATTENTION -> tiny.attentionSize(6);
            case TRANSFORMER -> tiny.embeddingSize(12).heads(2).ffSize(16).encoderLayers(2).decoderLayers(2);
            default -> { }
        }
        return tiny.build();
    }

    /** The greedy translation's tokens, and the beam's best hypothesis with its log-probability, of each source. */
    static List<String> expectedRows(String name, TranslationModel model) {
        List<String> rows = new ArrayList<>();
        var greedy = new Translator(model).translateAll(SOURCES);
        int[][] ids = SOURCES.stream().map(s -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(s)))
                .toArray(int[][]::new);
        var beams = new BeamSearch(StepModels.of(model.card(), model.graph(), false), BEAM, 1,
                ALPHA, LengthLimit.DEFAULT).search(ids);
        for (int i = 0; i < SOURCES.size(); i++) {
            Hypothesis best = beams.get(i).get(0);
            rows.add(String.join("\t", name, SOURCES.get(i), String.join(" ", greedy.get(i).tokens()),
                    String.join(" ", model.targetVocab().decode(best.tokens())),
                    String.format(Locale.ROOT, "%.6f", best.logProb())));
        }
        return rows;
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(FOLDER);
        List<String> expected = new ArrayList<>();
        for (Fixture f : fixtures()) {
            List<SentencePair> pairs = TASK.generate(96, 5);
            Tokenizer src = f.bpe() ? Tokenizers.learn("bpe:4", pairs.stream().map(SentencePair::source).toList())
                    : TASK.sourceTokenizer();
            Tokenizer tgt = f.bpe() ? Tokenizers.learn("bpe:4", pairs.stream().map(SentencePair::target).toList())
                    : TASK.targetTokenizer();
            TranslationModel model = TranslationModel.create(f.card(),
                    TrainingData.sourceVocabulary(pairs, src, 1, 1000),
                    TrainingData.targetVocabulary(pairs, tgt, 1, 1000), src, tgt);
            Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(200).build().train();
            ModelArchive.save(model, FOLDER.resolve(f.name() + ".zip"));
            expected.addAll(expectedRows(f.name(), ModelArchive.load(FOLDER.resolve(f.name() + ".zip"))));
        }
        try (Writer w = Files.newBufferedWriter(FOLDER.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            w.write("# fixture\tsource\tgreedy tokens\tbeam-" + BEAM + " best tokens\tits log-probability\n");
            for (String row : expected) {
                w.write(row + "\n");
            }
        }
    }
}
