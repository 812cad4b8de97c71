package org.attentionzoo.cli;

import org.attentionzoo.models.EncoderClassifier;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code zoo}: lists the shipped model cards with their parameter counts. */
@Command(name = "zoo", description = "List the model cards with their parameter counts.")
final class ZooCommand implements Callable<Integer> {

    @Option(names = "--vocab", defaultValue = "8000",
            description = "Vocabulary size (source and target) used to count parameters (default ${DEFAULT-VALUE}).")
    int vocab;

    private static final int CLASSES = 2;

    private static void print(String name, ModelCard card, long params) {
        System.out.printf("%-32s %-11s %,14d  %s%n", name, card.family().name().toLowerCase(), params,
                card.description() == null ? "" : card.description());
    }

    @Override
    public Integer call() throws Exception {
        System.out.printf("%-32s %-11s %14s  %s%n", "card", "family", "parameters", "description");
        for (String name : Zoo.CARDS) {
            ModelCard card = Zoo.card(name);
            print(name, card, Zoo.parameterCount(Zoo.init(card, vocab, vocab)));
        }
        for (String name : Zoo.CLASSIFIER_CARDS) {
            ModelCard card = Zoo.card(name);
            print(name, card, Zoo.parameterCount(EncoderClassifier.init(card, vocab, CLASSES)));
        }
        System.out.printf("(parameter counts for %,d-token vocabularies; classifiers with %d classes)%n", vocab, CLASSES);
        return 0;
    }
}
