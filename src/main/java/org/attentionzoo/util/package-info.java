/** Small runtime helpers with no model or data knowledge, such as console hygiene. */
package org.attentionzoo.util;
