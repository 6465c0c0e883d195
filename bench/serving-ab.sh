#!/usr/bin/env bash
# One-row prediction throughput of two fitserve jars, side by side on this machine: each jar is
# started on a scratch data dir, trains an iris logistic regression, then wrk posts one row for
# DURATION seconds with 1 and with 32 connections. Used to price a change on the serving hot path
# (e.g. the API-key filter chain): run the jar before and after, twice each, alternating.
# Usage: bench/serving-ab.sh OLD.jar NEW.jar [DURATION=15] [ROUNDS=2]    needs: wrk, curl, python3
set -euo pipefail
OLD=$(realpath "$1"); NEW=$(realpath "$2"); DURATION=${3:-15}; ROUNDS=${4:-2}
IRIS=$(cd "$(dirname "$0")/.." && pwd)/src/test/resources/datasets/iris.csv
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 2; }
LUA=$(cd "$(dirname "$0")" && pwd)/one-row.lua
export WRK_BODY='{"rows":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}'
KEY=serving-ab-admin-key-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
export WRK_KEY=$KEY
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run() {
  local jar=$1 label=$2 dir port pid B A ds job model status
  dir=$(mktemp -d); port=$(free_port); B=http://127.0.0.1:$port; A="Authorization: Bearer $KEY"
  (cd "$dir" && FITSERVE_ADMIN_KEY=$KEY exec java -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
    > "$dir/app.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "$B/actuator/health" >/dev/null && break; sleep 1; done
  ds=$(curl -sf -H "$A" -F file=@"$IRIS" "$B/api/v1/datasets" | field id)
  job=$(curl -sf -H "$A" -H 'Content-Type: application/json' "$B/api/v1/training-jobs" \
    -d '{"datasetId":"'"$ds"'","target":"species","algorithm":"logistic_regression"}' | field id)
  for _ in $(seq 1 120); do
    status=$(curl -sf -H "$A" "$B/api/v1/training-jobs/$job" | field status)
    [ "$status" = succeeded ] && break; sleep 1
  done
  model=$(curl -sf -H "$A" "$B/api/v1/training-jobs/$job" | field modelId)
  wrk -t1 -c1 -d3s -s "$LUA" "$B/api/v1/models/$model/predictions" >/dev/null   # warm-up
  for c in 1 32; do
    echo "$label, $c connection(s): $(wrk -t$([ $c = 1 ] && echo 1 || echo 2) -c$c -d${DURATION}s -s "$LUA" \
      "$B/api/v1/models/$model/predictions" | tail -1)"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
}

for r in $(seq 1 "$ROUNDS"); do run "$OLD" "old (round $r)"; run "$NEW" "new (round $r)"; done
