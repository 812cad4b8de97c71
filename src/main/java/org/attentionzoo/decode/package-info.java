/** Decoding: turning a trained graph and a source sentence into a translation. */
package org.attentionzoo.decode;
