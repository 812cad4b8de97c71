package org.attentionzoo.spark;

import java.io.Serializable;

/**
 * One translated input line.
 *
 * @param id          0-based position of the line in the input
 * @param source      the line
 * @param translation its best translation
 */
public record TranslatedLine(long id, String source, String translation) implements Serializable {
}
