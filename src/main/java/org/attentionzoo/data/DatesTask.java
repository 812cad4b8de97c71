package org.attentionzoo.data;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generated task: a date written for people, in one of the {@link DateFormats} renderings, to the
 * ISO form {@code YYYY-MM-DD} (name {@code "dates"}).
 *
 * <p>Dates are uniform over 1950-01-01 to 2049-12-31, so every two-digit year is unambiguous
 * ({@link DateFormats#fullYear(int)}). Each source uses a uniformly chosen rendering and is kept in
 * title case (60%), lower-cased (25%) or upper-cased (15%). Sources use the {@code "words"}
 * tokenizer, targets the {@code "chars"} tokenizer (10 tokens).
 */
public final class DatesTask implements Task {

    /** First date generated. */
    public static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    /** Last date generated. */
    public static final LocalDate LAST = LocalDate.of(2049, 12, 31);

    @Override
    public String name() {
        return "dates";
    }

    @Override
    public List<SentencePair> generate(int count, long seed) {
        Random random = new Random(seed);
        long first = FIRST.toEpochDay();
        int days = (int) (LAST.toEpochDay() - first + 1);
        List<SentencePair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LocalDate date = LocalDate.ofEpochDay(first + random.nextInt(days));
            List<String> renderings = DateFormats.all(date);
            String source = renderings.get(random.nextInt(renderings.size()));
            int casing = random.nextInt(100);
            if (casing >= 85) {
                source = source.toUpperCase(Locale.ROOT);
            } else if (casing >= 60) {
                source = source.toLowerCase(Locale.ROOT);
            }
            pairs.add(new SentencePair(source, date.toString(), name() + "#" + (i + 1)));
        }
        return pairs;
    }

    @Override
    public Tokenizer targetTokenizer() {
        return new CharTokenizer();
    }
}
