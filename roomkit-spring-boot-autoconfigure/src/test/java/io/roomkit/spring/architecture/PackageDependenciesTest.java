package io.roomkit.spring.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules README's Architecture section states, read off the sources' imports so that a change that
 * breaks one fails here: only {@code boot} wires the others (nothing imports it), the Redis and JPA adapters, the
 * presence state, the listeners, the AI adapter and the shared support know nothing of the STOMP protocol, and the
 * core module knows nothing of Spring.
 */
class PackageDependenciesTest {

    private static final Path SPRING_SOURCES = Path.of("src/main/java/io/roomkit/spring");
    private static final Path CORE_SOURCES = Path.of("../roomkit-core/src/main/java/io/roomkit");
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?(io\\.roomkit\\.spring\\.\\w+|org\\.springframework)\\.", Pattern.MULTILINE);

    @Test
    void noPackageImportsTheAutoConfigurationPackage() {
        Map<String, Set<String>> imports = springPackageImports();
        imports.remove("boot");

        assertThat(importersOf("io.roomkit.spring.boot", imports)).as("packages importing io.roomkit.spring.boot")
                .isEmpty();
    }

    @Test
    void adaptersAndStateKnowNothingOfTheStompProtocol() {
        Map<String, Set<String>> imports = springPackageImports();
        imports.keySet().retainAll(Set.of("redis", "jpa", "presence", "listener", "ai", "support"));

        assertThat(imports).as("packages that must not import stomp").isNotEmpty();
        assertThat(importersOf("io.roomkit.spring.stomp", imports)).as("packages importing io.roomkit.spring.stomp")
                .isEmpty();
    }

    @Test
    void theCoreModuleKnowsNothingOfSpring() {
        Set<String> springUsers = new TreeSet<>();
        for (Path source : javaFiles(CORE_SOURCES)) {
            if (importsOf(source).contains("org.springframework")) {
                springUsers.add(CORE_SOURCES.relativize(source).toString());
            }
        }

        assertThat(javaFiles(CORE_SOURCES)).as("core sources read").hasSizeGreaterThan(50);
        assertThat(springUsers).as("core sources importing Spring").isEmpty();
    }

    private static Set<String> importersOf(String target, Map<String, Set<String>> imports) {
        Set<String> importers = new TreeSet<>();
        imports.forEach((pkg, imported) -> {
            if (imported.contains(target)) {
                importers.add(pkg);
            }
        });
        return importers;
    }

    /** For each package directly below {@code io.roomkit.spring}, the RoomKit Spring packages its sources import. */
    private static Map<String, Set<String>> springPackageImports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        for (Path source : javaFiles(SPRING_SOURCES)) {
            String pkg = SPRING_SOURCES.relativize(source).getName(0).toString();
            Set<String> own = imports.computeIfAbsent(pkg, key -> new TreeSet<>());
            importsOf(source).stream().filter(imported -> !imported.equals("io.roomkit.spring." + pkg))
                    .forEach(own::add);
        }
        assertThat(imports).as("packages read").containsKeys("boot", "stomp", "redis", "jpa", "presence");
        return imports;
    }

    private static Set<String> importsOf(Path source) {
        try {
            Matcher matcher = IMPORT.matcher(Files.readString(source));
            Set<String> found = new TreeSet<>();
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.toString().endsWith(".java")).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
