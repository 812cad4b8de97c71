/** The zoo: model cards and the builders that turn a card into a DL4J ComputationGraph, and
 * vocabulary extension of trained models for fine-tuning. */
package org.attentionzoo.models;
