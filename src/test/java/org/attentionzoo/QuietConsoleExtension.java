package org.attentionzoo;

import org.attentionzoo.util.QuietOutput;
import org.attentionzoo.util.ShapeInfoCache;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs every test class as the command line and the examples run: SameDiff's "Added differentiated op" lines kept
 * out of the test log and ND4J's shape descriptors cached (both parts of {@link org.attentionzoo.AttentionZoo#configure()};
 * its thread setting is left to each test). The library installs neither by itself.
 */
public final class QuietConsoleExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        QuietOutput.install();
        ShapeInfoCache.install();
    }
}
