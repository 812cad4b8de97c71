/** Training objectives and schedules the zoo adds to DL4J: label-smoothed cross entropy, the Noam schedule. */
package org.attentionzoo.optim;
