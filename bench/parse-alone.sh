#!/usr/bin/env bash
# W1 "parser alone": parses the ingest CSV from disk through CsvIngest (no HTTP, no Spring) and
# prints MB/s for reading + SHA-256 alone, the full ingest (parse, type inference, profiling)
# and the columnar write. Compiles fitserve and the benchmarks (bench/java, -Pbench) first unless --skip-build.
#
#   bench/parse-alone.sh [--skip-build] [CSV] [REPEATS] [THREADS]
#
# Each repeat also runs the parallel parse (THREADS, default nproc) right after the sequential one.
#
# Default CSV: bench/.data/ingest-clf-s101-1000000x20.csv (made by bench/run.sh). Extra JVM
# flags via JAVA_OPTS (e.g. JAVA_OPTS=-Xmx1g).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ "${1:-}" == "--skip-build" ]]; then
  shift
else
  ./mvnw -B -q -Pbench -DskipTests test-compile
fi
CSV=${1:-bench/.data/ingest-clf-s101-1000000x20.csv}
[[ -f "$CSV" ]] || { echo "parse-alone.sh: no $CSV (bench/run.sh --only W1 generates it)" >&2; exit 2; }
# zstd-jni: DatasetFile.write compresses the columns (as bench/storage.sh)
CP=target/classes:target/test-classes:$(./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=zstd-jni)
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$CP" io.fitserve.datasets.IngestBench "$CSV" "${2:-5}" "${3:-$(nproc)}"
