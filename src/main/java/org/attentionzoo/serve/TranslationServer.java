package org.attentionzoo.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.models.TranslationModel;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Translation models over HTTP, on the JDK's {@code com.sun.net.httpserver}, JSON in and out:
 *
 * <ul>
 *   <li>{@code POST /translate} with {@code {"src": ["...", ...], "beam": 1, "nbest": 1, "alignments": false,
 *       "model": "name"}} (all but {@code src} optional; {@code model} defaults to the first model) answers
 *       {@code {"translations": [[{"text": ..., "logProb": ..., "score": ..., "alignment": "0-0 1-1"}, ...], ...]}}:
 *       one list per source, its n best translations best first ({@link Translation#logProb}, {@link Translation#score};
 *       {@code alignment}, in Pharaoh format ({@link Translation#pharaohAlignment}), only when asked);</li>
 *   <li>{@code GET /health} answers {@code {"status": "ok"}};</li>
 *   <li>{@code GET /models} answers {@code {"models": [{"name", "card", "family", "sourceVocabulary",
 *       "targetVocabulary", "attention", "provenance"}, ...]}}.</li>
 * </ul>
 *
 * <p>The sentences of concurrent requests for the same model and decoding (beam, n-best size, alignments) are
 * decoded together: see {@link Batcher}. Translations equal a {@link Translator}'s of the same sentences up to the
 * float rounding that a batch's size changes.
 *
 * <p>Refusals answer a one-line {@code {"error": "..."}}: 413 for a body over {@link Builder#maxBodyBytes}, 400 for
 * malformed JSON, an unknown field or a field of the wrong type, 422 for more sources than
 * {@link Builder#maxSources}, a source longer than {@link Builder#maxSourceChars} characters or
 * {@link Builder#maxSourceTokens} tokens, a beam outside 1..{@link Builder#maxBeam}, an n-best size outside
 * 1..beam, or alignments of a model without attention, 404 for an unknown model or path, 405 for a wrong method.
 *
 * <p>The server owns its threads (HTTP handlers and decoding workers) and changes nothing else in the process;
 * {@link #stop} stops accepting connections and lets the requests in flight finish. The JDK's server writes a
 * response's headers and body as two TCP segments and, unless the system property {@value #NO_DELAY_PROPERTY} is
 * {@code true} when the first server of the process starts, with Nagle's algorithm on, so that the body can wait for
 * the client's delayed acknowledgement of the headers; the {@code serve} command sets it, and an application should
 * set it too ({@code -Dsun.net.httpserver.nodelay=true}).
 *
 * <pre>{@code
 * TranslationServer server = TranslationServer.builder().model("en-fr", model).port(0).start();
 * System.out.println(server.port());
 * }</pre>
 */
public final class TranslationServer implements AutoCloseable {

    /** The JDK server's switch for TCP_NODELAY on its connections; see the class comment. */
    public static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private static final Logger LOG = LoggerFactory.getLogger(TranslationServer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final List<String> FIELDS = List.of("src", "beam", "nbest", "alignments", "model");

    /** Which batcher a request goes to. */
    private record Key(String model, int beam, int nbest, boolean alignments) {
    }

    private final Map<String, TranslationModel> models;
    private final String defaultModel;
    private final int maxBodyBytes;
    private final int maxSources;
    private final int maxSourceChars;
    private final int maxSourceTokens;
    private final int maxBeam;
    private final long windowNanos;
    private final int maxBatch;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ExecutorService decoders;
    private final Map<Key, Batcher> batchers = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger stopCalls = new AtomicInteger();

    private TranslationServer(Builder b) throws IOException {
        this.models = new LinkedHashMap<>(b.models);
        this.defaultModel = models.keySet().iterator().next();
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxSources = b.maxSources;
        this.maxSourceChars = b.maxSourceChars;
        this.maxSourceTokens = b.maxSourceTokens;
        this.maxBeam = b.maxBeam;
        this.windowNanos = TimeUnit.MICROSECONDS.toNanos(b.batchWindowMicros);
        this.maxBatch = b.maxBatchSentences;
        InetSocketAddress address = new InetSocketAddress(b.host, b.port);
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on " + b.host + ":" + b.port + ": unknown host");
        }
        try {
            this.http = HttpServer.create(address, b.backlog);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
        }
        this.handlers = Executors.newFixedThreadPool(b.connections, threads("attention-zoo-http-"));
        this.decoders = Executors.newFixedThreadPool(b.workers, threads("attention-zoo-decode-"));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    /** A builder with the defaults: 127.0.0.1:8080, the limits documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the one the system chose when built with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /**
     * Stops accepting connections, waits up to {@code graceSeconds} for the requests in flight to be answered,
     * then closes the connections and the server's threads. Later calls do nothing.
     */
    public void stop(int graceSeconds) {
        if (stopCalls.getAndIncrement() > 0) {
            return;
        }
        try {
            http.stop(graceSeconds);
            handlers.shutdown();
            decoders.shutdown();
        } finally {
            stopped.countDown();
        }
    }

    /** {@link #stop stop(0)}. */
    @Override
    public void close() {
        stop(0);
    }

    /** The batches decoded so far, over all models and decodings. */
    long batches() {
        return batchers.values().stream().mapToLong(Batcher::batches).sum();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            String body;
            try {
                body = route(exchange);
            } catch (RequestException e) {
                status = e.status();
                body = error(e.getMessage());
            } catch (RuntimeException | Error e) {
                LOG.error("translation failed", e);
                status = 500;
                body = error("internal error: " + oneLine(e.toString()));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        String allowed = switch (path) {
            case "/translate" -> "POST";
            case "/health", "/models" -> "GET";
            default -> throw new RequestException(404, "no such path: " + oneLine(path)
                    + " (the server answers POST /translate, GET /health and GET /models)");
        };
        if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new RequestException(405, path + " takes " + allowed + ", not " + oneLine(method));
        }
        return switch (path) {
            case "/translate" -> translate(exchange);
            case "/health" -> "{\"status\":\"ok\"}";
            default -> models();
        };
    }

    private String models() throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        models.forEach((name, m) -> {
            ObjectNode node = list.addObject();
            node.put("name", name);
            node.put("card", m.card().name());
            node.put("family", m.card().family().name().toLowerCase(Locale.ROOT));
            node.put("sourceVocabulary", m.sourceVocab().size());
            node.put("targetVocabulary", m.targetVocab().size());
            node.put("attention", m.alignmentVertex() != null);
            ObjectNode provenance = node.putObject("provenance");
            m.provenance().forEach(provenance::put);
        });
        return JSON.writeValueAsString(root);
    }

    private String translate(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange);
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RequestException(400, "malformed JSON: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new RequestException(400, "malformed JSON: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new RequestException(400, "the body must be a JSON object such as {\"src\": [\"a sentence\"]}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new RequestException(400, "unknown field \"" + oneLine(name) + "\" (the fields are " + String.join(", ", FIELDS) + ")");
            }
        }
        List<String> sources = sources(root.get("src"));
        int beam = integer(root, "beam", 1);
        int nbest = integer(root, "nbest", 1);
        boolean alignments = bool(root, "alignments");
        String modelName = root.has("model") ? text(root.get("model"), "model") : defaultModel;
        TranslationModel model = models.get(modelName);
        if (model == null) {
            throw new RequestException(404, "no model named \"" + oneLine(modelName) + "\" (the models are "
                    + String.join(", ", models.keySet()) + ")");
        }
        if (beam < 1 || beam > maxBeam) {
            throw new RequestException(422, "beam must be between 1 and " + maxBeam + ", got " + beam);
        }
        if (nbest < 1 || nbest > beam) {
            throw new RequestException(422, "nbest must be between 1 and the beam (" + beam + "), got " + nbest);
        }
        if (alignments && model.alignmentVertex() == null) {
            throw new RequestException(422, "model \"" + modelName + "\" (" + model.card().name() + ") has no attention, so no alignments");
        }
        List<List<Translation>> translations = sources.isEmpty() ? List.of()
                : await(batcher(new Key(modelName, beam, nbest, alignments)).submit(sources));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("translations");
        for (List<Translation> nBest : translations) {
            ArrayNode row = list.addArray();
            for (Translation t : nBest) {
                ObjectNode node = row.addObject();
                node.put("text", t.text());
                node.put("logProb", t.logProb());
                node.put("score", t.score());
                if (alignments) {
                    node.put("alignment", t.pharaohAlignment());
                }
            }
        }
        return JSON.writeValueAsString(out);
    }

    private Batcher batcher(Key key) {
        return batchers.computeIfAbsent(key, k -> {
            Decoding decoding = Decoding.beam(k.beam()).alignments(k.alignments()).maxSourceLength(maxSourceTokens);
            return new Batcher(new Translator(models.get(k.model()), decoding), k.nbest(), decoders, windowNanos, maxBatch);
        });
    }

    private static List<List<Translation>> await(CompletableFuture<List<List<Translation>>> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(503, "interrupted while translating");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** The body, or 413 when it is longer than the limit (by its Content-Length, or by what arrives). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new RequestException(400, "Content-Length is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        }
    }

    private RequestException tooLarge() {
        return new RequestException(413, "the body is larger than the limit of " + maxBodyBytes + " bytes");
    }

    private List<String> sources(JsonNode src) {
        if (src == null) {
            throw new RequestException(400, "\"src\" is missing: give the sentences as {\"src\": [\"a sentence\", ...]}");
        }
        if (!src.isArray()) {
            throw new RequestException(400, "\"src\" must be an array of strings, got " + kind(src));
        }
        if (src.size() > maxSources) {
            throw new RequestException(422, "\"src\" has " + src.size() + " sentences, more than the limit of " + maxSources);
        }
        List<String> sources = new ArrayList<>(src.size());
        for (int i = 0; i < src.size(); i++) {
            JsonNode s = src.get(i);
            if (!s.isTextual()) {
                throw new RequestException(400, "src[" + i + "] must be a string, got " + kind(s));
            }
            String text = s.textValue();
            int chars = text.codePointCount(0, text.length());
            if (chars > maxSourceChars) {
                throw new RequestException(422, "src[" + i + "] has " + chars + " characters, more than the limit of " + maxSourceChars);
            }
            sources.add(text);
        }
        return sources;
    }

    private static int integer(JsonNode root, String field, int absent) {
        JsonNode v = root.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new RequestException(400, "\"" + field + "\" must be an integer, got " + kind(v));
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new RequestException(400, "\"" + field + "\" must be true or false, got " + kind(v));
        }
        return v.booleanValue();
    }

    private static String text(JsonNode v, String field) {
        if (!v.isTextual()) {
            throw new RequestException(400, "\"" + field + "\" must be a string, got " + kind(v));
        }
        return v.textValue();
    }

    /** What a JSON value is, for messages: its type, and the value itself when short. */
    private static String kind(JsonNode v) {
        String type = v.getNodeType().name().toLowerCase(Locale.ROOT);
        String shown = v.toString();
        return shown.length() <= 40 ? type + " " + shown : type;
    }

    private static String error(String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", oneLine(message));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text on one line (control characters as spaces), at most 300 characters. */
    private static String oneLine(String s) {
        String line = s.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The models, address, limits and batching of a server; {@link #start} builds and starts it. */
    public static final class Builder {

        private final Map<String, TranslationModel> models = new LinkedHashMap<>();
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxBodyBytes = 1 << 20;
        private int maxSources = 64;
        private int maxSourceChars = 1000;
        private int maxSourceTokens = 200;
        private int maxBeam = 16;
        private int workers = 2;
        private int connections = 32;
        private int backlog = 64;
        private long batchWindowMicros = 2000;
        private int maxBatchSentences = 128;

        private Builder() {
        }

        /** Adds a model under a name (requests choose it by {@code "model"}); the first added is the default. */
        public Builder model(String name, TranslationModel model) {
            Objects.requireNonNull(model, "model");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a model needs a non-blank name");
            }
            if (models.putIfAbsent(name, model) != null) {
                throw new IllegalArgumentException("two models named \"" + name + "\"");
            }
            return this;
        }

        /** The address to bind (default 127.0.0.1: this machine only). */
        public Builder host(String h) {
            host = Objects.requireNonNull(h, "host");
            return this;
        }

        /** The port (default 8080; 0: any free port, see {@link #port()}). */
        public Builder port(int p) {
            port = check(p, 0, 65535, "port");
            return this;
        }

        /** The largest request body in bytes (default 1 MiB); larger: 413. */
        public Builder maxBodyBytes(int n) {
            maxBodyBytes = check(n, 1, Integer.MAX_VALUE - 1, "maxBodyBytes");
            return this;
        }

        /** The most sources per request (default 64); more: 422. */
        public Builder maxSources(int n) {
            maxSources = check(n, 1, Integer.MAX_VALUE, "maxSources");
            return this;
        }

        /** The most characters (code points) per source (default 1000); more: 422. */
        public Builder maxSourceChars(int n) {
            maxSourceChars = check(n, 1, Integer.MAX_VALUE, "maxSourceChars");
            return this;
        }

        /** The most tokens per source after tokenization (default 200, {@link Decoding#maxSourceLength}); more: 422. */
        public Builder maxSourceTokens(int n) {
            maxSourceTokens = check(n, 1, Integer.MAX_VALUE, "maxSourceTokens");
            return this;
        }

        /** The largest beam a request may ask for (default 16); larger: 422. */
        public Builder maxBeam(int n) {
            maxBeam = check(n, 1, 1024, "maxBeam");
            return this;
        }

        /**
         * How many batches decode at once, over all models and decodings (default 2); each batch is itself spread
         * over the cores by its {@link Translator}.
         */
        public Builder workers(int n) {
            workers = check(n, 1, 1024, "workers");
            return this;
        }

        /** How many requests are read, waited for and answered at once (default 32); more wait for a turn. */
        public Builder connections(int n) {
            connections = check(n, 1, 4096, "connections");
            return this;
        }

        /**
         * How long a batch waits for more requests after its first arrives, in microseconds (default 2000); a
         * request that arrives while its batcher decodes waits for that batch instead.
         */
        public Builder batchWindowMicros(long us) {
            if (us < 0 || us > 10_000_000) {
                throw new IllegalArgumentException("batchWindowMicros must be between 0 and 10000000, got " + us);
            }
            batchWindowMicros = us;
            return this;
        }

        /** The most sentences per batch (default 128); a request with more goes alone. */
        public Builder maxBatchSentences(int n) {
            maxBatchSentences = check(n, 1, Integer.MAX_VALUE, "maxBatchSentences");
            return this;
        }

        /**
         * Builds the server and starts listening.
         *
         * @throws IOException one line naming the address when it cannot be bound
         * @throws IllegalStateException without models
         */
        public TranslationServer start() throws IOException {
            if (models.isEmpty()) {
                throw new IllegalStateException("a server needs at least one model");
            }
            return new TranslationServer(this);
        }

        private static int check(int v, int min, int max, String what) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        }
    }
}
