# syntax=docker/dockerfile:1
# Build stage: the Maven wrapper and the same pom as a developer's machine.
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package && cp target/fitserve-*.jar /src/fitserve.jar

# Runtime stage: glibc-based JRE (ND4J's natives do not run on musl/Alpine).
FROM eclipse-temurin:17-jre-jammy
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system fitserve && useradd --system --gid fitserve --home-dir /app fitserve \
    && mkdir -p /app/data /app/.javacpp && chown -R fitserve:fitserve /app
WORKDIR /app
COPY --from=build --chown=fitserve:fitserve /src/fitserve.jar /app/fitserve.jar
USER fitserve
ENV FITSERVE_STORAGE_DATA_DIR=/app/data \
    OMP_NUM_THREADS=1 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -Dorg.bytedeco.javacpp.cachedir=/app/.javacpp"
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/fitserve.jar"]
