package org.attentionzoo;

import org.attentionzoo.util.NativeMemory;
import org.attentionzoo.util.QuietOutput;
import org.attentionzoo.util.ShapeInfoCache;
import org.attentionzoo.util.Threads;

/**
 * The process-wide settings the zoo runs fastest and quietest with, in one opt-in call. The library itself
 * changes nothing outside its own objects: constructing a {@code Trainer}, {@code Translator} or loading a model
 * leaves ND4J, the JVM's streams and the thread settings as the application set them. The command line
 * ({@code ZooCli}) and every example main call {@link #configure()} first; an application embedding the zoo
 * may call it too, or pick the pieces it wants:
 *
 * <ul>
 *   <li>{@link ShapeInfoCache#install()}: ND4J's shape descriptors cached for every request, so that decoding
 *       steps, which create a few hundred small arrays each, do not build each descriptor natively (batch-1
 *       Transformer decoding 1.7x faster in a probe: see {@link ShapeInfoCache});</li>
 *   <li>one thread per ND4J operation ({@link Threads#use Threads.use(1)}) unless the environment sets
 *       {@code OMP_NUM_THREADS}, so the cores go to the zoo's training and decoding workers instead
 *       ({@link Threads#workers()}); on 2 cores that trained luong-general 1.7x faster than ND4J's default of
 *       every core per operation;</li>
 *   <li>{@link QuietOutput#install()}: {@code System.out} replaced by a UTF-8 stream that drops SameDiff's
 *       unconditional "Added differentiated op" lines (they bypass logging);</li>
 *   <li>{@link NativeMemory#keep()}: a daemon thread that runs the collector and trims the C heap when
 *       resident memory has grown, so that ND4J's freed native arrays are returned instead of piling up;</li>
 *   <li>{@code java.awt.headless=true} unless the JVM was started with a setting of its own, so that the
 *       pictures ({@code PngHeatmap}, {@code TrainingChart}) never reach for a display, even where
 *       {@code DISPLAY} names one that cannot be opened.</li>
 * </ul>
 *
 * <p>Calling it again applies the same settings again; nothing is installed twice.
 */
public final class AttentionZoo {

    private AttentionZoo() {
    }

    /**
     * Installs the shape cache, one ND4J thread per operation (unless {@code OMP_NUM_THREADS} is set) and the quiet
     * {@code System.out}, and sets {@code java.awt.headless} unless the JVM has a setting of its own.
     */
    public static void configure() {
        QuietOutput.install();
        ShapeInfoCache.install();
        NativeMemory.keep();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Threads.use(1);
        }
    }
}
