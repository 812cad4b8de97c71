package org.attentionzoo.examples;

import org.attentionzoo.AttentionZoo;
import picocli.CommandLine;

import java.util.concurrent.Callable;

/**
 * How every example main starts, as the command line does ({@code ZooCli}): {@link AttentionZoo#configure()}
 * first, then the example's picocli options. {@code --help} prints them; a usage mistake prints the usage and
 * exits with status 2; an error prints one line ("error: ...") and exits with status 1.
 */
final class ExampleCli {

    private ExampleCli() {
    }

    /** Parses {@code args} into {@code example}'s options and runs it; exits the JVM only on failure. */
    static void run(Callable<Integer> example, String[] args) {
        AttentionZoo.configure();
        CommandLine cli = new CommandLine(example);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
