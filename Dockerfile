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
# extracted (Spring Boot's jarmode tools): /src/app/fitserve.jar with its dependencies in /src/app/lib, the layout a
# CDS archive can be made for (classes must come from plain jars on a fixed path, not from nested jars)
RUN ./mvnw -B -q -DskipTests package && cp target/fitserve-*.jar /src/fitserve.jar \
    && java -Djarmode=tools -jar /src/fitserve.jar extract --destination /src/app

# Runtime stage: a JRE, curl for the HEALTHCHECK, a non-root user.
FROM ${JRE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && groupadd --system fitserve && useradd --system --gid fitserve --home-dir /app fitserve \
    && mkdir -p /app/data /app/.javacpp && chown -R fitserve:fitserve /app
WORKDIR /app
# the dependencies first: their layer stays cached while only fitserve's own code changes
COPY --from=build --chown=fitserve:fitserve /src/app/lib /app/lib
COPY --from=build --chown=fitserve:fitserve /src/app/fitserve.jar /app/fitserve.jar
USER fitserve
ENV FITSERVE_STORAGE_DATA_DIR=/app/data \
    OMP_NUM_THREADS=1 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -Dorg.bytedeco.javacpp.cachedir=/app/.javacpp"
# Class data sharing (README "Docker"): a training run starts the application context once, on a throw-away data
# directory, and exits (spring.context.exit=onRefresh); the JVM writes the classes it loaded to fitserve.jsa, which
# every start then maps instead of loading and verifying them again. Made here, with the runtime JVM and the same
# JAVA_TOOL_OPTIONS, because an archive only fits the JVM that wrote it (a mismatch is logged and ignored).
RUN java -XX:ArchiveClassesAtExit=/app/fitserve.jsa -Dspring.context.exit=onRefresh -jar /app/fitserve.jar \
        --fitserve.storage.data-dir=/tmp/cds-training --server.port=0 --logging.level.root=warn \
    && rm -rf /tmp/cds-training && test -s /app/fitserve.jsa
VOLUME ["/app/data"]
EXPOSE 8080
# the port the service listens on: SERVER_PORT, else PORT, else 8080 (as application.yml reads them)
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://localhost:${SERVER_PORT:-${PORT:-8080}}/actuator/health" >/dev/null || exit 1
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/fitserve.jsa", "-jar", "/app/fitserve.jar"]
