#!/usr/bin/env bash
# remove-orphans through the Docker Engine API, against the mock daemon in
# tests/mocks/docker_api.py: upstream's daemon scenario, API errors, and
# compose files that must be refused before any call.
. "$(dirname "$0")/lib.sh"

PROJECT="test-orphan-$$"
SOCK="$TMP/docker.sock"
CALLS="$TMP/calls.log"
MOCK_PID=
export DOCKER_HOST="unix://$SOCK"
cid() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# entry NAME STATE PROJECT SERVICE: one element of GET /containers/json.
entry() {
	printf '{"Id":"%s","Names":["/%s"],"Image":"alpine:latest","State":"%s","Labels":{"com.docker.compose.project":"%s","com.docker.compose.service":"%s","com.docker.compose.version":"2.29.1"}}' \
		"$(cid "$1")" "$1" "$2" "$3" "$4"
}
start_mock() { # start_mock STATE_JSON
	printf '%s\n' "$1" >"$TMP/state.json"
	rm -f "$CALLS" "$SOCK"
	python3 "$DS_SOURCE_DIR/tests/mocks/docker_api.py" --socket "$SOCK" --state "$TMP/state.json" \
		--log "$CALLS" &
	MOCK_PID=$!
	CLEANUP_HOOKS+=("kill $MOCK_PID")
	for _ in $(seq 100); do [ -S "$SOCK" ] && [ -f "$CALLS" ] && return; sleep 0.05; done
	fail "the mock Docker API did not start"
}
stop_mock() { kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true; }
deletes() { grep '^DELETE ' "$CALLS" || true; }
run() { "$UTIL" remove-orphans "$@"; }

mkdir -p "$TMP/app"
printf 'name: %s\nservices:\n  web:\n    image: alpine:latest\n  db:\n    image: alpine:latest\n' \
	"$PROJECT" >"$TMP/app/docker-compose.yaml"
COMPOSE="$TMP/app/docker-compose.yaml"

# Upstream's step 2: a container made with `docker run` and the compose
# labels of a service the file no longer has, beside the project's live
# services, a stopped orphan, another project and unlabelled containers.
# Hundreds of unrelated containers make the list arrive in many chunks.
filler=$(for i in $(seq 300); do printf ',%s' "$(entry "filler$i" running "other-$i" web)"; done)
start_mock "{\"containers\":[
	$(entry another-old running "$PROJECT" another-old-service),
	$(entry web running "$PROJECT" web),
	$(entry db running "$PROJECT" db),
	$(entry stopped exited "$PROJECT" old-service),
	$(entry foreign running "other-$PROJECT" another-old-service),
	{\"Id\":\"$(cid plain)\",\"State\":\"running\",\"Labels\":{}},
	{\"Id\":\"$(cid nulllabels)\",\"State\":\"running\",\"Labels\":null},
	{\"State\":\"running\",\"Labels\":{\"com.docker.compose.project\":\"$PROJECT\",\"com.docker.compose.service\":\"noid\"}}
	$filler]}"

expect_exit 0 run -f "$COMPOSE" -n
assert_eq "$(cat "$TMP/out")" "would remove orphaned container another-old-service $(cid another-old)
would remove orphaned container old-service $(cid stopped)" "dry-run lines, in the daemon's order"
assert_eq "$(cat "$CALLS")" "GET /containers/json?all=true" "dry run calls"
pass "online dry run: orphans of every state listed with full ids, no DELETE"

expect_exit 0 run -f "$COMPOSE"
assert_eq "$(cat "$TMP/out")" "removing orphaned container another-old-service $(cid another-old)
removing orphaned container old-service $(cid stopped)" "removal lines"
assert_eq "$(deletes)" "DELETE /containers/$(cid another-old)?v=true&force=true&link=false
DELETE /containers/$(cid stopped)?v=true&force=true&link=false" "DELETE calls (force, anonymous volumes)"
: >"$CALLS"
expect_exit 0 run -f "$COMPOSE" -n
assert_eq "$(cat "$TMP/out")" "" "orphans left after removal"
pass "online removal: DELETE with force and v for exactly the orphans; web, db, others stay"
stop_mock

# A failed removal stops the run at once (as upstream): the next orphan is
# not touched, and the daemon's message is shown.
start_mock "{\"containers\":[
	$(entry first running "$PROJECT" gone1), $(entry second running "$PROJECT" gone2)],
	\"delete_errors\":{\"$(cid first)\":[500,\"driver failed removing root filesystem\"]}}"
expect_error "Failed to remove container $(cid first)" run -f "$COMPOSE"
grep -qF "Docker API returned HTTP 500: driver failed removing root filesystem" "$TMP/err" ||
	fail "daemon message missing"
assert_eq "$(deletes)" "DELETE /containers/$(cid first)?v=true&force=true&link=false" \
	"calls after a failed removal"
pass "online: a failed removal aborts with the daemon's error"
stop_mock

# List errors: nothing removed.
start_mock '{"containers":[],"list_status":500}'
expect_error "Failed to list containers" run -f "$COMPOSE"
grep -qF "HTTP 500: list failed on purpose" "$TMP/err" || fail "list error message"
stop_mock
start_mock '{"containers":[],"list_body":"[{\"Id\": "}'
expect_error "invalid JSON" run -f "$COMPOSE"
stop_mock
start_mock '{"containers":[],"list_body":"{\"message\": \"not a list\"}"}'
expect_error "the container list is not a JSON array" run -f "$COMPOSE"
stop_mock
# An orphan whose Id cannot be a container id: decided before anything is
# removed, so the valid orphan listed first stays too.
start_mock "{\"containers\":[$(entry valid running "$PROJECT" gone),
	{\"Id\":\"../../images\",\"State\":\"running\",\"Labels\":{\"com.docker.compose.project\":\"$PROJECT\",\"com.docker.compose.service\":\"gone\"}}]}"
expect_error "has an invalid Id '../../images'" run -f "$COMPOSE"
assert_eq "$(deletes)" "" "calls after an invalid Id"
assert_eq "$(cat "$TMP/out")" "" "output after an invalid Id"
stop_mock
start_mock "{\"containers\":[{\"Id\":\"$(cid x)\",\"Labels\":{\"com.docker.compose.project\":\"$PROJECT\",\"n\":1}}]}"
expect_error "label 'n' is not a string" run -f "$COMPOSE"
stop_mock
pass "online: list errors, malformed lists and bad ids: clear error, nothing removed"

# Compose files that could hide a service: refused before any API call.
start_mock "{\"containers\":[$(entry num running "$PROJECT" 8080)]}"
refused() { # refused MESSAGE YAML
	printf '%s\n' "$2" >"$TMP/app/hazard.yaml"
	expect_error "$1" run -f "$TMP/app/hazard.yaml"
	grep -qF "refusing to remove anything" "$TMP/err" || fail "refusal not stated"
	assert_eq "$(cat "$CALLS")" "" "API calls for a refused compose file"
}
refused "service key '8080' at line 3 is not a YAML string" "name: $PROJECT
services:
  8080: {image: alpine}"
refused "uses 'include'" "name: $PROJECT
include:
  - path: ../other/compose.yaml
services: {web: {}}"
refused "service 'web' uses 'extends'" "name: $PROJECT
x-base: &base {extends: {file: common.yaml, service: base}}
services:
  web: {<<: *base}"
refused "merge key at line 4 does not refer to a mapping" "name: $PROJECT
x-list: &list [web]
services:
  <<: *list"
refused "more than one YAML document" "name: $PROJECT
services: {web: {}}
---
services: {'8080': {}}"
printf 'name: %s\nservices:\n  "8080": {image: alpine}\n' "$PROJECT" >"$TMP/app/quoted.yaml"
expect_exit 0 run -f "$TMP/app/quoted.yaml"
assert_eq "$(cat "$TMP/out")" "" "quoted numeric service"
assert_eq "$(deletes)" "" "DELETE for a quoted numeric service"
pass "online: hazards refused before any call; a quoted numeric service is kept"

# Bad compose input: no call at all.
: >"$CALLS"
expect_error "failed to read docker-compose file" run -f "$TMP/app/missing.yaml"
printf 'services:\n  web: {\n' >"$TMP/app/bad.yaml"
expect_error "failed to parse YAML" run -f "$TMP/app/bad.yaml"
assert_eq "$(cat "$CALLS")" "" "API calls for bad compose input"
stop_mock
pass "online: unreadable and malformed compose files are errors before any call"

# DOCKER_HOST: only unix:// paths; unset means /var/run/docker.sock.
DOCKER_HOST=tcp://127.0.0.1:2375 expect_error "unsupported DOCKER_HOST 'tcp://127.0.0.1:2375'" \
	run -f "$COMPOSE"
DOCKER_HOST=unix://relative.sock expect_error "unsupported DOCKER_HOST" run -f "$COMPOSE"
expect_error "Docker daemon at unix://$SOCK" run -f "$COMPOSE"
if [ ! -e /var/run/docker.sock ]; then
	DOCKER_HOST= expect_error "Docker daemon at unix:///var/run/docker.sock" run -f "$COMPOSE"
fi
pass "online: DOCKER_HOST honoured for unix:// paths, other schemes refused"
