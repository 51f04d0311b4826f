#!/usr/bin/env python3
"""Replays a GetQuote answer's event log independently of the project's code
(spec guest-agent-api.md 4.2-4.3): runtime events (stripped of their digest)
get the V1 digest recomputed, boot events use theirs; each RTMR folds with
SHA-384. Prints the four registers as hex, one per line, then the quote's
RTMR0-3 (offsets 376..568) and its report data (568..632).
Usage: replay_quote_log.py GETQUOTE_JSON"""
import hashlib
import json
import sys

RUNTIME = 0x08000001
answer = json.load(open(sys.argv[1]))
events = json.loads(answer["event_log"])
mrs = [bytes(48)] * 4
for ev in events:
    if ev["event_type"] == RUNTIME:
        assert ev["digest"] == "", "runtime digests are stripped"
        pre = RUNTIME.to_bytes(4, "little") + b":" + ev["event"].encode() + b":" + bytes.fromhex(ev["event_payload"])
        digest = hashlib.sha384(pre).digest()
    else:
        digest = bytes.fromhex(ev["digest"])
    mrs[ev["imr"]] = hashlib.sha384(mrs[ev["imr"]] + digest).digest()
quote = bytes.fromhex(answer["quote"])
for mr in mrs:
    print(mr.hex())
for i in range(4):
    print(quote[376 + 48 * i:424 + 48 * i].hex())
print(quote[568:632].hex())
