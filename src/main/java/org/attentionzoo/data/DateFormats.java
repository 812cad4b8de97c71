package org.attentionzoo.data;

import java.time.LocalDate;
import java.util.List;

/**
 * The ways {@link DatesTask} writes a date for people, in title case.
 *
 * <p>Slashes always mean the American month/day/year order and dots the European day.month.year
 * order, so no rendering is ambiguous. Two-digit years stand for 1950-2049: {@code yy >= 50} is
 * {@code 19yy} and {@code yy < 50} is {@code 20yy}.
 */
public final class DateFormats {

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    private static final String[] MONTHS_SHORT = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec"};
    private static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday"};
    private static final String[] WEEKDAYS_SHORT = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private DateFormats() {
    }

    /**
     * Every rendering of {@code date}, always in the same order; for 2026-11-24 the first is
     * "Tuesday, November 24 2026". The weekday comes from {@link LocalDate#getDayOfWeek()}.
     */
    public static List<String> all(LocalDate date) {
        int d = date.getDayOfMonth();
        int m = date.getMonthValue();
        int y = date.getYear();
        String month = MONTHS[m - 1];
        String mon = MONTHS_SHORT[m - 1];
        String weekday = WEEKDAYS[date.getDayOfWeek().getValue() - 1];
        String wd = WEEKDAYS_SHORT[date.getDayOfWeek().getValue() - 1];
        String yy = String.format("%02d", y % 100);
        return List.of(
                weekday + ", " + month + " " + d + " " + y,
                d + " " + mon + ". " + y,
                m + "/" + d + "/" + yy,
                "the " + ordinal(d) + " of " + month + " " + y,
                String.format("%02d.%02d.%d", d, m, y),
                month + " " + d + ", " + y,
                mon + " " + d + " " + y,
                y + " " + month + " " + d,
                wd + " " + d + " " + mon + " " + y,
                d + " " + month + " " + y,
                String.format("%02d/%02d/%d", m, d, y),
                month + " " + ordinal(d) + ", " + y,
                weekday + " " + d + " " + month + " " + y,
                d + " " + mon + " " + yy,
                String.format("%d/%02d/%02d", y, m, d));
    }

    /** The day number with its English suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd... */
    public static String ordinal(int day) {
        int lastTwo = day % 100;
        if (lastTwo >= 11 && lastTwo <= 13) {
            return day + "th";
        }
        return switch (day % 10) {
            case 1 -> day + "st";
            case 2 -> day + "nd";
            case 3 -> day + "rd";
            default -> day + "th";
        };
    }

    /** The year a two-digit year stands for: 50-99 are 1950-1999, 00-49 are 2000-2049. */
    public static int fullYear(int twoDigitYear) {
        if (twoDigitYear < 0 || twoDigitYear > 99) {
            throw new IllegalArgumentException("not a two-digit year: " + twoDigitYear);
        }
        return twoDigitYear >= 50 ? 1900 + twoDigitYear : 2000 + twoDigitYear;
    }
}
