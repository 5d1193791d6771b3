import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws Berth's logo (a shipping container moored at a quay above the water, on a blue-to-teal
 * tile) into PNGs of several sizes. Run from the repository root:
 * {@code java ui-resources/src/logo/LogoGenerator.java ui-resources/src/main/resources/dev/berth/ui/logo}.
 * The same geometry is in {@code berth.svg} next to the PNGs.
 */
public final class LogoGenerator {

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(out);
        for (int size : new int[] {16, 32, 48, 64, 128, 256, 512}) {
            ImageIO.write(draw(size), "png", out.resolve("berth-" + size + ".png").toFile());
        }
    }

    /** Draws on a 256-unit canvas scaled to {@code size} pixels. */
    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 256.0, size / 256.0);

        // tile
        g.setPaint(new GradientPaint(0, 0, new Color(0x2563EB), 256, 256, new Color(0x0D9488)));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 60, 60));

        // container body
        Color white = new Color(0xFFFFFF);
        g.setColor(white);
        g.fill(new RoundRectangle2D.Double(56, 64, 144, 88, 12, 12));
        // corrugation: four grooves in the tile colour
        g.setColor(new Color(0x1D5FD0));
        for (int i = 0; i < 5; i++) {
            double x = 73 + i * 25;
            g.fill(new RoundRectangle2D.Double(x, 78, 10, 60, 6, 6));
        }

        // quay
        g.setColor(white);
        g.fill(new RoundRectangle2D.Double(36, 164, 184, 14, 7, 7));

        // water: two waves
        g.setStroke(new BasicStroke(10, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(255, 255, 255, 230));
        g.draw(wave(196));
        g.setColor(new Color(255, 255, 255, 140));
        g.draw(wave(220));
        g.dispose();
        return img;
    }

    private static Path2D wave(double y) {
        Path2D p = new Path2D.Double();
        p.moveTo(52, y);
        for (int i = 0; i < 4; i++) {
            double x = 52 + i * 38;
            p.curveTo(x + 9.5, y - 9, x + 19, y - 9, x + 19, y);
            p.curveTo(x + 28.5, y + 9, x + 38, y + 9, x + 38, y);
        }
        return p;
    }
}
