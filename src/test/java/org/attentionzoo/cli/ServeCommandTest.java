package org.attentionzoo.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code serve}'s mistakes before it listens: one line on stderr, exit status 1 (the server itself: TranslationServerTest). */
class ServeCommandTest {

    private static final String MODEL = "src/test/resources/saved-models/v1/luong-general.zip";

    @Test
    void aMissingModelFileIsOneLineNamingIt() {
        CliRun r = CliRun.run("", "serve", "--model", "en=missing/model.zip", "--port", "0");
        assertEquals(1, r.code());
        assertEquals("error: missing/model.zip: model file not found\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void twoModelsOfOneNameAreRefused() {
        CliRun r = CliRun.run("", "serve", "--model", MODEL, "--model", MODEL, "--port", "0");
        assertEquals(1, r.code());
        assertEquals("error: --model " + MODEL + ": two models named \"default\" (give each model a name: --model NAME=PATH)\n", r.err());
    }

    @Test
    void badSettingsAreOneLine() {
        CliRun r = CliRun.run("", "serve", "--model", MODEL, "--port", "70000");
        assertEquals(1, r.code());
        assertEquals("error: port must be between 0 and 65535, got 70000\n", r.err());
    }
}
