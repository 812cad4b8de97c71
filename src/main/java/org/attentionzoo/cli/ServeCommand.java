package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.serve.TranslationServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code serve}: translation models over HTTP ({@link TranslationServer}) until the process is stopped; SIGTERM or
 * Ctrl-C stops accepting connections and lets the requests in flight finish.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
        "Serve models over HTTP, JSON in and out, until stopped (SIGTERM lets requests in flight finish):",
        "  POST /translate {\"src\": [\"...\"], \"beam\": 5, \"nbest\": 1, \"alignments\": false, \"model\": \"name\"}",
        "  GET /health, GET /models.",
        "Concurrent requests for the same model and decoding are decoded together in one batch."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME=PATH",
            description = "A model.zip to serve, named for requests' \"model\" field; repeatable; a bare PATH is named "
                    + "\"default\". The first is used when a request names none.")
    List<String> models;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0: every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080",
            description = "Port (default ${DEFAULT-VALUE}; 0: any free port). The bound address is printed as "
                    + "\"listening on http://HOST:PORT\".")
    int port;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
            description = "Batches decoding at once over all models and decodings (default ${DEFAULT-VALUE}); each batch "
                    + "is spread over the cores as translate's are.")
    int workers;

    @Option(names = "--batch-window-ms", defaultValue = "2", paramLabel = "MS",
            description = "How long a batch waits for more requests after its first arrives (default ${DEFAULT-VALUE}); "
                    + "requests that arrive while a batch decodes join the next one.")
    double batchWindowMs;

    @Option(names = "--max-batch", defaultValue = "128", paramLabel = "SENTENCES",
            description = "Most sentences per batch (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest request body; larger: 413 (default ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-sources", defaultValue = "64", paramLabel = "N",
            description = "Most sentences per request; more: 422 (default ${DEFAULT-VALUE}).")
    int maxSources;

    @Option(names = "--max-chars", defaultValue = "1000", paramLabel = "N",
            description = "Most characters per sentence; more: 422 (default ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--max-source-length", defaultValue = "200", paramLabel = "TOKENS",
            description = "Most tokens per sentence after tokenization; more: 422 (default ${DEFAULT-VALUE}).")
    int maxSourceLength;

    @Option(names = "--max-beam", defaultValue = "16", paramLabel = "K",
            description = "Largest beam a request may ask for; larger: 422 (default ${DEFAULT-VALUE}).")
    int maxBeam;

    @Option(names = "--grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "On SIGTERM, how long requests in flight may take to finish (default ${DEFAULT-VALUE}).")
    int grace;

    @Override
    public Integer call() throws Exception {
        if (grace < 0) {
            throw new IllegalArgumentException("--grace must be >= 0, got " + grace);
        }
        if (!(batchWindowMs >= 0 && batchWindowMs <= 10_000)) {
            throw new IllegalArgumentException("--batch-window-ms must be between 0 and 10000, got " + batchWindowMs);
        }
        TranslationServer.Builder builder = TranslationServer.builder().host(host).port(port).workers(workers)
                .batchWindowMicros(Math.round(batchWindowMs * 1000)).maxBatchSentences(maxBatch)
                .maxBodyBytes(maxBodyBytes).maxSources(maxSources).maxSourceChars(maxChars)
                .maxSourceTokens(maxSourceLength).maxBeam(maxBeam);
        for (String spec : models) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? "default" : spec.substring(0, eq);
            Path file = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
            if (name.isBlank()) {
                throw new IllegalArgumentException("--model " + spec + ": the name before '=' is empty");
            }
            TranslationModel model = ModelArchive.load(file, false);
            try {
                builder.model(name, model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model " + spec + ": " + e.getMessage()
                        + (eq < 0 ? " (give each model a name: --model NAME=PATH)" : ""));
            }
        }
        if (System.getProperty(TranslationServer.NO_DELAY_PROPERTY) == null) {
            System.setProperty(TranslationServer.NO_DELAY_PROPERTY, "true");    // read once, when the first server starts
        }
        TranslationServer server = builder.start();
        Thread hook = new Thread(() -> server.stop(grace), "attention-zoo-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("listening on http://" + server.address().getHostString() + ":" + server.port());
        System.out.flush();
        server.awaitStop();
        return 0;
    }
}
