#!/usr/bin/env bash
# W2 sub-target: one full logistic-loss gradient pass over 1M x 50, fitserve's L-BFGS objective (and the ND4J pass it
# replaced) against numpy in float64 and float32, side by side on the same machine. Not part of ./mvnw -B verify.
# Compiles fitserve and the benchmarks (bench/java, -Pbench) first unless --skip-build.
#
#   bench/gradient-pass.sh [--skip-build] [ROWS] [COLS] [REPEATS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ "${1:-}" == "--skip-build" ]]; then
  shift
else
  ./mvnw -B -q -Pbench -DskipTests test-compile
fi
N=${1:-1000000}; D=${2:-50}; R=${3:-15}
CP_FILE=target/bench-classpath.txt
[[ -s "$CP_FILE" ]] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" io.fitserve.ml.nn.GradientPassBench "$N" "$D" "$R" \
  2>&1 | grep '^gradient pass'
"${BENCH_PYTHON:-/usr/bin/python3}" - "$N" "$D" "$R" <<'PY'
import sys, time
import numpy as np
n, d, repeats = map(int, sys.argv[1:4])
rng = np.random.default_rng(42)
for dtype in (np.float64, np.float32):
    X = rng.standard_normal((n, d)).astype(dtype)
    y = (rng.random(n) < 0.5).astype(dtype)
    w = (0.01 * rng.standard_normal(d)).astype(dtype)
    def grad():
        z = X @ w
        p = 1 / (1 + np.exp(-z))
        return X.T @ (p - y) / n
    for _ in range(3):
        grad()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); grad(); ts.append((time.perf_counter() - t0) * 1e3)
    print(f"gradient pass {n} x {d} {np.dtype(dtype).name}, median of {repeats}: numpy {sorted(ts)[len(ts) // 2]:.1f} ms")
PY
