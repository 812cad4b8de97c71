package org.attentionzoo.serve;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: a manual measurement of {@code serve} against {@link Translator#translateAll} on the same lines, greedy,
 * as the command line runs (after {@link AttentionZoo#configure()}). Sentences/s of 8 concurrent clients sending
 * one-sentence requests against one translateAll call of all the lines and against calls of 8 lines each (the largest
 * batch such clients can make); p50/p99 latency of lone one-sentence requests
 * against lone {@link Translator#translate} calls (interleaved). {@code -Dsun.net.httpserver.nodelay=false} measures
 * the JDK server's default. Argument: {@code fixture} (the tiny luong-general fixture on
 * reversal lines) or a card name (an untrained model of that card with 8,000-word vocabularies on random 10-word
 * lines, so every output runs to the length limit).
 *
 * <pre>{@code
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.attentionzoo.serve.ServeBenchmark luong-general
 * }</pre>
 */
public final class ServeBenchmark {

    private ServeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AttentionZoo.configure();
        if (System.getProperty(TranslationServer.NO_DELAY_PROPERTY) == null) {
            System.setProperty(TranslationServer.NO_DELAY_PROPERTY, "true");       // as serve does
        }
        String which = args.length > 0 ? args[0] : "fixture";
        TranslationModel model;
        List<String> lines = new ArrayList<>();
        if (which.equals("fixture")) {
            model = ModelArchive.load(Path.of("src/test/resources/saved-models/v1/luong-general.zip"), false);
            new ReverseTask(6, 2, 5).generate(400, 3).stream().map(SentencePair::source).forEach(lines::add);
        } else {
            List<String> words = new ArrayList<>();
            for (int i = 0; i < 7996; i++) {
                words.add("w" + i);
            }
            Vocabulary vocab = Vocabulary.of(words);
            model = TranslationModel.create(Zoo.card(which), vocab, vocab, Tokenizers.forName("words"), Tokenizers.forName("words"));
            Random random = new Random(5);
            for (int i = 0; i < 128; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < 10; w++) {
                    line.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
                }
                lines.add(line.toString());
            }
        }
        Translator translator = new Translator(model);
        translator.translateAll(lines);
        long start = System.nanoTime();
        translator.translateAll(lines);
        double alone = lines.size() / seconds(start);
        start = System.nanoTime();
        for (int i = 0; i < lines.size(); i += 8) {                  // the largest batch 8 one-sentence clients make
            translator.translateAll(lines.subList(i, Math.min(lines.size(), i + 8)));
        }
        double eights = lines.size() / seconds(start);
        double[] batch1 = new double[Math.min(100, lines.size())];

        try (TranslationServer server = TranslationServer.builder().model("m", model).port(0)
                .batchWindowMicros(args.length > 1 ? Long.parseLong(args[1]) : 2000).start()) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/translate");
            for (int i = 0; i < 32; i++) {
                request(client, uri, lines.get(i % lines.size()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long batchesBefore = server.batches();
            start = System.nanoTime();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int first = c;
                clients.add(pool.submit(() -> {
                    for (int i = first; i < lines.size(); i += 8) {
                        request(client, uri, lines.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            double served = lines.size() / seconds(start);
            long batches = server.batches() - batchesBefore;
            pool.shutdown();
            double[] lone = new double[batch1.length];
            for (int i = 0; i < lone.length; i++) {              // interleaved, so that both see the same load
                long t = System.nanoTime();
                translator.translate(lines.get(i));
                batch1[i] = millis(t);
                t = System.nanoTime();
                request(client, uri, lines.get(i));
                lone[i] = millis(t);
            }
            System.out.printf(Locale.ROOT, "%s, %d lines, greedy, %d cores, batch window %s us%n", which, lines.size(),
                    Runtime.getRuntime().availableProcessors(), args.length > 1 ? args[1] : "2000");
            System.out.printf(Locale.ROOT, "translateAll: %.1f sentences/s (in calls of 8 lines: %.1f); serve, 8 clients x 1-sentence "
                    + "requests: %.1f sentences/s (%.0f%%, %.0f%% of calls of 8), %d batches%n",
                    alone, eights, served, 100 * served / alone, 100 * served / eights, batches);
            System.out.printf(Locale.ROOT, "lone 1-sentence: translate p50 %.2f ms p99 %.2f ms; serve request p50 %.2f ms p99 %.2f ms%n",
                    percentile(batch1, 50), percentile(batch1, 99), percentile(lone, 50), percentile(lone, 99));
        }
    }

    private static void request(HttpClient client, URI uri, String line) throws Exception {
        String body = "{\"src\": [\"" + line + "\"]}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
