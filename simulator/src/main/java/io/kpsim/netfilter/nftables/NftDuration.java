package io.kpsim.netfilter.nftables;

/**
 * Set and element timeouts as nft writes them: {@code 3h}, {@code 1m30s}, {@code 59m59s972ms}
 * ({@code time_type_print()} in nftables' {@code src/datatype.c}: days, hours, minutes, seconds
 * and milliseconds, each only when not zero), read back from any combination of those units or a
 * bare number of seconds ({@code time_parse()}).
 */
final class NftDuration {

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private NftDuration() {}

    /** The text of {@code millis} milliseconds. */
    static String format(long millis) {
        StringBuilder s = new StringBuilder();
        long rest = millis;
        long[] units = {DAY, HOUR, MINUTE, SECOND};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            long n = rest / units[i];
            if (n > 0) {
                s.append(n).append(names[i]);
                rest -= n * units[i];
            }
        }
        if (rest > 0 || s.length() == 0) {
            s.append(rest).append("ms");
        }
        return s.toString();
    }

    /**
     * Milliseconds of {@code text}.
     *
     * @throws IllegalArgumentException when it is not a duration
     */
    static long parse(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text) * SECOND;
        }
        long total = 0;
        int i = 0;
        boolean any = false;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw bad(text);
            }
            long n = Long.parseLong(text.substring(start, i));
            int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String unit = text.substring(unitStart, i);
            total += n
                    * switch (unit) {
                        case "d" -> DAY;
                        case "h" -> HOUR;
                        case "m" -> MINUTE;
                        case "s" -> SECOND;
                        case "ms" -> 1;
                        default -> throw bad(text);
                    };
            any = true;
        }
        if (!any) {
            throw bad(text);
        }
        return total;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 10800s, 3h or 1m30s)");
    }
}
