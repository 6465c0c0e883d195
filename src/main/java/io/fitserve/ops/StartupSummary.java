package io.fitserve.ops;

import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.fitserve.StorageProperties;
import io.fitserve.training.TrainingProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One log line once the service is ready: where it answers, where its data and database
 * are, which compute backend and how many threads it trains with.
 */
@Component
public class StartupSummary {

	private static final Log log = LogFactory.getLog(StartupSummary.class);

	/**
	 * user:password@ in a URL's authority, and password=/user= parameters (H2's
	 * ;PASSWORD=, JDBC's ?password=).
	 */
	private static final Pattern USER_INFO = Pattern.compile("//[^/@?;]*@");

	private static final Pattern SECRET_PARAMS = Pattern
		.compile("(?i)([;?&](?:password|pwd|user|username|sslpassword|sslkey)=)[^;&]*");

	private final Environment environment;

	private final StorageProperties storage;

	private final TrainingProperties training;

	private final ObjectProvider<ComputeBackendInfo> backend;

	private final ObjectProvider<DataSource> dataSource;

	StartupSummary(Environment environment, StorageProperties storage, TrainingProperties training,
			ObjectProvider<ComputeBackendInfo> backend, ObjectProvider<DataSource> dataSource) {
		this.environment = environment;
		this.storage = storage;
		this.training = training;
		this.backend = backend;
		this.dataSource = dataSource;
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		log.info(line());
	}

	/** The start-up line (also what a test reads). */
	public String line() {
		String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
		String contextPath = environment.getProperty("server.servlet.context-path", "");
		String base = "http://localhost:" + port + contextPath;
		String swagger = environment.getProperty("springdoc.swagger-ui.path", "/swagger-ui.html");
		return "fitserve ready at " + base + " (dashboard " + base + "/, Swagger UI " + base + swagger + "); data "
				+ storage.dataDir().toAbsolutePath().normalize() + "; database " + databaseUrl() + "; backend "
				+ backend.getObject().describe() + "; training slots " + trainingSlots() + " (queue "
				+ training.queueCapacity() + "), OMP_NUM_THREADS=" + ompNumThreads();
	}

	int trainingSlots() {
		return training.maxConcurrentJobs();
	}

	String ompNumThreads() {
		String omp = System.getenv("OMP_NUM_THREADS");
		return omp == null || omp.isBlank() ? "unset" : omp;
	}

	String databaseUrl() {
		String url = null;
		DataSource ds = dataSource.getIfAvailable();
		if (ds instanceof com.zaxxer.hikari.HikariDataSource hikari) {
			url = hikari.getJdbcUrl();
		}
		if (url == null) {
			url = environment.getProperty("spring.datasource.url", "none");
		}
		return withoutCredentials(url);
	}

	static String withoutCredentials(String url) {
		return SECRET_PARAMS.matcher(USER_INFO.matcher(url).replaceAll("//")).replaceAll("$1***");
	}

}
