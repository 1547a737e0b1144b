package io.github.stompspringboot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ARCHITECTURE.md's "may use" table, enforced: every main source file imports (or
 * names in full) only what the table lets its package use, so every dependency keeps
 * pointing toward the engine. A file's package uses the row of its nearest listed package
 * ({@code autoconfigure.metrics} follows {@code autoconfigure}); a new top-level package
 * needs a row in {@link #MAY_USE}, and one in the document.
 */
class ArchitectureTests {

	private static final String ROOT = "io.github.stompspringboot";

	/**
	 * What every package may use: the JDK, nullness annotations, Spring's logging facade.
	 */
	private static final List<String> EVERYONE = List.of("java.", "javax.", "org.jspecify.",
			"org.apache.commons.logging.");

	/**
	 * The table: package (below {@value #ROOT}) -> what it may use. An entry without a
	 * dot first is one of our packages, exactly (not its sub-packages: {@code broker} may
	 * not use {@code broker.store}); any other entry is a prefix of the names it may
	 * import.
	 */
	private static final Map<String, List<String>> MAY_USE = table(
			// the engine: spring-messaging's frame model (spring-core's util comes with
			// it), and Artemis's selector parser behind MessageSelector
			row("broker", "org.springframework.messaging.", "org.springframework.util.",
					"org.apache.activemq.artemis."),
			// the durable store: Artemis's journal as a library
			row("broker.store", "broker", "org.apache.activemq.artemis."),
			row("broker.security", "broker", "org.springframework.security.", "org.springframework.util."),
			row("transport.tcp", "broker", "io.netty.", "org.springframework.messaging.", "org.springframework.util."),
			row("transport.injvm", "broker", "org.springframework.messaging.", "org.springframework.util."),
			// relay mode's client over several broker nodes (FailoverTcpClient)
			row("transport.relay", "org.springframework.messaging.", "org.springframework.util.", "reactor."),
			// TCP sessions inside Spring's channels, reached by the engine through
			// ApplicationGateway
			row("bridge", "broker", "org.springframework.messaging.", "org.springframework.context.",
					"org.springframework.core.", "org.springframework.util.", "org.springframework.web."),
			row("autoconfigure", "broker", "broker.store", "broker.security", "transport.tcp", "transport.injvm",
					"transport.relay", "bridge", "org.springframework.", "io.netty.", "reactor."),
			// operations: health, meters, the stomp endpoint and the admin page, over the
			// engine's views
			row("actuate", "broker", "broker.security", "transport.tcp", "autoconfigure", "org.springframework.",
					"io.micrometer.", "jakarta.servlet."),
			// users' test support: starts the engine on the TCP transport; spring-test
			// and JUnit
			row("test", "broker", "transport.tcp", "org.springframework.", "org.junit."));

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

	private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;",
			Pattern.MULTILINE);

	/** A name written in full in code: lower-case segments, then a type. */
	private static final Pattern QUALIFIED = Pattern
		.compile("(?<![\\w.])((?:io|org|com|reactor|jakarta)\\.[a-z]\\w*(?:\\.[a-z]\\w*)*)\\.[A-Z]");

	private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

	@Test
	void everyPackageUsesOnlyWhatTheTableAllows() throws IOException {
		List<String> violations = new ArrayList<>();
		List<Path> sources = sources();
		assertThat(sources).as("main sources found").hasSizeGreaterThan(20);
		for (Path source : sources) {
			String code = Files.readString(source);
			String pkg = relative(packageOf(code));
			String row = rowFor(pkg);
			if (row == null) {
				violations.add(source.getFileName() + ": package " + pkg + " has no row in the \"may use\" table "
						+ "(ArchitectureTests.MAY_USE and docs/ARCHITECTURE.md)");
				continue;
			}
			for (String used : used(code)) {
				if (!allowed(pkg, row, used)) {
					violations.add(source.getFileName() + " (" + pkg + ") uses " + used + ", which row '" + row
							+ "' does not allow");
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void everyPackageIsNullMarked() throws IOException {
		Set<Path> packages = new TreeSet<>();
		sources().forEach((source) -> packages.add(source.getParent()));
		List<String> unmarked = new ArrayList<>();
		for (Path pkg : packages) {
			Path info = pkg.resolve("package-info.java");
			if (!Files.exists(info) || !Files.readString(info).contains("@NullMarked")) {
				unmarked.add(pkg.toString());
			}
		}
		assertThat(unmarked).as("packages without @NullMarked in package-info.java").isEmpty();
	}

	@Test
	void theTableCatchesALayerGoingTheWrongWay() {
		assertThat(allowed("broker", "broker", ROOT + ".broker.store.MvStoreMessageStore")).isFalse();
		assertThat(allowed("broker", "broker", ROOT + ".autoconfigure.StompBrokerProperties")).isFalse();
		assertThat(allowed("broker", "broker", "io.netty.channel.Channel")).isFalse();
		assertThat(allowed("broker", "broker", "org.springframework.boot.SpringApplication")).isFalse();
		assertThat(allowed("transport.tcp", "transport.tcp", ROOT + ".transport.injvm.InJvmTcpClient")).isFalse();
		assertThat(allowed("broker.store", "broker.store", ROOT + ".broker.MessageStore")).isTrue();
		assertThat(allowed("autoconfigure.metrics", "autoconfigure", ROOT + ".autoconfigure.StompBrokerProperties"))
			.isTrue();
		assertThat(rowFor("autoconfigure.metrics")).isEqualTo("autoconfigure");
		assertThat(rowFor("somewhere")).isNull();
	}

	private static boolean allowed(String pkg, String row, String used) {
		if (EVERYONE.stream().anyMatch(used::startsWith)) {
			return true;
		}
		if (used.startsWith(ROOT + ".")) {
			String target = relative(packageOfType(used));
			return target.equals(pkg) || target.startsWith(pkg + ".") && rowFor(target).equals(row)
					|| target.equals(row) || MAY_USE.get(row).contains(target);
		}
		return MAY_USE.get(row).stream().anyMatch((entry) -> entry.contains(".") && used.startsWith(entry));
	}

	/** The nearest listed package: the package itself or an ancestor. */
	private static String rowFor(String pkg) {
		for (String candidate = pkg; !candidate.isEmpty(); candidate = candidate.contains(".")
				? candidate.substring(0, candidate.lastIndexOf('.')) : "") {
			if (MAY_USE.containsKey(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static Set<String> used(String code) {
		Set<String> used = new TreeSet<>();
		Matcher imports = IMPORT.matcher(code);
		while (imports.find()) {
			used.add(imports.group(1));
		}
		String body = COMMENTS.matcher(IMPORT.matcher(code).replaceAll("")).replaceAll("");
		body = body.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
		Matcher qualified = QUALIFIED.matcher(body);
		while (qualified.find()) {
			used.add(qualified.group(1) + ".Type");
		}
		used.removeIf((name) -> name.startsWith("package "));
		return used;
	}

	/**
	 * {@code io.github.stompspringboot.broker.store.MvStoreMessageStore.Inner} -> its
	 * package.
	 */
	private static String packageOfType(String name) {
		StringBuilder pkg = new StringBuilder();
		for (String segment : name.split("\\.")) {
			if (Character.isUpperCase(segment.charAt(0))) {
				break;
			}
			pkg.append(pkg.isEmpty() ? "" : ".").append(segment);
		}
		return pkg.toString();
	}

	private static String packageOf(String code) {
		Matcher matcher = PACKAGE.matcher(code);
		assertThat(matcher.find()).as("package declaration").isTrue();
		return matcher.group(1);
	}

	private static String relative(String pkg) {
		return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			return files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
		}
	}

	private static Map.Entry<String, List<String>> row(String pkg, String... mayUse) {
		return Map.entry(pkg, List.of(mayUse));
	}

	@SafeVarargs
	private static Map<String, List<String>> table(Map.Entry<String, List<String>>... rows) {
		Map<String, List<String>> table = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> row : rows) {
			table.put(row.getKey(), row.getValue());
		}
		return table;
	}

}
