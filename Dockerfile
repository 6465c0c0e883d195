# Base images are build arguments, so a registry mirror or a local stand-in can replace them:
#   docker build --build-arg BUILD_IMAGE=... --build-arg JRE_IMAGE=... -t fitserve .
# Both must be glibc-based (ND4J's natives do not run on musl/Alpine); the JRE image needs apt-get (for curl).
ARG BUILD_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# Build stage: the Maven wrapper and the same pom as a developer's machine.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package && cp target/fitserve-*.jar /src/fitserve.jar

# Runtime stage: a JRE, curl for the HEALTHCHECK, a non-root user.
FROM ${JRE_IMAGE}
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
# the port the service listens on: SERVER_PORT, else PORT, else 8080 (as application.yml reads them)
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://localhost:${SERVER_PORT:-${PORT:-8080}}/actuator/health" >/dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/app/fitserve.jar"]
