/** Small runtime helpers with no model or data knowledge, such as console hygiene and atomic file writes. */
package org.attentionzoo.util;
