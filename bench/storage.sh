#!/usr/bin/env bash
# Dataset storage codecs: stored size, write/read MB/s and whole-ingest MB/s with and without zstd
# compression and AES-256-GCM encryption (io.fitserve.datasets.StorageBench; no HTTP, no Spring).
# Compiles fitserve and the benchmarks (bench/java, -Pbench) first unless --skip-build.
#
#   bench/storage.sh [--skip-build] [REPEATS] [CSV...]
#
# With no CSV it generates two 200k-row files in a temp dir. Results: bench/RESULTS-storage.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ "${1:-}" == "--skip-build" ]]; then
  shift
else
  ./mvnw -B -q -Pbench -DskipTests test-compile
fi
CP=target/classes:target/test-classes:$(./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=zstd-jni)
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$CP" io.fitserve.datasets.StorageBench "$@"
