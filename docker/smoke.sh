#!/usr/bin/env bash
# docker/smoke.sh -- build the image from this repository's Dockerfile and smoke-test one container:
# HEALTHCHECK healthy on a non-default port, health UP, the dashboard page and Chart.js, upload iris, train,
# predict, the Prometheus scrape (admin key), JSON (ECS) logs with the start-up line, and a non-root user.
#
#   bash docker/smoke.sh                 # from the repository root
#
# Env: IMAGE (tag, default fitserve:smoke), PORT (host port the container listens on, default 18480),
# BUILD_IMAGE / JRE_IMAGE (base images, passed as build args; default: the Dockerfile's eclipse-temurin ones),
# KEEP_IMAGE=1 (keep the image afterwards).
# The container runs with --network host and SERVER_PORT=$PORT, so nothing is published through a bridge and the
# HEALTHCHECK is shown to follow the configured port. Where no registry can be reached and the base images are not
# there, it builds local stand-ins (Debian's OpenJDK 17) from local/bookworm:minbase, the image that
# ../shared/tools/docker-sandbox.sh imports; without those either, or without a Docker engine, it prints SKIP
# and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-fitserve:smoke}
PORT=${PORT:-18480}
BUILD_IMAGE=${BUILD_IMAGE:-eclipse-temurin:17-jdk-jammy}
JRE_IMAGE=${JRE_IMAGE:-eclipse-temurin:17-jre-jammy}
KEY=${FITSERVE_ADMIN_KEY:-smoke-admin-key-$RANDOM$RANDOM$RANDOM}
NAME=fitserve-smoke-$$
IRIS=src/test/resources/datasets/iris.csv
export DOCKER_BUILDKIT=0   # the legacy builder needs no buildx and no registry for a frontend image

skip() { echo "SKIP: $*"; exit 0; }
fail() { echo "FAIL: $*"; docker logs --tail 40 "$NAME" 2>&1 | sed 's/^/  container: /' || true; exit 1; }
command -v docker >/dev/null || skip "no docker client on this machine"
docker info >/dev/null 2>&1 || skip "no Docker engine reachable (docker info failed); start one, e.g. see ../shared/tools/docker-sandbox.sh"
for tool in curl python3; do command -v $tool >/dev/null || skip "$tool is needed"; done

cleanup() {
  docker rm -f -v "$NAME" >/dev/null 2>&1 || true
  [ "${KEEP_IMAGE:-0}" = 1 ] || docker rmi "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# base images: present, pullable, or local stand-ins
ensure_base() {
  local image=$1 pkg=$2
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  docker pull -q "$image" >/dev/null 2>&1 && return 0
  docker image inspect local/bookworm:minbase >/dev/null 2>&1 \
    || skip "base image $image is not here, cannot be pulled, and there is no local/bookworm:minbase to build a stand-in from"
  echo "building a local stand-in for $image (Debian's $pkg)"
  local ctx; ctx=$(mktemp -d); mkdir -p "$ctx/local-ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/local-ca/" 2>/dev/null || true
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM local/bookworm:minbase
COPY local-ca/ /usr/local/share/ca-certificates/
RUN apt-get update && apt-get install -y --no-install-recommends $pkg ca-certificates curl \
    && update-ca-certificates && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
DOCKERFILE
  docker build -q --network host -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
}
ensure_base "$BUILD_IMAGE" openjdk-17-jdk-headless
ensure_base "$JRE_IMAGE" openjdk-17-jre-headless

T0=$SECONDS
echo "=== docker build -t $IMAGE (BUILD_IMAGE=$BUILD_IMAGE, JRE_IMAGE=$JRE_IMAGE)"
LOG=$(mktemp)
docker build --network host --build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" \
  -t "$IMAGE" . >"$LOG" 2>&1 || { tail -30 "$LOG"; fail "docker build (log: $LOG)"; }
echo "built in $((SECONDS - T0)) s; $(docker images "$IMAGE" --format '{{.Repository}}:{{.Tag}} {{.Size}}')"

echo "=== docker run (host network, SERVER_PORT=$PORT, ECS JSON logs)"
docker run -d --name "$NAME" --network host -e SERVER_PORT="$PORT" -e FITSERVE_ADMIN_KEY="$KEY" \
  -e LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs "$IMAGE" >/dev/null
B=http://127.0.0.1:$PORT
AUTH="Authorization: Bearer $KEY"
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

for _ in $(seq 1 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$B/actuator/health/readiness" || true)" = 200 ] && break
  [ "$(docker inspect -f '{{.State.Running}}' "$NAME")" = true ] || fail "container exited"
  sleep 0.5
done
curl -s "$B/actuator/health" | grep -q '"status":"UP"' || fail "health is not UP"
# the dashboard: its page with the dashboard's CSP, and Chart.js from the WebJar inside the jar
curl -sfi "$B/" | grep -qi "^content-security-policy: default-src 'self'" || fail "dashboard page or its CSP missing"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$B/webjars/chart.js/4.4.1/dist/chart.umd.js")" = 200 ] \
  || fail "Chart.js WebJar not served"
[ "$(docker exec "$NAME" id -u)" != 0 ] || fail "runs as root"
DS=$(curl -sf -H "$AUTH" -F file=@"$IRIS" "$B/api/v1/datasets" | field id) || fail "upload"
JOB=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B/api/v1/training-jobs" \
  -d '{"datasetId":"'"$DS"'","target":"species","algorithm":"logistic_regression"}' | field id) || fail "job"
for _ in $(seq 1 240); do
  ST=$(curl -sf -H "$AUTH" "$B/api/v1/training-jobs/$JOB" | field status)
  case $ST in succeeded|failed|cancelled) break;; esac; sleep 0.5
done
[ "$ST" = succeeded ] || fail "job $JOB ended $ST"
MODEL=$(curl -sf -H "$AUTH" "$B/api/v1/training-jobs/$JOB" | field modelId)
P=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B/api/v1/models/$MODEL/predictions" \
  -d '{"rows":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}')
echo "$P" | grep -q '"label":"setosa"' || fail "prediction $P"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$B/actuator/prometheus")" = 401 ] || fail "prometheus open without a key"
SCRAPE=$(curl -sf -H "$AUTH" "$B/actuator/prometheus") || fail "prometheus scrape with the admin key"
grep -q "^fitserve_prediction_rows_count{.*model=\"$MODEL\"} 1" <<<"$SCRAPE" || fail "prometheus has no prediction count for $MODEL"
LOGS=$(docker logs "$NAME" 2>&1)
grep -m1 '"message":"fitserve ready at' <<<"$LOGS" \
  | python3 -c 'import json, sys; print("JSON log line:", json.loads(sys.stdin.readline())["message"])' \
  || fail "no ECS JSON start-up line in the container's log"
for _ in $(seq 1 60); do [ "$(docker inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] && break; sleep 1; done
[ "$(docker inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] || fail "HEALTHCHECK not healthy on port $PORT"
echo "SMOKE OK in $((SECONDS - T0)) s: healthy on $PORT as uid $(docker exec "$NAME" id -u), dataset $DS, job $JOB, prediction $P"
echo "image: $(docker images "$IMAGE" --format '{{.Repository}}:{{.Tag}} {{.Size}}')"
