package org.attentionzoo.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Subword tokenizer (name {@code "bpe"}): a base tokenizer, then byte-pair encoding of each word with learned
 * merges (Sennrich, Haddow and Birch 2016, "Neural Machine Translation of Rare Words with Subword Units").
 *
 * <p><b>Words.</b> With the base tokenizer {@code "words"} ({@link WordTokenizer}) every base token is one
 * word, joiners ('￭') included, so "ok￭," may become [ok, ￭,] only if no merge joins them. With the base
 * {@code "chars"} ({@link CharTokenizer}, for Chinese and Japanese) a word is a run of characters between
 * {@link CharTokenizer#SPACE} tokens, and each space token is a word of its own: merges then learn frequent
 * character sequences (multi-character words) inside text written without spaces.
 *
 * <p><b>Markers.</b> As in Sennrich et al., every subword except the last of its word ends with
 * {@link #CONTINUATION} ("@@"): "lowest" may become [low@@, est]. Detokenizing joins a token that ends with
 * "@@" (and is longer than "@@") to the next, then hands the words to the base tokenizer. To keep this exact,
 * a word's last subword never ends with "@@": if it would, its final '@' becomes a subword of its own. Hence
 * {@code detokenize(tokenize(s))} equals {@code base.detokenize(base.tokenize(s))} for every text.
 *
 * <p><b>File form.</b> Plain UTF-8 text: a header line, then one merge per line, the two symbols separated by
 * one space, in the order they apply. The last symbol of a word carries {@link BpeModel#END_OF_WORD}:
 * <pre>
 * #attention-zoo-bpe version=1 base=words merges=3
 * e s
 * es t&lt;/w&gt;
 * l o
 * </pre>
 *
 * <p>The tokenizer is immutable: it holds the merges fixed when it was made.
 */
public final class BpeTokenizer implements Tokenizer {

    /** Name of this tokenizer ({@link #name()}). */
    public static final String NAME = "bpe";
    /** Suffix of every subword that is continued by the next token. */
    public static final String CONTINUATION = "@@";
    /** Start of the first line of a merge file. */
    public static final String HEADER = "#attention-zoo-bpe";
    /** Version of the merge file written by {@link #write(Writer)}. */
    public static final int FILE_VERSION = 1;
    /** Base tokenizers BPE can be put on. */
    public static final List<String> BASES = List.of("words", "chars");

    private final Tokenizer base;
    private final BpeModel model;
    private final boolean chars;
    /** The symbols the output is limited to ({@link #restrictedTo}), or null for no limit. */
    private final java.util.Set<String> known;

    /**
     * A BPE tokenizer applying {@code model} to the words of {@code base}.
     *
     * @throws IllegalArgumentException if the base is not a {@code words} or {@code chars} tokenizer
     */
    public BpeTokenizer(Tokenizer base, BpeModel model) {
        this(base, model, null);
    }

    private BpeTokenizer(Tokenizer base, BpeModel model, java.util.Set<String> known) {
        this.known = known;
        this.base = Objects.requireNonNull(base, "base");
        this.model = Objects.requireNonNull(model, "model");
        if (!BASES.contains(base.name())) {
            throw new IllegalArgumentException("BPE works on the tokenizers " + String.join(", ", BASES)
                    + ", not on '" + base.name() + "'");
        }
        this.chars = "chars".equals(base.name());
    }

    /**
     * Learns up to {@code merges} merges from the words of {@code texts} (see {@link BpeModel#learn(Map, int)}).
     *
     * @param base   the base tokenizer, {@code words} or {@code chars}
     * @param texts  untokenized training sentences
     * @param merges the most merges to learn
     */
    public static BpeTokenizer learn(Tokenizer base, Iterable<String> texts, int merges) {
        BpeTokenizer empty = new BpeTokenizer(base, new BpeModel(List.of()));
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : empty.words(text)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        return new BpeTokenizer(base, BpeModel.learn(counts, merges));
    }

    /** The base tokenizer. */
    /**
     * The character fallback of this tokenizer on {@code texts}: every character of their words in both the forms
     * a segmentation can give it, word-final ({@code "x"}) and continued ({@code "x@@"}). A vocabulary that holds
     * these holds every segmentation of every word made of characters seen in {@code texts}, since BPE falls back to
     * single characters where no merge applies: such words never map to {@code <unk>}.
     *
     * @return the symbols in first-seen order, without duplicates
     */
    public List<String> fallbackSymbols(Iterable<String> texts) {
        java.util.LinkedHashSet<String> symbols = new java.util.LinkedHashSet<>();
        for (String text : texts) {
            for (String word : words(text)) {
                word.codePoints().forEach(cp -> {
                    String c = new String(Character.toChars(cp));
                    symbols.add(c);
                    symbols.add(c + CONTINUATION);
                });
            }
        }
        return List.copyOf(symbols);
    }

    public Tokenizer base() {
        return base;
    }

    /** The merges. */
    public BpeModel model() {
        return model;
    }

    /** The words BPE segments: base tokens, or for a {@code chars} base the runs between space tokens. */
    public List<String> words(String text) {
        List<String> tokens = base.tokenize(text);
        if (!chars) {
            return tokens;
        }
        List<String> words = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (String token : tokens) {
            if (CharTokenizer.SPACE.equals(token)) {
                if (run.length() > 0) {
                    words.add(run.toString());
                    run.setLength(0);
                }
                words.add(token);
            } else {
                run.append(token);
            }
        }
        if (run.length() > 0) {
            words.add(run.toString());
        }
        return words;
    }

    @Override
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String word : words(text)) {
            List<String> subwords = model.segment(word);
            int last = subwords.size() - 1;
            for (int i = 0; i < last; i++) {
                addKnown(out, subwords.get(i), false);
            }
            String end = subwords.get(last);
            if (end.endsWith(CONTINUATION)) {
                // "x@@" as a last subword would read as a continuation: split off its final '@'.
                out.add(end.substring(0, end.length() - 1) + CONTINUATION);
                out.add("@");
            } else {
                addKnown(out, end, true);
            }
        }
        return out;
    }

    /**
     * Adds one subword in its marked form ({@code "x@@"} unless it ends its word); with a known-symbol set
     * ({@link #restrictedTo}) a subword outside it is split back into the two symbols of the merge that made
     * it, recursively, down to single characters if need be.
     */
    private void addKnown(List<String> out, String subword, boolean endsWord) {
        String form = endsWord ? subword : subword + CONTINUATION;
        BpeModel.Merge maker = known == null || known.contains(form) ? null
                : model.madeBy(endsWord ? subword + BpeModel.END_OF_WORD : subword);
        if (maker == null) {
            out.add(form);
            return;
        }
        addKnown(out, maker.left(), false);
        String right = maker.right();
        addKnown(out, endsWord ? right.substring(0, right.length() - BpeModel.END_OF_WORD.length()) : right, endsWord);
    }

    /**
     * This tokenizer with its output limited to {@code symbols} (a vocabulary's tokens) where it can be: a subword
     * that is not among them is split back into the symbols it was merged from, as subword-nmt's vocabulary filter
     * does (Sennrich et al. 2016). With a vocabulary that holds {@link #fallbackSymbols}, text made of seen
     * characters then never maps to {@code <unk>}, whatever merges the vocabulary's size limit left out.
     */
    public BpeTokenizer restrictedTo(java.util.Collection<String> symbols) {
        return new BpeTokenizer(base, model, java.util.Set.copyOf(symbols));
    }

    @Override
    public String detokenize(List<String> tokens) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (String token : tokens) {
            if (token.length() > CONTINUATION.length() && token.endsWith(CONTINUATION)) {
                word.append(token, 0, token.length() - CONTINUATION.length());
            } else {
                word.append(token);
                words.add(word.toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString()); // a dangling continuation, as a model may emit
        }
        if (!chars) {
            return base.detokenize(words);
        }
        List<String> characters = new ArrayList<>();
        for (String w : words) {
            w.codePoints().forEach(cp -> characters.add(new String(Character.toChars(cp))));
        }
        return base.detokenize(characters);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Writes the header and the merges (see the class comment), each line ended by {@code '\n'}. */
    public void write(Writer out) throws IOException {
        out.write(HEADER + " version=" + FILE_VERSION + " base=" + base.name() + " merges=" + model.size() + "\n");
        for (BpeModel.Merge m : model.merges()) {
            out.write(m.left() + " " + m.right() + "\n");
        }
        out.flush();
    }

    /** Writes the merge file to {@code file} as UTF-8. */
    public void save(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out);
        }
    }

    /**
     * Reads a merge file written by {@link #write(Writer)}; CRLF line ends are accepted.
     *
     * @param originForErrors name of the input for error messages
     * @throws CorpusFormatException for a bad header, a line that is not two symbols separated by one space, a
     *                               repeated merge, or a merge count other than the header's; the message starts
     *                               with {@code "<origin>:<line>: "}
     */
    public static BpeTokenizer read(Reader in, String originForErrors) throws IOException {
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in);
        return parse(reader::readLine, originForErrors);
    }

    /** Reads a merge file saved by {@link #save(Path)}; bytes must be strict UTF-8. Errors name file and line. */
    public static BpeTokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": BPE merge file not found");
        }
        try (InputStream in = Files.newInputStream(file);
             Utf8LineReader lines = new Utf8LineReader(in, file.toString())) {
            return parse(lines::readLine, file.toString());
        }
    }

    private interface LineSource {
        String next() throws IOException;
    }

    private static BpeTokenizer parse(LineSource lines, String origin) throws IOException {
        String header = lines.next();
        if (header != null && header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        if (header == null || !header.startsWith(HEADER + " ")) {
            throw new CorpusFormatException(origin, 1, "not a BPE merge file: the first line must be like '"
                    + HEADER + " version=" + FILE_VERSION + " base=words merges=8000'");
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : header.substring(HEADER.length()).trim().split(" +")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new CorpusFormatException(origin, 1, "header field '" + field + "' is not key=value");
            }
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        if (!String.valueOf(FILE_VERSION).equals(fields.get("version"))) {
            throw new CorpusFormatException(origin, 1, "BPE file version " + fields.get("version")
                    + " cannot be read; this version of attention-zoo reads version " + FILE_VERSION);
        }
        String baseName = fields.get("base");
        if (!BASES.contains(baseName)) {
            throw new CorpusFormatException(origin, 1, "base tokenizer '" + baseName + "' is not one of "
                    + String.join(", ", BASES));
        }
        int expected;
        try {
            expected = Integer.parseInt(fields.getOrDefault("merges", ""));
        } catch (NumberFormatException e) {
            throw new CorpusFormatException(origin, 1, "header needs merges=<count>, got '" + fields.get("merges") + "'");
        }
        List<BpeModel.Merge> merges = new ArrayList<>();
        Map<BpeModel.Merge, Integer> firstLine = new HashMap<>();
        String line;
        int lineNumber = 1;
        while ((line = lines.next()) != null) {
            lineNumber++;
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new CorpusFormatException(origin, lineNumber, "expected two symbols separated by one space, got '"
                        + line + "'");
            }
            BpeModel.Merge merge;
            try {
                merge = new BpeModel.Merge(line.substring(0, space), line.substring(space + 1));
            } catch (IllegalArgumentException e) {
                throw new CorpusFormatException(origin, lineNumber, e.getMessage());
            }
            Integer previous = firstLine.putIfAbsent(merge, lineNumber);
            if (previous != null) {
                throw new CorpusFormatException(origin, lineNumber, "merge '" + line + "' repeats line " + previous);
            }
            merges.add(merge);
        }
        if (merges.size() != expected) {
            throw new CorpusFormatException(origin, lineNumber + 1, "the header promises " + expected
                    + " merges but the file has " + merges.size() + " (truncated or edited?)");
        }
        return new BpeTokenizer(Tokenizers.forName(baseName), new BpeModel(merges));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeTokenizer other && base.name().equals(other.base.name()) && model.equals(other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base.name(), model);
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + base.name() + ", " + model.size() + " merges]";
    }
}
