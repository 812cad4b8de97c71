package org.attentionzoo.cli;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.util.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

import java.util.OptionalInt;

/**
 * The command line of the runnable jar: {@code java -jar target/attention-zoo.jar <command>}.
 * Errors a user can fix (a missing file, a bad line, an unknown card) print one line on stderr and
 * exit with status 1; usage mistakes exit with status 2. {@code --help} and {@code --version} work on every
 * command ({@code scope = INHERIT} passes them down to the subcommands): help goes to standard output, exit status 0,
 * before any required option is checked.
 */
@Command(name = "attention-zoo", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "attention-zoo 0.1.0",
        description = "Seq2seq, attention and Transformer models on Deeplearning4j.",
        subcommands = {ZooCommand.class, TrainCommand.class, FinetuneCommand.class, TranslateCommand.class, EvaluateCommand.class,
                BleuCommand.class, ChrfCommand.class, AlignCommand.class, ReleaseCommand.class, AverageCommand.class,
                ServeCommand.class})
public final class ZooCli {

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "Threads per ND4J operation (default: OMP_NUM_THREADS, else 1; training and decoding "
                    + "then shard each batch over cores / N workers). On 2 cores 1 trained and decoded faster than 2 "
                    + "for the zoo's model sizes.")
    void threads(int n) {
        Threads.use(n);
    }

    /** Runs a command and exits with its status; {@code train} and {@code finetune} in a JVM sized for them. */
    public static void main(String[] args) {
        OptionalInt child = TrainingJvm.launch(args);
        System.exit(child.isPresent() ? child.getAsInt() : run(args));
    }

    /** Runs a command and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        AttentionZoo.configure();
        CommandLine cli = new CommandLine(new ZooCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + message(e));
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            cli.getErr().println("error: " + message(e));
            return 1;
        }
    }

    /** The one line an error prints: its message, or for a lack of memory the heap and how to raise it. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                long heap = Runtime.getRuntime().maxMemory() >> 20;
                return "out of memory (" + t.getMessage() + ") with a Java heap of " + heap + " MB; start the JVM with "
                        + "more, for example java -Xmx" + 2 * heap + "m -jar attention-zoo.jar ...";
            }
        }
        String m = e.getMessage();
        return m == null ? e.toString() : m;
    }
}
