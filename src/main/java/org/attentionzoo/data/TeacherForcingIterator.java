package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batches of sentence pairs for training an encoder-decoder with teacher forcing.
 *
 * <p>For a pair with source ids {@code x} and target ids {@code y}, each {@link MultiDataSet} holds
 * (mb = examples in the batch, Ts = longest source, Tt = longest target + 1, all float32):
 * <ul>
 *   <li>features[0]: source ids, shape [mb, 1, Ts], {@link Vocabulary#PAD_ID} after the end;</li>
 *   <li>features[1]: decoder input {@code BOS y}, shape [mb, 1, Tt];</li>
 *   <li>labels[0]: decoder target {@code y EOS}, shape [mb, 1, Tt], as class ids for
 *       {@code LossSparseMCXENT};</li>
 *   <li>featuresMasks[0] [mb, Ts], featuresMasks[1] [mb, Tt] and labelsMasks[0] [mb, Tt]: 1 on real
 *       steps (BOS and EOS included), 0 on padding.</li>
 * </ul>
 *
 * <p>All pairs are tokenized and encoded once, when the iterator is built. Pairs whose source, or
 * whose target counted with EOS, is longer than {@code maxLength} tokens are skipped (never cut),
 * as are pairs with an empty side; {@link #report()} says how many. Batches group pairs of similar
 * length (see the builder's {@code bucketing}) and are ordered by a random generator seeded from
 * the seed and the epoch number: {@link #reset()} starts the next epoch, so two iterators built
 * alike give identical batches, epoch after epoch.
 *
 * <p>{@link #asyncSupported()} is false (batches are cheap to build from memory) and
 * {@link #next(int)} is unsupported.
 */
public final class TeacherForcingIterator implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final int[][] sources;
    private final int[][] targets;
    private final int[] sourceLengths;
    private final int[] targetLengths;
    private final int batchSize;
    private final int maxTokens;
    private final boolean shuffle;
    private final boolean bucketing;
    private final int poolBatches;
    private final long seed;
    private final LengthReport lengthReport;
    private final Vocabulary sourceVocab;
    private final Vocabulary targetVocab;

    private int epoch;
    private List<int[]> plan;
    private int cursor;
    private MultiDataSetPreProcessor preProcessor;

    private TeacherForcingIterator(Builder b) {
        this.batchSize = b.batchSize;
        this.maxTokens = b.maxTokens;
        this.shuffle = b.shuffle;
        this.bucketing = b.bucketing;
        this.poolBatches = b.bucketPoolBatches;
        this.seed = b.seed;
        this.sourceVocab = b.sourceVocab;
        this.targetVocab = b.targetVocab;
        List<int[]> src = new ArrayList<>(b.pairs.size());
        List<int[]> tgt = new ArrayList<>(b.pairs.size());
        int tooLong = 0;
        int empty = 0;
        for (SentencePair pair : b.pairs) {
            int[] x = b.sourceVocab.encode(b.sourceTokenizer.tokenize(pair.source()));
            int[] y = b.targetVocab.encode(b.targetTokenizer.tokenize(pair.target()));
            if (x.length == 0 || y.length == 0) {
                empty++;
            } else if (x.length > b.maxLength || y.length + 1 > b.maxLength) {
                tooLong++;
            } else {
                src.add(x);
                tgt.add(y);
            }
        }
        this.lengthReport = new LengthReport(b.pairs.size(), src.size(), tooLong, empty, b.maxLength);
        if (src.isEmpty()) {
            throw new IllegalArgumentException("no sentence pair left to iterate over: " + lengthReport.line());
        }
        this.sources = src.toArray(new int[0][]);
        this.targets = tgt.toArray(new int[0][]);
        this.sourceLengths = Arrays.stream(sources).mapToInt(a -> a.length).toArray();
        this.targetLengths = Arrays.stream(targets).mapToInt(a -> a.length).toArray();
        startEpoch(0);
    }

    /** A builder with defaults batchSize 64, maxLength 50, seed 42, shuffle and bucketing on. */
    public static Builder builder() {
        return new Builder();
    }

    private void startEpoch(int newEpoch) {
        this.epoch = newEpoch;
        this.plan = BatchPlanner.plan(sourceLengths, targetLengths, batchSize, maxTokens, shuffle, bucketing, poolBatches,
                seed, newEpoch);
        this.cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < plan.size();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches; call reset()");
        }
        MultiDataSet batch = toMultiDataSet(plan.get(cursor++));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    private MultiDataSet toMultiDataSet(int[] examples) {
        int mb = examples.length;
        int ts = 0;
        int tt = 0;
        for (int e : examples) {
            ts = Math.max(ts, sourceLengths[e]);
            tt = Math.max(tt, targetLengths[e] + 1);
        }
        float[] src = new float[mb * ts];
        float[] srcMask = new float[mb * ts];
        float[] decIn = new float[mb * tt];
        float[] decOut = new float[mb * tt];
        float[] tgtMask = new float[mb * tt];
        Arrays.fill(src, Vocabulary.PAD_ID);
        Arrays.fill(decIn, Vocabulary.PAD_ID);
        Arrays.fill(decOut, Vocabulary.PAD_ID);
        for (int row = 0; row < mb; row++) {
            int[] x = sources[examples[row]];
            int[] y = targets[examples[row]];
            for (int t = 0; t < x.length; t++) {
                src[row * ts + t] = x[t];
                srcMask[row * ts + t] = 1f;
            }
            decIn[row * tt] = Vocabulary.BOS_ID;
            for (int t = 0; t < y.length; t++) {
                decIn[row * tt + t + 1] = y[t];
                decOut[row * tt + t] = y[t];
            }
            decOut[row * tt + y.length] = Vocabulary.EOS_ID;
            for (int t = 0; t <= y.length; t++) {
                tgtMask[row * tt + t] = 1f;
            }
        }
        INDArray[] features = {
            Nd4j.create(src, new long[] {mb, 1, ts}, 'c'),
            Nd4j.create(decIn, new long[] {mb, 1, tt}, 'c')};
        INDArray[] labels = {Nd4j.create(decOut, new long[] {mb, 1, tt}, 'c')};
        INDArray targetMask = Nd4j.create(tgtMask, new long[] {mb, tt}, 'c');
        INDArray[] featureMasks = {Nd4j.create(srcMask, new long[] {mb, ts}, 'c'), targetMask};
        INDArray[] labelMasks = {targetMask.dup()};
        return new org.nd4j.linalg.dataset.MultiDataSet(features, labels, featureMasks, labelMasks);
    }

    /** Not supported: batches are planned per epoch. */
    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("TeacherForcingIterator has a fixed batch size; use next()");
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts the next epoch, with batches reshuffled from the seed and the new epoch number. */
    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    /** The current epoch number, 0 for a new iterator. */
    public int epoch() {
        return epoch;
    }

    /** How many batches of the current epoch were served so far (0 right after {@link #reset()}). */
    public int batchInEpoch() {
        return cursor;
    }

    /**
     * Moves to batch {@code batch} of epoch {@code epoch}, exactly where an iterator built alike would
     * be after {@code epoch} resets and {@code batch} calls to {@link #next()}; the next batch served
     * is the same. This is how an interrupted training run picks up its data stream again.
     *
     * @throws IllegalArgumentException for a negative epoch, or a batch outside {@code [0, batchesPerEpoch()]}
     */
    public void seek(int epoch, int batch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be 0 or more, got " + epoch);
        }
        startEpoch(epoch);
        if (batch < 0 || batch > plan.size()) {
            throw new IllegalArgumentException("epoch " + epoch + " has " + plan.size() + " batches, cannot seek to batch "
                    + batch);
        }
        cursor = batch;
    }

    /** Number of batches in one epoch. */
    public int batchesPerEpoch() {
        return plan.size();
    }

    /** Counts of kept and skipped pairs. */
    public LengthReport lengthReport() {
        return lengthReport;
    }

    /** One line saying how many pairs were kept and skipped; see {@link LengthReport#line()}. */
    public String report() {
        return lengthReport.line();
    }

    /** Number of pairs iterated over in one epoch. */
    public int keptPairs() {
        return lengthReport.keptPairs();
    }

    /** Number of pairs skipped for being longer than maxLength. */
    public int skippedTooLong() {
        return lengthReport.tooLong();
    }

    /** Number of pairs skipped for having an empty source or target after tokenisation. */
    public int skippedEmpty() {
        return lengthReport.empty();
    }

    /** Number of non-padding label tokens (target tokens plus one EOS per pair) in one epoch. */
    public int totalTargetTokens() {
        int total = 0;
        for (int length : targetLengths) {
            total += length + 1;
        }
        return total;
    }

    /** Number of non-padding source tokens in one epoch. */
    public int totalSourceTokens() {
        int total = 0;
        for (int length : sourceLengths) {
            total += length;
        }
        return total;
    }

    /**
     * Fraction of padding among all time steps of the current epoch's batches, counting the source
     * tensor and the decoder tensor (decoder input and labels share their shape and mask).
     */
    public double paddingFraction() {
        long padding = 0;
        long all = 0;
        for (int[] batch : plan) {
            int ts = 0;
            int tt = 0;
            long real = 0;
            for (int e : batch) {
                ts = Math.max(ts, sourceLengths[e]);
                tt = Math.max(tt, targetLengths[e] + 1);
                real += sourceLengths[e] + targetLengths[e] + 1;
            }
            long steps = (long) batch.length * (ts + tt);
            all += steps;
            padding += steps - real;
        }
        return (double) padding / all;
    }

    /** The source vocabulary. */
    public Vocabulary sourceVocab() {
        return sourceVocab;
    }

    /** The target vocabulary. */
    public Vocabulary targetVocab() {
        return targetVocab;
    }

    /** Configures and builds a {@link TeacherForcingIterator}. */
    public static final class Builder {
        private List<SentencePair> pairs;
        private Tokenizer sourceTokenizer;
        private Tokenizer targetTokenizer;
        private Vocabulary sourceVocab;
        private Vocabulary targetVocab;
        private int batchSize = 64;
        private int maxTokens = 0;
        private int maxLength = 50;
        private long seed = 42;
        private boolean shuffle = true;
        private boolean bucketing = true;
        private int bucketPoolBatches = 50;

        private Builder() {
        }

        /** The sentence pairs (required). */
        public Builder pairs(List<SentencePair> pairs) {
            this.pairs = pairs;
            return this;
        }

        /** Tokenizer for the source side (required). */
        public Builder sourceTokenizer(Tokenizer tokenizer) {
            this.sourceTokenizer = tokenizer;
            return this;
        }

        /** Tokenizer for the target side (required). */
        public Builder targetTokenizer(Tokenizer tokenizer) {
            this.targetTokenizer = tokenizer;
            return this;
        }

        /** Vocabulary for the source side (required). */
        public Builder sourceVocab(Vocabulary vocab) {
            this.sourceVocab = vocab;
            return this;
        }

        /** Vocabulary for the target side (required). */
        public Builder targetVocab(Vocabulary vocab) {
            this.targetVocab = vocab;
            return this;
        }

        /** Examples per batch (default 64); the last batch of an epoch may be smaller. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The most padded positions per batch, {@code examples · max(source length, target length + 1)}
         * (default 0: no cap, every batch holds batchSize examples but the last). The largest batch decides
         * the memory training needs; a batch of one example may exceed the cap.
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Longest source, and longest target counted with EOS, in tokens (default 50). */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Seed of the epoch shuffles (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to shuffle examples and batches each epoch (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to group examples of similar length into batches (default true). */
        public Builder bucketing(boolean bucketing) {
            this.bucketing = bucketing;
            return this;
        }

        /**
         * How many batches' worth of (shuffled) examples are sorted by length together when
         * bucketing (default 50): larger pools pad less but mix lengths across batches less.
         */
        public Builder bucketPoolBatches(int poolBatches) {
            this.bucketPoolBatches = poolBatches;
            return this;
        }

        /**
         * Tokenizes and encodes every pair and plans the first epoch.
         *
         * @throws NullPointerException     if a required setting is missing
         * @throws IllegalArgumentException for a non-positive size, or when no pair is left
         */
        public TeacherForcingIterator build() {
            Objects.requireNonNull(pairs, "pairs");
            Objects.requireNonNull(sourceTokenizer, "sourceTokenizer");
            Objects.requireNonNull(targetTokenizer, "targetTokenizer");
            Objects.requireNonNull(sourceVocab, "sourceVocab");
            Objects.requireNonNull(targetVocab, "targetVocab");
            if (maxTokens < 0) {
                throw new IllegalArgumentException("maxTokens must be 0 (no cap) or positive, got " + maxTokens);
            }
            if (batchSize < 1 || maxLength < 1 || bucketPoolBatches < 1) {
                throw new IllegalArgumentException("batchSize, maxLength and bucketPoolBatches must be positive, got "
                        + batchSize + ", " + maxLength + ", " + bucketPoolBatches);
            }
            return new TeacherForcingIterator(this);
        }
    }
}
