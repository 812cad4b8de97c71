package org.attentionzoo.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The examples' command-line options: {@code --name value} pairs, unknown names refused with the known ones. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    private Options(String[] args, List<String> known) {
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option " + args[i] + "; use " + String.join(" V, ", known) + " V");
            }
            values.put(args[i], args[i + 1]);
        }
    }

    /** Parses {@code args}, which may only use the {@code known} option names, each followed by a value. */
    static Options parse(String[] args, String... known) {
        return new Options(args, List.of(known));
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    double number(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }
}
