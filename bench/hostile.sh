#!/usr/bin/env bash
# Tries hostile and careless requests against a running fitserve and prints one line per case:
# the HTTP status, the problem type, and whether the service still answered its health check after.
# Usage: bench/hostile.sh [BASE_URL] [ADMIN_KEY_FILE]   (defaults: http://localhost:8080, ./data/admin.key)
# Needs curl, python3 and gzip. Creates a few datasets, jobs and keys; run it against a scratch data dir.
set -u
BASE=${1:-http://localhost:8080}
KEY=$(cat "${2:-./data/admin.key}")
AUTH="Authorization: Bearer $KEY"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
field() { python3 -c 'import json,sys
try: print(json.load(sys.stdin).get(sys.argv[1], ""))
except Exception: print("")' "$1"; }

# case NAME CURL-ARGS...: prints status, problem type, leak check and health
case_() {
  local name=$1; shift
  local code
  code=$(curl -s -o "$TMP/body" -w '%{http_code}' --max-time 60 "$@")
  local type; type=$(field type < "$TMP/body" | sed 's/urn:fitserve:problem://')
  local leak=""
  grep -qE 'Exception|java\.|at io\.|/tmp/|/work/' "$TMP/body" && leak=" LEAK"
  local health; health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/actuator/health")
  printf '| %s | %s | %s | %s%s |\n' "$name" "$code" "${type:--}" "$health" "$leak"
}

printf 'x,color,label\n1,red,a\n2,blue,a\n3,red,b\n4,blue,b\n5,red,b\n6,blue,a\n7,red,a\n8,blue,b\n' > "$TMP/ok.csv"
DS=$(curl -s -H "$AUTH" -F file=@"$TMP/ok.csv" "$BASE/api/v1/datasets" | field id)

echo "| case | status | problem type | health after |"
echo "| --- | --- | --- | --- |"
case_ "no key" "$BASE/api/v1/datasets"
case_ "unknown key" -H "Authorization: Bearer fsk_nope" "$BASE/api/v1/datasets"
case_ "basic auth instead of a key" -u admin:admin "$BASE/api/v1/datasets"
PRED=$(curl -s -H "$AUTH" -H 'Content-Type: application/json' "$BASE/api/v1/api-keys" -d '{"name":"probe","role":"predictor"}' | field secret)
case_ "predictor deletes a dataset" -X DELETE -H "Authorization: Bearer $PRED" "$BASE/api/v1/datasets/$DS"
case_ "predictor creates a key" -H "Authorization: Bearer $PRED" -H 'Content-Type: application/json' "$BASE/api/v1/api-keys" -d '{"name":"x","role":"admin"}'

head -c 4096 /dev/urandom > "$TMP/garbage.bin"
case_ "binary garbage as CSV" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/garbage.bin" "$BASE/api/v1/datasets?name=g"
gzip -c "$TMP/ok.csv" > "$TMP/ok.csv.gz"
case_ "gzip body as text/csv" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/ok.csv.gz" "$BASE/api/v1/datasets?name=gz"
printf 'a,b\n1,\xff\xfe\n' > "$TMP/badutf8.csv"
case_ "invalid UTF-8" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/badutf8.csv" "$BASE/api/v1/datasets?name=u"
printf 'a,b\n1,x\x00y\n' > "$TMP/nul.csv"
case_ "NUL byte" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/nul.csv" "$BASE/api/v1/datasets?name=n"
printf 'a,a\n1,2\n' > "$TMP/dup.csv"
case_ "duplicate column names" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/dup.csv" "$BASE/api/v1/datasets?name=d"
printf 'a,\n1,2\n' > "$TMP/empty.csv"
case_ "empty column name" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/empty.csv" "$BASE/api/v1/datasets?name=e"
printf 'a,b\n1,"open\n' > "$TMP/quote.csv"
case_ "unterminated quote at EOF" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/quote.csv" "$BASE/api/v1/datasets?name=q"
case_ "dataset name of 300 characters" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$TMP/ok.csv" "$BASE/api/v1/datasets?name=$(printf 'n%.0s' $(seq 300))"
case_ "multipart file name ../../etc/passwd" -H "$AUTH" -F "file=@$TMP/ok.csv;filename=../../etc/passwd" "$BASE/api/v1/datasets"
case_ "paging beyond the end" -H "$AUTH" "$BASE/api/v1/datasets?page=2147483647"
case_ "non-UUID id in a path" -H "$AUTH" "$BASE/api/v1/models/not-a-uuid"
case_ "encoded traversal in a path" -H "$AUTH" "$BASE/api/v1/datasets/..%2E%2E"
J='-H Content-Type:application/json'
case_ "typo testFracton" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"logistic_regression","testFracton":0.3}'
case_ "seed 1.5" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"logistic_regression","seed":1.5}'
case_ "features [null]" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"logistic_regression","features":[null]}'
case_ "target among the features" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"logistic_regression","features":["x","label"]}'
case_ "hiddenLayers [100000, 100000]" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"mlp","hyperparameters":{"hiddenLayers":[100000,100000]}}'
case_ "hiddenLayers [4096 x 10] (allowed per layer)" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"'$DS'","target":"label","algorithm":"mlp","hyperparameters":{"hiddenLayers":[4096,4096,4096,4096,4096,4096,4096,4096,4096,4096]}}'
case_ "datasetId ../../etc" -H "$AUTH" $J "$BASE/api/v1/training-jobs" -d '{"datasetId":"../../etc","target":"label","algorithm":"mlp"}'
python3 -c 'print("{" * 5000 + "}" * 5000)' > "$TMP/deep.json"
case_ "JSON nested 5000 deep" -H "$AUTH" $J --data-binary @"$TMP/deep.json" "$BASE/api/v1/training-jobs"
python3 -c 'print("{\"rows\": [{\"x\": \"" + "a" * 2000000 + "\"}]}")' > "$TMP/long.json"
case_ "a 2 MB JSON string" -H "$AUTH" $J --data-binary @"$TMP/long.json" "$BASE/api/v1/models/00000000-0000-0000-0000-000000000000/predictions"
case_ "a 1 GiB prediction body (declared)" -H "$AUTH" $J -H 'Content-Length: 1073741824' --data-binary @"$TMP/deep.json" "$BASE/api/v1/models/00000000-0000-0000-0000-000000000000/predictions"
python3 -c '
import sys
sys.stdout.write("{\"rows\": [")
sys.stdout.write(",".join(["{\"x\": 1.0}"] * 4000000))
sys.stdout.write("]}")' > "$TMP/big.json"
case_ "a 44 MB prediction body, chunked" -H "$AUTH" $J -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.json" "$BASE/api/v1/models/00000000-0000-0000-0000-000000000000/predictions"
