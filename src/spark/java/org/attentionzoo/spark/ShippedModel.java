package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model.zip on its way to the executors: its bytes in a Spark broadcast (sent to each executor once, by
 * Spark's torrent broadcast) and their SHA-256, which keys the per-JVM cache of loaded models
 * ({@link ExecutorModels}): tasks on an executor that already loaded these bytes never read the broadcast again.
 * Serializable; the bytes stay out of the task closures.
 */
public final class ShippedModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String sha256;
    private final Broadcast<byte[]> bytes;

    private ShippedModel(String name, String sha256, Broadcast<byte[]> bytes) {
        this.name = name;
        this.sha256 = sha256;
        this.bytes = bytes;
    }

    /**
     * Reads {@code model} on the driver and broadcasts it.
     *
     * @throws NoSuchFileException naming the file if it does not exist
     */
    public static ShippedModel ship(JavaSparkContext sc, Path model) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model + ": model file not found");
        }
        byte[] data = Files.readAllBytes(model);
        return new ShippedModel(model.toString(), sha256(data), sc.broadcast(data));
    }

    /** Broadcasts model.zip bytes held in memory; {@code name} names them in errors. */
    public static ShippedModel of(JavaSparkContext sc, String name, byte[] data) {
        return new ShippedModel(name, sha256(data), sc.broadcast(data));
    }

    /** The file name it was read from (error messages). */
    public String name() {
        return name;
    }

    /** Hex SHA-256 of the model.zip bytes. */
    public String sha256() {
        return sha256;
    }

    /** The bytes (on an executor: fetched from the broadcast on first use). */
    byte[] bytes() {
        return bytes.value();
    }

    /** Frees the broadcast on the executors and the driver; the model cannot be used by later jobs. */
    public void destroy() {
        bytes.destroy();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a JDK standard algorithm", e);
        }
    }
}
