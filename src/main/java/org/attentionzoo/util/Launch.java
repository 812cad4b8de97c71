package org.attentionzoo.util;

/**
 * What every main of the zoo (the command line, the examples) does first: keeps SameDiff's chatter off the
 * console ({@link QuietOutput}), caches ND4J's shape descriptors ({@link ShapeInfoCache}) and, unless the environment sets {@code OMP_NUM_THREADS}, runs one thread per
 * ND4J operation, so that the cores go to the zoo's workers instead ({@link Threads#workers()}: training
 * shards, decoding shards). On 2 cores that trains faster than ND4J's default of every core per operation
 * ({@code docs/dl4j-notes.md}); larger machines were not measured.
 */
public final class Launch {

    private Launch() {
    }

    /** Call first in {@code main}; calling it again does nothing more. */
    public static void prepare() {
        QuietOutput.install();
        ShapeInfoCache.install();
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Threads.use(1);
        }
    }
}
