/** The zoo: model cards and the builders that turn a card into a DL4J ComputationGraph. */
package org.attentionzoo.models;
