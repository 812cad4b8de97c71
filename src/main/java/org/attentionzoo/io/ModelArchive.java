package org.attentionzoo.io;

import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TiedEmbeddings;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.util.AtomicFiles;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
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
 *                     {@link GraphReader}, never by Java deserialization); with tied embeddings (the card's
 *                     tieEmbeddings) the tied copies are stored as zeros and copied from the target embedding
 *                     on load ({@link TiedEmbeddings#withoutCopies})
 * training-state.json (checkpoints only) where training stood: step, data position, best dev score...
 * </pre>
 * For example {@code {"sourceTokenizer": "bpe", "sourceBpeMerges": "source.bpe", "targetTokenizer": "chars"}}.
 * The BPE entries were added without changing the format version: a model without them (every model saved
 * before BPE existed) reads as before. A model with BPE fails to load in older versions of attention-zoo,
 * which report the unknown tokenizer 'bpe'. Likewise a model with tied embeddings fails to load in versions
 * without the option (its card has the unknown key tieEmbeddings), never with zero matrices.
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
                ComputationGraph stored = TiedEmbeddings.withoutCopies(model.graph(), model.card().tieEmbeddings(),
                        withUpdater);
                // graph.zip is a zip of its own whose parameters do not compress: deflate stores it as is
                // (stored blocks), which costs nothing to write and next to nothing to read back
                zip.setLevel(Deflater.NO_COMPRESSION);
                zip.putNextEntry(new ZipEntry(GRAPH));
                try {
                    // straight into the entry (DL4J shields the stream from its close): no in-memory copy of the
                    // parameters and optimiser state, which would be the peak of a training run's memory
                    ModelSerializer.writeModel(stored, zip, withUpdater);
                } finally {
                    if (stored != model.graph() && stored.params().closeable()) {
                        stored.params().close();      // the copy's parameters, now rather than when collected
                    }
                }
                zip.closeEntry();
                zip.setLevel(Deflater.DEFAULT_COMPRESSION);
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
     * {@link GraphReader}), nothing is copied to a temporary file, no entry name may appear twice, and the
     * card, vocabularies and graph must describe the same network (vertex names, inputs, kinds and parameter
     * counts).
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
            return read(new FileParts(zip, file.toString()), withUpdater, maxParameters);
        }
    }

    /** As {@link #load(InputStream, String, boolean)}, with the optimiser state. */
    public static TranslationModel load(InputStream in, String name) throws IOException {
        return load(in, name, true, DEFAULT_MAX_PARAMETERS);
    }

    /**
     * Loads a model saved by {@link #save} from a stream of its zip (a model shipped inside an application,
     * one received over a network), with the validation, limits and messages of {@link #load(Path)}: each
     * message names {@code name} where it would name the file.
     */
    public static TranslationModel load(InputStream in, String name, boolean withUpdater) throws IOException {
        return load(in, name, withUpdater, DEFAULT_MAX_PARAMETERS);
    }

    /**
     * As {@link #load(Path, boolean, long)}, reading the zip once from {@code in} (which is read to the end
     * of the zip and not closed). The text parts are held in memory, each read through the byte count
     * its name allows; graph.zip is streamed into {@link GraphReader} under the limit the card and
     * vocabularies imply, so it must come after card.json, preprocessing.json, the merge lists and
     * vocabularies and provenance.json, as {@link #save} writes it: a stream that gives graph.zip (or
     * any part it needs) earlier is refused, since nothing bounds it yet.
     *
     * @param name the model's name in messages (where a path would be), such as {@code classpath:model.zip}
     * @throws IOException one line naming {@code name} (and its part) and what is wrong
     */
    public static TranslationModel load(InputStream in, String name, boolean withUpdater, long maxParameters)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        StreamParts parts;
        try {
            parts = new StreamParts(in, name);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw m.startsWith(name) ? e : new IOException(name + ": cannot be read (" + m + ")", e);
        }
        return read(parts, withUpdater, maxParameters);
    }

    /**
     * As {@link #loadResource(String, ClassLoader, boolean)} with the calling thread's context class loader
     * (or, if it has none, the one that loaded attention-zoo).
     */
    public static TranslationModel loadResource(String resource, boolean withUpdater) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loadResource(resource, loader != null ? loader : ModelArchive.class.getClassLoader(), withUpdater);
    }

    /**
     * Loads a model shipped as a class-path resource (inside an application jar, say) through
     * {@link #load(InputStream, String, boolean)}; its messages name it {@code classpath:<resource>}.
     *
     * @param resource as {@link ClassLoader#getResource} takes it ({@code models/en-fr.zip}); one leading
     *                 {@code /} is ignored
     * @throws IOException {@code classpath:<resource>: model resource not found} when {@code loader} has no
     *                     such resource, else as {@link #load(InputStream, String, boolean)}
     */
    public static TranslationModel loadResource(String resource, ClassLoader loader, boolean withUpdater)
            throws IOException {
        String name = "classpath:" + resource;
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException(name + ": model resource not found");
            }
            return load(in, name, withUpdater, DEFAULT_MAX_PARAMETERS);
        }
    }

    /**
     * The one reading routine of every {@code load}: the parts in a fixed order (format, card,
     * preprocessing, merge lists, vocabularies, provenance, graph), each checked before the next is read.
     */
    private static TranslationModel read(Parts parts, boolean withUpdater, long maxParameters) throws IOException {
        String where = parts.where();
        try {
            Map<String, Object> format = json(text(parts, FORMAT), where, FORMAT, new TypeReference<Map<String, Object>>() { });
            if (!FORMAT_NAME.equals(format.get("format"))) {
                throw new IOException(where + ": not an attention-zoo model (format.json says " + format.get("format") + ")");
            }
            Object version = format.get("formatVersion");
            if (!(version instanceof Number) || ((Number) version).intValue() != FORMAT_VERSION) {
                throw new IOException(where + ": model format version " + version + " cannot be read by this version"
                        + " of attention-zoo, which reads version " + FORMAT_VERSION);
            }
            ModelCard card = ModelCard.fromJson(text(parts, CARD), where + "!/" + CARD);
            Map<String, String> prep = json(text(parts, PREPROCESSING), where, PREPROCESSING, new TypeReference<Map<String, String>>() { });
            parts.expect(bpeEntry(prep, "source", SOURCE_BPE));
            parts.expect(bpeEntry(prep, "target", TARGET_BPE));
            Tokenizer sourceTokenizer = tokenizer(parts, prep, "source", SOURCE_BPE);
            Tokenizer targetTokenizer = tokenizer(parts, prep, "target", TARGET_BPE);
            Vocabulary sourceVocab = Vocabulary.read(new java.io.StringReader(text(parts, SOURCE_VOCAB)),
                    where + "!/" + SOURCE_VOCAB);
            Vocabulary targetVocab = Vocabulary.read(new java.io.StringReader(text(parts, TARGET_VOCAB)),
                    where + "!/" + TARGET_VOCAB);
            Map<String, String> provenance = json(text(parts, PROVENANCE), where, PROVENANCE, new TypeReference<Map<String, String>>() { });
            ComputationGraph graph = graph(parts, card, sourceVocab, targetVocab, withUpdater, maxParameters);
            TranslationModel model;
            try {
                TiedEmbeddings.sync(graph, card.tieEmbeddings());     // stored as zeros (TiedEmbeddings.withoutCopies)
                model = new TranslationModel(card, graph, sourceVocab, targetVocab,
                        sourceTokenizer, targetTokenizer, provenance, "masked".equals(prep.get("placeholders")));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
            parts.finish();
            return model;
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        } catch (IOException e) {
            // Such as a stream that fails to read, whose message names no model.
            String m = String.valueOf(e.getMessage());
            throw m.startsWith(where) ? e : new IOException(where + ": cannot be read (" + m + ")", e);
        }
    }

    /**
     * Reads graph.zip once card.json and the vocabularies have said what it must hold: the vocabulary
     * sizes must match its embeddings and output, its structure the card's, its arrays the parameter count.
     */
    private static ComputationGraph graph(Parts parts, ModelCard card, Vocabulary sourceVocab,
                                          Vocabulary targetVocab, boolean withUpdater, long maxParameters)
            throws IOException {
        String file = parts.where();
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
        try (InputStream in = parts.open(GRAPH, GraphReader.maxBytes(parameters))) {
            return GraphReader.read(in, where, expected, withUpdater);
        } catch (ZipException e) {
            throw new IOException(where + ": corrupted (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(where + ": cannot read the network: " + e.getMessage(), e);
        }
    }

    private static <T> T json(String text, String file, String name, TypeReference<T> type) throws IOException {
        try {
            return JSON.readValue(text, type);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IOException(file + "!/" + name + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The entry holding a BPE side's merges, as preprocessing.json names it; null for another tokenizer. */
    private static String bpeEntry(Map<String, String> prep, String side, String defaultEntry) {
        return BpeTokenizer.NAME.equals(prep.get(side + "Tokenizer"))
                ? prep.getOrDefault(side + "BpeMerges", defaultEntry) : null;
    }

    /**
     * The tokenizer of one side: by name, or for {@code bpe} read from the entry that preprocessing.json names
     * ({@code <side>BpeMerges}, by default {@code <side>.bpe}).
     */
    private static Tokenizer tokenizer(Parts parts, Map<String, String> prep, String side,
                                       String defaultEntry) throws IOException {
        String entry = bpeEntry(prep, side, defaultEntry);
        if (entry == null) {
            try {
                return Tokenizers.forName(prep.get(side + "Tokenizer"));
            } catch (IllegalArgumentException e) {
                throw new IOException(parts.where() + "!/" + PREPROCESSING + ": " + side + " tokenizer: " + e.getMessage(), e);
            }
        }
        return BpeTokenizer.read(new java.io.StringReader(text(parts, entry)), parts.where() + "!/" + entry);
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
                return JSON.readValue(text(new FileParts(zip, file.toString()), TRAINING_STATE), new TypeReference<LinkedHashMap<String, String>>() { });
            } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
                throw new IOException(file + "!/" + TRAINING_STATE + ": corrupted (" + e.getOriginalMessage() + ")", e);
            }
        }
    }

    /** Opens a model file as a zip, refused when it is not one or an entry name appears twice. */
    private static ZipFile open(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw notAZip(file.toString(), e.getMessage(), e);
        }
        try {
            Set<String> seen = new HashSet<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!seen.add(name)) {
                    throw twice(file.toString(), name);
                }
            }
            return zip;
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static IOException notAZip(String where, String why, Exception cause) {
        return new IOException(where + ": not a model file, or a corrupted one (not a readable zip: " + why + ")", cause);
    }

    private static IOException twice(String where, String name) {
        return new IOException(where + "!/" + name + ": appears twice; refused");
    }

    private static IOException missing(String where, String name) {
        return new IOException(where + ": incomplete model file, \"" + name + "\" is missing");
    }

    /** Refuses an entry whose header declares more than {@code limit} bytes (a negative size: not declared). */
    private static void checkDeclared(String where, String name, long size, long limit) throws IOException {
        if (size > limit) {
            throw new IOException(String.format(Locale.ROOT, "%s!/%s: declares %,d bytes, more than the %,d a model"
                    + " part may have here; refused", where, name, size, limit));
        }
    }

    /** The byte count a text entry may inflate to: {@link #MAX_LIST_BYTES} for a vocabulary or merge list. */
    private static long textLimit(String name) {
        return name.endsWith(".vocab") || name.endsWith(".bpe") ? MAX_LIST_BYTES : MAX_SMALL_BYTES;
    }

    /**
     * A text entry's bytes, counted while inflating and refused past {@link #MAX_LIST_BYTES} for a
     * vocabulary or merge list, {@link #MAX_SMALL_BYTES} for the others.
     */
    private static String text(Parts parts, String name) throws IOException {
        String at = parts.where() + "!/" + name;
        try (InputStream in = parts.open(name, textLimit(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw new IOException(at + ": corrupted (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new IOException(at + ": truncated", e);
        }
    }

    /**
     * Where {@link #read} finds a model's parts: a zip file, or a zip stream read once. Both refuse a
     * missing part, one declaring or inflating past its limit, and an entry name that appears twice, with
     * the same messages.
     */
    private interface Parts {

        /** The model in messages: its path, or the name given with its stream. */
        String where();

        /**
         * The entry {@code name}, counted while inflating and refused past {@code limit} bytes.
         *
         * @throws IOException {@code where: incomplete model file, "name" is missing} if there is none
         */
        InputStream open(String name, long limit) throws IOException;

        /** {@code name} (if not null) will be opened after the parts already asked for. */
        default void expect(String name) {
        }

        /** The model has been read; checks what is left. */
        default void finish() throws IOException {
        }
    }

    /** A model file's parts, read as asked for through the zip's central directory. */
    private record FileParts(ZipFile zip, String where) implements Parts {

        @Override
        public InputStream open(String name, long limit) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw missing(where, name);
            }
            checkDeclared(where, name, entry.getSize(), limit);
            return new LimitedInput(zip.getInputStream(entry), limit, where + "!/" + name);
        }
    }

    /**
     * A model's parts from a zip stream, read once in the stream's order: the text parts that {@link #read}
     * may ask for are held in memory when the stream passes them (each read within {@link #textLimit}),
     * others are skipped, and graph.zip is handed on unread, as the stream gives it, when it is asked for.
     * A part the stream gave before anything asked for it and that was not held (graph.zip, a merge list
     * named only by preprocessing.json) is refused when asked for: its limit was not known when it went by.
     * Every entry is checked against its CRC as it is read; the central directory is not read.
     */
    private static final class StreamParts implements Parts {

        private static final Set<String> HELD = Set.of(FORMAT, CARD, PREPROCESSING, SOURCE_BPE, TARGET_BPE,
                SOURCE_VOCAB, TARGET_VOCAB, PROVENANCE);

        private final ZipInputStream zip;
        private final String where;
        private final Set<String> held = new HashSet<>(HELD);
        private final Map<String, byte[]> texts = new HashMap<>();
        private final Set<String> seen = new HashSet<>();
        /** A part that went by unheld, and what was being looked for then. */
        private final Map<String, String> passed = new HashMap<>();
        private boolean ended;

        StreamParts(InputStream in, String where) throws IOException {
            this.where = where;
            PushbackInputStream pushback = new PushbackInputStream(in, 4);
            byte[] start = pushback.readNBytes(4);
            pushback.unread(start);
            // A zip starts with an entry's local header, or (no entries) the end of its central directory.
            if (start.length < 4 || start[0] != 'P' || start[1] != 'K'
                    || !(start[2] == 3 && start[3] == 4 || start[2] == 5 && start[3] == 6)) {
                throw notAZip(where, "it does not start with a zip header", null);
            }
            this.zip = new ZipInputStream(pushback);
        }

        @Override
        public String where() {
            return where;
        }

        @Override
        public void expect(String name) {
            if (name != null) {
                held.add(name);
            }
        }

        @Override
        public InputStream open(String name, long limit) throws IOException {
            if (!texts.containsKey(name) && advanceTo(name, limit)) {
                if (GRAPH.equals(name)) {
                    return new LimitedInput(new FilterInputStream(zip) {
                        @Override
                        public void close() {
                            // The zip stream stays open for the entries after this one.
                        }
                    }, limit, where + "!/" + name);
                }
                hold(name);
            }
            return new LimitedInput(new ByteArrayInputStream(texts.get(name)), limit, where + "!/" + name);
        }

        /**
         * Reads on to the entry {@code name}, holding the parts it passes that {@link #read} may ask for.
         *
         * @return true when positioned at its start, false when it was held on the way
         */
        private boolean advanceTo(String name, long limit) throws IOException {
            while (true) {
                if (texts.containsKey(name)) {
                    return false;
                }
                String before = passed.get(name);
                if (before != null) {
                    throw outOfOrder(name, before);
                }
                ZipEntry e = next();
                if (e == null) {
                    throw missing(where, name);
                }
                String n = e.getName();
                if (n.equals(name)) {
                    checkDeclared(where, n, e.getSize(), limit);
                    return true;
                }
                if (held.contains(n)) {
                    checkDeclared(where, n, e.getSize(), textLimit(n));
                    texts.put(n, hold(n));
                } else if (GRAPH.equals(n)) {
                    skipGraph(name);
                } else {
                    passed.put(n, name);
                }
            }
        }

        private IOException outOfOrder(String name, String before) {
            return new IOException(where + "!/" + name + ": comes before " + before + ", which a model read"
                    + " from a stream must give first (as ModelArchive.save writes them); refused");
        }

        /**
         * Reads past a graph.zip that came before {@code sought}, so that a missing part is named as from a file;
         * it is refused as out of order when asked for. One larger than {@link #MAX_LIST_BYTES} is refused at
         * once instead, not inflated to the end.
         */
        private void skipGraph(String sought) throws IOException {
            LimitedInput skipped = new LimitedInput(zip, MAX_LIST_BYTES, where + "!/" + GRAPH);
            try {
                skipped.transferTo(OutputStream.nullOutputStream());
            } catch (ZipException e) {
                throw new IOException(where + "!/" + GRAPH + ": corrupted (" + e.getMessage() + ")", e);
            } catch (EOFException e) {
                throw new IOException(where + "!/" + GRAPH + ": truncated", e);
            } catch (IOException e) {
                if (skipped.count() > MAX_LIST_BYTES) {
                    throw outOfOrder(GRAPH, sought);
                }
                throw e;
            }
            passed.put(GRAPH, sought);
        }

        /** The current entry's bytes, within the limit its name allows. */
        private byte[] hold(String name) throws IOException {
            String at = where + "!/" + name;
            try {
                byte[] b = new LimitedInput(zip, textLimit(name), at).readAllBytes();
                texts.put(name, b);
                return b;
            } catch (ZipException e) {
                throw new IOException(at + ": corrupted (" + e.getMessage() + ")", e);
            } catch (EOFException e) {
                throw new IOException(at + ": truncated", e);
            }
        }

        /** The next entry, refused if its name appeared before; null at the end of the zip. */
        private ZipEntry next() throws IOException {
            if (ended) {
                return null;
            }
            ZipEntry e;
            try {
                e = zip.getNextEntry();
            } catch (ZipException ex) {
                throw notAZip(where, ex.getMessage(), ex);
            } catch (EOFException ex) {
                throw notAZip(where, "it ends inside an entry", ex);
            }
            if (e == null) {
                ended = true;
                return null;
            }
            if (!seen.add(e.getName())) {
                throw twice(where, e.getName());
            }
            return e;
        }

        /** Reads the rest of the zip, so that a name appearing twice after graph.zip is refused too. */
        @Override
        public void finish() throws IOException {
            while (next() != null) {
                // Skipped: getNextEntry reads through the entry before.
            }
        }
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
