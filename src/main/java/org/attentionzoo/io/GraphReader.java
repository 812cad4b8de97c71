package org.attentionzoo.io;

import org.attentionzoo.models.GraphNames;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.compression.CompressedDataBuffer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads the {@code graph.zip} part of a saved model (DL4J's layout: {@code configuration.json}, then
 * {@code coefficients.bin}, then optionally {@code updaterState.bin}) without Java deserialization and
 * without trusting any size it declares.
 *
 * <p>DL4J's own reader ({@code ModelSerializer.restoreComputationGraph}) passes a {@code preprocessor.bin}
 * entry to {@code ObjectInputStream.readObject}, which runs code chosen by whoever wrote the file. This
 * reader accepts only the three entries above and refuses any other, so no entry ever reaches Java
 * serialization. The configuration's polymorphic type names ({@code "@class"}) are checked against the
 * packages of DL4J, ND4J and attention-zoo before Jackson sees them, and the arrays are read as
 * headers plus raw numbers: the number of values each header declares must equal what the card and
 * vocabularies imply, so a file cannot make the reader allocate more than the model it claims to be.
 */
final class GraphReader {

    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER = "updaterState.bin";

    /** Largest configuration.json accepted: a few hundred vertices take well under 1 MiB. */
    static final long MAX_CONFIGURATION_BYTES = 16L << 20;
    /** Deepest JSON nesting accepted in configuration.json (DL4J's own is under 10). */
    private static final int MAX_JSON_DEPTH = 64;
    /** Array headers and zip bookkeeping on top of the numbers themselves. */
    private static final long SLACK_BYTES = 1L << 20;
    private static final List<String> TRUSTED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.attentionzoo.");

    private GraphReader() {
    }

    /**
     * The most bytes graph.zip may inflate to for a model of {@code parameters} parameters: the
     * configuration, the parameters in at most 8 bytes each, an updater state of at most 3 values per
     * parameter (Adam keeps 2), and {@link #SLACK_BYTES}.
     */
    static long maxBytes(long parameters) {
        return MAX_CONFIGURATION_BYTES + coefficientBytes(parameters) + updaterBytes(parameters) + SLACK_BYTES;
    }

    private static long coefficientBytes(long parameters) {
        return parameters * 8 + SLACK_BYTES;
    }

    private static long updaterBytes(long parameters) {
        return parameters * 3 * 8 + SLACK_BYTES;
    }

    /** Number of parameters of a graph configuration, vertices included; -1 if it overflows a long. */
    static long parameterCount(ComputationGraphConfiguration conf) {
        long n = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            long p = v.numParams(true);
            if (p < 0 || n + p < 0) {
                return -1;
            }
            n += p;
        }
        return n;
    }

    /**
     * Reads graph.zip from {@code in} (not closed here).
     *
     * @param where     the entry's name for messages, such as {@code model.zip!/graph.zip}
     * @param expected  the configuration the card and vocabularies describe; the stored one must agree
     *                  with it ({@link #difference})
     * @param withUpdater whether to read the optimiser state (for resuming training) or skip it
     * @throws IOException one line naming {@code where} and the entry, for anything unexpected
     */
    static ComputationGraph read(InputStream in, String where, ComputationGraphConfiguration expected,
                                 boolean withUpdater) throws IOException {
        long parameters = parameterCount(expected);
        ComputationGraphConfiguration conf = null;
        ComputationGraph graph = null;
        boolean updaterRead = false;
        ZipInputStream zip = new ZipInputStream(in);
        try {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                String at = where + "!/" + name;
                switch (name) {
                    case CONFIGURATION -> {
                        if (conf != null) {
                            throw new IOException(at + ": appears twice; refused");
                        }
                        byte[] json = new LimitedInput(zip, MAX_CONFIGURATION_BYTES, at).readAllBytes();
                        conf = configuration(json, at);
                        String why = difference(conf, expected);
                        if (why != null) {
                            throw new IOException(where + " does not match card.json and the vocabularies: " + why);
                        }
                    }
                    case COEFFICIENTS -> {
                        if (conf == null || graph != null) {
                            throw new IOException(at + ": " + (graph != null ? "appears twice"
                                    : "comes before " + CONFIGURATION) + "; refused");
                        }
                        INDArray params = array(new LimitedInput(zip, coefficientBytes(parameters), at), at,
                                parameters, "parameters");
                        conf.setDataType(params.dataType());
                        graph = new ComputationGraph(conf);
                        try {
                            graph.init(params, false);
                        } catch (RuntimeException ex) {
                            throw new IOException(at + ": cannot build the network: " + ex.getMessage(), ex);
                        }
                    }
                    case UPDATER -> {
                        if (graph == null || updaterRead) {
                            throw new IOException(at + ": " + (updaterRead ? "appears twice"
                                    : "comes before " + COEFFICIENTS) + "; refused");
                        }
                        updaterRead = true;
                        LimitedInput limited = new LimitedInput(zip, updaterBytes(parameters), at);
                        if (withUpdater) {
                            INDArray view = graph.getUpdater().getStateViewArray();
                            long size = view == null ? 0 : view.length();
                            INDArray state = array(limited, at, size, "optimiser state values");
                            if (size > 0) {
                                view.assign(state.reshape(view.shape()));
                            }
                        } else {
                            limited.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    }
                    default -> throw new IOException(at + ": unexpected entry"
                            + (name.endsWith(".bin") ? " (possibly a serialized Java object, which attention-zoo"
                            + " never writes and never reads)" : "") + "; refused");
                }
            }
        } catch (ZipException e) {
            throw new IOException(where + ": corrupted (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new IOException(where + ": truncated", e);
        }
        if (graph == null) {
            throw new IOException(where + ": incomplete network, \"" + (conf == null ? CONFIGURATION : COEFFICIENTS)
                    + "\" is missing");
        }
        return graph;
    }

    /** Parses configuration.json once its type names are known to be ours or DL4J's. */
    private static ComputationGraphConfiguration configuration(byte[] json, String at) throws IOException {
        checkTypeNames(json, at);
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(at + ": not a network configuration (" + firstLine(e) + ")", e);
        }
        if (conf.getNetworkInputs() == null || conf.getVertices() == null || conf.getVertices().isEmpty()) {
            throw new IOException(at + ": not a network configuration");
        }
        return conf;
    }

    /**
     * Streams through the JSON (no tree, so no recursion) and refuses a document nested deeper than
     * {@link #MAX_JSON_DEPTH} or naming a class outside {@link #TRUSTED_PACKAGES}: Jackson loads the
     * class a {@code "@class"} names before it checks its type, which would run that class's static
     * initialiser.
     */
    private static void checkTypeNames(byte[] json, String at) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (++depth > MAX_JSON_DEPTH) {
                        throw new IOException(at + ": nested deeper than " + MAX_JSON_DEPTH + " levels; refused");
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && p.getCurrentName().startsWith("@")) {
                    JsonToken v = p.nextToken();
                    String name = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    if (name == null || TRUSTED_PACKAGES.stream().noneMatch(name::startsWith)) {
                        throw new IOException(at + ": names the class " + (name == null ? v : "\"" + name + "\"")
                                + ", outside DL4J, ND4J and attention-zoo; refused");
                    }
                }
            }
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IOException(at + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * Reads one array written by ND4J's {@code Nd4j.write}: a shape buffer and a data buffer, each a header
     * (allocation mode, length, data type) and the numbers. The shape buffer is skipped (the array is
     * rebuilt as a row of {@code expected} values); the data buffer must hold exactly {@code expected}
     * floating-point values, checked before anything is allocated.
     */
    private static INDArray array(InputStream in, String at, long expected, String what) throws IOException {
        // Buffered: ND4J reads the numbers one at a time.
        DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        Header shape = header(d, at);
        if (shape.length < 0 || shape.length > 2 * 32 + 4 || (shape.type != DataType.LONG && shape.type != DataType.INT)) {
            throw new IOException(at + ": not an array (shape header " + shape.length + " " + shape.type + "); refused");
        }
        d.readNBytes(Math.toIntExact(shape.length * shape.type.width()));
        Header data = header(d, at);
        if (!data.type.isFPType()) {
            throw new IOException(at + ": holds " + data.type + " values, not floating-point numbers; refused");
        }
        if (data.length != expected) {
            throw new IOException(at + ": holds " + String.format(Locale.ROOT, "%,d", data.length) + " " + what
                    + " where card.json and the vocabularies imply " + String.format(Locale.ROOT, "%,d", expected)
                    + "; refused");
        }
        DataBuffer buffer;
        try {
            buffer = CompressedDataBuffer.readUnknown(d, data.mode, data.length, data.type);
        } catch (RuntimeException e) {
            throw new IOException(at + ": corrupted (" + firstLine(e) + ")", e);
        }
        return Nd4j.create(buffer, 1, expected);
    }

    private record Header(DataBuffer.AllocationMode mode, long length, DataType type) { }

    /** One buffer header as ND4J writes it: mode name, length (int for the three legacy modes), type name. */
    private static Header header(DataInputStream d, String at) throws IOException {
        try {
            DataBuffer.AllocationMode mode = DataBuffer.AllocationMode.valueOf(d.readUTF());
            long length = mode.ordinal() < 3 ? d.readInt() : d.readLong();
            DataType type = DataType.valueOf(d.readUTF());
            if (type == DataType.COMPRESSED || type == DataType.UTF8 || type == DataType.UNKNOWN) {
                throw new IllegalArgumentException(type.name());
            }
            return new Header(mode, length, type);
        } catch (IllegalArgumentException e) {
            throw new IOException(at + ": not an array (unknown header value " + e.getMessage() + "); refused", e);
        }
    }

    /**
     * What makes a stored configuration another network than the card's, or null when they agree:
     * the inputs and outputs, the vertex names, each vertex's inputs, kind (and layer kind), number of
     * parameters, then every setting of its configuration (attention heads, scores, dropout, updater...)
     * but those {@link #FILLED_AT_INIT}.
     */
    static String difference(ComputationGraphConfiguration stored, ComputationGraphConfiguration expected) {
        if (!Objects.equals(stored.getNetworkInputs(), expected.getNetworkInputs())) {
            return "inputs " + stored.getNetworkInputs() + " in the graph, " + expected.getNetworkInputs() + " by the card";
        }
        if (!Objects.equals(stored.getNetworkOutputs(), expected.getNetworkOutputs())) {
            return "outputs " + stored.getNetworkOutputs() + " in the graph, " + expected.getNetworkOutputs() + " by the card";
        }
        Map<String, GraphVertex> s = stored.getVertices();
        Map<String, GraphVertex> x = expected.getVertices();
        for (String[] v : new String[][] {{GraphNames.SOURCE_EMBEDDING, "source"}, {GraphNames.TARGET_EMBEDDING, "target"},
                {GraphNames.OUTPUT, "target"}}) {
            long there = vocabularySize(s.get(v[0]));
            long here = vocabularySize(x.get(v[0]));
            if (there != here) {
                return "the " + v[1] + " vocabulary has " + here + " entries but the graph's layer \"" + v[0]
                        + "\" expects " + there + ": the vocabulary and the model do not belong together";
            }
        }
        TreeSet<String> extra = new TreeSet<>(s.keySet());
        extra.removeAll(x.keySet());
        TreeSet<String> missing = new TreeSet<>(x.keySet());
        missing.removeAll(s.keySet());
        if (!extra.isEmpty() || !missing.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!extra.isEmpty()) {
                parts.add("the graph has " + extra + " which the card does not describe");
            }
            if (!missing.isEmpty()) {
                parts.add("the card describes " + missing + " which the graph lacks");
            }
            return String.join(", ", parts) + " (layer counts differ?)";
        }
        for (var e : x.entrySet()) {
            String name = e.getKey();
            GraphVertex sv = s.get(name);
            GraphVertex xv = e.getValue();
            if (!Objects.equals(stored.getVertexInputs().get(name), expected.getVertexInputs().get(name))) {
                return "vertex \"" + name + "\" reads " + stored.getVertexInputs().get(name) + " in the graph, "
                        + expected.getVertexInputs().get(name) + " by the card";
            }
            String sk = kind(sv);
            String xk = kind(xv);
            if (!sk.equals(xk)) {
                return "vertex \"" + name + "\" is a " + sk + " in the graph, a " + xk + " by the card";
            }
            long sp = sv.numParams(true);
            long xp = xv.numParams(true);
            if (sp != xp) {
                return String.format(Locale.ROOT, "vertex \"%s\" has %,d parameters in the graph, %,d by the card"
                        + " (sizes differ?)", name, sp, xp);
            }
            String setting = firstDifference("", settings(sv), settings(xv));
            if (setting != null) {
                return "vertex \"" + name + "\" differs in " + setting;
            }
        }
        return null;
    }

    /**
     * Fields of a vertex's JSON that are filled in when a graph is initialised (parameter tables, inferred
     * input lengths, names) and so differ between a stored and a freshly built configuration.
     */
    private static final java.util.Set<String> FILLED_AT_INIT = java.util.Set.of(
            "variables", "inputLength", "layerParams", "vertexParams", "name", "dataType");

    /** A vertex's configuration as DL4J's JSON, without the fields {@link #FILLED_AT_INIT}. */
    private static JsonNode settings(GraphVertex v) {
        JsonNode tree = NeuralNetConfiguration.mapper().valueToTree(v);
        strip(tree);
        return tree;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(FILLED_AT_INIT);
        }
        for (JsonNode child : node) {
            strip(child);
        }
    }

    /** The path and both values of the first difference between two JSON trees, or null when equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String d = firstDifference(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k));
                if (d != null) {
                    return d;
                }
            }
        }
        return (path.isEmpty() ? "its settings" : path) + ": " + shorten(a) + " in the graph, " + shorten(b) + " by the card";
    }

    private static String shorten(JsonNode n) {
        String s = n.isMissingNode() ? "(absent)" : n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** The vocabulary size an embedding (its nIn) or the output layer (its nOut) is built for; -1 if neither. */
    private static long vocabularySize(GraphVertex v) {
        if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
            if (lv.getLayerConf().getLayer() instanceof EmbeddingSequenceLayer e) {
                return e.getNIn();
            }
            if (lv.getLayerConf().getLayer() instanceof FeedForwardLayer f) {
                return f.getNOut();
            }
        }
        return -1;
    }

    private static String kind(GraphVertex v) {
        if (v instanceof LayerVertex lv && lv.getLayerConf() != null && lv.getLayerConf().getLayer() != null) {
            return lv.getLayerConf().getLayer().getClass().getSimpleName();
        }
        return v.getClass().getSimpleName();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
