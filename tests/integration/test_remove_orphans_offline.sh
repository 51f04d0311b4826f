#!/usr/bin/env bash
# remove-orphans --no-dockerd on generated Docker data roots: upstream's
# offline scenario, what must never be touched, and bad input.
. "$(dirname "$0")/lib.sh"

if pgrep -x dockerd >/dev/null; then
	echo "skipped: a dockerd runs on this host and offline mode refuses to run beside it"
	exit 0
fi

PROJECT="test-orphan-$$"
ROOT="$TMP/docker"
cid() { printf '%s' "$1" | sha256sum | cut -c1-64; }

# container NAME PROJECT SERVICE: a container directory as dockerd leaves it.
container() {
	local id dir
	id=$(cid "$1")
	dir="$ROOT/containers/$id"
	mkdir -p "$dir/mounts/shm" "$dir/checkpoints"
	printf '{"ID":"%s","Name":"/%s","State":{"Running":false},"Config":{"Image":"alpine:latest","Labels":{"com.docker.compose.project":"%s","com.docker.compose.service":"%s","com.docker.compose.oneoff":"False"}}}\n' \
		"$id" "$1" "$2" "$3" >"$dir/config.v2.json"
	echo '{}' >"$dir/hostconfig.json"
	echo "$1" >"$dir/hostname"
	echo '{"log":"hi\n"}' >"$dir/$id-json.log"
}
exists() { [ -d "$ROOT/containers/$(cid "$1")" ]; }
snapshot() { (cd "$1" && find . -printf '%p %y %s\n' | sort); }
compose() { # compose FILE SERVICE...: a compose file naming the project
	local file=$1
	shift
	{ echo "name: $PROJECT"; echo "services:"; for s in "$@"; do
		printf '  %s:\n    image: alpine:latest\n    command: sleep infinity\n' "$s"; done; } >"$file"
}
run() { "$UTIL" remove-orphans --no-dockerd -d "$ROOT" "$@"; }

# Upstream's setup: web, db and old-service of the project, then a compose
# file without old-service. Around them, what must stay.
mkdir -p "$ROOT/containers" "$TMP/app" "$TMP/outside"
container web "$PROJECT" web
container db "$PROJECT" db
container old "$PROJECT" old-service
container one-off "$PROJECT" migrate             # docker compose run: judged alike
container other "other-$PROJECT" old-service     # another project
container nolabels "$PROJECT" x
printf '{"ID":"x","Config":{"Image":"alpine"}}' >"$ROOT/containers/$(cid nolabels)/config.v2.json"
container confignull "$PROJECT" x
printf '{"Config":null}' >"$ROOT/containers/$(cid confignull)/config.v2.json"
container labelsnull "$PROJECT" x
printf '{"Config":{"Labels":null}}' >"$ROOT/containers/$(cid labelsnull)/config.v2.json"
container noservice "$PROJECT" x
printf '{"Config":{"Labels":{"com.docker.compose.project":"%s"}}}' "$PROJECT" \
	>"$ROOT/containers/$(cid noservice)/config.v2.json"
container malformed "$PROJECT" gone
printf '{"Config":{"Labels":{"com.docker.compose.project":"%s",' "$PROJECT" \
	>"$ROOT/containers/$(cid malformed)/config.v2.json"
container badlabel "$PROJECT" gone
printf '{"Config":{"Labels":{"com.docker.compose.project":"%s","com.docker.compose.service":"gone","n":1}}}' \
	"$PROJECT" >"$ROOT/containers/$(cid badlabel)/config.v2.json"
container noconfig "$PROJECT" gone
rm "$ROOT/containers/$(cid noconfig)/config.v2.json"
container fifo "$PROJECT" gone
rm "$ROOT/containers/$(cid fifo)/config.v2.json"
mkfifo "$ROOT/containers/$(cid fifo)/config.v2.json"
# A directory whose name is no container id, a plain file, and links that
# lead out of the data root to what looks like orphans.
container notanid "$PROJECT" gone
mv "$ROOT/containers/$(cid notanid)" "$ROOT/containers/not-a-container-id"
echo junk >"$ROOT/containers/$(cid plainfile)"
mkdir -p "$TMP/outside/victim"
printf '{"Config":{"Labels":{"com.docker.compose.project":"%s","com.docker.compose.service":"gone"}}}' \
	"$PROJECT" >"$TMP/outside/victim/config.v2.json"
ln -s "$TMP/outside/victim" "$ROOT/containers/$(cid dirlink)"
container cfglink "$PROJECT" gone
rm "$ROOT/containers/$(cid cfglink)/config.v2.json"
ln -s "$TMP/outside/victim/config.v2.json" "$ROOT/containers/$(cid cfglink)/config.v2.json"
# The orphan itself holds a link out of the data root: removal must delete
# the link, not what it points to.
ln -s "$TMP/outside/victim" "$ROOT/containers/$(cid old)/mounts/escape"
compose "$TMP/app/docker-compose.yaml" web db
before=$(snapshot "$ROOT")
outside=$(snapshot "$TMP/outside")

# 1a: dry run.
expect_exit 0 run -f "$TMP/app/docker-compose.yaml" -n
assert_eq "$(sort "$TMP/out")" "would remove orphaned container migrate $(cid one-off | cut -c1-12)
would remove orphaned container old-service $(cid old | cut -c1-12)" "dry-run lines"
assert_eq "$(snapshot "$ROOT")" "$before" "dry run changed the data root"
grep -q "^Warning: Failed to parse $ROOT/containers/$(cid malformed)/config.v2.json: " "$TMP/err" ||
	fail "no warning for malformed config.v2.json"
grep -q "^Warning: Failed to parse $ROOT/containers/$(cid badlabel)/config.v2.json: label 'n' is not a string" \
	"$TMP/err" || fail "no warning for a non-string label"
grep -q "^Warning: Failed to read $ROOT/containers/$(cid fifo)/config.v2.json: not a regular file" \
	"$TMP/err" || fail "no warning for a FIFO config.v2.json"
grep -q "^Warning: Failed to read $ROOT/containers/$(cid cfglink)/config.v2.json: a symbolic link" \
	"$TMP/err" || fail "no warning for a linked config.v2.json"
grep -q "^Warning: skipping $ROOT/containers/$(cid dirlink): a symbolic link" "$TMP/err" ||
	fail "no warning for a linked container directory"
grep -q "^Warning: skipping $ROOT/containers/not-a-container-id: not a container id" "$TMP/err" ||
	fail "no warning for a directory that is no container id"
pass "offline dry run: orphans listed with 12-character ids, nothing changed, skips reported"

# 1b: removal.
expect_exit 0 run -f "$TMP/app/docker-compose.yaml"
assert_eq "$(sort "$TMP/out")" "removing orphaned container migrate $(cid one-off | cut -c1-12)
removing orphaned container old-service $(cid old | cut -c1-12)" "removal lines"
! exists old || fail "old-service container still there"
! exists one-off || fail "one-off container of a removed service still there"
expected=$(printf '%s\n' "$before" | grep -v -e "^./containers/$(cid old)" -e "^./containers/$(cid one-off)")
assert_eq "$(snapshot "$ROOT")" "$expected" "removal touched more than the orphans"
assert_eq "$(snapshot "$TMP/outside")" "$outside" "removal followed a link out of the data root"
pass "offline removal: exactly the orphans' directories are gone, web and db and the rest stay"

expect_exit 0 run -f "$TMP/app/docker-compose.yaml"
assert_eq "$(cat "$TMP/out")" "" "second run"
pass "offline: nothing left to remove"

# Services merged in with `<<` count: upstream would remove this container.
container merged "$PROJECT" cache
cat >"$TMP/app/merged.yaml" <<YAML
name: $PROJECT
x-more: &more
  cache: {image: redis}
services:
  <<: *more
  web: {image: alpine}
  db: {image: alpine}
YAML
expect_exit 0 run -f "$TMP/app/merged.yaml"
assert_eq "$(cat "$TMP/out")" "" "merged service treated as orphan"
exists merged || fail "container of a merged service removed"
pass "offline: services merged with << are kept"

# Project from the directory when the file has no name (upstream's rule:
# the directory name verbatim).
mkdir -p "$TMP/$PROJECT"
printf 'services:\n  web: {}\n' >"$TMP/$PROJECT/docker-compose.yaml"
expect_exit 0 run -f "$TMP/$PROJECT/docker-compose.yaml" -n
assert_eq "$(sort "$TMP/out")" "would remove orphaned container cache $(cid merged | cut -c1-12)
would remove orphaned container db $(cid db | cut -c1-12)" "project from the directory"
pass "offline: project name from the compose file's directory"

# Hazards: refused with nothing removed.
before=$(snapshot "$ROOT")
hazard() { # hazard MESSAGE YAML
	printf '%s\n' "$2" >"$TMP/app/hazard.yaml"
	expect_error "$1" run -f "$TMP/app/hazard.yaml"
	grep -qF "refusing to remove anything" "$TMP/err" || fail "refusal not stated"
	assert_eq "$(cat "$TMP/out")" "" "output for a refused file"
	assert_eq "$(snapshot "$ROOT")" "$before" "a refused file removed something"
}
hazard "service key '123' at line 4 is not a YAML string (quote it)" \
	"name: $PROJECT
services:
  web: {}
  123: {}"
hazard "uses 'include'" "name: $PROJECT
include: [other.yaml]
services: {web: {}}"
hazard "service 'web' uses 'extends'" "name: $PROJECT
services:
  web: {extends: {file: base.yaml, service: web}}"
hazard "merge key at line 4 does not refer to a mapping" "name: $PROJECT
x: &x [a]
services:
  <<: *x
  web: {}"
hazard "more than one YAML document" "name: $PROJECT
services: {web: {}}
---
services: {db: {}}"
hazard "defines no services" "name: $PROJECT
services: {}"
hazard "'name' at line 1 is not a YAML string" "name: 42
services: {web: {}}"
pass "offline: include, extends, unresolvable merges, numeric keys, several documents, no services: refused"

# Quoted numeric names are names.
container numeric "$PROJECT" 123
printf 'name: %s\nservices:\n  "123": {}\n  web: {}\n' "$PROJECT" >"$TMP/app/quoted.yaml"
expect_exit 0 run -f "$TMP/app/quoted.yaml" -n
grep -q " 123 " "$TMP/out" && fail "quoted numeric service treated as orphan"
pass "offline: a quoted numeric service name is kept"

# Bad compose input: clear error, nothing removed.
before=$(snapshot "$ROOT")
expect_error "failed to read docker-compose file" run -f "$TMP/app/missing.yaml"
printf 'services: {web: [}\n' >"$TMP/app/bad.yaml"
expect_error "failed to parse YAML" run -f "$TMP/app/bad.yaml"
printf 'name: x\n' >"$TMP/app/bad.yaml"
expect_error "missing or invalid 'services' field" run -f "$TMP/app/bad.yaml"
: >"$TMP/app/bad.yaml"
expect_error "empty YAML document" run -f "$TMP/app/bad.yaml"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$TMP/app/bad.yaml"
expect_error "larger than the limit" run -f "$TMP/app/bad.yaml"
assert_eq "$(snapshot "$ROOT")" "$before" "bad compose input removed something"
expect_exit 2 "$UTIL" remove-orphans --no-dockerd -d "$ROOT"
grep -q -- "--compose <COMPOSE>" "$TMP/err" || fail "no usage message for a missing --compose"
pass "offline: unreadable, malformed, empty and oversized compose files are errors"

# No containers directory, or no data root at all: success, no output.
expect_exit 0 "$UTIL" remove-orphans --no-dockerd -d "$TMP/empty-root" -f "$TMP/app/docker-compose.yaml"
assert_eq "$(cat "$TMP/out")" "" "absent data root"
mkdir -p "$TMP/empty-root"
expect_exit 0 "$UTIL" remove-orphans --no-dockerd -d "$TMP/empty-root" -f "$TMP/app/docker-compose.yaml"
assert_eq "$(cat "$TMP/out")" "" "absent containers directory"
pass "offline: absent data root or containers directory is a success"

# containers/ itself a link out of the data root: refused.
mkdir -p "$TMP/linkroot"
ln -s "$ROOT/containers" "$TMP/linkroot/containers"
compose "$TMP/app/docker-compose.yaml" web
expect_error "Failed to read containers directory: $TMP/linkroot/containers" \
	"$UTIL" remove-orphans --no-dockerd -d "$TMP/linkroot" -f "$TMP/app/docker-compose.yaml"
grep -q "symbolic links are not followed" "$TMP/err" || fail "no hint about the link"
expect_exit 1 \
	"$UTIL" remove-orphans --no-dockerd -d "$TMP/linkroot" -f "$TMP/app/docker-compose.yaml"
assert_eq "$(snapshot "$ROOT")" "$before" "a linked containers directory was followed"
pass "offline: a linked containers directory is refused"

# A running dockerd: real runs refuse, dry runs still report.
mkdir -p "$TMP/fakebin"
cp "$(command -v sleep)" "$TMP/fakebin/dockerd"
"$TMP/fakebin/dockerd" 60 &
fake=$!
CLEANUP_HOOKS+=("kill $fake")
# Until the forked shell has exec'ed, the process is not yet named dockerd.
for _ in $(seq 100); do [ "$(cat /proc/$fake/comm 2>/dev/null)" = dockerd ] && break; sleep 0.05; done
expect_error "dockerd is running (pid $fake)" run -f "$TMP/app/docker-compose.yaml"
assert_eq "$(snapshot "$ROOT")" "$before" "removal beside a running dockerd"
expect_exit 0 run -f "$TMP/app/docker-compose.yaml" -n
grep -q "^would remove orphaned container db " "$TMP/out" || fail "dry run beside dockerd"
kill "$fake"
wait "$fake" 2>/dev/null || true
pass "offline: refuses to change the data root while dockerd runs"
