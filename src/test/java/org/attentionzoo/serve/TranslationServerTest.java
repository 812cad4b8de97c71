package org.attentionzoo.serve;

import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server on a loopback port with tiny fixture models: concurrent clients get what a {@link Translator} gives
 * for the same lines, every bad request its status and a one-line JSON error, and a stop lets a request in flight
 * finish.
 */
class TranslationServerTest {

    private static final Path FIXTURES = Path.of("src/test/resources/saved-models/v1");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixtures' task: reverse 2-5 symbols of 6. */
    private static final List<String> LINES = new ReverseTask(6, 2, 5).generate(24, 11).stream().map(SentencePair::source).toList();
    /** A batch's size changes float rounding (see TranslatorTest), so scores are compared to this. */
    private static final double TOLERANCE = 1e-4;

    private static Map<String, TranslationModel> models;
    private static TranslationServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        System.setProperty(TranslationServer.NO_DELAY_PROPERTY, "true");    // as serve does: no waits for delayed ACKs
        models = new HashMap<>();
        for (String name : List.of("luong-general", "transformer-tiny", "seq2seq-lstm")) {
            models.put(name, ModelArchive.load(FIXTURES.resolve(name + ".zip"), false));
        }
        server = TranslationServer.builder().model("luong", models.get("luong-general"))
                .model("transformer", models.get("transformer-tiny")).model("plain", models.get("seq2seq-lstm"))
                .port(0).maxBodyBytes(2000).maxSources(8).maxSourceChars(40).maxSourceTokens(10).maxBeam(4).start();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, publisher).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return send("POST", "/translate", json.getBytes(StandardCharsets.UTF_8));
    }

    /** One client's request kind: which model and decoding, and what a Translator gives for it. */
    private record Kind(String model, String card, int beam, int nbest, boolean alignments) {

        String json(List<String> src) throws Exception {
            return JSON.writeValueAsString(Map.of("src", src, "model", model, "beam", beam, "nbest", nbest, "alignments", alignments));
        }

        Translator translator() {
            return new Translator(models.get(card), Decoding.beam(beam).alignments(alignments));
        }

        List<Translation> expected(String line) {
            return translator().translateAllNBest(List.of(line), nbest).get(0);
        }
    }

    private static void assertAnswer(List<Translation> expected, JsonNode got, boolean alignments, String where) {
        assertEquals(expected.size(), got.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            Translation t = expected.get(i);
            JsonNode g = got.get(i);
            assertEquals(t.text(), g.get("text").textValue(), where);
            assertEquals(t.logProb(), g.get("logProb").doubleValue(), TOLERANCE, where);
            assertEquals(t.score(), g.get("score").doubleValue(), TOLERANCE, where);
            assertEquals(alignments ? 4 : 3, g.size(), where + ": " + g);
            if (alignments) {
                assertEquals(t.pharaohAlignment(), g.get("alignment").textValue(), where);
            }
        }
    }

    @Test
    void eightConcurrentClientsGetWhatATranslatorGivesForTheSameLines() throws Exception {
        List<Kind> kinds = List.of(new Kind("luong", "luong-general", 1, 1, false), new Kind("luong", "luong-general", 3, 2, true),
                new Kind("transformer", "transformer-tiny", 1, 1, true), new Kind("transformer", "transformer-tiny", 2, 1, false));
        Map<Kind, Map<String, List<Translation>>> expected = new HashMap<>();
        for (Kind kind : kinds) {
            Map<String, List<Translation>> byLine = new HashMap<>();
            Translator translator = kind.translator();
            LINES.forEach(line -> byLine.put(line, translator.translateAllNBest(List.of(line), kind.nbest()).get(0)));
            expected.put(kind, byLine);
        }
        long batchesBefore = server.batches();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int id = c;
                clients.add(pool.submit(() -> {
                    Kind kind = kinds.get(id % kinds.size());
                    for (int r = 0; r < 50; r++) {
                        List<String> src = r % 10 == 9          // mostly one sentence; now and then three
                                ? List.of(LINES.get((id + r) % LINES.size()), LINES.get((id + r + 1) % LINES.size()), "")
                                : List.of(LINES.get((id * 7 + r) % LINES.size()));
                        HttpResponse<String> response = post(kind.json(src));
                        String where = kind + " client " + id + " request " + r;
                        assertEquals(200, response.statusCode(), where + ": " + response.body());
                        JsonNode translations = JSON.readTree(response.body()).get("translations");
                        assertEquals(src.size(), translations.size(), where);
                        for (int i = 0; i < src.size(); i++) {
                            List<Translation> want = src.get(i).isEmpty() ? List.of(new Translation("", "", List.of(), null))
                                    : expected.get(kind).get(src.get(i));
                            assertAnswer(want, translations.get(i), kind.alignments(), where + " sentence " + i);
                        }
                    }
                    return 50;
                }));
            }
            for (Future<Integer> f : clients) {
                assertEquals(50, f.get());
            }
        } finally {
            pool.shutdown();
        }
        long batches = server.batches() - batchesBefore;
        System.out.println("8 clients x 50 requests: " + batches + " batches");
        assertTrue(batches < 400, "requests decoded together: " + batches + " batches for 400 requests");
    }

    @Test
    void healthAndModels() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
        assertEquals("application/json; charset=utf-8", health.headers().firstValue("Content-Type").orElse(""));

        JsonNode list = JSON.readTree(send("GET", "/models", null).body()).get("models");
        assertEquals(3, list.size());
        JsonNode luong = list.get(0);
        assertEquals("luong", luong.get("name").textValue());
        assertEquals("luong-general", luong.get("card").textValue());
        assertEquals("attention", luong.get("family").textValue());
        assertEquals(models.get("luong-general").sourceVocab().size(), luong.get("sourceVocabulary").intValue());
        assertEquals(models.get("luong-general").targetVocab().size(), luong.get("targetVocabulary").intValue());
        assertTrue(luong.get("attention").booleanValue());
        assertEquals(models.get("luong-general").provenance(), JSON.convertValue(luong.get("provenance"), Map.class));
        assertEquals("transformer", list.get(1).get("family").textValue());
        assertEquals("seq2seq", list.get(2).get("family").textValue());
        assertFalse(list.get(2).get("attention").booleanValue());
    }

    @Test
    void theFirstModelAndGreedyDecodingAreTheDefaults() throws Exception {
        HttpResponse<String> r = post("{\"src\": [\"" + LINES.get(0) + "\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertAnswer(new Kind("luong", "luong-general", 1, 1, false).expected(LINES.get(0)),
                JSON.readTree(r.body()).get("translations").get(0), false, "defaults");
        assertEquals("{\"translations\":[]}", post("{\"src\": []}").body());
    }

    @Test
    void everyBadRequestGetsItsStatusAndAOneLineJsonError() throws Exception {
        String ok = LINES.get(0);
        Object[][] cases = {
                {413, "POST", "/translate", "{\"src\": [\"" + "1 ".repeat(1000) + "\"]}", "larger than the limit of 2000 bytes"},
                {422, "POST", "/translate", "{\"src\": [" + ("\"1\",".repeat(9)) + "\"1\"]}", "more than the limit of 8"},
                {422, "POST", "/translate", "{\"src\": [\"" + ok + "\", \"" + "1 ".repeat(21) + "\"]}", "src[1] has 42 characters"},
                {422, "POST", "/translate", "{\"src\": [\"1 2 1 2 1 2 1 2 1 2 1\"]}", "src[0]: the source has 11 tokens"},
                {422, "POST", "/translate", "{\"src\": [\"1\"], \"beam\": 0}", "beam must be between 1 and 4, got 0"},
                {422, "POST", "/translate", "{\"src\": [\"1\"], \"beam\": 5}", "beam must be between 1 and 4, got 5"},
                {422, "POST", "/translate", "{\"src\": [\"1\"], \"beam\": 2, \"nbest\": 3}", "nbest must be between 1 and the beam (2), got 3"},
                {422, "POST", "/translate", "{\"src\": [\"1\"], \"nbest\": 0}", "nbest must be between 1"},
                {422, "POST", "/translate", "{\"src\": [\"1\"], \"model\": \"plain\", \"alignments\": true}", "no attention"},
                {400, "POST", "/translate", "{\"src\": [\"1\"", "malformed JSON"},
                {400, "POST", "/translate", "{\"src\": []} {}", "malformed JSON"},
                {400, "POST", "/translate", "", "must be a JSON object"},
                {400, "POST", "/translate", "[\"1\"]", "must be a JSON object"},
                {400, "POST", "/translate", "{\"beam\": 1}", "\"src\" is missing"},
                {400, "POST", "/translate", "{\"src\": \"1 2\"}", "\"src\" must be an array of strings, got string"},
                {400, "POST", "/translate", "{\"src\": [1]}", "src[0] must be a string, got number 1"},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"beam\": \"5\"}", "\"beam\" must be an integer"},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"beam\": 2.5}", "\"beam\" must be an integer"},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"nbest\": 99999999999}", "\"nbest\" must be an integer"},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"alignments\": \"yes\"}", "\"alignments\" must be true or false"},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"model\": 3}", "\"model\" must be a string"},
                {400, "POST", "/translate", "{\"srcs\": [\"1\"]}", "unknown field \"srcs\""},
                {400, "POST", "/translate", "{\"src\": [\"1\"], \"src\": [\"2\"]}", "malformed JSON: Duplicate field 'src'"},
                {404, "POST", "/translate", "{\"src\": [\"1\"], \"model\": \"nope\"}", "no model named \"nope\" (the models are luong, transformer, plain)"},
                {404, "GET", "/", null, "no such path: /"},
                {404, "GET", "/nope", null, "no such path: /nope"},
                {404, "POST", "/translate/", "{}", "no such path: /translate/"},
                {404, "GET", "/health/x", null, "no such path"},
                {405, "GET", "/translate", null, "/translate takes POST, not GET"},
                {405, "POST", "/health", "{}", "/health takes GET, not POST"},
                {405, "DELETE", "/models", null, "/models takes GET, not DELETE"},
        };
        for (Object[] c : cases) {
            byte[] body = c[3] == null ? null : ((String) c[3]).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = send((String) c[1], (String) c[2], body);
            assertError((int) c[0], (String) c[4], r, c[1] + " " + c[2] + " " + c[3]);
        }
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/translate"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("{\"src\": [\"" + "1 ".repeat(1000) + "\"]}").getBytes(StandardCharsets.UTF_8)))).build();
        assertError(413, "larger than the limit of 2000 bytes", client.send(chunked, HttpResponse.BodyHandlers.ofString()),
                "a chunked body, no Content-Length");
        HttpResponse<String> badUtf8 = send("POST", "/translate", new byte[]{'{', '"', 's', 'r', 'c', '"', ':', '[', '"', (byte) 0xC3, '"', ']', '}'});
        assertError(400, "malformed JSON", badUtf8, "invalid UTF-8");
        assertEquals("POST", send("GET", "/translate", null).headers().firstValue("Allow").orElse(""));
    }

    private static void assertError(int status, String message, HttpResponse<String> r, String where) throws Exception {
        assertEquals(status, r.statusCode(), where + ": " + r.body());
        assertFalse(r.body().contains("\n"), where + ": one line: " + r.body());
        JsonNode error = JSON.readTree(r.body());
        assertEquals(1, error.size(), where + ": " + r.body());
        assertTrue(error.get("error").textValue().contains(message), where + ": " + r.body());
    }

    @Test
    void aSourceOverTheTokenLimitFailsOnlyItsOwnRequestInABatch() throws Exception {
        TranslationModel model = models.get("luong-general");
        List<Runnable> scheduled = new ArrayList<>();               // batches run when the test says
        Translator translator = new Translator(model, Decoding.greedy().maxSourceLength(4));
        Batcher batcher = new Batcher(translator, 1, scheduled::add, 0, 100);
        CompletableFuture<List<List<Translation>>> a = batcher.submit(List.of("1 2", "3 4 5"));
        CompletableFuture<List<List<Translation>>> b = batcher.submit(List.of("1 2", "1 2 3 4 5"));
        CompletableFuture<List<List<Translation>>> c = batcher.submit(List.of("6 5 4"));
        assertEquals(1, scheduled.size(), "one batch scheduled for the three requests");
        scheduled.remove(0).run();
        assertEquals(List.of(), scheduled, "nothing left");
        Translator plain = new Translator(model);
        assertEquals(plain.translateAll(List.of("1 2", "3 4 5")).stream().map(Translation::text).toList(),
                a.get().stream().map(n -> n.get(0).text()).toList());
        assertEquals(plain.translate("6 5 4").text(), c.get().get(0).get(0).text());
        Exception e = assertThrows(Exception.class, b::get);
        assertTrue(e.getCause() instanceof RequestException r && r.status() == 422
                && r.getMessage().equals("src[1]: the source has 5 tokens, more than the limit of 4"), String.valueOf(e.getCause()));
        assertEquals(2, batcher.batches(), "one batch, decoded again without the request that failed");

        CompletableFuture<List<List<Translation>>> d = batcher.submit(List.of("1 2"));
        assertEquals(1, scheduled.size());
        scheduled.remove(0).run();
        assertEquals(plain.translate("1 2").text(), d.get().get(0).get(0).text());
        assertEquals(3, batcher.batches());
    }

    @Test
    void stopLetsARequestInFlightFinishAndThenRefusesConnections() throws Exception {
        TranslationServer server = TranslationServer.builder().model("luong", models.get("luong-general")).port(0).start();
        int port = server.port();
        byte[] body = ("{\"src\": [\"" + LINES.get(1) + "\"]}").getBytes(StandardCharsets.UTF_8);
        Thread stopping;
        String response;
        try (Socket socket = new Socket("127.0.0.1", port)) {     // a slow client: the headers, then the body later
            OutputStream out = socket.getOutputStream();
            out.write(("POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);                                    // the handler has the request and waits for its body
            stopping = new Thread(() -> server.stop(10));
            stopping.start();
            Thread.sleep(300);
            assertTrue(stopping.isAlive(), "stop waits for the request in flight");
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "no new connections");
            out.write(body);
            out.flush();
            response = readResponse(socket.getInputStream());
        }
        stopping.join(10_000);
        assertFalse(stopping.isAlive());
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertEquals(new Translator(models.get("luong-general")).translate(LINES.get(1)).text(),
                JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).get("translations").get(0).get(0).get("text").textValue());
    }

    /** The status line, headers and body of one HTTP/1.1 response with a Content-Length. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head);
            }
            head.append((char) b);
        }
        String lengthLine = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .findFirst().orElseThrow();
        int length = Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).strip());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
