/** Training any zoo model through one loop: budgets, loss per token, throughput. */
package org.attentionzoo.train;
