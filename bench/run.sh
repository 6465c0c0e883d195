#!/usr/bin/env bash
# fitserve benchmark suite: builds fitserve and the peer app, then runs every workload against
# fitserve and its peers (pandas, scikit-learn, numpy, a bare Spring Boot endpoint) in one run.
#
#   bench/run.sh [--quick] [--repeats N] [--only W1,W2] [--duration S] [--skip-build] [--keep-temp]
#
# Prints the table and writes bench/RESULTS.md. Exits 0 whether or not targets are met (it
# measures, it does not assert); non-zero only when it cannot run (build failed, no Python peers).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${BENCH_PYTHON:-/usr/bin/python3}
CMDLINE="bench/run.sh $*"

usage() {
  cat <<'USAGE'
Usage: bench/run.sh [options]
  --quick          smaller data sets and 5 s wrk runs (about 10 minutes on 2 CPUs)
  --repeats N      measurements per workload and side (default 5); medians are reported
  --only LIST      workloads to run, e.g. W1,W6 or ingest,serving
                   (W1 ingest, W2 logreg, W3 linreg, W4 mlp, W5 svm, W6 serving, W7 startup,
                   W8 scale)
  --duration S     seconds per wrk run (default 30; --quick 5)
  --fitserve-env K=V  environment for the fitserve process only (repeatable), e.g. OMP_NUM_THREADS=1
  --skip-build     reuse target/fitserve-*.jar and bench/peer/target/bench-peer.jar
  --keep-temp      keep the temp dir with the servers' logs and data
Generated CSVs are cached under bench/.data (delete it to regenerate).
USAGE
}

SKIP_BUILD=0
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --repeats|--only|--duration|--fitserve-env) [[ $# -ge 2 ]] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      ARGS+=("$1" "$2"); shift 2 ;;
    --quick|--keep-temp) ARGS+=("$1"); shift ;;
    --repeats=*|--only=*|--duration=*|--fitserve-env=*) ARGS+=("$1"); shift ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

say() { echo "[run.sh] $*" >&2; }

# --- prerequisites -----------------------------------------------------------------------------
if ! "$PY" -c 'import numpy, pandas, sklearn' 2>/dev/null; then
  cat >&2 <<MSG
[run.sh] The peers need Debian's scikit-learn, numpy and pandas for $PY:
           apt-get install -y python3-sklearn python3-pandas
         (or set BENCH_PYTHON to a python3 that has them).
MSG
  exit 2
fi
command -v java >/dev/null || { say "java (17+) is not on PATH"; exit 2; }
command -v curl >/dev/null || { say "curl is needed for the uploads: apt-get install -y curl"; exit 2; }
if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing wrk (apt-get install -y wrk)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 || true
    fi
  fi
  command -v wrk >/dev/null || say "wrk is missing (apt-get install -y wrk); the serving rows will say so"
fi

# --- build -------------------------------------------------------------------------------------
if [[ $SKIP_BUILD -eq 0 ]]; then
  say "building fitserve (./mvnw -B -q -DskipTests package)"
  ./mvnw -B -q -DskipTests package
  say "building the peer app (./mvnw -B -q -DskipTests -f bench/peer/pom.xml package)"
  ./mvnw -B -q -DskipTests -f bench/peer/pom.xml package
fi
JAR=$(ls target/fitserve-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true)
PEER_JAR=bench/peer/target/bench-peer.jar
[[ -n "$JAR" && -f "$JAR" ]] || { say "no target/fitserve-*.jar (build first or drop --skip-build)"; exit 2; }
[[ -f "$PEER_JAR" ]] || { say "no $PEER_JAR (build first or drop --skip-build)"; exit 2; }

# --- run ---------------------------------------------------------------------------------------
say "nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
# exec: Ctrl-C and kill reach bench.py, which stops the servers it started.
# Exit status: 0 measured (targets met or not); 130 interrupted; 2 bad arguments.
BENCH_CMDLINE="$CMDLINE" exec "$PY" bench/bench.py --jar "$JAR" --peer-jar "$PEER_JAR" "${ARGS[@]}"
