package org.trialcds.sandbox.hapi;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.CorsInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The REST half: one HAPI {@link RestfulServer} with a JPA resource provider per R4 resource type,
 * the system provider (transaction and batch Bundles at the base URL) and database-backed paging,
 * so that `next` links survive between requests.
 */
@Configuration
public class FhirRestConfig {

	@Bean
	public RestfulServer restfulServer(
			IFhirSystemDao<?, ?> systemDao,
			ResourceProviderFactory resourceProviders,
			IJpaSystemProvider systemProvider,
			DatabaseBackedPagingProvider pagingProvider,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport) {
		// Narratives are generated text nobody reads here; skipping them keeps writes cheap.
		systemDao.getContext().setNarrativeGenerator(new NullNarrativeGenerator());

		RestfulServer server = new RestfulServer(systemDao.getContext());
		server.registerProviders(resourceProviders.createProviders());
		server.registerProvider(systemProvider);
		// HAPI's own defaults (10 per page, at most 50) are stricter than the official starter's
		// documented 20 and 200; we take the starter's, what a stock HAPI deployment sends.
		pagingProvider.setDefaultPageSize(20);
		pagingProvider.setMaximumPageSize(200);
		server.setPagingProvider(pagingProvider);
		server.registerInterceptor(corsForLocalPages());
		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		// Links in Bundles (self, next) use the address the client called, e.g. http://127.0.0.1:8090/fhir.
		server.setServerAddressStrategy(new IncomingRequestAddressStrategy());

		JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
				server, systemDao, storageSettings, searchParamRegistry, validationSupport);
		capabilities.setImplementationDescription("trialcds HAPI FHIR sandbox (R4, H2)");
		server.setServerConformanceProvider(capabilities);
		return server;
	}

	/**
	 * Any origin may read and write: the server listens on 127.0.0.1 only, and a demo page served
	 * from another local port must be able to query it from the browser.
	 */
	private static CorsInterceptor corsForLocalPages() {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(List.of("*"));
		cors.setAllowedHeaders(List.of("*"));
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"));
		cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag"));
		return new CorsInterceptor(cors);
	}
}
