#!/usr/bin/env bash
# One-row prediction throughput (wrk, 1 connection) while 10-epoch MLP jobs train (W4's data: 200k x 50,
# one hidden layer of 64, batch 200), and each job's time, for one setting of
# fitserve.compute.training-threads. Run it for the default and for 1, alternating, to price the setting:
#   ./mvnw -B -q -DskipTests package
#   for k in 1 2; do bench/training-threads.sh target/fitserve-0.1.0-SNAPSHOT.jar "" 4
#                    bench/training-threads.sh target/fitserve-0.1.0-SNAPSHOT.jar 1 4; done
# Usage: bench/training-threads.sh JAR [THREADS (empty: unset)] [ROUNDS=4]
# Needs wrk, curl, python3 and the CSVs of one bench/run.sh (bench/.data).
set -euo pipefail
JAR=$(realpath "$1"); T=${2:-}; ROUNDS=${3:-4}
HERE=$(cd "$(dirname "$0")" && pwd)
W4_CSV=$HERE/.data/mlp-clf-s404-200000+50000x50-train.csv
SERVING_CSV=$HERE/.data/serving-clf-s606-10000+10000x50-train.csv
for f in "$W4_CSV" "$SERVING_CSV"; do [ -f "$f" ] || { echo "missing $f: run bench/run.sh once"; exit 2; }; done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 2; }
KEY=bench-training-threads-key-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DIR=$(mktemp -d); B=http://127.0.0.1:$PORT/api/v1; H="Authorization: Bearer $KEY"
j() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
if [ -n "$T" ]; then export FITSERVE_COMPUTE_TRAINING_THREADS=$T; else unset FITSERVE_COMPUTE_TRAINING_THREADS; fi
FITSERVE_ADMIN_KEY=$KEY java -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --fitserve.storage.data-dir="$DIR/data" > "$DIR/app.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
W4=$(curl -sf -H "$H" -H 'Content-Type: text/csv' --data-binary @"$W4_CSV" "$B/datasets?name=w4" | j 'd["id"]')
SV=$(curl -sf -H "$H" -H 'Content-Type: text/csv' --data-binary @"$SERVING_CSV" "$B/datasets?name=serving" | j 'd["id"]')
wait_job() {
  local s
  while true; do
    s=$(curl -sf -H "$H" "$B/training-jobs/$1" | j 'd["status"], d.get("modelId")')
    case $s in succeeded*|failed*) echo "$s"; return;; esac; sleep 0.1
  done
}
JOB=$(curl -sf -H "$H" -H 'Content-Type: application/json' "$B/training-jobs" \
  -d '{"datasetId":"'"$SV"'","target":"y","algorithm":"logistic_regression","seed":42}' | j 'd["id"]')
MODEL=$(wait_job "$JOB" | awk '{print $2}')
ROW=$(python3 -c 'import csv,json,sys; r=csv.reader(open(sys.argv[1])); h=next(r)[:-1]; v=next(r)[:-1]
print(json.dumps({"rows":[dict(zip(h,map(float,v)))]}))' "$SERVING_CSV")
export WRK_KEY=$KEY WRK_BODY=$ROW
URL=http://127.0.0.1:$PORT/api/v1/models/$MODEL/predictions
wrk -t1 -c1 -d15s -s "$HERE/one-row.lua" "$URL" >/dev/null   # warm-up
SPEC='{"datasetId":"'"$W4"'","target":"y","algorithm":"mlp","testFraction":0,"validationFraction":0,"refit":false,
"seed":42,"hyperparameters":{"hiddenLayers":[64],"batchSize":200,"epochs":10,"earlyStoppingPatience":0}}'
echo "training-threads=${T:-unset}"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r idle:     $(wrk -t1 -c1 -d3s -s "$HERE/one-row.lua" "$URL" | tail -1)"
  JOB=$(curl -sf -H "$H" -H 'Content-Type: application/json' "$B/training-jobs" -d "$SPEC" | j 'd["id"]')
  sleep 0.3
  echo "round $r training: $(wrk -t1 -c1 -d2s -s "$HERE/one-row.lua" "$URL" | tail -1)"
  wait_job "$JOB" >/dev/null
  echo "round $r job:      $(grep 'Training job' "$DIR/app.log" | tail -1 | sed 's/.*took/took/')"
done
