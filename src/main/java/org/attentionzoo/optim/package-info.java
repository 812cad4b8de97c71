/**
 * Training objectives, schedules and gradient processing the zoo adds to DL4J: label-smoothed cross entropy,
 * the Noam schedule, global-norm gradient clipping.
 */
package org.attentionzoo.optim;
