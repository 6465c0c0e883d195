#!/usr/bin/env bash
# bench/one-row.sh JAR [JAR...] -- one-row iris predictions with wrk against each jar in turn, ROUNDS times:
# starts the jar (temporary data dir, admin key from the environment), uploads iris, trains logistic_regression,
# warms up, then wrk -t2 -c32 for DURATION seconds; prints req/s per run. Used to check what the per-model
# prediction metrics cost (README "Operations"):
#   ./mvnw -B -q -DskipTests package && cp target/fitserve-*.jar /tmp/new.jar   # and a jar of the commit before
#   ROUNDS=3 bash bench/one-row.sh /tmp/old.jar /tmp/new.jar
set -euo pipefail
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-15}; PORT=${PORT:-18490}; CONNS=${CONNS:-32}
KEY=bench-admin-key-not-a-secret-000
IRIS=$(cd "$(dirname "$0")/.." && pwd)/src/test/resources/datasets/iris.csv
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install -y wrk)"; exit 1; }
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
run_one() {
  local jar=$1 dir pid B=http://127.0.0.1:$PORT AUTH="Authorization: Bearer $KEY" DS JOB MODEL BODY
  dir=$(mktemp -d)
  FITSERVE_ADMIN_KEY=$KEY OMP_NUM_THREADS=1 java -jar "$jar" --server.port=$PORT --fitserve.storage.data-dir="$dir" \
    >"$dir/app.log" 2>&1 & pid=$!
  for _ in $(seq 1 240); do curl -sf "$B/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done
  DS=$(curl -sf -H "$AUTH" -F file=@"$IRIS" "$B/api/v1/datasets" | field id)
  JOB=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B/api/v1/training-jobs" \
    -d '{"datasetId":"'"$DS"'","target":"species","algorithm":"logistic_regression"}' | field id)
  while [ "$(curl -sf -H "$AUTH" "$B/api/v1/training-jobs/$JOB" | field status)" != succeeded ]; do sleep 0.5; done
  MODEL=$(curl -sf -H "$AUTH" "$B/api/v1/training-jobs/$JOB" | field modelId)
  BODY='{"rows":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}'
  cat >"$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA
  wrk -t2 -c$CONNS -d5s -s "$dir/post.lua" "$B/api/v1/models/$MODEL/predictions" >/dev/null   # warm-up
  local out; out=$(wrk -t2 -c$CONNS -d${DURATION}s --latency -s "$dir/post.lua" "$B/api/v1/models/$MODEL/predictions")
  echo "$(basename "$jar") round $r: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, p50 $(echo "$out" | awk '$1=="50%" {print $2}'), p99 $(echo "$out" | awk '$1=="99%" {print $2}'), non-2xx $(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
for r in $(seq 1 "$ROUNDS"); do for jar in "$@"; do run_one "$jar"; done; done
