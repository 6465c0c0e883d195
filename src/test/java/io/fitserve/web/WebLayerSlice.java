package io.fitserve.web;

import io.fitserve.prediction.PredictionProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application's own web layer for {@code @WebMvcTest} slices, beyond the controller
 * advice that the slice finds itself: the Jackson settings (strict request bodies,
 * nesting and string limits), the problem writer the security handlers and filters use,
 * the problem answer for unmapped requests, and the properties the scanned filters need.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ JacksonConfig.class, ProblemWriter.class, UnmappedRequestProblemResolver.class })
@EnableConfigurationProperties({ JsonLimitsProperties.class, PredictionProperties.class })
public class WebLayerSlice {

}
