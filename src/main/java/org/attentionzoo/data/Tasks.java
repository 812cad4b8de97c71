package org.attentionzoo.data;

import java.util.List;

/** Looks up generated tasks by name, with their default settings. */
public final class Tasks {

    /** Names accepted by {@link #forName(String)}. */
    public static final List<String> NAMES = List.of("dates", "reverse", "copy");

    private Tasks() {
    }

    /**
     * Returns a new task called {@code name} with default settings.
     *
     * @throws IllegalArgumentException if the name is unknown; the message lists the known names
     */
    public static Task forName(String name) {
        if (name != null) {
            switch (name) {
                case "dates":
                    return new DatesTask();
                case "reverse":
                    return new ReverseTask();
                case "copy":
                    return new CopyTask();
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + String.join(", ", NAMES));
    }
}
