/**
 * Transformer layers (Vaswani et al. 2017) for DL4J graphs, all NCW [mb, d_model, T] with time masks passed on:
 * {@link org.attentionzoo.layers.transformer.PositionalEncoding} (layer), {@link org.attentionzoo.layers.transformer.EncoderLayer}
 * (layer), {@link org.attentionzoo.layers.transformer.DecoderLayer} (vertex: decoder states, encoder output), and the shared
 * {@link org.attentionzoo.layers.transformer.MultiHeadAttention} computation. A model chains
 * embeddings → PositionalEncoding → EncoderLayer × N and target embeddings → PositionalEncoding → DecoderLayer × N
 * (each taking the last encoder layer as second input) → RnnOutputLayer. Residual and attention dropout
 * inside the encoder and decoder layers are configured on their builders and active only in training.
 */
package org.attentionzoo.layers.transformer;
