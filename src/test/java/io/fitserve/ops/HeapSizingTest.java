package io.fitserve.ops;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HeapSizingTest {

	/** HotSpot's two flags, with its rule that min never exceeds max. */
	static final class FakeFlags implements HeapSizing.Flags {

		final Map<String, VMOption> options = new HashMap<>();

		final List<String> calls = new ArrayList<>();

		FakeFlags(int min, VMOption.Origin minOrigin, int max, VMOption.Origin maxOrigin) {
			put(HeapSizing.MIN, min, minOrigin);
			put(HeapSizing.MAX, max, maxOrigin);
		}

		private void put(String name, int value, VMOption.Origin origin) {
			this.options.put(name, new VMOption(name, Integer.toString(value), true, origin));
		}

		int value(String name) {
			return Integer.parseInt(this.options.get(name).getValue());
		}

		@Override
		public VMOption get(String name) {
			return this.options.get(name);
		}

		@Override
		public void set(String name, String value) {
			int v = Integer.parseInt(value);
			if (name.equals(HeapSizing.MIN) ? v > value(HeapSizing.MAX) : v < value(HeapSizing.MIN)) {
				throw new IllegalArgumentException(name + " " + value + " crosses the other ratio");
			}
			this.calls.add(name + "=" + value);
			put(name, v, VMOption.Origin.MANAGEMENT);
		}

	}

	@Test
	void theDefaultsAreLoweredMinFirstSoTheyNeverCross() {
		FakeFlags flags = new FakeFlags(40, VMOption.Origin.DEFAULT, 70, VMOption.Origin.DEFAULT);
		assertThat(HeapSizing.apply(new MemoryProperties(10, 30), flags)).containsExactly("MinHeapFreeRatio=10",
				"MaxHeapFreeRatio=30");
		assertThat(flags.value(HeapSizing.MIN)).isEqualTo(10);
		assertThat(flags.value(HeapSizing.MAX)).isEqualTo(30);
	}

	@Test
	void ratiosAboveTheOldMaximumAreRaisedMaxFirst() {
		FakeFlags flags = new FakeFlags(40, VMOption.Origin.DEFAULT, 70, VMOption.Origin.DEFAULT);
		assertThat(HeapSizing.apply(new MemoryProperties(75, 90), flags)).containsExactly("MaxHeapFreeRatio=90",
				"MinHeapFreeRatio=75");
		assertThat(flags.value(HeapSizing.MIN)).isEqualTo(75);
	}

	@Test
	void aFlagFromTheCommandLineWins() {
		FakeFlags flags = new FakeFlags(40, VMOption.Origin.DEFAULT, 20, VMOption.Origin.VM_CREATION);
		assertThat(HeapSizing.apply(new MemoryProperties(10, 30), flags)).containsExactly("MinHeapFreeRatio=10");
		assertThat(flags.value(HeapSizing.MAX)).isEqualTo(20);
	}

	@Test
	void aCommandLineFlagTheSettingsWouldCrossLeavesBothAlone() {
		FakeFlags flags = new FakeFlags(50, VMOption.Origin.ENVIRON_VAR, 70, VMOption.Origin.DEFAULT);
		assertThat(HeapSizing.apply(new MemoryProperties(10, 30), flags)).isEmpty();
		assertThat(flags.calls).isEmpty();
		assertThat(flags.value(HeapSizing.MAX)).isEqualTo(70);
	}

	@Test
	void minusOneKeepsTheJvmsDefault() {
		FakeFlags flags = new FakeFlags(40, VMOption.Origin.DEFAULT, 70, VMOption.Origin.DEFAULT);
		assertThat(HeapSizing.apply(new MemoryProperties(-1, 50), flags)).containsExactly("MaxHeapFreeRatio=50");
		assertThat(flags.value(HeapSizing.MIN)).isEqualTo(40);
		assertThat(HeapSizing.apply(new MemoryProperties(-1, -1), flags)).isEmpty();
	}

	@Test
	void ratiosMustBePercentagesInOrder() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryProperties(10, 101))
			.withMessageContaining("0 to 100");
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryProperties(-2, 30));
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryProperties(40, 30))
			.withMessageContaining("must not exceed");
	}

	@Test
	void theRunningJvmTakesTheRatios() {
		HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		VMOption max = bean.getVMOption(HeapSizing.MAX);
		VMOption min = bean.getVMOption(HeapSizing.MIN);
		// the settings are applied the way a fresh service does; a test JVM started with
		// either flag keeps it, and nothing is asserted for it
		List<VMOption.Origin> ours = List.of(VMOption.Origin.DEFAULT, VMOption.Origin.MANAGEMENT);
		org.junit.jupiter.api.Assumptions.assumeTrue(ours.contains(max.getOrigin()) && ours.contains(min.getOrigin()));
		try {
			new HeapSizing(new MemoryProperties(10, 30));
			assertThat(bean.getVMOption(HeapSizing.MIN).getValue()).isEqualTo("10");
			assertThat(bean.getVMOption(HeapSizing.MAX).getValue()).isEqualTo("30");
		}
		finally {
			// the rest of the tests run with the JVM's own, as the service does by
			// default
			bean.setVMOption(HeapSizing.MAX, max.getValue());
			bean.setVMOption(HeapSizing.MIN, min.getValue());
		}
	}

	@Test
	void byDefaultTheRatiosAre20And50() {
		MemoryProperties defaults = new org.springframework.boot.context.properties.bind.Binder(
				new org.springframework.boot.context.properties.source.MapConfigurationPropertySource())
			.bindOrCreate("fitserve.memory", MemoryProperties.class);
		FakeFlags flags = new FakeFlags(40, VMOption.Origin.DEFAULT, 70, VMOption.Origin.DEFAULT);
		assertThat(HeapSizing.apply(defaults, flags)).containsExactly("MinHeapFreeRatio=20", "MaxHeapFreeRatio=50");
	}

}
