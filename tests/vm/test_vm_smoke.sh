#!/usr/bin/env bash
# The guest the setup VM test relies on: our binary runs (libcurl, loaded on
# first use, included), device-mapper, FUSE and the data disk exist, a server
# on the host loopback answers, and host-shared mounts the 9p share as
# upstream does (read-only, nosuid, nodev, noexec).
. "$(dirname "$0")/lib.sh"

port=$(free_port)
mkdir -p "$TMP/ctl" "$TMP/shared"
echo from-the-host >"$TMP/shared/probe"
python3 - "$port" "$TMP/requests.log" <<'PY' &
import http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(log, "a").write(self.path + " " + body.decode() + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"null")
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
CLEANUP_HOOKS+=("kill $!")
truncate -s 32M "$TMP/disk.img"
cat >"$TMP/ctl/scenario.sh" <<SCENARIO
set -e
grep -q device-mapper /proc/misc
test -c /dev/fuse
test -b /dev/vda
dstack-util rand -n 4 -x >/testctl/rand.out
dstack-util notify-host -u http://10.0.2.2:$port/api -e boot.progress -d vm-smoke
dstack-util host-shared mount --mount-point /run/hs
cp /run/hs/probe /testctl/probe.out
grep ' /run/hs ' /proc/mounts >/testctl/mount.out
dstack-util host-shared unmount --mount-point /run/hs
! grep -q ' /run/hs ' /proc/mounts
SCENARIO
vm_boot "$TMP/ctl" "$TMP/disk.img" "$TMP/shared" || fail "guest scenario failed: $(cat "$TMP/ctl/guest.log")"
assert_eq "$(wc -c <"$TMP/ctl/rand.out")" "8" "dstack-util output inside the guest"
assert_eq "$(cat "$TMP/requests.log")" '/api/Notify?json {"event":"boot.progress","payload":"vm-smoke"}' \
	"notification from the guest"
assert_eq "$(cat "$TMP/ctl/probe.out")" "from-the-host" "file read through host-shared mount"
for opt in ro nosuid nodev noexec; do
	grep -qE "[ ,]$opt[ ,]" "$TMP/ctl/mount.out" || fail "host-shared mounted without $opt: $(cat "$TMP/ctl/mount.out")"
done
pass "VM boots with device-mapper, FUSE, the data disk, libcurl, host networking and host-shared"
