package org.attentionzoo.io;

import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.util.AtomicFiles;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A saved model: one zip holding
 * <pre>
 * format.json         {"format": "attention-zoo-model", "formatVersion": 1}
 * card.json           the model card that built the graph
 * preprocessing.json  source and target tokenizer names; for a "bpe" side also the entry holding its merges;
 *                     {@code "placeholders": "masked"} for a model trained with {@link org.attentionzoo.data.Placeholders}
 * source.bpe          only if the source tokenizer is BPE: its merge file ({@link BpeTokenizer#write})
 * target.bpe          only if the target tokenizer is BPE
 * source.vocab        source vocabulary, one token per line (UTF-8)
 * target.vocab        target vocabulary
 * provenance.json     corpus hash, training steps, date, library versions
 * graph.zip           the DL4J ComputationGraph (ModelSerializer's layout, with updater state; read by
 *                     {@link GraphReader}, never by Java deserialization)
 * training-state.json (checkpoints only) where training stood: step, data position, best dev score...
 * </pre>
 * For example {@code {"sourceTokenizer": "bpe", "sourceBpeMerges": "source.bpe", "targetTokenizer": "chars"}}.
 * The BPE entries were added without changing the format version: a model without them (every model saved
 * before BPE existed) reads as before. A model with BPE fails to load in older versions of attention-zoo,
 * which report the unknown tokenizer 'bpe'.
 * Files are written atomically (a temporary file in the same folder, named as {@link AtomicFiles#temporaryFile}
 * names it, then a rename), so a crash
 * while saving never leaves a half-written model where a good one was.
 */
public final class ModelArchive {

    /** Bumped whenever the layout above changes incompatibly. */
    public static final int FORMAT_VERSION = 1;
    static final String FORMAT_NAME = "attention-zoo-model";

    private static final String FORMAT = "format.json";
    private static final String CARD = "card.json";
    private static final String PREPROCESSING = "preprocessing.json";
    private static final String SOURCE_BPE = "source.bpe";
    private static final String TARGET_BPE = "target.bpe";
    private static final String SOURCE_VOCAB = "source.vocab";
    private static final String TARGET_VOCAB = "target.vocab";
    private static final String PROVENANCE = "provenance.json";
    private static final String GRAPH = "graph.zip";
    private static final String TRAINING_STATE = "training-state.json";

    /**
     * Largest model {@link #load(Path)} accepts, in parameters (4 GB of floats); the zoo's largest card
     * with 32,000-token vocabularies has well under a tenth of that.
     */
    public static final long DEFAULT_MAX_PARAMETERS = 1_000_000_000L;
    /** Largest vocabulary or BPE merge list accepted, in bytes after inflating. */
    public static final long MAX_LIST_BYTES = 64L << 20;
    /** Largest small part (format, card, preprocessing, provenance, training state) accepted, in bytes. */
    public static final long MAX_SMALL_BYTES = 1L << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelArchive() {
    }

    /** Saves a model (with optimiser state, so training can resume) atomically to {@code file}. */
    public static void save(TranslationModel model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Saves a training checkpoint: the model as {@link #save(TranslationModel, Path)} does, plus the
     * trainer's own state (an optional part that {@link #load} ignores), in one atomic write so the
     * weights and the state never disagree.
     *
     * @param trainingState written as {@code training-state.json} unless empty
     * @throws IOException naming {@code file} when it cannot be written (a full disk, a folder in its place);
     *                     the file is then as it was
     */
    public static void save(TranslationModel model, Path file, Map<String, String> trainingState) throws IOException {
        save(model, file, trainingState, true);
    }

    /**
     * As {@link #save(TranslationModel, Path, Map)}; without the optimiser state when {@code withUpdater} is false
     * (a model for deployment: translates the same, about a third of the size with Adam; fine-tuning it starts
     * a fresh optimiser state).
     */
    public static void save(TranslationModel model, Path file, Map<String, String> trainingState, boolean withUpdater)
            throws IOException {
        try {
            write(model, file, trainingState, withUpdater);
        } catch (IOException e) {
            // Such as a full disk, whose message names no file.
            String m = String.valueOf(e.getMessage());
            throw m.contains(file.toString()) ? e : new IOException(file + ": cannot save the model (" + m + ")", e);
        }
    }

    private static void write(TranslationModel model, Path file, Map<String, String> trainingState,
                              boolean withUpdater) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = AtomicFiles.temporaryFile(file);
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 ZipOutputStream zip = new ZipOutputStream(raw)) {
                put(zip, FORMAT, JSON.writeValueAsString(Map.of("format", FORMAT_NAME, "formatVersion", FORMAT_VERSION)));
                put(zip, CARD, model.card().toJson());
                Map<String, String> prep = new LinkedHashMap<>();
                prep.put("sourceTokenizer", model.sourceTokenizer().name());
                if (model.sourceTokenizer() instanceof BpeTokenizer) {
                    prep.put("sourceBpeMerges", SOURCE_BPE);
                }
                prep.put("targetTokenizer", model.targetTokenizer().name());
                if (model.targetTokenizer() instanceof BpeTokenizer) {
                    prep.put("targetBpeMerges", TARGET_BPE);
                }
                if (model.masksPlaceholders()) {
                    prep.put("placeholders", "masked");
                }
                put(zip, PREPROCESSING, JSON.writeValueAsString(prep));
                if (model.sourceTokenizer() instanceof BpeTokenizer bpe) {
                    put(zip, SOURCE_BPE, bpeText(bpe));
                }
                if (model.targetTokenizer() instanceof BpeTokenizer bpe) {
                    put(zip, TARGET_BPE, bpeText(bpe));
                }
                put(zip, SOURCE_VOCAB, vocabText(model.sourceVocab()));
                put(zip, TARGET_VOCAB, vocabText(model.targetVocab()));
                put(zip, PROVENANCE, JSON.writeValueAsString(model.provenance()));
                ByteArrayOutputStream graph = new ByteArrayOutputStream();
                ModelSerializer.writeModel(model.graph(), graph, withUpdater);
                zip.putNextEntry(new ZipEntry(GRAPH));
                zip.write(graph.toByteArray());
                zip.closeEntry();
                if (!trainingState.isEmpty()) {
                    put(zip, TRAINING_STATE, JSON.writeValueAsString(new LinkedHashMap<>(trainingState)));
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Loads a model saved by {@link #save}, with its optimiser state (for resuming training), at most
     * {@link #DEFAULT_MAX_PARAMETERS} parameters.
     *
     * @throws IOException naming the file and what is wrong: not found, not a zip, a missing part, another
     *                     format version, a part larger than allowed, or a card, vocabularies and graph
     *                     that do not agree
     */
    public static TranslationModel load(Path file) throws IOException {
        return load(file, true, DEFAULT_MAX_PARAMETERS);
    }

    /**
     * Loads a model saved by {@link #save}; without the optimiser state ({@code withUpdater} false) when it
     * is only to translate, which skips reading it.
     */
    public static TranslationModel load(Path file, boolean withUpdater) throws IOException {
        return load(file, withUpdater, DEFAULT_MAX_PARAMETERS);
    }

    /**
     * Loads a model saved by {@link #save}, treating the file as untrusted: nothing in it is handed to Java
     * deserialization, every part is read through a byte count capped by what it may hold (text parts at
     * most {@link #MAX_LIST_BYTES}, graph.zip at most what the card and vocabularies imply, see
     * {@link GraphReader}), nothing is copied to a temporary file, and the card, vocabularies and graph
     * must describe the same network (vertex names, inputs, kinds and parameter counts).
     *
     * @param maxParameters the largest model accepted: card.json and the vocabularies imply a parameter
     *                      count before graph.zip is read, and a larger one is refused
     * @throws IOException one line naming the file (and its part) and what is wrong
     */
    public static TranslationModel load(Path file, boolean withUpdater, long maxParameters) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": model file not found");
        }
        try (ZipFile zip = open(file)) {
            Map<String, Object> format = json(text(zip, file, FORMAT), file, FORMAT, new TypeReference<Map<String, Object>>() { });
            if (!FORMAT_NAME.equals(format.get("format"))) {
                throw new IOException(file + ": not an attention-zoo model (format.json says " + format.get("format") + ")");
            }
            Object version = format.get("formatVersion");
            if (!(version instanceof Number) || ((Number) version).intValue() != FORMAT_VERSION) {
                throw new IOException(file + ": model format version " + version + " cannot be read by this version"
                        + " of attention-zoo, which reads version " + FORMAT_VERSION);
            }
            ModelCard card = ModelCard.fromJson(text(zip, file, CARD), file + "!/" + CARD);
            Map<String, String> prep = json(text(zip, file, PREPROCESSING), file, PREPROCESSING, new TypeReference<Map<String, String>>() { });
            Tokenizer sourceTokenizer = tokenizer(zip, file, prep, "source", SOURCE_BPE);
            Tokenizer targetTokenizer = tokenizer(zip, file, prep, "target", TARGET_BPE);
            Vocabulary sourceVocab = Vocabulary.read(new java.io.StringReader(text(zip, file, SOURCE_VOCAB)),
                    file + "!/" + SOURCE_VOCAB);
            Vocabulary targetVocab = Vocabulary.read(new java.io.StringReader(text(zip, file, TARGET_VOCAB)),
                    file + "!/" + TARGET_VOCAB);
            Map<String, String> provenance = json(text(zip, file, PROVENANCE), file, PROVENANCE, new TypeReference<Map<String, String>>() { });
            ComputationGraph graph = graph(zip, file, card, sourceVocab, targetVocab, withUpdater, maxParameters);
            try {
                return new TranslationModel(card, graph, sourceVocab, targetVocab,
                        sourceTokenizer, targetTokenizer, provenance, "masked".equals(prep.get("placeholders")));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Reads graph.zip once card.json and the vocabularies have said what it must hold: the vocabulary
     * sizes must match its embeddings and output, its structure the card's, its arrays the parameter count.
     */
    private static ComputationGraph graph(ZipFile zip, Path file, ModelCard card, Vocabulary sourceVocab,
                                          Vocabulary targetVocab, boolean withUpdater, long maxParameters)
            throws IOException {
        String where = file + "!/" + GRAPH;
        ComputationGraphConfiguration expected;
        try {
            expected = Zoo.configuration(card, sourceVocab.size(), targetVocab.size());
        } catch (RuntimeException e) {
            throw new IOException(file + "!/" + CARD + ": cannot build its network (" + e.getMessage() + ")", e);
        }
        long parameters = GraphReader.parameterCount(expected);
        if (parameters < 0 || parameters > maxParameters) {   // negative: the count overflowed
            throw new IOException(String.format(Locale.ROOT, "%s: card.json and the vocabularies describe %s"
                    + " parameters, more than the %,d accepted; refused", file,
                    parameters < 0 ? "over 2^63" : String.format(Locale.ROOT, "%,d", parameters), maxParameters));
        }
        ZipEntry entry = entry(zip, file, GRAPH, GraphReader.maxBytes(parameters));
        try (InputStream in = new LimitedInput(zip.getInputStream(entry), GraphReader.maxBytes(parameters), where)) {
            return GraphReader.read(in, where, expected, withUpdater);
        } catch (ZipException e) {
            throw new IOException(where + ": corrupted (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(where + ": cannot read the network: " + e.getMessage(), e);
        }
    }

    private static <T> T json(String text, Path file, String name, TypeReference<T> type) throws IOException {
        try {
            return JSON.readValue(text, type);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IOException(file + "!/" + name + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * The tokenizer of one side: by name, or for {@code bpe} read from the entry that preprocessing.json names
     * ({@code <side>BpeMerges}, by default {@code <side>.bpe}).
     */
    private static Tokenizer tokenizer(ZipFile zip, Path file, Map<String, String> prep, String side,
                                       String defaultEntry) throws IOException {
        String name = prep.get(side + "Tokenizer");
        if (!BpeTokenizer.NAME.equals(name)) {
            try {
                return Tokenizers.forName(name);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + "!/" + PREPROCESSING + ": " + side + " tokenizer: " + e.getMessage(), e);
            }
        }
        String entry = prep.getOrDefault(side + "BpeMerges", defaultEntry);
        return BpeTokenizer.read(new java.io.StringReader(text(zip, file, entry)), file + "!/" + entry);
    }

    private static String bpeText(BpeTokenizer bpe) throws IOException {
        StringWriter w = new StringWriter();
        bpe.write(w);
        return w.toString();
    }

    /**
     * The training state stored in a checkpoint by {@link #save(TranslationModel, Path, Map)}; empty
     * for a model saved without one.
     *
     * @throws IOException naming the file when it is missing, not a readable zip, or the state is corrupt
     */
    public static Map<String, String> trainingState(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": model file not found");
        }
        try (ZipFile zip = open(file)) {
            if (zip.getEntry(TRAINING_STATE) == null) {
                return Map.of();
            }
            try {
                return JSON.readValue(text(zip, file, TRAINING_STATE), new TypeReference<LinkedHashMap<String, String>>() { });
            } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
                throw new IOException(file + "!/" + TRAINING_STATE + ": corrupted (" + e.getOriginalMessage() + ")", e);
            }
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a model file, or a corrupted one (not a readable zip: " + e.getMessage() + ")", e);
        }
    }

    /** The entry {@code name}, refused when it is missing or declares more than {@code limit} bytes. */
    private static ZipEntry entry(ZipFile zip, Path file, String name, long limit) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(file + ": incomplete model file, \"" + name + "\" is missing");
        }
        if (entry.getSize() > limit) {
            throw new IOException(String.format(Locale.ROOT, "%s!/%s: declares %,d bytes, more than the %,d a model"
                    + " part may have here; refused", file, name, entry.getSize(), limit));
        }
        return entry;
    }

    /**
     * A text entry's bytes, counted while inflating and refused past {@link #MAX_LIST_BYTES} for a
     * vocabulary or merge list, {@link #MAX_SMALL_BYTES} for the others.
     */
    private static byte[] bytes(ZipFile zip, Path file, String name) throws IOException {
        long limit = name.endsWith(".vocab") || name.endsWith(".bpe") ? MAX_LIST_BYTES : MAX_SMALL_BYTES;
        ZipEntry entry = entry(zip, file, name, limit);
        try (var in = new LimitedInput(zip.getInputStream(entry), limit, file + "!/" + name)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new IOException(file + "!/" + name + ": corrupted (" + e.getMessage() + ")", e);
        }
    }

    private static String text(ZipFile zip, Path file, String name) throws IOException {
        return new String(bytes(zip, file, name), StandardCharsets.UTF_8);
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String vocabText(Vocabulary vocab) throws IOException {
        StringWriter w = new StringWriter();
        vocab.write(w);
        return w.toString();
    }
}
