package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DateFormatsTest {

    @Test
    void allRenderingsOfATuesday() {
        assertEquals(List.of(
                "Tuesday, November 24 2026",
                "24 Nov. 2026",
                "11/24/26",
                "the 24th of November 2026",
                "24.11.2026",
                "November 24, 2026",
                "Nov 24 2026",
                "2026 November 24",
                "Tue 24 Nov 2026",
                "24 November 2026",
                "11/24/2026",
                "November 24th, 2026",
                "Tuesday 24 November 2026",
                "24 Nov 26",
                "2026/11/24"), DateFormats.all(LocalDate.of(2026, 11, 24)));
    }

    @Test
    void singleDigitsAndTwoDigitYearOfThe1900s() {
        List<String> r = DateFormats.all(LocalDate.of(1999, 5, 3));
        assertEquals("Monday, May 3 1999", r.get(0));
        assertEquals("5/3/99", r.get(2));
        assertEquals("the 3rd of May 1999", r.get(3));
        assertEquals("03.05.1999", r.get(4));
        assertEquals("05/03/1999", r.get(10));
        assertEquals("1999/05/03", r.get(14));
    }

    @Test
    void ordinals() {
        int[] days = {1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31};
        String[] expected = {"1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"};
        for (int i = 0; i < days.length; i++) {
            assertEquals(expected[i], DateFormats.ordinal(days[i]));
        }
    }

    @Test
    void twoDigitYearWindowIs1950To2049() {
        assertEquals(1950, DateFormats.fullYear(50));
        assertEquals(1999, DateFormats.fullYear(99));
        assertEquals(2000, DateFormats.fullYear(0));
        assertEquals(2049, DateFormats.fullYear(49));
        assertThrows(IllegalArgumentException.class, () -> DateFormats.fullYear(100));
    }
}
