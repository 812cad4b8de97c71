package org.attentionzoo.examples;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.GreedyDecoder;
import org.attentionzoo.decode.LengthLimit;
import org.attentionzoo.decode.Shards;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.decode.StepModels;
import org.attentionzoo.decode.step.TopTokens;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.optim.GlobalNormClipping;
import org.attentionzoo.train.DataParallelGraph;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.util.Threads;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Throughput of every zoo model at the reference size of the PyTorch reference implementation it is compared with (docs/performance.md)
 * (embedding 256, hidden 256, vocabularies of at most 8000 tokens with count ≥ 2, batch 64, pairs of
 * at most 20 tokens per side from en-fr), and this machine's single-precision matrix-multiply speed.
 * Prints one table: training target tokens/s (non-padding, y + EOS) with the model-FLOPs utilisation,
 * greedy decoding sentences/s at batch 64 and at batch 1 (both on all the dev sentences, 256 by default, as
 * the peer), beam-5 sentences/s (the first 32, 16 sentences per batch), and
 * peak resident memory, and end-to-end {@code translate} sentences/s: the command line a user runs
 * ({@code java -cp <this class path> org.attentionzoo.cli.ZooCli translate --model M --src F --output O}, which is
 * {@code java -jar target/attention-zoo.jar translate ...} when run from that jar), timed from the JVM's start to
 * its exit, on every source line of the dev file, with {@code --translate-beam} (default 1, greedy) and the
 * card's benchmark model saved without optimiser state (barely trained: its outputs tend to run to the length
 * limit, more work than a trained model's), or the model {@code DIR/<card>/model.zip} of
 * {@code --translate-models DIR} (as {@code train --out DIR/<card>} writes it). {@code --translate false} leaves
 * that column out (NaN). The output starts with the processor and its vector extensions ({@link CpuInfo}).
 * Decoding uses each model's cached step model ({@code StepModels}); the column
 * "greedy b64 uncached" re-runs the whole graph on every prefix ({@code GraphStepModel}), for comparison.
 * {@code --decode false} measures training only (the decoding columns print NaN).
 *
 * <p>Training: {@code --warmup-steps} untimed steps (default 5, as the peer's benchmark), then {@code --steps}
 * timed ones (default 30), on the first batches of a seed-1 shuffle. The JIT compiles for the first few dozen
 * steps, so the default rows are below the speed a long run trains at; {@code --warmup-steps 50 --steps 100},
 * with the peer's {@code --warmup 50 --steps 100} on the same batches, measures that.
 *
 * <p>Cores: one thread per ND4J operation ({@link org.attentionzoo.AttentionZoo#configure()}) and {@code --workers} k
 * (default {@link Threads#workers()}: one per core): training computes k shards of every batch side by side,
 * as {@code Trainer} trains ({@link DataParallelGraph}); decoding gives each worker whole batches, as
 * {@code Translator} decodes ({@link Shards#decodeBatches}), except at batch 1, decoded one sentence after
 * another (its rate is the latency of one sentence). Every decoding measurement is JMH-like: it decodes all its batches
 * untimed for {@code --decode-warmup} seconds (default 5: JIT compilation, workspaces), then as many whole passes
 * as fit in {@code --decode-seconds} (default 3), timed; "greedy b64 uncached" makes one untimed and one timed pass.
 * The peer's Python benchmark times one pass with no warm-up (PyTorch compiles nothing at run time).
 * Each model runs in a JVM of its own ({@code --fork true}, the default, as JMH forks; a run launched from
 * a custom class loader, such as {@code mvn exec:java}, measures every model in that one JVM instead), so
 * the peak RSS is that model's alone.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.Benchmark \
 *     -Dexec.args="--train en-fr.train.tsv --dev en-fr.dev.tsv"
 * </pre>
 * Decoding runs on untrained weights with a fixed number of steps per batch (the longest reference
 * plus one, EOS forbidden, as the peer does), so the work does not depend on what the weights emit.
 * Model FLOPs per target token are estimated as 6 · (parameters outside the embeddings), the usual
 * forward + backward count; utilisation = achieved FLOP/s ÷ (measured one-thread GEMM FLOP/s × workers).
 */
@Command(name = "Benchmark", mixinStandardHelpOptions = true,
        description = "Training and decoding throughput of the zoo's models at the PyTorch peer's sizes, end-to-end"
                + " translate speed, peak memory; one table.")
public final class Benchmark implements Callable<Integer> {

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training TSV (source<TAB>target).")
    Path trainFile;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "Dev TSV: decoding and translate input.")
    Path devFile;

    @Option(names = "--cards", split = ",", paramLabel = "CARD", description = "Cards to measure, comma-separated"
            + " (default: seq2seq-lstm, luong-dot, luong-general, luong-concat, luong-general-feed, bahdanau and the"
            + " transformer-small cards).")
    List<String> cards;

    @Option(names = "--steps", defaultValue = "30", description = "Timed training steps, after the untimed ones"
            + " (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup-steps", defaultValue = "5", paramLabel = "N",
            description = "Untimed training steps first, as the peer's --warmup (default ${DEFAULT-VALUE}: the JIT"
                    + " is still compiling for a few dozen steps).")
    int warmup;

    @Option(names = "--decode-sents", defaultValue = "256", paramLabel = "N",
            description = "Dev sentences to decode (default ${DEFAULT-VALUE}).")
    int decodeSentences;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per ND4J operation.")
    Integer threads;

    @Option(names = "--decode", arity = "1", defaultValue = "true",
            description = "Measure decoding: true or false (default ${DEFAULT-VALUE}).")
    boolean decode;

    @Option(names = "--workers", defaultValue = "0", description = "Worker threads; 0 for one per core (default"
            + " ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--decode-warmup", defaultValue = "5", paramLabel = "SECONDS",
            description = "Untimed decoding before each measurement (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--decode-seconds", defaultValue = "3", paramLabel = "SECONDS",
            description = "Timed decoding per measurement (default ${DEFAULT-VALUE}).")
    double measureSeconds;

    @Option(names = "--fork", arity = "1", defaultValue = "true",
            description = "Each model in a JVM of its own: true or false (default ${DEFAULT-VALUE}).")
    boolean fork;

    @Option(names = "--translate", arity = "1", defaultValue = "true",
            description = "Measure end-to-end translate: true or false (default ${DEFAULT-VALUE}).")
    boolean translate;

    @Option(names = "--translate-beam", defaultValue = "1", paramLabel = "N",
            description = "Beam size of the end-to-end translate (default ${DEFAULT-VALUE}).")
    int translateBeam;

    @Option(names = "--translate-models", paramLabel = "DIR",
            description = "Translate with DIR/<card>/model.zip (train --out DIR/<card>) where there is one.")
    Path translateModels;

    /** Options only a forked run gets: print the model rows without the header, and use the parent's GEMM speed. */
    @Option(names = "--rows-only", arity = "1", defaultValue = "false", hidden = true)
    boolean rowsOnly;

    @Option(names = "--gflops", defaultValue = "NaN", hidden = true)
    double givenGflops;

    public static void main(String[] args) {
        ExampleCli.run(new Benchmark(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            Threads.use(threads);
        }
        if (cards == null) {
            cards = new ArrayList<>(List.of("seq2seq-lstm", "luong-dot", "luong-general", "luong-concat",
                    "luong-general-feed", "bahdanau"));
            Zoo.CARDS.stream().filter(c -> c.startsWith("transformer-small")).forEach(cards::add);
        }
        if (workers <= 0) {
            workers = Threads.workers();
        }
        if (!rowsOnly) {
            System.out.println(CpuInfo.describe());
        }
        MemoryPeak memory = MemoryPeak.start();
        double gflops = Double.isNaN(givenGflops) ? gemmGflops(1024) : givenGflops;
        Tokenizer words = Tokenizers.forName("words");
        List<SentencePair> train = ParallelCorpus.read(trainFile, true).pairs();
        List<SentencePair> allDev = ParallelCorpus.read(devFile, true).pairs();
        List<SentencePair> dev = allDev.stream().filter(p -> fits(words, p, 20)).limit(decodeSentences).toList();
        List<String> devSources = allDev.stream().map(SentencePair::source).toList();
        Vocabulary srcVocab = TrainingData.sourceVocabulary(train, words, 2, 8000);
        Vocabulary tgtVocab = TrainingData.targetVocabulary(train, words, 2, 8000);
        boolean forks = fork && forkable();
        if (!rowsOnly) {
            System.out.printf(Locale.ROOT, "ND4J %s threads per operation; training on %d worker threads (data parallel); "
                            + "GEMM 1024x1024 float: %.1f GFLOP/s per thread; vocab %d/%d; batch 64; "
                            + "%d timed steps after %d; %d dev sentences, decoded for %.0f s untimed then %.0f s timed; %s%n",
                    Threads.current(), workers, gflops, srcVocab.size(), tgtVocab.size(), steps, warmup,
                    dev.size(), warmupSeconds, measureSeconds, forks ? "each model in a JVM of its own"
                            : "every model in this JVM");
            if (decode && translate) {
                System.out.printf(Locale.ROOT, "translate e2e: `%s translate --beam %d` of the %d dev source lines,"
                                + " JVM start to exit, %s%n", shown(translateCommand()),
                        translateBeam, devSources.size(), translateModels != null ? "with " + translateModels
                                + "/<card>/model.zip" : "with each card's benchmark model (barely trained: outputs tend"
                                + " to run to the length limit)");
            }
            System.out.println("| model | params | train tgt tok/s | ms/step | MFU | greedy b64 sent/s "
                    + "| greedy b64 uncached | greedy b1 sent/s | beam5 sent/s | translate e2e sent/s | peak RSS MB |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
        if (forks) {
            memory.stop();
            for (String name : cards) {
                forkFor(name, gflops);
            }
            return 0;
        }
        for (String name : cards) {
            ModelCard card = Zoo.card(name).toBuilder().embeddingSize(256).hiddenSize(256).dropout(0.1).build();
            TranslationModel model = TranslationModel.create(card, srcVocab, tgtVocab, words, words);
            if (card.maxGradNorm() > 0) {
                model.graph().addListeners(new GlobalNormClipping(card.maxGradNorm()));   // as Trainer trains
            }
            memory.reset();
            TeacherForcingIterator it = TrainingData.batches(model, train, 64, 20, 1);
            List<MultiDataSet> batches = new ArrayList<>();
            while (batches.size() < warmup + steps && it.hasNext()) {
                batches.add(it.next());
            }
            long tokens = 0;
            long t0;
            ComputationGraph trained = workers > 1 ? DataParallelGraph.of(model.graph(), workers) : model.graph();
            for (int i = 0; i < warmup; i++) {
                trained.fit(batches.get(i));
            }
            t0 = System.nanoTime();
            for (int i = warmup; i < batches.size(); i++) {
                trained.fit(batches.get(i));
                tokens += (long) batches.get(i).getLabelsMaskArray(0).sumNumber().doubleValue();
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            double tokPerSec = tokens / trainSeconds;
            long denseParams = Zoo.parameterCount(model.graph()) - embeddingParams(model);
            double mfu = 6.0 * denseParams * tokPerSec / (gflops * workers * 1e9);

            double b64 = decode ? decodeRate(model, dev, 64, 1, true, workers, warmupSeconds, measureSeconds) : Double.NaN;
            double b64Uncached = decode ? decodeRate(model, dev.subList(0, Math.min(64, dev.size())), 64, 1, false, workers,
                    0, 0) : Double.NaN;                                                    // one pass each: seconds per pass
            double b1 = decode ? decodeRate(model, dev, 1, 1, true, workers, warmupSeconds, measureSeconds)
                    : Double.NaN;                                                          // all of them, as the peer
            double beam = decode ? decodeRate(model, dev.subList(0, Math.min(32, dev.size())), 16, 5, true, workers,
                    warmupSeconds, measureSeconds) : Double.NaN;
            long peak = memory.peakBytes();
            double e2e = decode && translate ? endToEnd(model, name, devSources, translateModels, translateBeam)
                    : Double.NaN;
            System.out.printf(Locale.ROOT, "| %s | %.2fM | %.0f | %.0f | %.1f%% | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f |%n",
                    name, Zoo.parameterCount(model.graph()) / 1e6, tokPerSec,
                    1000 * trainSeconds / (batches.size() - warmup), 100 * mfu, b64, b64Uncached, b1, beam, e2e,
                    peak / 1e6);
        }
        memory.stop();
        return 0;
    }

    /**
     * Whether each model can run in a JVM of its own: only when this one was started with a plain class path
     * (not, for instance, from {@code mvn exec:java}, whose class loader a child would not have).
     */
    private static boolean forkable() {
        return Benchmark.class.getClassLoader() == ClassLoader.getSystemClassLoader();
    }

    /**
     * Runs one model's measurements in a new JVM with this one's class path and JVM options (as JMH forks):
     * what one model leaves behind (JIT profiles, ND4J's shape-information cache, which keeps the first 1000
     * shapes it sees and builds every other one natively, native memory) does not slow the next, and the peak
     * RSS is that model's alone. The child prints its row to this process's output.
     */
    private void forkFor(String card, double gflops) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Benchmark.class.getName());
        command.addAll(childArguments(card, gflops));
        int status = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("the benchmark of " + card + " exited with status " + status);
        }
    }

    /**
     * The command line of the CLI as a user starts it: this JVM's {@code java} with this class path and
     * {@code org.attentionzoo.cli.ZooCli} (no JVM options: the CLI sets what it needs); from a custom class loader
     * (such as {@code mvn exec:java}), {@code java -jar target/attention-zoo.jar} if it was built; else null.
     */
    private static List<String> translateCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (forkable()) {
            return new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "org.attentionzoo.cli.ZooCli"));
        }
        Path jar = Path.of("target", "attention-zoo.jar");
        return Files.isRegularFile(jar) ? new ArrayList<>(List.of(java, "-jar", jar.toString())) : null;
    }

    /** A command of {@link #translateCommand} as the header shows it: "java", the class path abbreviated. */
    private static String shown(List<String> command) {
        if (command == null) {
            return "(no command: build target/attention-zoo.jar)";
        }
        List<String> shown = new ArrayList<>(command);
        shown.set(0, "java");
        int cp = shown.indexOf("-cp");
        if (cp >= 0) {
            shown.set(cp + 1, "<class path>");
        }
        return String.join(" ", shown);
    }

    /**
     * Sentences per second of {@code translate} in a new JVM, from its start to its exit, on {@code sources}
     * written one per line: with {@code modelsDir/<card>/model.zip} when there is one, else with {@code model}
     * saved without optimiser state. NaN (and a line on stderr) when the command cannot run or fails.
     */
    private static double endToEnd(TranslationModel model, String card, List<String> sources, Path modelsDir, int beam)
            throws IOException, InterruptedException {
        List<String> command = translateCommand();
        if (command == null) {
            System.err.println("translate e2e: build target/attention-zoo.jar (mvn package) or run with a plain class"
                    + " path to measure it");
            return Double.NaN;
        }
        Path tmp = Files.createTempDirectory("benchmark-translate");
        try {
            Path src = tmp.resolve("dev.src");
            Files.write(src, sources, StandardCharsets.UTF_8);
            Path modelFile = modelsDir == null ? null : modelsDir.resolve(card).resolve("model.zip");
            if (modelFile == null || !Files.isRegularFile(modelFile)) {
                modelFile = tmp.resolve("model.zip");
                ModelArchive.save(model, modelFile, java.util.Map.of(), false);
            }
            Path log = tmp.resolve("translate.log");
            command.addAll(List.of("translate", "--model", modelFile.toString(), "--src", src.toString(),
                    "--output", tmp.resolve("out.txt").toString(), "--beam", Integer.toString(beam)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            int status = pb.start().waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (status != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.err.println("translate e2e of " + card + " exited with status " + status + ": "
                        + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
                return Double.NaN;
            }
            return sources.size() / seconds;
        } finally {
            try (var files = Files.walk(tmp)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The options of the run of one card in a JVM of its own: this run's, for that card, rows only. */
    List<String> childArguments(String card, double gflops) {
        List<String> a = new ArrayList<>(List.of("--train", trainFile.toString(), "--dev", devFile.toString(),
                "--cards", card, "--steps", Integer.toString(steps), "--warmup-steps", Integer.toString(warmup),
                "--decode-sents", Integer.toString(decodeSentences),
                "--decode", Boolean.toString(decode), "--workers", Integer.toString(workers),
                "--decode-warmup", Double.toString(warmupSeconds), "--decode-seconds", Double.toString(measureSeconds),
                "--translate", Boolean.toString(translate), "--translate-beam", Integer.toString(translateBeam)));
        if (threads != null) {
            a.addAll(List.of("--threads", threads.toString()));
        }
        if (translateModels != null) {
            a.addAll(List.of("--translate-models", translateModels.toString()));
        }
        a.addAll(List.of("--fork", "false", "--rows-only", "true", "--gflops", Double.toString(gflops)));
        return a;
    }

    private static boolean fits(Tokenizer t, SentencePair p, int max) {
        int s = t.tokenize(p.source()).size();
        int g = t.tokenize(p.target()).size();
        return s > 0 && g > 0 && s <= max && g <= max;
    }

    /**
     * Sentences per second, in batches; every batch decodes exactly (its longest reference + 1) steps, EOS being
     * forbidden ({@link #withoutEos}), as the peer's benchmark does, so the work does not depend on the weights.
     * Tokenizing and id lookup happen before the clock starts. As JMH measures: all the batches are decoded
     * untimed, again and again, for {@code warmupSeconds} (at least once), then timed for {@code measureSeconds}
     * (whole passes, at least one); the rate is over the timed passes.
     */
    private static double decodeRate(TranslationModel model, List<SentencePair> pairs, int batch, int beam, boolean cached,
                                     int workers, double warmupSeconds, double measureSeconds) {
        Tokenizer t = model.targetTokenizer();
        List<StepModel> steps = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            steps.add(withoutEos(StepModels.of(model.card(), model.graph(), cached)));
        }
        List<int[][]> sources = new ArrayList<>();
        List<LengthLimit> limits = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += batch) {
            List<SentencePair> chunk = pairs.subList(i, Math.min(pairs.size(), i + batch));
            sources.add(chunk.stream().map(p -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(p.source())))
                    .toArray(int[][]::new));
            limits.add(new LengthLimit(0, chunk.stream().mapToInt(p -> t.tokenize(p.target()).size() + 1).max().orElse(1)));
        }
        repeatFor(warmupSeconds, () -> decodeAll(steps, sources, limits, batch, beam));     // warm-up, not timed
        long t0 = System.nanoTime();
        int passes = repeatFor(measureSeconds, () -> decodeAll(steps, sources, limits, batch, beam));
        return (double) passes * pairs.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Runs {@code pass} at least once and again until {@code seconds} have passed; returns how many times it ran. */
    private static int repeatFor(double seconds, Runnable pass) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int n = 0;
        do {
            pass.run();
            n++;
        } while (System.nanoTime() < end);
        return n;
    }

    /**
     * Every batch, as {@code Translator} decodes them ({@link Shards#decodeBatches}: whole batches side by side,
     * one per worker), except at batch 1: one sentence after another, as a user translating one sentence at a
     * time would (its time is the latency of one sentence; a single sentence is not sharded).
     */
    private static void decodeAll(List<StepModel> steps, List<int[][]> sources, List<LengthLimit> limits, int batch,
                                  int beam) {
        if (batch == 1) {
            for (int b = 0; b < sources.size(); b++) {
                decode(steps.get(0), sources.get(b), limits.get(b), beam);
            }
        } else {
            Shards.decodeBatches(sources, steps, (model, b, shard) -> decode(model, shard, limits.get(b), beam));
        }
    }

    private static List<?> decode(StepModel model, int[][] sources, LengthLimit limit, int beam) {
        return beam == 1 ? Arrays.asList(new GreedyDecoder(model, limit).decode(sources))
                : new BeamSearch(model, beam, 1, BeamSearch.DEFAULT_ALPHA, limit).search(sources);
    }

    /** The model's step model with EOS made impossible, so that every hypothesis runs to the length limit. */
    private static StepModel withoutEos(StepModel model) {
        return sources -> {
            StepModel.Session session = model.start(sources);
            return new StepModel.Session() {
                @Override
                public double[][] logProbs(int[] sentences, int[][] prefixes) {
                    double[][] out = session.logProbs(sentences, prefixes);
                    for (double[] row : out) {
                        row[Vocabulary.EOS_ID] = Double.NEGATIVE_INFINITY;
                    }
                    return out;
                }

                @Override
                public int[] bestTokens(int[] sentences, int[][] prefixes, int... excluded) {
                    return session.bestTokens(sentences, prefixes, withEos(excluded));
                }

                @Override
                public TopTokens[] topTokens(int[] sentences, int[][] prefixes, int k, int... excluded) {
                    return session.topTokens(sentences, prefixes, k, withEos(excluded));
                }

                private int[] withEos(int[] excluded) {
                    int[] withEos = Arrays.copyOf(excluded, excluded.length + 1);
                    withEos[excluded.length] = Vocabulary.EOS_ID;
                    return withEos;
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        };
    }

    private static long embeddingParams(TranslationModel model) {
        return model.graph().getLayer(GraphNames.SOURCE_EMBEDDING).numParams()
                + model.graph().getLayer(GraphNames.TARGET_EMBEDDING).numParams();
    }

    /** Single-precision matrix multiply speed through ND4J: 2n³ FLOPs per product, best of 5. */
    private static double gemmGflops(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            if (i > 0) {
                best = Math.min(best, s);
            }
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /** Samples the process's resident memory (JavaCPP's physicalBytes: heap and native arrays) every 20 ms. */
    private static final class MemoryPeak {
        private volatile long peak;
        private volatile boolean running = true;
        private final Thread thread = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, Pointer.physicalBytes());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-peak");

        static MemoryPeak start() {
            MemoryPeak m = new MemoryPeak();
            m.thread.setDaemon(true);
            m.thread.start();
            return m;
        }

        void reset() {
            peak = Pointer.physicalBytes();
        }

        long peakBytes() {
            return peak;
        }

        void stop() {
            running = false;
        }
    }
}
