package dev.jsam.serve;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.amg.Rle;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page end to end in Debian's headless Chromium, on dog.jpg opened through the file input:
 * a click lists the library's IoUs and paints the chosen mask exactly where the library's mask is
 * (checked pixel by pixel in screenshots against the expected blend), and so do a dragged box and
 * a right-click (background point), with undo in between; the downloaded PNG is the mask and the
 * downloaded JSON holds the library's COCO RLE strings; a dropped file is opened; hovering previews the best mask; "Segment
 * everything" (the test server's quick default) shows progress, then masks; an EXIF-rotated photo
 * is shown and segmented upright, or as stored when the server ignores the tag, and the page turns
 * all eight orientations as the tag defines them. Skipped without
 * /usr/bin/chromium and /usr/bin/chromedriver. Screenshots are kept in
 * sam/target/serve-screenshots.
 */
@Tag("browser")
class ServeBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int[] BLUE = {30, 144, 255};
    private static final int[] YELLOW = {255, 200, 40};
    private static ChromeDriver driver;
    private static Path shots;
    private static Path downloads;
    private static boolean opened;

    @BeforeAll
    static void startBrowser(@TempDir Path profile, @TempDir Path downloadDir) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install -y chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--window-size=1400,900",
                "--user-data-dir=" + profile);
        downloads = downloadDir;
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
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

    /** Opens the page and dog.jpg once; later tests start from a cleared page (Esc). */
    private static void openDog() throws Exception {
        if (!opened) {
            driver.get(ServeFixture.server().url());
            until(20, () -> driver.findElement(By.id("model")).getText().startsWith("model:"));
            shot("1-empty");
            String dog = ServeFixture.testdata("images/dog.jpg").toRealPath().toString();
            driver.findElement(By.id("file")).sendKeys(dog);
            until(300, () -> driver.findElement(By.id("status")).getText().contains("embedding computed"));
            opened = true;
        }
        new Actions(driver).moveToElement(driver.findElement(By.id("status"))).sendKeys(Keys.ESCAPE).perform();
        until(10, () -> driver.findElements(By.cssSelector("#outputs li.mask")).isEmpty());
    }

    @Test
    void clickPaintsTheLibrarysMask() throws Exception {
        openDog();
        setHover(false);
        BufferedImage before = shot("2-loaded");
        double x = 330;
        double y = 250;
        SamPredictor.Prediction lib = predict(x, y);
        float[] iou = lib.iouPredictions().contiguous().toFloatArray();
        int best = best(lib);
        int largest = 0;
        for (int k = 1; k < iou.length; k++) {
            largest = area(lib, k) > area(lib, largest) ? k : largest;
        }
        pointerTo(x, y, lib).click().perform();
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
        BufferedImage after = shot("3-clicked");
        assertPainted(before, after, lib, largest, BLUE, 120, near(x, y));
        assertDownloads(lib, largest);
    }

    /** The PNG of the selected mask is the library's mask; the JSON holds every mask as COCO RLE. */
    private static void assertDownloads(SamPredictor.Prediction lib, int selected) throws Exception {
        String status = driver.findElement(By.id("status")).getText();
        String name = status.substring(0, status.indexOf(" · ")).replaceAll("\\.[^.]*$", "");
        driver.findElement(By.id("png")).click();
        Path png = downloads.resolve(name + "-mask" + (selected + 1) + ".png");
        until(20, () -> Files.isRegularFile(png));
        BufferedImage saved = ImageIO.read(png.toFile());
        byte[] mask = lib.masks().select(0, selected).contiguous().toByteArray();
        int w = lib.masks().dim(2);
        for (int i = 0; i < mask.length; i++) {
            assertEquals(mask[i] != 0 ? 0xFFFFFFFF : 0xFF000000, saved.getRGB(i % w, i / w), "PNG pixel " + i);
        }
        driver.findElement(By.id("json")).click();
        Path json = downloads.resolve(name + "-masks.json");
        until(20, () -> Files.isRegularFile(json));
        List<?> records = (List<?>) Json.parse(Files.readString(json));
        assertEquals(lib.masks().dim(0), records.size());
        for (int k = 0; k < records.size(); k++) {
            byte[] bytes = lib.masks().select(0, k).contiguous().toByteArray();
            boolean[] bits = new boolean[bytes.length];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = bytes[i] != 0;
            }
            Rle rle = Rle.fromMask(new BinaryMask(lib.masks().dim(1), w, bits));
            Map<?, ?> seg = (Map<?, ?>) ((Map<?, ?>) records.get(k)).get("segmentation");
            assertEquals(CocoRle.encode(rle), seg.get("counts"), "COCO RLE of mask " + k);
            assertEquals((long) rle.area(), ((Map<?, ?>) records.get(k)).get("area"));
        }
    }

    @Test
    void dragDrawsABoxUndoRemovesItRightClickIsBackground() throws Exception {
        openDog();
        setHover(false);
        BufferedImage before = shot("9-before-box");
        SamPredictor.Prediction boxed = ServeFixture.dogLibrary().predict(null, null,
                new double[] {150, 120, 450, 400}, null, true, false);
        pointerTo(150, 120, boxed).clickAndHold().moveByOffset(150, 140).moveByOffset(150, 140).release().perform();
        until(60, () -> driver.findElements(By.cssSelector("#outputs li.mask")).size() == 3);
        new Actions(driver).moveToElement(driver.findElement(By.id("status"))).perform();
        BiPredicate<Integer, Integer> nearBoxEdge = (x, y) ->
                (Math.abs(x - 150) < 4 || Math.abs(x - 450) < 4) && y > 110 && y < 410
                || (Math.abs(y - 120) < 4 || Math.abs(y - 400) < 4) && x > 140 && x < 460;
        assertPainted(before, shot("10-box"), boxed, best(boxed), BLUE, 120, nearBoxEdge);

        new Actions(driver).sendKeys("z").perform();
        until(10, () -> driver.findElements(By.cssSelector("#outputs li.mask")).isEmpty());
        assertEquals(0, differing(before, shot("11-undone")), "undo leaves the image as it was");

        SamPredictor.Prediction negative = ServeFixture.dogLibrary().predict(new double[] {600, 300}, new int[] {0},
                null, null, true, false);
        pointerTo(600, 300, negative).contextClick().perform();
        until(60, () -> driver.findElements(By.cssSelector("#outputs li.mask")).size() == 3);
        new Actions(driver).moveToElement(driver.findElement(By.id("status"))).perform();
        assertPainted(before, shot("12-background-point"), negative, best(negative), BLUE, 120, near(600, 300));
    }

    @Test
    void droppingAFileOpensIt() throws Exception {
        openDog();
        String bytes = java.util.Base64.getEncoder().encodeToString(
                Files.readAllBytes(ServeFixture.testdata("images/dog.jpg")));
        driver.executeScript("const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));"
                + "const data = new DataTransfer();"
                + "data.items.add(new File([bytes], 'dropped.jpg', { type: 'image/jpeg' }));"
                + "document.getElementById('stage').dispatchEvent(new DragEvent('drop', { dataTransfer: data,"
                + " bubbles: true, cancelable: true }));", bytes);
        until(300, () -> driver.findElement(By.id("status")).getText()
                .startsWith("dropped.jpg · 800 × 534 · embedding computed"));
    }

    @Test
    void hoverPreviewsTheBestMask() throws Exception {
        openDog();
        setHover(true);
        BufferedImage before = shot("4-before-hover");
        double[] point = {0, 0};
        int bestArea = -1;
        for (double y = 60; y < 534; y += 140) {
            for (double x = 80; x < 800; x += 160) {
                SamPredictor.Prediction p = predict(x, y);
                if (area(p, best(p)) > bestArea) {
                    bestArea = area(p, best(p));
                    point = new double[] {x, y};
                }
            }
        }
        SamPredictor.Prediction lib = predict(point[0], point[1]);
        pointerTo(point[0], point[1], lib).perform();
        long end = System.nanoTime() + 60_000_000_000L;
        BufferedImage after = shot("5-hover");
        while (differing(before, after) < 100 && System.nanoTime() < end) {
            Thread.sleep(200);
            after = shot("5-hover");
        }
        assertPainted(before, after, lib, best(lib), YELLOW, 90, (x, y) -> false);
    }

    @Test
    void segmentEverythingShowsProgressThenMasks() throws Exception {
        openDog();
        setHover(false);
        BufferedImage before = shot("6-before-everything");
        driver.findElement(By.id("everything")).click();
        until(10, () -> driver.findElement(By.id("amg-progress")).isDisplayed());
        until(10, () -> driver.findElement(By.id("amg-summary")).getText().contains(" s"));
        shot("7-everything-running");
        until(300, () -> driver.findElement(By.id("amg-summary")).getText().matches("\\d+ masks? in .*"));
        BufferedImage after = shot("8-everything-done");
        String summary = driver.findElement(By.id("amg-summary")).getText();
        int n = Integer.parseInt(summary.substring(0, summary.indexOf(' ')));
        assertTrue(n > 0 && differing(before, after) > 100, summary);
        assertTrue(!driver.findElement(By.id("amg-progress")).isDisplayed());
    }

    /**
     * dog_exif6.jpg stores the dog lying on its side with EXIF orientation 6. The page draws it
     * upright, the server reads it upright (800 x 534), and a click on the dog gives the library's
     * mask of the upright picture, holding the clicked pixel; with a server that ignores the tag,
     * both show and segment the stored 534 x 800 pixels instead. A PNG whose eXIf chunk comes after
     * the image data (which Chromium itself ignores) is drawn upright as the server reads it.
     */
    @Test
    void rotatedPhotoIsSegmentedInTheFrameThePageShows() throws Exception {
        Path photo = ServeFixture.testdata("images/realworld/dog_exif6.jpg");
        assertPhotoSegmentedAsShown(ServeFixture.server().url(), photo, Images.read(photo));
        Path late = ServeFixture.testdata("images/realworld/dog_exif8_late.png");
        openPhoto(ServeFixture.server().url(), late, Images.read(ServeFixture.testdata("images/dog.png")));
        ServerOptions ignoring = ServerOptions.defaults().withAddress("127.0.0.1", 0)
                .withAmgDefaults(ServeFixture.AMG_DEFAULTS).withOrientation(ExifOrientation.IGNORE);
        try (SamServer server = SamServer.start(ServeFixture.MODEL, ignoring)) {
            assertPhotoSegmentedAsShown(server.url(), photo, Images.read(photo, ExifOrientation.IGNORE));
        }
    }

    /**
     * The page's own turn (orientation.js) for all eight tag values, on a 3 x 2 stored picture
     * whose pixels are numbered: each upright pixel must show the stored pixel that the tag's
     * definition puts there (the stored 0th row and 0th column lie on the named visual sides).
     */
    @Test
    void pageTurnsEveryOrientationAsTheTagDefines() throws Exception {
        openDog();
        String[][] sides = {{"top", "left"}, {"top", "right"}, {"bottom", "right"}, {"bottom", "left"},
            {"left", "top"}, {"right", "top"}, {"right", "bottom"}, {"left", "bottom"}};
        int w = 3;
        int h = 2;
        for (int v = 1; v <= 8; v++) {
            List<?> shown = (List<?>) driver.executeAsyncScript("const [v, w, h, done] = arguments;"
                    + "import('./orientation.js').then(async (m) => {"
                    + " const stored = new OffscreenCanvas(w, h); const s = stored.getContext('2d');"
                    + " for (let i = 0; i < w * h; i++) { s.fillStyle = 'rgb(' + 20 * i + ',0,0)'; s.fillRect(i % w, (i / w) | 0, 1, 1); }"
                    + " const bitmap = await createImageBitmap(stored);"
                    + " const [uw, uh] = v >= 5 ? [h, w] : [w, h];"
                    + " const out = new OffscreenCanvas(uw, uh); const g = out.getContext('2d');"
                    + " g.setTransform(...m.uprightTransform(v, w, h)); g.drawImage(bitmap, 0, 0);"
                    + " const d = g.getImageData(0, 0, uw, uh).data; const r = [];"
                    + " for (let i = 0; i < uw * uh; i++) r.push(d[4 * i] / 20);"
                    + " done(r); });", v, w, h);
            boolean transposed = v >= 5;
            int uw = transposed ? h : w;
            String row0 = sides[v - 1][0];
            String col0 = sides[v - 1][1];
            long[] expected = new long[w * h];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int x = transposed ? (row0.equals("left") ? r : uw - 1 - r) : (col0.equals("left") ? c : w - 1 - c);
                    int y = transposed ? (col0.equals("top") ? c : w - 1 - c) : (row0.equals("top") ? r : h - 1 - r);
                    expected[y * uw + x] = r * w + c;
                }
            }
            assertArrayEquals(expected, shown.stream().mapToLong(n -> ((Number) n).longValue()).toArray(),
                    "orientation " + v);
        }
    }

    /** Opens {@code photo} on a fresh page of the server at {@code url}; the page must show {@code frame}. */
    private static void openPhoto(String url, Path photo, RgbImage frame) throws Exception {
        opened = false;
        driver.get(url);
        until(20, () -> driver.findElement(By.id("model")).getText().startsWith("model:"));
        driver.findElement(By.id("file")).sendKeys(photo.toRealPath().toString());
        String size = frame.width() + " × " + frame.height();
        until(300, () -> driver.findElement(By.id("status")).getText()
                .startsWith(photo.getFileName() + " · " + size + " · embedding computed"));
        assertPictureIs(frame);
    }

    private static void assertPhotoSegmentedAsShown(String url, Path photo, RgbImage frame) throws Exception {
        openPhoto(url, photo, frame);
        setHover(false);
        SamPredictor library = new SamPredictor(ServeFixture.MODEL);
        library.setImage(frame);
        double[] click = pointInsideItsOwnMask(library, frame);
        driver.executeScript("window.answers = []; const original = window.fetch;"
                + "window.fetch = async (url, options) => { const r = await original(url, options);"
                + " if (String(url).endsWith('/predict')) window.answers.push({ sent: JSON.parse(options.body),"
                + " got: await r.clone().json() }); return r; };");
        SamPredictor.Prediction expected = library.predict(click, new int[] {1}, null, null, true, false);
        clickExactly(click[0], click[1], frame);
        until(60, () -> ((Number) driver.executeScript("return window.answers.length")).intValue() == 1);
        Map<?, ?> exchange = (Map<?, ?>) Json.parse((String) driver.executeScript("return JSON.stringify(window.answers[0])"));
        List<?> sent = (List<?>) ((List<?>) ((Map<?, ?>) exchange.get("sent")).get("points")).get(0);
        assertEquals(List.of((long) click[0], (long) click[1]), sent, "the page, shown at 1:1, sends the clicked pixel");
        SamPredictor.Prediction lib = expected;
        Map<?, ?> got = (Map<?, ?>) exchange.get("got");
        assertEquals(frame.width(), ((Number) got.get("width")).intValue());
        assertEquals(frame.height(), ((Number) got.get("height")).intValue());
        List<?> masks = (List<?>) got.get("masks");
        for (int k = 0; k < masks.size(); k++) {
            Map<?, ?> rle = (Map<?, ?>) ((Map<?, ?>) masks.get(k)).get("rle");
            assertEquals(List.of((long) frame.height(), (long) frame.width()), rle.get("size"), "mask " + k + " size [h, w]");
            assertArrayEquals(lib.masks().select(0, k).contiguous().toByteArray(), ServeFixture.decodeRle(rle),
                    "mask " + k + " is the library's on the same frame");
        }
        byte[] best = lib.masks().select(0, best(lib)).contiguous().toByteArray();
        assertEquals(1, best[(int) click[1] * frame.width() + (int) click[0]], "the best mask holds the clicked pixel");
    }

    /**
     * Clicks where the page maps to image pixel (x, y): the overlay's left and top may be
     * fractional, so the viewport point is solved from its exact bounding box rather than from its
     * centre as pointerTo does.
     */
    private static void clickExactly(double x, double y, RgbImage frame) {
        List<?> box = (List<?>) driver.executeScript("const r = document.getElementById('overlay').getBoundingClientRect();"
                + "return [r.left, r.top, r.width, r.height];");
        double[] r = box.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        int cx = (int) Math.ceil(r[0] + (x - 0.5) * r[2] / frame.width());
        int cy = (int) Math.ceil(r[1] + (y - 0.5) * r[3] / frame.height());
        new Actions(driver).moveToLocation(cx, cy).click().perform();
    }

    /**
     * A point inside the best mask of a click there, the mask not the whole picture (the test
     * model's weights are random, so such points are where they fall).
     */
    private static double[] pointInsideItsOwnMask(SamPredictor library, RgbImage frame) {
        for (int y = 20; y < frame.height() - 20; y += 19) {
            for (int x = 20; x < frame.width() - 20; x += 19) {
                SamPredictor.Prediction p = library.predict(new double[] {x, y}, new int[] {1}, null, null, true, false);
                byte[] mask = p.masks().select(0, best(p)).contiguous().toByteArray();
                if (mask[y * frame.width() + x] == 1 && area(p, best(p)) < frame.width() * frame.height() * 9 / 10) {
                    return new double[] {x, y};
                }
            }
        }
        throw new AssertionError("no point inside its own mask");
    }

    /**
     * The page's picture canvas holds {@code frame}: sampled on a grid, within a few levels on
     * average (the browser's JPEG decoder is not the JDK's), where the other frame stretched over
     * it would differ by tens of levels.
     */
    private static void assertPictureIs(RgbImage frame) {
        List<?> samples = (List<?>) driver.executeScript("const c = document.getElementById('picture');"
                + "if (c.width !== arguments[0] || c.height !== arguments[1]) return null;"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const out = [];"
                + "for (let y = 3; y < c.height; y += 17) for (let x = 5; x < c.width; x += 17)"
                + " for (let k = 0; k < 3; k++) out.push(d[4 * (y * c.width + x) + k]);"
                + "return out;", frame.width(), frame.height());
        assertTrue(samples != null, "the picture canvas is " + frame.width() + " x " + frame.height());
        double sum = 0;
        int i = 0;
        for (int y = 3; y < frame.height(); y += 17) {
            for (int x = 5; x < frame.width(); x += 17) {
                for (int k = 0; k < 3; k++) {
                    sum += Math.abs(((Number) samples.get(i++)).intValue() - frame.sample(x, y, k));
                }
            }
        }
        double mean = sum / samples.size();
        assertTrue(mean < 3, "the page's picture differs from the server's by " + mean + " levels on average");
    }

    private static SamPredictor.Prediction predict(double x, double y) throws IOException {
        return ServeFixture.dogLibrary().predict(new double[] {x, y}, new int[] {1}, null, null, true, false);
    }

    private static void setHover(boolean on) {
        WebElement box = driver.findElement(By.id("hover"));
        if (box.isSelected() != on) {
            box.click();
        }
        new Actions(driver).moveToElement(driver.findElement(By.id("status"))).perform();
    }

    private static Actions pointerTo(double x, double y, SamPredictor.Prediction lib) {
        WebElement overlay = driver.findElement(By.id("overlay"));
        Rectangle r = overlay.getRect();
        double s = r.getWidth() / (double) lib.masks().dim(2);
        return new Actions(driver).moveToElement(overlay, (int) Math.round(x * s - r.getWidth() / 2.0),
                (int) Math.round(y * s - r.getHeight() / 2.0));
    }

    /**
     * Every screen pixel over the image, the image being shown at 1:1, is what the page's overlay
     * makes of the library's mask k: rgb on the mask's edge, the before-pixel blended with rgb at
     * alpha inside, unchanged outside; pixels where the page draws its prompts are skipped.
     */
    private static void assertPainted(BufferedImage before, BufferedImage after, SamPredictor.Prediction lib, int k,
                                      int[] rgb, int alpha, BiPredicate<Integer, Integer> skip) {
        byte[] mask = lib.masks().select(0, k).contiguous().toByteArray();
        int w = lib.masks().dim(2);
        int h = lib.masks().dim(1);
        Rectangle r = driver.findElement(By.id("overlay")).getRect();
        assertEquals(w, r.getWidth(), "the test window shows the image at 1:1");
        double a = alpha / 255.0;
        int inside = 0;
        int outside = 0;
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
                if (skip.test(ix, iy)) {
                    continue;
                }
                int i = iy * w + ix;
                boolean in = mask[i] != 0;
                boolean edge = in && (ix == 0 || iy == 0 || ix == w - 1 || iy == h - 1 || mask[i - 1] == 0
                        || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0);
                int was = before.getRGB(r.getX() + ix, r.getY() + iy);
                int now = after.getRGB(r.getX() + ix, r.getY() + iy);
                for (int c = 0; c < 3; c++) {
                    int b = (was >> (16 - 8 * c)) & 0xFF;
                    double want = edge ? rgb[c] : in ? b * (1 - a) + rgb[c] * a : b;
                    double got = (now >> (16 - 8 * c)) & 0xFF;
                    if (Math.abs(want - got) > 6) {
                        throw new AssertionError((in ? "inside" : "outside") + " the mask at image (" + ix + ", " + iy
                                + ") channel " + c + ": expected " + want + ", screen has " + got);
                    }
                }
                inside += in ? 1 : 0;
                outside += in ? 0 : 1;
            }
        }
        assertTrue(inside > 50 && outside > 50, inside + " pixels inside, " + outside + " outside");
    }

    /** Pixels under a point's marker. */
    private static BiPredicate<Integer, Integer> near(double px, double py) {
        return (x, y) -> Math.hypot(x - px, y - py) < 12;
    }

    private static int differing(BufferedImage a, BufferedImage b) {
        Rectangle r = driver.findElement(By.id("overlay")).getRect();
        int n = 0;
        for (int y = r.getY(); y < r.getY() + r.getHeight(); y += 2) {
            for (int x = r.getX(); x < r.getX() + r.getWidth(); x += 2) {
                n += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        return n;
    }

    private static int best(SamPredictor.Prediction p) {
        float[] iou = p.iouPredictions().contiguous().toFloatArray();
        int best = 0;
        for (int k = 1; k < iou.length; k++) {
            best = iou[k] > iou[best] ? k : best;
        }
        return best;
    }

    private static int area(SamPredictor.Prediction p, int k) {
        int n = 0;
        for (byte b : p.masks().select(0, k).contiguous().toByteArray()) {
            n += b;
        }
        return n;
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
