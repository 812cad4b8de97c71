package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A generated sequence-classification task: a customer's event history → {@code churn}, {@code loyal} or
 * {@code active}. Sequences of 5 to 40 events (by default) over {@link #EVENTS}, labelled by a fixed rule that
 * needs order and context, not only which events occur:
 * <ol>
 *   <li>{@code churn} if a {@code complaint} or {@code refund} is followed, later, by {@code cancel_plan} with no
 *       {@code purchase} in between ("complaint cancel_plan" is churn; "complaint purchase cancel_plan" and
 *       "cancel_plan complaint" are not);</li>
 *   <li>otherwise {@code loyal} if there are at least 3 {@code purchase} events;</li>
 *   <li>otherwise {@code active}.</li>
 * </ol>
 * A history is filler events ({@code login}, {@code search}, {@code view}, ... and {@code support_ticket}, which
 * looks like a complaint but does not count) with 0-5 purchases, 0-2 complaints or refunds and 0-1 cancel_plan
 * put at random places; the label is drawn uniformly first and histories are drawn until one has that label,
 * so the three classes are equally frequent (the majority-class baseline is about 33%) and many histories of
 * the other classes hold the same events in an order that does not count ("near misses").
 */
public final class EventHistoryTask {

    /** The event vocabulary, in a fixed order. */
    public static final List<String> EVENTS = List.of("login", "logout", "search", "view", "wishlist", "cart",
            "purchase", "review", "newsletter", "support_ticket", "complaint", "refund", "cancel_plan");
    /** The labels, in class-index order. */
    public static final List<String> LABELS = List.of("active", "loyal", "churn");

    private static final List<String> FILLER = List.of("login", "logout", "search", "view", "wishlist", "cart",
            "review", "newsletter", "support_ticket");
    private static final Set<String> GRIEVANCES = Set.of("complaint", "refund");

    private final int minLength;
    private final int maxLength;

    /** Histories of 5 to 40 events. */
    public EventHistoryTask() {
        this(5, 40);
    }

    /** Histories of {@code minLength} to {@code maxLength} events (at least 3, so that every label can occur). */
    public EventHistoryTask(int minLength, int maxLength) {
        if (minLength < 3 || maxLength < minLength) {
            throw new IllegalArgumentException("need 3 <= minLength <= maxLength, got " + minLength + ", " + maxLength);
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The rule: {@code churn}, {@code loyal} or {@code active} for a history (see the class comment). */
    public static String label(List<String> events) {
        boolean grievance = false;
        int purchases = 0;
        for (String e : events) {
            if (GRIEVANCES.contains(e)) {
                grievance = true;
            } else if (e.equals("purchase")) {
                grievance = false;
                purchases++;
            } else if (e.equals("cancel_plan") && grievance) {
                return "churn";
            }
        }
        return purchases >= 3 ? "loyal" : "active";
    }

    /** {@code count} labelled histories; the same seed always gives the same list. */
    public List<LabeledSequence> generate(int count, long seed) {
        Random random = new Random(seed);
        List<LabeledSequence> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String wanted = LABELS.get(random.nextInt(LABELS.size()));
            List<String> events;
            do {
                events = history(random);
            } while (!label(events).equals(wanted));
            out.add(new LabeledSequence(events, wanted));
        }
        return out;
    }

    private List<String> history(Random random) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        List<String> events = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            events.add(FILLER.get(random.nextInt(FILLER.size())));
        }
        List<String> special = new ArrayList<>();
        for (int n = random.nextInt(6); n > 0; n--) {
            special.add("purchase");
        }
        for (int n = random.nextInt(3); n > 0; n--) {
            special.add(random.nextBoolean() ? "complaint" : "refund");
        }
        if (random.nextBoolean()) {
            special.add("cancel_plan");
        }
        for (String e : special) {              // each at a random place; a later one may overwrite an earlier one
            events.set(random.nextInt(length), e);
        }
        return events;
    }
}
