package io.fitserve.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fitserve.ml.data.Blocks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Operations: the ND4J backend's description (replaceable) and what /actuator/info says
 * about compute.
 */
@Configuration(proxyBeanMethods = false)
class OperationsConfig {

	/**
	 * The class-path guess, used unless another {@link ComputeBackendInfo} bean is
	 * defined.
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
	ComputeBackendInfo computeBackendInfo() {
		return ComputeBackendInfo.fromClassPath(OperationsConfig.class.getClassLoader());
	}

	/**
	 * The training thread settings and the ND4J build on the class path in
	 * /actuator/info, under {@code training} (the backend chosen at run time is
	 * io.fitserve.compute's {@code compute} entry).
	 */
	@Bean
	InfoContributor trainingInfoContributor(ObjectProvider<ComputeBackendInfo> backend, StartupSummary summary) {
		return builder -> {
			Map<String, Object> training = new LinkedHashMap<>();
			training.put("nd4jBuild", backend.getObject().describe());
			training.put("trainingSlots", summary.trainingSlots());
			training.put("ompNumThreads", summary.ompNumThreads());
			// fitserve.compute.training-threads, or every available processor
			training.put("trainingThreads", Blocks.threads());
			builder.withDetail("training", training);
		};
	}

}
