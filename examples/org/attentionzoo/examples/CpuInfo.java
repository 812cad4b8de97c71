package org.attentionzoo.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The processor a measurement ran on, for the first line of a benchmark's output: its model name and which of
 * the vector extensions that decide the speed of ND4J's kernels it has (AVX2, FMA, AVX-512F), read from Linux's
 * {@code /proc/cpuinfo}; elsewhere the operating system and architecture, the extensions unknown. A speed table
 * that does not name its CPU cannot be compared with another one.
 */
final class CpuInfo {

    /** The flags reported, in this order. */
    static final List<String> EXTENSIONS = List.of("avx2", "fma", "avx512f");

    private CpuInfo() {
    }

    /** This machine's processor: {@link #describe(List, String, String)} of {@code /proc/cpuinfo}. */
    static String describe() {
        List<String> lines = List.of();
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: described by the operating system and architecture
        }
        return describe(lines, System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * {@code "CPU: <model name>, <n> logical cores; vector extensions: avx2 fma"} (those of {@link #EXTENSIONS}
     * among the first processor's flags, or "none of avx2, fma, avx512f"); without a "model name" line,
     * {@code "CPU: <os name> <os arch>; vector extensions: unknown"}.
     *
     * @param cpuinfo the lines of {@code /proc/cpuinfo} (empty when there is none)
     */
    static String describe(List<String> cpuinfo, String osName, String osArch) {
        String model = null;
        Set<String> flags = null;
        int cores = 0;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("processor")) {
                cores++;
            } else if (key.equals("model name") && model == null) {
                model = value;
            } else if (key.equals("flags") && flags == null) {
                flags = Set.copyOf(Arrays.asList(value.split("\\s+")));
            }
        }
        if (model == null) {
            return "CPU: " + osName + " " + osArch + "; vector extensions: unknown";
        }
        List<String> found = new ArrayList<>();
        for (String e : EXTENSIONS) {
            if (flags != null && flags.contains(e)) {
                found.add(e);
            }
        }
        return "CPU: " + model + (cores > 0 ? ", " + cores + " logical cores" : "") + "; vector extensions: "
                + (flags == null ? "unknown" : found.isEmpty() ? "none of " + String.join(", ", EXTENSIONS)
                : String.join(" ", found));
    }
}
