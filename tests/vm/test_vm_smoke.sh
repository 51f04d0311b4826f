#!/usr/bin/env bash
# The guest the setup VM test relies on: our binary runs, device-mapper,
# FUSE and the data disk exist, and a server on the host loopback answers.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
mkdir -p "$TMP/www" "$TMP/ctl"
echo pong >"$TMP/www/ping"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$TMP/www" >/dev/null 2>&1 &
CLEANUP_HOOKS+=("kill $!")
truncate -s 32M "$TMP/disk.img"
cat >"$TMP/ctl/scenario.sh" <<SCENARIO
set -e
grep -q device-mapper /proc/misc
test -c /dev/fuse
test -b /dev/vda
dstack-util rand -n 4 -x >/testctl/rand.out
wget -q -O /testctl/ping.out http://10.0.2.2:$port/ping
SCENARIO
vm_boot "$TMP/ctl" "$TMP/disk.img" || fail "guest scenario failed: $(cat "$TMP/ctl/guest.log")"
assert_eq "$(wc -c <"$TMP/ctl/rand.out")" "8" "dstack-util output inside the guest"
assert_eq "$(cat "$TMP/ctl/ping.out")" "pong" "guest reached the host loopback"
pass "VM boots with device-mapper, FUSE, the data disk and host networking"
