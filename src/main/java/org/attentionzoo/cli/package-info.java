/** The picocli command line hosted by the runnable jar: zoo, train, translate, evaluate. */
package org.attentionzoo.cli;
