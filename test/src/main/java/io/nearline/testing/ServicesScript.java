package io.nearline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/nearline services ...}: the one place that knows how to start and stop services. */
public final class ServicesScript {

    private final Path home;
    private final Map<String, String> environment;

    public ServicesScript(Path home) {
        this(home, Map.of());
    }

    private ServicesScript(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The script run with these settings added to its environment (such as another NEARLINE_WORK_DIR and ports):
     * a second set of services beside the shared ones.
     */
    public ServicesScript withEnvironment(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.putAll(settings);
        return new ServicesScript(home, all);
    }

    /** The repository root: the {@code nearline.home} system property, else the nearest parent with bin/nearline. */
    public static ServicesScript locate() {
        String property = System.getProperty("nearline.home");
        if (property != null && Files.isExecutable(Paths.get(property, "bin", "nearline"))) {
            return new ServicesScript(Paths.get(property).toAbsolutePath());
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin").resolve("nearline"))) {
                return new ServicesScript(dir);
            }
        }
        throw new IllegalStateException("bin/nearline not found above " + Paths.get("").toAbsolutePath()
                + "; set the system property nearline.home to the repository root");
    }

    public Path home() {
        return home;
    }

    /** One line per service: whether it answers, from {@code services status}. */
    public Map<Service, Boolean> status(Collection<Service> services) {
        Result result = run("status", services);
        result.requireSuccess();
        Map<Service, Boolean> up = new EnumMap<>(Service.class);
        for (String line : result.lines()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 3) {
                up.put(Service.fromScriptName(fields[0]), fields[2].equals("up"));
            }
        }
        return up;
    }

    /** The settings the script uses ({@code services env}), such as ports and credentials. */
    public Map<String, String> settings() {
        Result result = run("env", List.of());
        result.requireSuccess();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : result.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                settings.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return settings;
    }

    public Result up(Collection<Service> services) {
        return run("up", services);
    }

    public Result down(Collection<Service> services) {
        return run("down", services);
    }

    /** Runs {@code bin/nearline services VERB NAMES...}, echoing its output as it comes. */
    public Result run(String verb, Collection<Service> services) {
        return runNames(verb, services.stream().map(Service::scriptName).toList());
    }

    /** {@link #run(String, Collection)} by the script's names, which include optional services such as zookeeper. */
    public Result runNames(String verb, List<String> names) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/nearline").toString(), "services", verb));
        command.addAll(names);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    if (!verb.equals("env") && !verb.equals("status")) {
                        System.out.println("[services " + verb + "] " + line);
                    }
                }
            }
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/nearline services " + verb + " did not finish");
            }
            return new Result(String.join(" ", command.subList(1, command.size())), process.exitValue(), lines);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What a run printed (stdout and stderr merged) and how it exited. */
    public record Result(String command, int exitCode, List<String> lines) {

        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("bin/nearline " + command + " exited with " + exitCode + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            return this;
        }
    }
}
