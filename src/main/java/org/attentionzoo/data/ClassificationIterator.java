package org.attentionzoo.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Batches of labelled token sequences for a sequence classifier such as
 * {@code org.attentionzoo.models.EncoderClassifier}. Each {@link DataSet} holds (mb = examples in the batch,
 * T = longest sequence of the batch, float32):
 * <ul>
 *   <li>features: token ids [mb, 1, T], {@link Vocabulary#PAD_ID} after each sequence's end;</li>
 *   <li>features mask [mb, T]: 1 on real tokens, 0 on padding;</li>
 *   <li>labels: one-hot [mb, classes], in the order of the {@code classes} list; no labels mask.</li>
 * </ul>
 * Sequences are encoded once, when the iterator is built (tokens outside the vocabulary become
 * {@link Vocabulary#UNK_ID}). With shuffling, the order of epoch e comes from {@code new Random(seed + e)}, so
 * two iterators built alike give identical batches; {@link #reset()} starts the next epoch. Without shuffling
 * the batches follow the list order every epoch (for evaluation).
 */
public final class ClassificationIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final int[][] ids;
    private final int[] labels;
    private final List<String> classes;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final List<Integer> order = new ArrayList<>();
    private int epoch;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param examples  the sequences and their labels
     * @param vocab     maps tokens to ids
     * @param classes   the labels, in class-index order
     * @param batchSize examples per batch (the last batch of an epoch may be smaller)
     * @param shuffle   whether to shuffle the examples each epoch
     * @param seed      seed of the shuffling
     * @throws IllegalArgumentException for no examples, a label not in {@code classes}, or a batch size below 1
     */
    public ClassificationIterator(List<LabeledSequence> examples, Vocabulary vocab, List<String> classes,
                                  int batchSize, boolean shuffle, long seed) {
        if (examples.isEmpty() || batchSize < 1) {
            throw new IllegalArgumentException("need at least one example and a batch size of at least 1; got "
                    + examples.size() + " examples, batch size " + batchSize);
        }
        this.classes = List.copyOf(classes);
        this.ids = new int[examples.size()][];
        this.labels = new int[examples.size()];
        for (int i = 0; i < ids.length; i++) {
            LabeledSequence e = examples.get(i);
            ids[i] = vocab.encode(e.tokens());
            labels[i] = this.classes.indexOf(e.label());
            if (labels[i] < 0) {
                throw new IllegalArgumentException("example " + (i + 1) + " has label '" + e.label()
                        + "', which is not one of the classes " + this.classes);
            }
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        startEpoch(0);
    }

    private void startEpoch(int e) {
        epoch = e;
        cursor = 0;
        order.clear();
        for (int i = 0; i < ids.length; i++) {
            order.add(i);
        }
        if (shuffle) {
            Collections.shuffle(order, new Random(seed + e));
        }
    }

    /** Encodes the given examples (in order) as one batch, padded to the longest. */
    private DataSet batch(List<Integer> rows) {
        int mb = rows.size();
        int t = rows.stream().mapToInt(r -> ids[r].length).max().orElse(1);
        INDArray features = Nd4j.zeros(DataType.FLOAT, mb, 1, t);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, mb, t);
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, mb, classes.size());
        for (int i = 0; i < mb; i++) {
            int[] x = ids[rows.get(i)];
            for (int j = 0; j < x.length; j++) {
                features.putScalar(new long[]{i, 0, j}, x[j]);
                mask.putScalar(i, j, 1.0);
            }
            oneHot.putScalar(i, labels[rows.get(i)], 1.0);
        }
        DataSet ds = new DataSet(features, oneHot, mask, null);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.size();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over; call reset()");
        }
        int end = Math.min(order.size(), cursor + batchSize);
        DataSet ds = batch(order.subList(cursor, end));
        cursor = end;
        return ds;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("next(int) is not supported; the batch size is fixed at " + batchSize);
    }

    /** Starts the next epoch (a new order when shuffling). */
    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** Number of examples. */
    public int size() {
        return ids.length;
    }

    /** The fraction of examples of the most frequent class: the accuracy of always guessing it. */
    public double majorityFraction() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        return (double) max / labels.length;
    }

    @Override
    public int inputColumns() {
        return 1;
    }

    @Override
    public int totalOutcomes() {
        return classes.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return classes;
    }
}
