package dev.berth.app.containers;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as Docker's {@code --memory} reads them: {@code 256m}, {@code 1.5g}, {@code 512k}, binary units, plain bytes. */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?([kmgtp])?i?b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {}

    /**
     * @throws InvalidInput naming {@code text} when it is not a size
     */
    public static long parse(String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new InvalidInput("run.validation.memory.syntax", s);
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 50;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidInput("run.validation.memory.syntax", s);
        }
        return bytes.longValue();
    }
}
