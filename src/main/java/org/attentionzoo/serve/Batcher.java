package org.attentionzoo.serve;

import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches the requests for one translator (one model and decoding) into shared {@link Translator#translateAllNBest}
 * calls. A batch starts at once when as many requests wait as the previous batch answered (a lone client waits for
 * nobody) or {@code maxBatch} sentences wait; otherwise it waits for the clients the previous batch answered, who are
 * likely to ask again, until {@code window} nanoseconds after its oldest request arrived or, if that one arrived
 * while the previous batch was decoding, after that batch finished. It takes whole requests in arrival order up to
 * {@code maxBatch} sentences (a larger request goes alone). At most one batch per batcher decodes at a time (the
 * translator spreads a batch over the cores itself); batches run on {@code pool}, and a batcher with more waiting goes
 * to the back of the pool's queue after each batch, so that busy batchers take turns. Each request gets its own slice of the batch's translations, or its own failure: a source over the
 * translator's token limit fails only the request it came in.
 */
final class Batcher {

    private record Job(List<String> sources, CompletableFuture<List<List<Translation>>> result, long arrived) {
    }

    private final Translator translator;
    private final int nbest;
    private final Executor pool;
    private final long window;
    private final int maxBatch;
    /** Requests not yet in a batch, oldest first; guarded by this. */
    private final Deque<Job> queue = new ArrayDeque<>();
    /** Sentences in {@link #queue}; guarded by this. */
    private int queued;
    /** Whether a batch of this batcher is on the pool (waiting, gathering or decoding); guarded by this. */
    private boolean scheduled;
    /** When the last batch finished decoding ({@link System#nanoTime}); guarded by this. */
    private long lastEnd = Long.MIN_VALUE / 2;
    /** How many requests the last batch answered; guarded by this. */
    private int lastRequests;
    /** Translator calls made so far. */
    private final AtomicLong calls = new AtomicLong();

    Batcher(Translator translator, int nbest, Executor pool, long windowNanos, int maxBatch) {
        this.translator = translator;
        this.nbest = nbest;
        this.pool = pool;
        this.window = windowNanos;
        this.maxBatch = maxBatch;
    }

    /** The n-best translations of each source, in order, once the batch they go in is decoded. */
    CompletableFuture<List<List<Translation>>> submit(List<String> sources) {
        Job job = new Job(sources, new CompletableFuture<>(), System.nanoTime());
        boolean schedule;
        synchronized (this) {
            queue.add(job);
            queued += sources.size();
            schedule = !scheduled;
            scheduled = true;
            if (queue.size() >= lastRequests || queued >= maxBatch) {
                notifyAll();
            }
        }
        if (schedule) {
            schedule();
        }
        return job.result();
    }

    /** The translator calls made so far (a batch with a source over the token limit makes one more). */
    long batches() {
        return calls.get();
    }

    private void schedule() {
        try {
            pool.execute(this::runBatch);
        } catch (RejectedExecutionException e) {
            List<Job> left;
            synchronized (this) {
                left = new ArrayList<>(queue);
                queue.clear();
                queued = 0;
                scheduled = false;
            }
            left.forEach(j -> j.result().completeExceptionally(new RequestException(503, "the server is shutting down")));
        }
    }

    private void runBatch() {
        List<Job> batch = new ArrayList<>();
        synchronized (this) {
            long deadline = queue.isEmpty() ? 0 : Math.max(queue.peek().arrived(), lastEnd) + window;
            for (long left = deadline - System.nanoTime(); queue.size() < lastRequests && queued < maxBatch && left > 0;
                 left = deadline - System.nanoTime()) {
                try {
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int taken = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || taken + queue.peek().sources().size() <= maxBatch)) {
                Job job = queue.poll();
                taken += job.sources().size();
                queued -= job.sources().size();
                batch.add(job);
            }
            lastRequests = batch.size();
        }
        try {
            decode(batch);
        } finally {
            boolean more;
            synchronized (this) {
                lastEnd = System.nanoTime();
                more = !queue.isEmpty();
                scheduled = more;
            }
            if (more) {
                schedule();
            }
        }
    }

    /** Decodes the batch's sources in one call; a source over the token limit fails its request, and the rest go again. */
    private void decode(List<Job> batch) {
        List<Job> jobs = new ArrayList<>(batch);
        while (!jobs.isEmpty()) {
            List<String> sources = new ArrayList<>();
            jobs.forEach(j -> sources.addAll(j.sources()));
            List<List<Translation>> all;
            try {
                calls.incrementAndGet();
                all = translator.translateAllNBest(sources, nbest);
            } catch (Translator.SourceTooLongException e) {
                int index = e.index();
                for (int k = 0; k < jobs.size(); k++) {
                    Job job = jobs.get(k);
                    if (index < job.sources().size()) {
                        job.result().completeExceptionally(new RequestException(422, "src[" + index + "]: " + e.getMessage()));
                        jobs.remove(k);
                        break;
                    }
                    index -= job.sources().size();
                }
                continue;
            } catch (RuntimeException | Error e) {
                jobs.forEach(j -> j.result().completeExceptionally(e));
                return;
            }
            int from = 0;
            for (Job job : jobs) {
                job.result().complete(List.copyOf(all.subList(from, from + job.sources().size())));
                from += job.sources().size();
            }
            return;
        }
    }
}
