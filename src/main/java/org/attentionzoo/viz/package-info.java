/** Alignment visualisation: draws attention weights as terminal, PNG and HTML/SVG heatmaps. */
package org.attentionzoo.viz;
