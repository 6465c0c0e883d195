package io.fitserve.datasets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.fitserve.support.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Histograms of numeric columns as the ingest computes them, with counts worked out by
 * hand.
 */
class HistogramTest {

	private static ColumnProfile profile(String csv, String column) {
		IngestResult r = CsvIngest.ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
				new IngestLimits(10_000, 10_000_000));
		return r.schema().stream().filter(s -> s.name().equals(column)).findFirst().orElseThrow().profile();
	}

	/**
	 * A CSV with the column v holding values, and a row number so that an empty cell is
	 * not an empty line.
	 */
	private static String column(Object... values) {
		StringBuilder csv = new StringBuilder("row,v\n");
		for (int i = 0; i < values.length; i++) {
			csv.append(i).append(',').append(values[i]).append('\n');
		}
		return csv.toString();
	}

	@Test
	void tenDistinctIntegersGetABinEach() {
		Histogram h = profile(column(3, 0, 9, 1, 8, 2, 7, 4, 6, 5), "v").histogram();
		// 10 bins of width 0.9 from 0 to 9: value i lies in [0.9 i, 0.9 (i + 1)), 9 in
		// the closed last bin
		assertThat(h.counts()).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L);
		assertThat(h.edges()).hasSize(11);
		for (int i = 0; i <= 10; i++) {
			assertThat(h.edges().get(i)).isCloseTo(0.9 * i, within(1e-12));
		}
		assertThat(h.edges().get(0)).isEqualTo(0.0);
		assertThat(h.edges().get(10)).isEqualTo(9.0);
	}

	@Test
	void aHundredIntegersFillTwentyBinsOfFive() {
		Object[] values = new Object[100];
		for (int i = 0; i < 100; i++) {
			values[i] = 99 - i;
		}
		Histogram h = profile(column(values), "v").histogram();
		// width 99/20 = 4.95: bin j is [4.95 j, 4.95 j + 4.95), which holds the integers
		// 5j .. 5j + 4
		assertThat(h.counts()).hasSize(20).containsOnly(5L);
		assertThat(h.edges().get(1)).isCloseTo(4.95, within(1e-12));
		assertThat(h.edges().get(20)).isEqualTo(99.0);
	}

	@Test
	void skewedValuesLeaveEmptyBins() {
		// three distinct values: three bins of width 3 over [1, 10]
		Histogram h = profile(column(1, 1, 1, 2, 10), "v").histogram();
		assertThat(h.edges()).containsExactly(1.0, 4.0, 7.0, 10.0);
		assertThat(h.counts()).containsExactly(4L, 0L, 1L);
	}

	@Test
	void missingValuesAreLeftOutAndTheCountsAddUpToTheNonMissing() {
		// NaN, NA and empty cells are missing to the parser
		ColumnProfile p = profile(column(1, "NaN", 3, "", "NA", 2.5), "v");
		assertThat(p.count()).isEqualTo(3);
		assertThat(p.missing()).isEqualTo(3);
		// three distinct values: bins of width 2/3 over [1, 3]; 2.5 and 3 (the closed
		// last bin) share the third
		assertThat(p.histogram().edges()).hasSize(4);
		assertThat(p.histogram().edges().get(1)).isCloseTo(5.0 / 3, within(1e-12));
		assertThat(p.histogram().edges().get(2)).isCloseTo(7.0 / 3, within(1e-12));
		assertThat(p.histogram().counts()).containsExactly(1L, 0L, 2L);
	}

	@Test
	void aConstantColumnHasOneBin() {
		Histogram h = profile(column(5, 5, "", 5), "v").histogram();
		assertThat(h.edges()).containsExactly(5.0, 5.0);
		assertThat(h.counts()).containsExactly(3L);
	}

	@Test
	void theWholeDoubleRangeStaysFinite() {
		Histogram h = profile(column("-1e308", "1e308"), "v").histogram();
		assertThat(h.edges()).containsExactly(-1e308, 0.0, 1e308);
		assertThat(h.counts()).containsExactly(1L, 1L);
	}

	@Test
	void nonNumericColumnsHaveNone() {
		// all missing: no type evidence, categorical
		assertThat(profile(column("", "NA", "NaN"), "v").histogram()).isNull();
		// Infinity is not a number to the parser, so the column is categorical
		assertThat(profile(column(1, "Infinity", 2), "v").histogram()).isNull();
		assertThat(profile(column("red", "blue"), "v").histogram()).isNull();
		assertThat(profile(column("true", "false"), "v").histogram()).isNull();
	}

	@Test
	void profilesStoredBeforeHistogramsStillRead() {
		// a dataset row's columns_json as fitserve wrote it before histograms
		String old = "[{\"name\":\"x\",\"type\":\"numeric\",\"profile\":{\"count\":2,\"missing\":0,\"distinct\":2,"
				+ "\"distinctExact\":true,\"min\":1.0,\"max\":2.0,\"mean\":1.5,\"stddev\":0.7071067811865476,"
				+ "\"topValues\":null}}]";
		List<ColumnSchema> columns = Json.read(old, new TypeReference<List<ColumnSchema>>() {
		});
		assertThat(columns.get(0).profile().max()).isEqualTo(2.0);
		assertThat(columns.get(0).profile().histogram()).isNull();
	}

}
