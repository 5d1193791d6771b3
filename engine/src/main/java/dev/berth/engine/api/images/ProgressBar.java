package dev.berth.engine.api.images;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Docker's rendering of a byte count ({@code progress} in a {@link JsonMessage}): a 50-step bar
 * and human sizes in decimal units with four significant digits, as the Docker server writes
 * them for a client without a terminal of its own ({@code [=====>     ] 1.2MB/3.4MB}).
 */
public final class ProgressBar {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final int STEPS = 50;

    private ProgressBar() {}

    /** The bar for {@code current} of {@code total} bytes; only the count when the total is unknown; "" for nothing. */
    public static String render(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return String.format("%8s", humanSize(current));
        }
        int filled = (int) Math.min(STEPS, (long) ((double) current / total * 100) / 2);
        String bar = "[" + "=".repeat(filled) + ">" + " ".repeat(STEPS - filled) + "] ";
        String numbers = current > total
                ? String.format("%8s", humanSize(current))
                : String.format("%8s/%s", humanSize(current), humanSize(total));
        return bar + numbers;
    }

    /** {@code 1234567} → {@code 1.235MB}: powers of 1000, at most four significant digits, no trailing zeros. */
    public static String humanSize(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return rounded.toPlainString() + UNITS[unit];
    }
}
