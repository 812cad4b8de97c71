package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Byte-pair encoding merges learned from word counts (Sennrich, Haddow and Birch 2016, "Neural Machine
 * Translation of Rare Words with Subword Units", ACL, Algorithm 1).
 *
 * <p>A word starts as its code points; the last one carries the end-of-word suffix {@link #END_OF_WORD}
 * ("</w>", as in the paper), so that a merge can tell a word ending ("st</w>") from the same letters inside
 * a word ("st"). Learning repeatedly replaces the most frequent adjacent symbol pair, counted over word
 * frequencies, by one new symbol, and records that pair as the next merge. Segmenting a word applies the
 * merges in the order they were learned: while some adjacent pair is a merge, every non-overlapping
 * occurrence (left to right) of the earliest-learned such pair is joined.
 *
 * <p><b>Ties.</b> Of the pairs with the highest count, the one whose left symbol is smallest in
 * {@link String#compareTo} order is merged, and then the smallest right symbol. So the merges depend only on
 * the word counts, never on hash order or the order of the corpus. Learning stops early when no pair occurs
 * at least {@link #MIN_PAIR_COUNT} times (merging a pair seen once only memorises that word).
 *
 * <p><b>Speed.</b> Pair counts are updated incrementally: merging a pair revisits only the words that contain
 * it (an index from pair to words), and the most frequent pair is taken from a priority queue whose stale
 * entries are skipped when popped. Learning 8000 merges on one side of the 25,000-sentence gettext en-fr
 * corpus takes 1 to 2 seconds on a shared 2-core machine; on Chinese with {@code bpe-chars}, whose words are
 * long runs of characters, 2 to 8 seconds.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BpeModel {

    /** Suffix of a word's last symbol while learning and in merge files. */
    public static final String END_OF_WORD = "</w>";
    /** A pair must occur at least this often (weighted by word counts) to be merged. */
    public static final int MIN_PAIR_COUNT = 2;

    /** One learned merge: the adjacent symbols {@code left} and {@code right} become {@code left + right}. */
    public record Merge(String left, String right) {
        /** Checks that both symbols are non-empty and free of whitespace. */
        public Merge {
            checkSymbol(left);
            checkSymbol(right);
        }

        /** The symbol the merge makes. */
        public String joined() {
            return left + right;
        }
    }

    private final List<Merge> merges;
    /** Rank of each merge, keyed by {@code left + " " + right} (symbols never hold a space). */
    private final Map<String, Integer> ranks;
    /** For each symbol a merge makes, the first merge that makes it. */
    private final Map<String, Merge> makers;

    /**
     * A model from merges in the order they apply.
     *
     * @throws IllegalArgumentException for a merge listed twice
     */
    public BpeModel(List<Merge> merges) {
        this.merges = List.copyOf(merges);
        Map<String, Integer> map = new HashMap<>(merges.size() * 2);
        for (int i = 0; i < merges.size(); i++) {
            Integer previous = map.putIfAbsent(key(merges.get(i).left(), merges.get(i).right()), i);
            if (previous != null) {
                throw new IllegalArgumentException("merge " + (i + 1) + " '" + merges.get(i).left() + " "
                        + merges.get(i).right() + "' repeats merge " + (previous + 1));
            }
        }
        this.ranks = map;
        Map<String, Merge> made = new HashMap<>(merges.size() * 2);
        for (Merge m : this.merges) {
            made.putIfAbsent(m.joined(), m);
        }
        this.makers = made;
    }

    /**
     * The merge that makes {@code symbol} (written as inside this model: a word's last symbol ends with
     * {@link #END_OF_WORD}), the first one if several do; null for a single character or a symbol no merge makes.
     * Splitting a symbol into this merge's two symbols undoes it.
     */
    public Merge madeBy(String symbol) {
        return makers.get(symbol);
    }

    /** The merges in the order they apply (unmodifiable). */
    public List<Merge> merges() {
        return merges;
    }

    /** Number of merges. */
    public int size() {
        return merges.size();
    }

    /**
     * Learns up to {@code maxMerges} merges from words and their counts.
     *
     * @param wordCounts how often each word occurs; words must be non-empty and free of whitespace
     * @param maxMerges  the most merges to learn (fewer when no pair occurs {@link #MIN_PAIR_COUNT} times)
     * @throws IllegalArgumentException for a negative number of merges, a non-positive count, or a bad word
     */
    public static BpeModel learn(Map<String, Integer> wordCounts, int maxMerges) {
        if (maxMerges < 0) {
            throw new IllegalArgumentException("the number of merges must be 0 or more, got " + maxMerges);
        }
        return new Learner(wordCounts).run(maxMerges);
    }

    /** Counts each word of {@code words} and learns merges from the counts (see {@link #learn(Map, int)}). */
    public static BpeModel learn(Iterable<String> words, int maxMerges) {
        Map<String, Integer> counts = new HashMap<>();
        for (String word : words) {
            counts.merge(word, 1, Integer::sum);
        }
        return learn(counts, maxMerges);
    }

    /**
     * Splits one word into subwords by applying the merges; the subwords joined give the word back. The
     * result carries no markers ({@link #END_OF_WORD} is only used internally).
     *
     * @throws IllegalArgumentException for an empty word
     */
    public List<String> segment(String word) {
        if (word.isEmpty()) {
            throw new IllegalArgumentException("cannot segment an empty word");
        }
        List<String> symbols = initialSymbols(word);
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            Merge best = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(key(symbols.get(i), symbols.get(i + 1)));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = merges.get(rank);
                }
            }
            if (best == null) {
                break;
            }
            List<String> next = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(best.left()) && symbols.get(i + 1).equals(best.right())) {
                    next.add(best.joined());
                    i++;
                } else {
                    next.add(symbols.get(i));
                }
            }
            symbols = next;
        }
        int last = symbols.size() - 1;
        String end = symbols.get(last);
        symbols.set(last, end.substring(0, end.length() - END_OF_WORD.length()));
        return symbols;
    }

    private static String key(String left, String right) {
        return left + " " + right;
    }

    /** The code points of {@code word}, the last one with {@link #END_OF_WORD} appended. */
    static List<String> initialSymbols(String word) {
        List<String> symbols = new ArrayList<>(word.length() + 1);
        word.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + END_OF_WORD);
        return symbols;
    }

    static void checkSymbol(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isEmpty()) {
            throw new IllegalArgumentException("a BPE symbol must not be empty");
        }
        for (int i = 0; i < symbol.length(); ) {
            int cp = symbol.codePointAt(i);
            if (WordTokenizer.isSpace(cp)) {
                throw new IllegalArgumentException("a BPE symbol must not contain whitespace: '" + symbol + "'");
            }
            i += Character.charCount(cp);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeModel other && merges.equals(other.merges);
    }

    @Override
    public int hashCode() {
        return merges.hashCode();
    }

    @Override
    public String toString() {
        return "BpeModel[" + merges.size() + " merges]";
    }

    /**
     * Algorithm 1 of Sennrich et al. with incremental pair counts. Symbols are interned as ints; a pair is a
     * long (left id in the high half).
     */
    private static final class Learner {
        private final List<String> symbolText = new ArrayList<>();
        private final Map<String, Integer> symbolIds = new HashMap<>();
        private final int[][] words;
        private final long[] wordCounts;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>();

        /** A pair with its count when queued; stale once the count has changed. */
        private final class Candidate implements Comparable<Candidate> {
            final long pair;
            final long count;

            Candidate(long pair, long count) {
                this.pair = pair;
                this.count = count;
            }

            @Override
            public int compareTo(Candidate o) {
                if (count != o.count) {
                    return Long.compare(o.count, count);
                }
                int c = symbolText.get(left(pair)).compareTo(symbolText.get(left(o.pair)));
                return c != 0 ? c : symbolText.get(right(pair)).compareTo(symbolText.get(right(o.pair)));
            }
        }

        Learner(Map<String, Integer> counts) {
            words = new int[counts.size()][];
            wordCounts = new long[counts.size()];
            int w = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                String word = e.getKey();
                if (word == null || word.isEmpty()) {
                    throw new IllegalArgumentException("cannot learn BPE from an empty word");
                }
                if (e.getValue() == null || e.getValue() < 1) {
                    throw new IllegalArgumentException("word '" + word + "' has count " + e.getValue()
                            + "; counts must be positive");
                }
                List<String> symbols = initialSymbols(word);
                int[] ids = new int[symbols.size()];
                for (int i = 0; i < ids.length; i++) {
                    checkSymbol(symbols.get(i));
                    ids[i] = intern(symbols.get(i));
                }
                words[w] = ids;
                wordCounts[w] = e.getValue();
                addPairs(w);
                w++;
            }
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                queue.add(new Candidate(e.getKey(), e.getValue()));
            }
        }

        BpeModel run(int maxMerges) {
            List<Merge> merges = new ArrayList<>(Math.min(maxMerges, 1 << 16));
            while (merges.size() < maxMerges) {
                Candidate best = pollCurrent();
                if (best == null || best.count < MIN_PAIR_COUNT) {
                    break;
                }
                int a = left(best.pair);
                int b = right(best.pair);
                merges.add(new Merge(symbolText.get(a), symbolText.get(b)));
                merge(best.pair, a, b, intern(symbolText.get(a) + symbolText.get(b)));
            }
            return new BpeModel(merges);
        }

        /** The most frequent pair whose queued count is current, or null when none is left. */
        private Candidate pollCurrent() {
            Candidate c;
            while ((c = queue.poll()) != null) {
                Long current = pairCounts.get(c.pair);
                if (current != null && current == c.count) {
                    return c;
                }
            }
            return null;
        }

        private void merge(long pair, int a, int b, int joined) {
            Set<Integer> affected = pairWords.remove(pair);
            Set<Long> changed = new HashSet<>();
            for (int w : affected) {
                int[] symbols = words[w];
                if (!contains(symbols, a, b)) {
                    continue; // a stale index entry: an earlier merge took the pair out of this word
                }
                removePairs(w, changed);
                int[] next = new int[symbols.length];
                int n = 0;
                for (int i = 0; i < symbols.length; i++) {
                    if (i + 1 < symbols.length && symbols[i] == a && symbols[i + 1] == b) {
                        next[n++] = joined;
                        i++;
                    } else {
                        next[n++] = symbols[i];
                    }
                }
                words[w] = Arrays.copyOf(next, n);
                addPairs(w);
                collectPairs(w, changed);
            }
            for (long p : changed) {
                Long count = pairCounts.get(p);
                if (count != null) {
                    queue.add(new Candidate(p, count));
                }
            }
        }

        private static boolean contains(int[] symbols, int a, int b) {
            for (int i = 0; i + 1 < symbols.length; i++) {
                if (symbols[i] == a && symbols[i + 1] == b) {
                    return true;
                }
            }
            return false;
        }

        private void addPairs(int w) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                long p = pair(s[i], s[i + 1]);
                pairCounts.merge(p, wordCounts[w], Long::sum);
                pairWords.computeIfAbsent(p, k -> new HashSet<>()).add(w);
            }
        }

        private void removePairs(int w, Set<Long> changed) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                long p = pair(s[i], s[i + 1]);
                long left = pairCounts.get(p) - wordCounts[w];
                if (left == 0) {
                    pairCounts.remove(p);
                } else {
                    pairCounts.put(p, left);
                }
                changed.add(p);
            }
        }

        private void collectPairs(int w, Set<Long> changed) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                changed.add(pair(s[i], s[i + 1]));
            }
        }

        private int intern(String symbol) {
            Integer id = symbolIds.get(symbol);
            if (id == null) {
                id = symbolText.size();
                symbolText.add(symbol);
                symbolIds.put(symbol, id);
            }
            return id;
        }

        private static long pair(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }

        private static int left(long pair) {
            return (int) (pair >>> 32);
        }

        private static int right(long pair) {
            return (int) pair;
        }
    }
}
