package io.fitserve.protocols;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MlflowLabelsTest {

	@Test
	void wholeNumberLabelsAnswerAsNumbers() {
		assertThat(MlflowService.integerLabels(List.of("0", "1"))).isTrue();
		assertThat(MlflowService.integerLabels(List.of("-3", "10", "7"))).isTrue();
	}

	@Test
	void anyOtherLabelKeepsEveryLabelAText() {
		assertThat(MlflowService.integerLabels(List.of("0", "yes"))).isFalse();
		assertThat(MlflowService.integerLabels(List.of("1.0", "2.0"))).isFalse();
		assertThat(MlflowService.integerLabels(List.of("01", "2"))).isFalse();
		assertThat(MlflowService.integerLabels(List.of("+1", "-1"))).isFalse();
		assertThat(MlflowService.integerLabels(List.of("1", "99999999999999999999"))).isFalse();
		assertThat(MlflowService.integerLabels(List.of())).isFalse();
		assertThat(MlflowService.integerLabels(null)).isFalse();
	}

}
