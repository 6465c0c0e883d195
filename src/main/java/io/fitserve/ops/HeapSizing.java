package io.fitserve.ops;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Applies {@link MemoryProperties} to the running JVM. Both ratios are manageable HotSpot
 * flags: G1 reads them when a marking cycle ends, and shrinks the heap to keep at most
 * {@code MaxHeapFreeRatio} percent of it free. With the JVM's 40 and 70, a heap grown for
 * the garbage of large uploads one after another stays grown: W1's ten uploads in a row
 * peaked at 743 to 826 MB, (peak - idle) / stored 2.0x. With 20 and 50 they peaked at 666
 * to 695 MB (1.3x), and logistic regression jobs ran as fast (W2 1M x 50: 0.77 and 0.74 s
 * against 0.85 s). Lower still (10 and 30) the peaks hardly fell further, and jobs took
 * 10-30% longer, each committing again the heap the previous one had given back. A flag
 * given on the java command line (or in JAVA_TOOL_OPTIONS) wins: only flags at their
 * default, or set at run time, are changed.
 */
@Component
class HeapSizing {

	private static final Log log = LogFactory.getLog(HeapSizing.class);

	static final String MIN = "MinHeapFreeRatio";

	static final String MAX = "MaxHeapFreeRatio";

	/** The JVM's flags, as far as this class needs them; a seam for tests. */
	interface Flags {

		/** The flag's value, or null when this JVM has no such flag. */
		VMOption get(String name);

		void set(String name, String value);

	}

	HeapSizing(MemoryProperties properties) {
		List<String> applied = apply(properties, hotSpot());
		if (!applied.isEmpty()) {
			log.info("Heap sizing: " + String.join(", ", applied)
					+ " (fitserve.memory.*; a flag on the java command line wins)");
		}
	}

	static List<String> apply(MemoryProperties properties, Flags flags) {
		List<String> done = new ArrayList<>();
		if (flags == null) {
			return done;
		}
		VMOption min = flags.get(MIN);
		VMOption max = flags.get(MAX);
		if (min == null || max == null) {
			return done;
		}
		int newMin = settable(min, properties.minHeapFreeRatio()) ? properties.minHeapFreeRatio()
				: Integer.parseInt(min.getValue());
		int newMax = settable(max, properties.maxHeapFreeRatio()) ? properties.maxHeapFreeRatio()
				: Integer.parseInt(max.getValue());
		if (newMin > newMax) {
			// one of them was given on the command line: keep it, and leave the other
			// alone rather than make them cross
			log.warn("Heap sizing: fitserve.memory.* left alone: it would cross " + MIN + "=" + min.getValue() + " / "
					+ MAX + "=" + max.getValue() + " from the java command line");
			return done;
		}
		// the JVM checks min <= max on each change: move the bound that makes room first
		boolean minFirst = newMin <= Integer.parseInt(max.getValue());
		String[] order = minFirst ? new String[] { MIN, MAX } : new String[] { MAX, MIN };
		for (String name : order) {
			VMOption option = name.equals(MIN) ? min : max;
			int value = name.equals(MIN) ? newMin : newMax;
			if (!option.getValue().equals(Integer.toString(value))) {
				try {
					flags.set(name, Integer.toString(value));
				}
				catch (IllegalArgumentException ex) {
					log.warn("Heap sizing: the JVM refused " + name + "=" + value + ": " + ex.getMessage());
					return done;
				}
				done.add(name + "=" + value);
			}
		}
		return done;
	}

	private static boolean settable(VMOption option, int configured) {
		// set at run time before this start-up: by an earlier application context in this
		// JVM (tests), which had the same say
		return configured >= 0 && option.isWriteable()
				&& (option.getOrigin() == VMOption.Origin.DEFAULT || option.getOrigin() == VMOption.Origin.MANAGEMENT);
	}

	private static Flags hotSpot() {
		HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		if (bean == null) {
			return null;
		}
		return new Flags() {

			@Override
			public VMOption get(String name) {
				try {
					return bean.getVMOption(name);
				}
				catch (IllegalArgumentException ex) {
					return null;
				}
			}

			@Override
			public void set(String name, String value) {
				bean.setVMOption(name, value);
			}

		};
	}

}
