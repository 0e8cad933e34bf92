package dev.jsam.sam.serve;

import dev.jsam.sam.SamPredictor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page end to end in Debian's headless Chromium: open dog.jpg through the file input, wait for
 * the embedding, click a point, see the library's IoUs listed with the best one selected, pick the
 * largest of the three masks, and check in screenshots that it is painted exactly where the
 * library's mask for that point is (and nowhere else). Skipped when /usr/bin/chromium or /usr/bin/chromedriver is absent. Screenshots are kept in
 * sam/target/serve-screenshots for looking at.
 */
@Tag("browser")
class ServeBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int[] BLUE = {30, 144, 255};
    private static final double ALPHA = 120 / 255.0;
    private static ChromeDriver driver;
    private static Path shots;

    @BeforeAll
    static void startBrowser(@org.junit.jupiter.api.io.TempDir Path profile) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install -y chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--window-size=1400,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        shots = Path.of("target", "serve-screenshots");
        Files.createDirectories(shots);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void clickPaintsTheLibrarysMask() throws Exception {
        driver.get(ServeFixture.server().url());
        until(20, () -> driver.findElement(By.id("model")).getText().startsWith("model:"));
        shot("1-empty");
        File dog = ServeFixture.testdata("images/dog.jpg").toRealPath().toFile();
        driver.findElement(By.id("file")).sendKeys(dog.getAbsolutePath());
        until(300, () -> driver.findElement(By.id("status")).getText().contains("embedding computed"));
        WebElement hover = driver.findElement(By.id("hover"));
        hover.click();
        BufferedImage before = shot("2-loaded");

        double x = 330, y = 250;
        SamPredictor.Prediction lib = ServeFixture.dogLibrary().predict(new double[] {x, y}, new int[] {1}, null, null,
                true, false);
        float[] iou = lib.iouPredictions().contiguous().toFloatArray();
        int best = 0;
        int largest = 0;
        for (int k = 1; k < iou.length; k++) {
            best = iou[k] > iou[best] ? k : best;
            largest = area(lib, k) > area(lib, largest) ? k : largest;
        }
        byte[] mask = lib.masks().select(0, largest).contiguous().toByteArray();
        int w = lib.masks().dim(2);
        int h = lib.masks().dim(1);

        WebElement overlay = driver.findElement(By.id("overlay"));
        Rectangle r = overlay.getRect();
        double s = r.getWidth() / (double) w;
        new Actions(driver).moveToElement(overlay, (int) Math.round(x * s - r.getWidth() / 2.0),
                (int) Math.round(y * s - r.getHeight() / 2.0)).click().perform();
        until(60, () -> driver.findElements(By.cssSelector("#outputs li.mask")).size() == iou.length);
        List<WebElement> rows = driver.findElements(By.cssSelector("#outputs li.mask"));
        for (int k = 0; k < iou.length; k++) {
            assertTrue(rows.get(k).getText().contains(String.format("IoU %.3f", iou[k])), rows.get(k).getText());
        }
        assertTrue(rows.get(best).getDomAttribute("class").contains("selected"), "the best IoU is selected first");
        rows.get(largest).click();
        int pick = largest;
        until(10, () -> driver.findElements(By.cssSelector("#outputs li.mask")).get(pick).getDomAttribute("class")
                .contains("selected"));
        new Actions(driver).moveToElement(driver.findElement(By.id("status"))).perform();
        BufferedImage after = shot("3-clicked");

        int inside = 0;
        int outside = 0;
        for (int iy = 4; iy < h - 4; iy += 5) {
            for (int ix = 4; ix < w - 4; ix += 5) {
                if (!uniform(mask, w, ix, iy, (int) Math.ceil(2 / s)) || Math.hypot(ix - x, iy - y) < 12 / s) {
                    continue;
                }
                int px = r.getX() + (int) Math.round((ix + 0.5) * s);
                int py = r.getY() + (int) Math.round((iy + 0.5) * s);
                int b = before.getRGB(px, py);
                int a = after.getRGB(px, py);
                boolean in = mask[iy * w + ix] != 0;
                for (int c = 0; c < 3; c++) {
                    int was = (b >> (16 - 8 * c)) & 0xFF;
                    int now = (a >> (16 - 8 * c)) & 0xFF;
                    double want = in ? was * (1 - ALPHA) + BLUE[c] * ALPHA : was;
                    assertEquals(want, now, 6, (in ? "inside" : "outside") + " the mask at image (" + ix + ", " + iy
                            + ") channel " + c);
                }
                if (in) {
                    inside++;
                } else {
                    outside++;
                }
            }
        }
        assertTrue(inside > 50 && outside > 50, inside + " samples inside, " + outside + " outside");
    }

    private static int area(SamPredictor.Prediction p, int k) {
        int n = 0;
        for (byte b : p.masks().select(0, k).contiguous().toByteArray()) {
            n += b;
        }
        return n;
    }

    private static boolean uniform(byte[] mask, int w, int x, int y, int radius) {
        byte v = mask[y * w + x];
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                if (mask[(y + dy) * w + x + dx] != v) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void until(int seconds, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the page did not get there in " + seconds + " s; status: "
                        + driver.findElement(By.id("status")).getText());
            }
            Thread.sleep(100);
        }
    }

    private static BufferedImage shot(String name) throws IOException {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(name + ".png"), png);
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
