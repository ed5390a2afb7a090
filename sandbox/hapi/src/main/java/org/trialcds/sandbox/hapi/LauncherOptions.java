package org.trialcds.sandbox.hapi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the launcher is told on its command line: the port to listen on (always on 127.0.0.1, since
 * the sandbox is a test fixture and must never be reachable from another machine) and, optionally,
 * a directory for a file-backed H2 database.
 */
public record LauncherOptions(int port, Optional<Path> dataDir) {

	public static final String HOST = "127.0.0.1";
	public static final int DEFAULT_PORT = 8090;

	public LauncherOptions {
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
		}
	}

	/** Reads {@code --port=N} and {@code --data-dir=PATH}; anything else is refused. */
	public static LauncherOptions parse(String[] args) {
		int port = DEFAULT_PORT;
		Optional<Path> dataDir = Optional.empty();
		for (String arg : args) {
			if (arg.startsWith("--port=")) {
				port = parsePort(arg.substring("--port=".length()));
			} else if (arg.startsWith("--data-dir=")) {
				dataDir = Optional.of(Path.of(arg.substring("--data-dir=".length())).toAbsolutePath());
			} else {
				throw new IllegalArgumentException(
						"unknown argument '" + arg + "'; usage: [--port=N] [--data-dir=PATH]");
			}
		}
		return new LauncherOptions(port, dataDir);
	}

	/** The JDBC URL: a named in-memory database unless a data directory was given. */
	public String jdbcUrl() {
		return dataDir.map(dir -> "jdbc:h2:file:" + dir.resolve("hapi-h2"))
				// DB_CLOSE_DELAY=-1 keeps the in-memory database alive while the pool has no open connection.
				.orElse("jdbc:h2:mem:hapi-sandbox;DB_CLOSE_DELAY=-1");
	}

	private static int parsePort(String text) {
		try {
			return Integer.parseInt(text);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("--port must be a number, got '" + text + "'", e);
		}
	}
}
