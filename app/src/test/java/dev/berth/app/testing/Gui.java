package dev.berth.app.testing;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the window tests ask of the real window under Xvfb: waiting, visibility, labels, README screenshots. */
public final class Gui {

    /** How long a condition may take: an engine call, an event and a repaint on 2 shared cores. */
    public static final int WAIT_SECONDS = 30;

    private Gui() {}

    /** Waits until {@code condition} holds, then for the JavaFX events it caused. */
    public static void waitUntil(BooleanSupplier condition) {
        waitUntil(condition, () -> "");
    }

    /** As {@link #waitUntil(BooleanSupplier)}; a timeout's message ends with {@code state} (say, what a field holds). */
    public static void waitUntil(BooleanSupplier condition, Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within " + WAIT_SECONDS + " s " + state.get(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** As {@link #waitUntil(BooleanSupplier)}, for something slower than {@link #WAIT_SECONDS} (a whole build). */
    public static void waitUntil(BooleanSupplier condition, int seconds) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (TimeoutException e) {
            throw new AssertionError("condition not met within " + seconds + " s", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Whether {@code node} and every parent of it are visible. */
    public static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** The label that {@code query} finds. */
    public static Label label(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class);
    }

    /** Writes {@code scene} to {@code screenshots/<name>} at the repository's top, for the README. */
    public static void snapshot(Scene scene, String name) throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("..").resolve("screenshots").normalize();
        Files.createDirectories(dir);
        WritableImage[] image = new WritableImage[1];
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(() -> image[0] = scene.snapshot(null)));
        ImageIO.write(SwingFXUtils.fromFXImage(image[0], null), "png", dir.resolve(name).toFile());
    }
}
