#!/usr/bin/env bash
# docker/compose-smoke.sh -- smoke-test docker-compose.yml, the cluster: build its images, bring up PostgreSQL and
# both fitserve replicas, wait for health UP on both, upload iris through replica 1, train on it through replica 2
# (submit there, poll until succeeded, the job's worker is fitserve-2), predict the same rows on both replicas and
# check that the answers are identical, then tear the stack down with its volumes. An on-demand check, not part of
# ./mvnw verify.
#
#   bash docker/compose-smoke.sh         # from the repository root
#
# Env: PORT_1 / PORT_2 (host ports of the replicas, default 18481 / 18482), PG_PORT (PostgreSQL's port, host
# networking only, default 18483), NETWORK (auto | bridge | host, default auto), WAIT_S (seconds to wait for both
# replicas' health, and again for the job, default 900), FITSERVE_ADMIN_KEY (default: a random one),
# BUILD_IMAGE / JRE_IMAGE / POSTGRES_BASE_IMAGE (base images, default the files' own), KEEP_IMAGES=1 (keep
# fitserve:compose-smoke and fitserve-postgres:compose-smoke afterwards)
#
# It runs the stack as compose project "fitserve-compose-smoke" with its own image tags and volumes, so a stack
# brought up from this directory is left alone. Images are built with --network host (the build stage runs ./mvnw).
# NETWORK=bridge runs docker-compose.yml's own networking: the compose network, service names, published ports.
# An engine that cannot create a bridge network (e.g. dockerd --bridge=none, as ../shared/tools/docker-sandbox.sh
# starts it) gets NETWORK=host: the same file with every service on the host's network, each on its own port
# (SERVER_PORT, PGPORT) and the replicas reaching PostgreSQL at 127.0.0.1; `ports` are dropped from a copy of
# `docker compose config`'s output (PyYAML). auto tries bridge first.
# Where a base image is missing and cannot be pulled, it builds local stand-ins from local/bookworm:minbase (the
# image docker-sandbox.sh imports), as docker/smoke.sh does. Without a Docker engine it prints SKIPPED and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT_1=${PORT_1:-18481}
PORT_2=${PORT_2:-18482}
PG_PORT=${PG_PORT:-18483}
NETWORK=${NETWORK:-auto}
WAIT_S=${WAIT_S:-900}
BUILD_IMAGE=${BUILD_IMAGE:-eclipse-temurin:17-jdk-jammy}
JRE_IMAGE=${JRE_IMAGE:-eclipse-temurin:17-jre-jammy}
POSTGRES_BASE_IMAGE=${POSTGRES_BASE_IMAGE:-debian:bookworm-slim}
KEY=${FITSERVE_ADMIN_KEY:-compose-smoke-key-$RANDOM$RANDOM$RANDOM$RANDOM}
PROJECT=fitserve-compose-smoke
IRIS=src/test/resources/datasets/iris.csv
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0   # the legacy builder: no buildx, no frontend image to pull

skip() { echo "SKIPPED: $*"; exit 0; }
command -v docker >/dev/null || skip "no Docker engine (no docker client on this machine)"
docker info >/dev/null 2>&1 || skip "no Docker engine (docker info failed; start one, e.g. see ../shared/tools/docker-sandbox.sh)"
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then COMPOSE=(docker-compose)
else skip "no docker compose (neither the compose plugin nor docker-compose)"; fi
for tool in curl python3; do command -v $tool >/dev/null || skip "$tool is needed"; done

WORK=$(mktemp -d)
FILES=(-f docker-compose.yml -f "$WORK/override.yml")
dc() { "${COMPOSE[@]}" -p "$PROJECT" "${FILES[@]}" "$@"; }
fail() {
  echo "FAIL: $*"
  dc ps 2>&1 | sed 's/^/  ps: /' || true
  dc logs --no-color --tail 30 2>&1 | sed 's/^/  log: /' || true
  exit 1
}
cleanup() {
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  if [ "${KEEP_IMAGES:-0}" != 1 ]; then
    docker rmi fitserve:compose-smoke fitserve-postgres:compose-smoke >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# base images: present, pullable, or local stand-ins on local/bookworm:minbase (as docker/smoke.sh)
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
if ! docker image inspect "$POSTGRES_BASE_IMAGE" >/dev/null 2>&1 && ! docker pull -q "$POSTGRES_BASE_IMAGE" >/dev/null 2>&1; then
  docker image inspect local/bookworm:minbase >/dev/null 2>&1 \
    || skip "base image $POSTGRES_BASE_IMAGE is not here, cannot be pulled, and there is no local/bookworm:minbase"
  echo "PostgreSQL's base image: local/bookworm:minbase ($POSTGRES_BASE_IMAGE is not here and cannot be pulled)"
  POSTGRES_BASE_IMAGE=local/bookworm:minbase
fi

if [ "$NETWORK" = auto ]; then
  if docker network create --driver bridge "$PROJECT-probe" >/dev/null 2>&1; then
    docker network rm "$PROJECT-probe" >/dev/null; NETWORK=bridge
  else
    NETWORK=host
  fi
fi

# own tags, base images as build args, builds on the host's network
cat >"$WORK/override.yml" <<EOF
services:
  postgres:
    build: {network: host, args: {BASE_IMAGE: "$POSTGRES_BASE_IMAGE"}}
    image: fitserve-postgres:compose-smoke
  fitserve-1:
    build: {network: host, args: {BUILD_IMAGE: "$BUILD_IMAGE", JRE_IMAGE: "$JRE_IMAGE"}}
    image: fitserve:compose-smoke
  fitserve-2:
    build: {network: host, args: {BUILD_IMAGE: "$BUILD_IMAGE", JRE_IMAGE: "$JRE_IMAGE"}}
    image: fitserve:compose-smoke
EOF
export FITSERVE_ADMIN_KEY=$KEY FITSERVE_PORT_1=$PORT_1 FITSERVE_PORT_2=$PORT_2
# the file's defaults, also over a developer's .env (set but empty wins over it; `:-` then takes the default)
export FITSERVE_DB_PASSWORD= FITSERVE_ENCRYPTION_KEY=

if [ "$NETWORK" = host ]; then
  PY=python3
  $PY -c 'import yaml' 2>/dev/null || PY=/usr/bin/python3
  $PY -c 'import yaml' 2>/dev/null || skip "NETWORK=host needs python3 with PyYAML (to drop 'ports' from the file)"
  dc config >"$WORK/config.yml" || fail "docker compose config"
  PG_PORT=$PG_PORT PORT_1=$PORT_1 PORT_2=$PORT_2 $PY - "$WORK/config.yml" >"$WORK/host.yml" <<'PYTHON'
import os, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
for name, s in d["services"].items():
    s.pop("ports", None)
    s.pop("networks", None)
    s["network_mode"] = "host"
    env = s.setdefault("environment", {})
    if name == "postgres":
        env["PGPORT"] = os.environ["PG_PORT"]
    else:
        env["SERVER_PORT"] = os.environ["PORT_1" if name == "fitserve-1" else "PORT_2"]
        env["SPRING_DATASOURCE_URL"] = env["SPRING_DATASOURCE_URL"].replace("//postgres:5432/", "//127.0.0.1:%s/" % os.environ["PG_PORT"])
d.pop("networks", None)
yaml.safe_dump(d, sys.stdout, sort_keys=False)
PYTHON
  FILES=(-f "$WORK/host.yml")
fi

T0=$SECONDS
echo "=== ${COMPOSE[*]} -p $PROJECT build (network $NETWORK)"
dc build >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; fail "build"; }
echo "built in $((SECONDS - T0)) s; $(docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep ':compose-smoke ' | tr '\n' ' ')"

T1=$SECONDS
echo "=== up: postgres, fitserve-1 on $PORT_1, fitserve-2 on $PORT_2"
dc down -v --remove-orphans >/dev/null 2>&1 || true   # leftovers of an interrupted run
dc up -d >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "up"; }
AUTH="Authorization: Bearer $KEY"
B1=http://127.0.0.1:$PORT_1
B2=http://127.0.0.1:$PORT_2
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
DEADLINE=$((SECONDS + WAIT_S))
for SVC in fitserve-1 fitserve-2; do
  B=$B1; [ $SVC = fitserve-1 ] || B=$B2
  ID=$(dc ps -q $SVC)
  [ -n "$ID" ] || fail "no container for $SVC"
  while [ $SECONDS -lt $DEADLINE ]; do
    curl -s "$B/actuator/health" 2>/dev/null | grep -q '"status":"UP"' && break
    # restart: unless-stopped would retry a failed start forever; the first failure is the answer
    [ "$(docker inspect -f '{{.State.Running}} {{.RestartCount}}' "$ID")" = "true 0" ] || fail "$SVC stopped or restarted"
    sleep 0.5
  done
  curl -s "$B/actuator/health" | grep -q '"status":"UP"' || fail "health of $SVC ($B) is not UP after $WAIT_S s"
done
echo "health UP on both replicas $((SECONDS - T1)) s after up"
DB=$(curl -sf -H "$AUTH" "$B1/actuator/health" | python3 -c 'import json, sys; c = json.load(sys.stdin)["components"]["db"]; print(c["status"], c["details"]["database"])') \
  || fail "health details with the admin key"
[ "$DB" = "UP PostgreSQL" ] || fail "replica 1's database is $DB, not PostgreSQL"

DS=$(curl -sf -H "$AUTH" -F file=@"$IRIS" "$B1/api/v1/datasets" | field id) || fail "upload through replica 1"
JOB=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B2/api/v1/training-jobs" \
  -d '{"datasetId":"'"$DS"'","target":"species","algorithm":"logistic_regression","seed":42}' | field id) \
  || fail "submit through replica 2"
ST=
DEADLINE=$((SECONDS + WAIT_S))
while [ $SECONDS -lt $DEADLINE ]; do
  ST=$(curl -sf -H "$AUTH" "$B2/api/v1/training-jobs/$JOB" | field status) || true
  case $ST in succeeded|failed|cancelled) break;; esac; sleep 0.5
done
J=$(curl -sf -H "$AUTH" "$B2/api/v1/training-jobs/$JOB")
[ "$ST" = succeeded ] || fail "job $JOB ended $ST: $J"
WORKER=$(field worker <<<"$J")
[ "$WORKER" = fitserve-2 ] || fail "job $JOB ran on $WORKER, not fitserve-2"
MODEL=$(field modelId <<<"$J")
ROWS='{"explain":true,"rows":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2},
  {"sepal_length":6.7,"sepal_width":3.0,"petal_length":5.2,"petal_width":2.3}]}'
P1=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B1/api/v1/models/$MODEL/predictions" -d "$ROWS") \
  || fail "prediction on replica 1"
P2=$(curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$B2/api/v1/models/$MODEL/predictions" -d "$ROWS") \
  || fail "prediction on replica 2"
[ "$P1" = "$P2" ] || fail "the replicas answer differently: fitserve-1 $P1, fitserve-2 $P2"
grep -q '"label":"setosa"' <<<"$P1" || fail "prediction $P1"
echo "uploaded dataset $DS through fitserve-1; job $JOB submitted to fitserve-2 succeeded (worker $WORKER), model $MODEL"
echo "identical predictions on both replicas: $(python3 -c 'import json, sys; print([r["label"] for r in json.loads(sys.argv[1])["predictions"]])' "$P1" 2>/dev/null || echo "$P1")"
dc ps
dc down -v --remove-orphans >/dev/null 2>&1 || fail "down -v"
LEFT=$(docker volume ls -q --filter "name=$PROJECT")
[ -z "$LEFT" ] || fail "volumes left after down -v: $LEFT"
echo "COMPOSE SMOKE OK in $((SECONDS - T0)) s (stack up to torn down in $((SECONDS - T1)) s; network $NETWORK)"
