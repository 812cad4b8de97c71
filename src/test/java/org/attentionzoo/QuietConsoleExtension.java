package org.attentionzoo;

import org.attentionzoo.util.QuietOutput;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Keeps SameDiff's "Added differentiated op" lines out of the test log, as the applications do. */
public final class QuietConsoleExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        QuietOutput.install();
    }
}
