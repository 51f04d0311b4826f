"""Independent checks of V1 (MessagePack) attestation containers, with the
Debian python3-msgpack decoder (never the project's C code).

  v1_check.py full FILE          full container: structure, V2 digests and
                                 preimages, runtime replay = quote RTMR3
  v1_check.py stripped FILE      stripped container (5.3)
  v1_check.py json FILE JSON     attest-json output = the JSON form of FILE
  v1_check.py cert DER TAG SPKI  the OID .1.8 extension of a certificate is
                                 a stripped V1 container bound to the key
  v1_check.py make-stripped OUT  writes a small stripped V1 container
"""
import base64, hashlib, json, sys
import msgpack

RUNTIME = 0x08000001


def load(path):
    data = open(path, "rb").read()
    assert data[0] == 0x83, "not a V1 container: first byte %#x" % data[0]
    return msgpack.unpackb(data, raw=False, strict_map_key=True)


def canonical_v2(ev):
    return json.dumps({"name": ev["event"], "payload": ev["payload"].hex(), "type": RUNTIME},
                      separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def digest(ev):
    if ev.get("version", 1) == 2:
        return hashlib.sha384(canonical_v2(ev)).digest()
    pre = RUNTIME.to_bytes(4, "little") + b":" + ev["event"].encode() + b":" + ev["payload"]
    return hashlib.sha384(pre).digest()


def check_shape(att):
    assert list(att) == ["version", "platform", "stack"] and att["version"] == 1
    p, s = att["platform"], att["stack"]
    assert list(p) == ["kind", "data"] and p["kind"] == "tdx"
    assert list(p["data"]) == ["quote", "event_log"]
    assert isinstance(p["data"]["quote"], list)
    assert list(s) == ["kind", "data"] and s["kind"] == "dstack"
    assert list(s["data"]) == ["report_data", "runtime_events", "config"]
    assert isinstance(s["data"]["report_data"], list) and len(s["data"]["report_data"]) == 64
    for ev in p["data"]["event_log"]:
        keys = ["imr", "event_type", "digest", "event", "event_payload"]
        if ev.get("version") == 2:
            keys.append("version")
        if "preimage" in ev:
            keys.append("preimage")
        assert list(ev) == keys, list(ev)
        assert isinstance(ev["digest"], bytes) and isinstance(ev["event_payload"], bytes)
    for ev in s["data"]["runtime_events"]:
        assert list(ev) == ["event", "payload"] + (["version"] if "version" in ev else [])
        assert isinstance(ev["payload"], bytes) and ev.get("version", 2) == 2
    return p["data"], s["data"]


def rtmr3(runtime):
    mr = bytes(48)
    for ev in runtime:
        mr = hashlib.sha384(mr + digest(ev)).digest()
    return mr


def full(path):
    plat, stack = check_shape(load(path))
    quote = bytes(plat["quote"])
    runtime = stack["runtime_events"]
    assert any(ev.get("version") == 2 for ev in runtime), "no V2 runtime event"
    assert rtmr3(runtime) == quote[376 + 48 * 3:424 + 48 * 3], "RTMR3 replay"
    assert bytes(stack["report_data"]) == quote[568:632], "report data"
    rt_log = [e for e in plat["event_log"] if e["event_type"] == RUNTIME]
    assert len(rt_log) == len(runtime)
    for e, r in zip(rt_log, runtime):
        assert e["event"] == r["event"] and e["event_payload"] == r["payload"]
        assert e.get("version", 1) == r.get("version", 1)
        assert e["digest"] == digest(r)
        if r.get("version") == 2:
            pre = bytes.fromhex(e["preimage"])
            assert pre == canonical_v2(r) and hashlib.sha384(pre).digest() == e["digest"]
        else:
            assert "preimage" not in e


def stripped(path):
    plat, stack = check_shape(load(path))
    log = plat["event_log"]
    acpi = [e for e in log if e["imr"] == 0]
    assert len(acpi) == 3 and all(e["event_payload"] == b"ACPI DATA" for e in acpi)
    assert all(e["imr"] in (0, 3) for e in log)
    for e in log:
        if e["imr"] == 3:
            assert e["digest"] == b"" and e["event_type"] == RUNTIME
    assert len(log) == 3 + len(stack["runtime_events"])


def as_json(att):
    p, s = att["platform"]["data"], att["stack"]["data"]
    events = []
    for e in p["event_log"]:
        o = dict(e)
        o["digest"], o["event_payload"] = e["digest"].hex(), e["event_payload"].hex()
        events.append(o)
    runtime = []
    for e in s["runtime_events"]:
        o = dict(e)
        o["payload"] = base64.b64encode(e["payload"]).decode()
        runtime.append(o)
    return {"version": 1,
            "platform": {"kind": "tdx", "data": {"quote": p["quote"], "event_log": events}},
            "stack": {"kind": "dstack", "data": {"report_data": s["report_data"],
                                                 "runtime_events": runtime,
                                                 "config": s["config"]}}}


def check_json(path, json_path):
    want = json.dumps(as_json(load(path)), indent=2, ensure_ascii=False)
    got = open(json_path, encoding="utf-8").read()
    assert got == want, "attest-json differs from the container's JSON form"


def cert(der_path, tag, spki_path):
    der, spki = open(der_path, "rb").read(), open(spki_path, "rb").read()
    oid = bytes.fromhex("060a2b0601040183e73d0108")
    assert der.count(oid) == 1

    def tlv(b, i):
        t, n, i = b[i], b[i + 1], i + 2
        if n & 0x80:
            k = n & 0x7f
            n, i = int.from_bytes(b[i:i + k], "big"), i + k
        return t, b[i:i + n], i + n
    _, outer, _ = tlv(der, der.index(oid) + len(oid))
    _, att, _ = tlv(outer, 0)
    open(der_path + ".att", "wb").write(att)
    stripped(der_path + ".att")
    quote = bytes(load(der_path + ".att")["platform"]["data"]["quote"])
    assert quote[568:632] == hashlib.sha512(tag.encode() + b":" + spki).digest()


def make_stripped(out):
    runtime = [{"event": "app-id", "payload": b"\x01\x02"},
               {"event": "compose-hash", "payload": b"\x03\x04", "version": 2}]
    log = []
    for r in runtime:
        e = {"imr": 3, "event_type": RUNTIME, "digest": b"", "event": r["event"],
             "event_payload": r["payload"]}
        if r.get("version") == 2:
            e["version"] = 2
            e["preimage"] = canonical_v2(r).hex()
        log.append(e)
    att = {"version": 1,
           "platform": {"kind": "tdx", "data": {"quote": list(range(200)) * 2, "event_log": log}},
           "stack": {"kind": "dstack", "data": {"report_data": [7] * 64,
                                                "runtime_events": runtime,
                                                "config": "{\"x\":\"\u00e9\"}"}}}
    open(out, "wb").write(msgpack.packb(att, use_bin_type=True))


if __name__ == "__main__":
    {"full": full, "stripped": stripped, "json": check_json, "cert": cert,
     "make-stripped": make_stripped}[sys.argv[1]](*sys.argv[2:])
