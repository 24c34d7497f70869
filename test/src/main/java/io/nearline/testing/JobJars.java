package io.nearline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packages a small job (every compiled class in its main class's package) as a jar to submit to a cluster. */
public final class JobJars {

    private JobJars() {}

    public static Path ofPackage(Class<?> mainClass, Path jar) throws IOException {
        Path classes;
        try {
            classes = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the classes of " + mainClass.getName(), e);
        }
        String packagePath = mainClass.getPackageName().replace('.', '/');
        Path packageDir = classes.resolve(packagePath);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        List<Path> files;
        try (Stream<Path> listing = Files.list(packageDir)) {
            files = listing.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Path file : files) {
                jarOut.putNextEntry(new JarEntry(packagePath + "/" + file.getFileName()));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
