package io.fitserve.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Operations: the ND4J backend's description (replaceable) and what /actuator/info says about compute. */
@Configuration(proxyBeanMethods = false)
class OperationsConfig {

	/** The class-path guess, used unless another {@link ComputeBackendInfo} bean is defined. */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
	ComputeBackendInfo computeBackendInfo() {
		return ComputeBackendInfo.fromClassPath(OperationsConfig.class.getClassLoader());
	}

	/** {@code compute.backend} and the thread settings in /actuator/info (version and name come from info.app). */
	@Bean
	InfoContributor computeInfoContributor(ObjectProvider<ComputeBackendInfo> backend, StartupSummary summary) {
		return builder -> {
			Map<String, Object> compute = new LinkedHashMap<>();
			compute.put("backend", backend.getObject().describe());
			compute.put("trainingSlots", summary.trainingSlots());
			compute.put("ompNumThreads", summary.ompNumThreads());
			builder.withDetail("compute", compute);
		};
	}

}
