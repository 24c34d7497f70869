package io.nearline.console;

import io.nearline.testing.ServicesScript;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium driven through its ChromeDriver: {@code bin/nearline browser} installs both when missing and
 * says where they are, so that Selenium never looks for (or downloads) a browser of its own.
 */
final class HeadlessChromium {

    private HeadlessChromium() {}

    /** Starts a headless Chromium with a fresh profile in {@code profile} and a window of the given size. */
    static ChromeDriver start(ServicesScript script, Path profile, int width, int height) throws IOException, InterruptedException {
        Map<String, String> paths = locate(script);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(paths.get("chromium"));
        // As Debian's Chromium runs on a closed, root-run machine: no sandbox (root), no GPU, and none of its own
        // background connections, which the closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(paths.get("chromedriver")).toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** {@code bin/nearline browser}: installs Chromium and ChromeDriver if needed, prints {@code name=path} lines. */
    private static Map<String, String> locate(ServicesScript script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(script.home().resolve("bin/nearline").toString(), "browser")
                .directory(script.home().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        Map<String, String> paths = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    paths.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("bin/nearline browser did not finish within 10 minutes");
        }
        if (process.exitValue() != 0 || !paths.containsKey("chromium") || !paths.containsKey("chromedriver")) {
            throw new IllegalStateException("bin/nearline browser exited with " + process.exitValue() + " and printed " + paths);
        }
        return paths;
    }
}
