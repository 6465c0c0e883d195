package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second fitserve started on the data directory of a running one (H2 in file mode)
 * stops with a few lines that say what happened and what to do, not H2's and Spring's
 * stack traces.
 */
class SecondInstanceTest {

	@TempDir
	Path dataDir;

	@Test
	void aSecondInstanceOnTheSameDataDirectoryExplainsItself() throws Exception {
		try (ConfigurableApplicationContext first = FitserveServer.builder().run(FitserveServer.arguments(dataDir))) {
			// another JVM: within one JVM, H2 would share the open database instead of
			// refusing it
			Path log = dataDir.resolve("second.log");
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			Process second = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
					FitserveApplication.class.getName(), "--server.port=0",
					"--fitserve.storage.data-dir=" + dataDir.toAbsolutePath())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			try {
				assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("the second instance exits").isTrue();
			}
			finally {
				second.destroyForcibly();
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			assertThat(second.exitValue()).as(output).isNotZero();
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("is in use by another process: another fitserve is probably running on the data directory "
						+ dataDir.toAbsolutePath())
				.contains("Stop the other fitserve", "--fitserve.storage.data-dir=<dir>", "--server.port=<port>");
			List<String> frames = output.lines().filter(line -> line.startsWith("\tat ")).toList();
			assertThat(frames).as(output).isEmpty();
			assertThat(output.lines().count()).as(output).isLessThan(60);
			// the first one is unharmed
			assertThat(first.isRunning()).isTrue();
		}
	}

}
