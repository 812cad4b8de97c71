/**
 * Serving: translation models over HTTP with JSON in and out ({@link org.attentionzoo.serve.TranslationServer}),
 * the sentences of concurrent requests decoded together in one batch.
 */
package org.attentionzoo.serve;
