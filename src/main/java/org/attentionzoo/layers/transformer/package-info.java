/**
 * Transformer layers (Vaswani et al. 2017) for DL4J graphs, all NCW [mb, d_model, T] with time masks passed on:
 * {@link org.attentionzoo.layers.transformer.PositionalEncoding} (layer), {@link org.attentionzoo.layers.transformer.EncoderLayer}
 * (layer), {@link org.attentionzoo.layers.transformer.DecoderLayer} (vertex: decoder states, encoder output), and the shared
 * {@link org.attentionzoo.layers.transformer.MultiHeadAttention} computation. A model chains
 * embeddings → PositionalEncoding → EncoderLayer × N and target embeddings → PositionalEncoding → DecoderLayer × N
 * (each taking the last encoder layer as second input) → RnnOutputLayer. Residual and attention dropout
 * inside the encoder and decoder layers are configured on their builders and active only in training.
 *
 * <p>The layers are defined as SameDiff graphs, which is what inference runs. Training (with the ReLU
 * feed-forward network) runs {@link org.attentionzoo.layers.transformer.KeptEncoderLayer} and
 * {@link org.attentionzoo.layers.transformer.KeptDecoderLayer}: the same function differentiated by hand, its forward
 * pass kept for the backward pass, where DL4J M2.1's SameDiff runtime computes the forward pass a second time.
 */
package org.attentionzoo.layers.transformer;
