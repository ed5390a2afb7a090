package org.trialcds.sandbox.hapi;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Entry point: builds the Spring context (JPA storage + REST server), mounts the FHIR servlet at
 * /fhir on an embedded Jetty bound to 127.0.0.1, and stops both cleanly on SIGTERM.
 */
public final class HapiSandbox {

	private static final Logger LOG = LoggerFactory.getLogger(HapiSandbox.class);

	private HapiSandbox() {}

	public static void main(String[] args) {
		LauncherOptions options;
		try {
			options = LauncherOptions.parse(args);
		} catch (IllegalArgumentException e) {
			System.err.println(e.getMessage());
			System.exit(2);
			return;
		}
		try {
			run(options);
		} catch (Exception e) {
			// HAPI's schedulers and pools run on non-daemon threads: without an explicit exit a failed
			// start would leave a JVM that never answers, and the driver would wait for nothing.
			LOG.error("HAPI FHIR sandbox failed to start", e);
			System.exit(1);
		}
	}

	private static void run(LauncherOptions options) throws Exception {
		long startedAt = System.nanoTime();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(LauncherOptions.class, () -> options);
		context.register(JpaStorageConfig.class, FhirRestConfig.class);
		context.refresh();

		Server jetty = newJetty(options, context.getBean(RestfulServer.class));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(jetty, context), "hapi-sandbox-shutdown"));
		jetty.start();

		// The Python driver waits on /fhir/metadata, but this line makes the log readable by a person.
		LOG.info(
				"HAPI FHIR sandbox ready at http://{}:{}/fhir ({}) after {} ms",
				LauncherOptions.HOST,
				options.port(),
				options.dataDir().map(dir -> "H2 database in " + dir).orElse("in-memory H2 database"),
				(System.nanoTime() - startedAt) / 1_000_000);
		jetty.join();
	}

	private static Server newJetty(LauncherOptions options, RestfulServer fhirServlet) {
		Server jetty = new Server();
		ServerConnector connector = new ServerConnector(jetty);
		connector.setHost(LauncherOptions.HOST);
		connector.setPort(options.port());
		jetty.addConnector(connector);

		ServletContextHandler handler = new ServletContextHandler();
		handler.setContextPath("/");
		ServletHolder holder = new ServletHolder("fhir", fhirServlet);
		// Initialise HAPI when Jetty starts, so the first request does not pay for it.
		holder.setInitOrder(1);
		handler.addServlet(holder, "/fhir/*");
		jetty.setHandler(handler);
		jetty.setStopAtShutdown(false);
		return jetty;
	}

	private static void stop(Server jetty, AnnotationConfigApplicationContext context) {
		try {
			jetty.stop();
		} catch (Exception e) {
			LOG.warn("Jetty did not stop cleanly", e);
		}
		context.close();
	}
}
