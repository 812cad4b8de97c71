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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable mapping between tokens and integer ids, with four special tokens first.
 *
 * <p>Ids 0 to 3 are always {@link #PAD}, {@link #BOS}, {@link #EOS} and {@link #UNK}. The file
 * form is plain UTF-8 text with one token per line in id order, the specials on the first four
 * lines. Tokens are never blank and never contain a line break.
 */
public final class Vocabulary {

    /** Padding token. */
    public static final String PAD = "<pad>";
    /** Beginning-of-sequence token, the first decoder input. */
    public static final String BOS = "<s>";
    /** End-of-sequence token, the last decoder target. */
    public static final String EOS = "</s>";
    /** Token standing for every token not in the vocabulary. */
    public static final String UNK = "<unk>";
    /** Id of {@link #PAD}. */
    public static final int PAD_ID = 0;
    /** Id of {@link #BOS}. */
    public static final int BOS_ID = 1;
    /** Id of {@link #EOS}. */
    public static final int EOS_ID = 2;
    /** Id of {@link #UNK}. */
    public static final int UNK_ID = 3;
    /** The special tokens in id order. */
    public static final List<String> SPECIALS = List.of(PAD, BOS, EOS, UNK);

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        Map<String, Integer> map = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            map.put(tokens.get(i), i);
        }
        this.ids = map;
    }

    /**
     * Builds a vocabulary from tokenized sentences: the specials, then every token seen at least
     * {@code minFrequency} times, most frequent first, ties in {@link String#compareTo} order, cut
     * so that the size (specials included) is at most {@code maxSize}. Tokens equal to a special
     * are not added twice. The result depends only on the token counts, not on sentence order.
     *
     * @param tokenizedSentences sentences as token lists
     * @param minFrequency       minimum count for a token to be kept (at least 1)
     * @param maxSize            maximum size including the four specials (at least 4)
     * @throws IllegalArgumentException for bad limits, or a blank token or one with a line break
     */
    public static Vocabulary build(Iterable<List<String>> tokenizedSentences, int minFrequency, int maxSize) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be at least 1, got " + minFrequency);
        }
        if (maxSize < SPECIALS.size()) {
            throw new IllegalArgumentException("maxSize counts the 4 special tokens and must be at least 4, got "
                    + maxSize);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : tokenizedSentences) {
            for (String token : sentence) {
                checkToken(token);
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minFrequency && !SPECIALS.contains(e.getKey())) {
                entries.add(e);
            }
        }
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> list = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Integer> e : entries) {
            if (list.size() >= maxSize) {
                break;
            }
            list.add(e.getKey());
        }
        return new Vocabulary(list);
    }

    /**
     * This vocabulary followed by the new tokens of {@code tokenizedSentences}, for fine-tuning on a new
     * corpus: every old token keeps its id, and tokens not yet in the vocabulary that occur at least
     * {@code minFrequency} times are appended, most frequent first, ties in {@link String#compareTo} order,
     * until the size reaches {@code maxSize} (nothing is added if it already has). Old tokens are never
     * dropped, whatever their count in the new corpus.
     *
     * @param tokenizedSentences the new corpus as token lists
     * @param minFrequency       minimum count in the new corpus for a token to be added (at least 1)
     * @param maxSize            maximum size of the result, specials included
     * @throws IllegalArgumentException for bad limits, or a blank token or one with a line break
     */
    public Vocabulary extend(Iterable<List<String>> tokenizedSentences, int minFrequency, int maxSize) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be at least 1, got " + minFrequency);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> sentence : tokenizedSentences) {
            for (String token : sentence) {
                checkToken(token);
                if (!ids.containsKey(token)) {
                    counts.merge(token, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minFrequency) {
                entries.add(e);
            }
        }
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> list = new ArrayList<>(tokens);
        for (Map.Entry<String, Integer> e : entries) {
            if (list.size() >= maxSize) {
                break;
            }
            list.add(e.getKey());
        }
        return new Vocabulary(list);
    }

    /**
     * Makes a vocabulary of the specials followed by {@code tokens} in the given order.
     *
     * @throws IllegalArgumentException for a duplicate, blank or special token, or one with a line break
     */
    public static Vocabulary of(List<String> tokens) {
        List<String> list = new ArrayList<>(SPECIALS);
        Set<String> seen = new HashSet<>(SPECIALS);
        for (String token : tokens) {
            checkToken(token);
            if (!seen.add(token)) {
                throw new IllegalArgumentException("duplicate or special token '" + token + "'");
            }
            list.add(token);
        }
        return new Vocabulary(list);
    }

    private static void checkToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a vocabulary token must not be blank or null, got "
                    + (token == null ? "null" : "'" + token + "'"));
        }
        if (token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a vocabulary token must not contain a line break: '"
                    + token.replace("\n", "\\n").replace("\r", "\\r") + "'");
        }
    }

    /** Number of tokens, specials included. */
    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or {@link #UNK_ID} if it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? UNK_ID : id;
    }

    /**
     * The token with the given id.
     *
     * @throws IllegalArgumentException if the id is outside {@code [0, size())}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " outside vocabulary of size " + tokens.size());
        }
        return tokens.get(id);
    }

    /** Whether {@code token} is in the vocabulary (the specials are). */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** All tokens in id order (unmodifiable). */
    public List<String> tokens() {
        return tokens;
    }

    /** Maps tokens to ids, unknown ones to {@link #UNK_ID}; adds no BOS or EOS. */
    public int[] encode(List<String> sentence) {
        int[] out = new int[sentence.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(sentence.get(i));
        }
        return out;
    }

    /**
     * Maps ids to tokens, stopping at the first {@link #EOS_ID} and leaving out {@link #PAD_ID} and
     * {@link #BOS_ID}; {@link #UNK_ID} gives {@link #UNK}.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public List<String> decode(int[] sentenceIds) {
        List<String> out = new ArrayList<>(sentenceIds.length);
        for (int id : sentenceIds) {
            if (id == EOS_ID) {
                break;
            }
            if (id != PAD_ID && id != BOS_ID) {
                out.add(token(id));
            }
        }
        return out;
    }

    /** Fraction of the tokens of {@code sentences} that map to {@link #UNK_ID}; 0 when there are none. */
    public double unkRate(Iterable<List<String>> sentences) {
        long total = 0;
        long unknown = 0;
        for (List<String> sentence : sentences) {
            for (String token : sentence) {
                total++;
                if (id(token) == UNK_ID) {
                    unknown++;
                }
            }
        }
        return total == 0 ? 0.0 : (double) unknown / total;
    }

    /** Writes the tokens one per line, in id order, each line ended by {@code '\n'}. */
    public void write(Writer out) throws IOException {
        for (String token : tokens) {
            out.write(token);
            out.write('\n');
        }
        out.flush();
    }

    /**
     * Reads a vocabulary written by {@link #write(Writer)}. CRLF line ends are accepted.
     *
     * @param in               the text
     * @param originForErrors  name of the input (usually the file name) for error messages
     * @throws CorpusFormatException if the first four lines are not the specials in order, or a
     *                               line is blank, or a token appears twice; the message starts
     *                               with {@code "<origin>:<line>: "}
     */
    public static Vocabulary read(Reader in, String originForErrors) throws IOException {
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in);
        return parse(reader::readLine, originForErrors);
    }

    /** Writes the vocabulary to {@code file} as UTF-8 (see {@link #write(Writer)}). */
    public void save(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out);
        }
    }

    /**
     * Reads a vocabulary file saved by {@link #save(Path)}; bytes must be strict UTF-8 (a byte
     * order mark is skipped). Errors name the file path and line, as for {@link #read(Reader, String)}.
     */
    public static Vocabulary load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             Utf8LineReader lines = new Utf8LineReader(in, file.toString())) {
            return parse(lines::readLine, file.toString());
        }
    }

    /** Supplies lines, null at the end. */
    private interface LineSource {
        String next() throws IOException;
    }

    private static Vocabulary parse(LineSource lines, String origin) throws IOException {
        List<String> list = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        String line;
        while ((line = lines.next()) != null) {
            int lineNumber = list.size() + 1;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                throw new CorpusFormatException(origin, lineNumber, "blank line; every line must hold one token");
            }
            if (lineNumber <= SPECIALS.size() && !line.equals(SPECIALS.get(lineNumber - 1))) {
                throw new CorpusFormatException(origin, lineNumber, "expected special token '"
                        + SPECIALS.get(lineNumber - 1) + "' but found '" + line
                        + "'; the first four lines must be " + String.join(" ", SPECIALS));
            }
            Integer previous = firstLine.putIfAbsent(line, lineNumber);
            if (previous != null) {
                throw new CorpusFormatException(origin, lineNumber, "duplicate token '" + line
                        + "' (first on line " + previous + ")");
            }
            list.add(line);
        }
        if (list.size() < SPECIALS.size()) {
            throw new CorpusFormatException(origin, list.size() + 1, "vocabulary ends after " + list.size()
                    + " lines; the first four lines must be " + String.join(" ", SPECIALS));
        }
        return new Vocabulary(list);
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens]";
    }
}
