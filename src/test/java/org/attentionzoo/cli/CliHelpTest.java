package org.attentionzoo.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --help} (and {@code -h}) on every command prints that command's usage on standard output and exits 0, even
 * when the command has required options; {@code --version} likewise. A usage mistake still exits 2.
 */
class CliHelpTest {

    /** Every command the jar has; a new command must be added here (the first assertion says so). */
    private static final Set<String> COMMANDS = Set.of("zoo", "train", "finetune", "translate", "evaluate", "bleu", "chrf", "align",
            "release", "average", "serve");

    @Test
    void everyCommandPrintsItsHelpAndExitsZero() {
        Set<String> registered = new TreeSet<>(new CommandLine(new ZooCli()).getSubcommands().keySet());
        assertEquals(new TreeSet<>(COMMANDS), registered, "the commands this test covers");
        for (String command : registered) {
            for (String flag : new String[]{"--help", "-h"}) {
                CliRun r = CliRun.run("", command, flag);
                assertEquals(0, r.code(), command + " " + flag + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: attention-zoo " + command + " "), command + " " + flag + ": " + r.out());
                assertTrue(r.out().contains("-h, --help"), r.out());
                assertEquals("", r.err(), command + " " + flag);
            }
        }
        CliRun top = CliRun.run("", "--help");
        assertEquals(0, top.code());
        assertTrue(top.out().startsWith("Usage: attention-zoo "), top.out());
    }

    @Test
    void versionOnACommandExitsZeroAndMissingOptionsStillExitTwo() {
        CliRun version = CliRun.run("", "bleu", "--version");
        assertEquals(0, version.code(), version.err());
        assertEquals("attention-zoo 0.1.0", version.out().strip());

        CliRun missing = CliRun.run("", "bleu");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("Missing required option: '--ref=<ref>'"), missing.err());
    }
}
