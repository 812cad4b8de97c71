/** Model files: saving and loading a trained model with its vocabularies, card and provenance. */
package org.attentionzoo.io;
