/** Custom Deeplearning4j layers (SameDiff-based) of the attention zoo, with the helpers they share. */
package org.attentionzoo.layers;
