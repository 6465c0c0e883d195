package io.fitserve.compute;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs {@link CudaProbeMain} in a child JVM with this process's class path: whatever the
 * GPU does (a kernel that cannot run on it, a crash in native code, a hang), this process
 * has not loaded ND4J and can still choose the CPU.
 */
final class ChildJvmCudaProbe implements CudaProbe {

	private static final Log log = LogFactory.getLog(ChildJvmCudaProbe.class);

	static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private final Duration timeout;

	ChildJvmCudaProbe(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public Result probe() {
		List<String> command = command(System.getProperty("java.class.path"));
		long start = System.nanoTime();
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			return Result.failed(null, "could not start the probe JVM: " + ex.getMessage());
		}
		Map<String, String> values = new java.util.LinkedHashMap<>();
		Deque<String> tail = new ArrayDeque<>();
		Thread reader = new Thread(() -> read(process, values, tail), "fitserve-cuda-probe-output");
		reader.setDaemon(true);
		reader.start();
		try {
			boolean exited = process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!exited) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
			reader.join(5_000);
			long ms = (System.nanoTime() - start) / 1_000_000;
			if (log.isDebugEnabled()) {
				log.debug("CUDA probe JVM ended after " + ms + " ms: " + values);
			}
			String device = device(values);
			if (!exited) {
				return Result.failed(device, "the GPU test operation did not finish within " + this.timeout.toSeconds()
						+ " s (fitserve.compute.probe-timeout)");
			}
			synchronized (values) {
				if (process.exitValue() == 0 && values.containsKey("ok")) {
					return Result.passed(device);
				}
				String failure = values.get("fail");
				if (failure == null) {
					failure = "the probe JVM exited with status " + process.exitValue()
							+ (process.exitValue() > 128 ? " (signal " + (process.exitValue() - 128) + ")" : "")
							+ (tail.isEmpty() ? "" : " after: " + String.join(" | ", tail));
				}
				return Result.failed(device, failure);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			return Result.failed(null, "interrupted while waiting for the GPU test operation");
		}
	}

	private static void read(Process process, Map<String, String> values, Deque<String> tail) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				synchronized (values) {
					int at = line.indexOf(CudaProbeMain.PREFIX);
					if (at >= 0) {
						String entry = line.substring(at + CudaProbeMain.PREFIX.length());
						int eq = entry.indexOf('=');
						values.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
					}
					else if (!line.isBlank()) {
						tail.addLast(CudaProbeMain.oneLine(line));
						if (tail.size() > 3) {
							tail.removeFirst();
						}
					}
				}
			}
		}
		catch (IOException ex) {
			// the process ended; what was read is kept
		}
	}

	static String device(Map<String, String> values) {
		synchronized (values) {
			String name = values.get("device");
			String capability = values.get("capability");
			if (name == null) {
				return null;
			}
			return capability == null ? name : name + ", compute capability " + capability;
		}
	}

	/**
	 * The child's command line: the same java and class path; in a Spring Boot executable
	 * jar (a class path of one jar with a Start-Class) Boot's PropertiesLauncher starts
	 * {@link CudaProbeMain} from the nested jars.
	 */
	static List<String> command(String classPath) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:+UseSerialGC");
		command.add("-XX:TieredStopAtLevel=1");
		// javacpp's cache directory and limits, ND4J's settings: the child extracts to
		// the same cache
		System.getProperties().forEach((key, value) -> {
			String name = String.valueOf(key);
			if (name.startsWith("org.bytedeco.") || name.startsWith("org.nd4j.")) {
				command.add("-D" + name + "=" + value);
			}
		});
		command.add("-cp");
		command.add(classPath);
		if (isBootJar(classPath)) {
			command.add("-Dloader.main=" + CudaProbeMain.class.getName());
			command.add(BOOT_LAUNCHER);
		}
		else {
			command.add(CudaProbeMain.class.getName());
		}
		return command;
	}

	static boolean isBootJar(String classPath) {
		if (classPath == null || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
			return false;
		}
		Path jar = Path.of(classPath);
		if (!Files.isRegularFile(jar)) {
			return false;
		}
		try (JarFile file = new JarFile(jar.toFile())) {
			return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Start-Class") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
