"""Checks a GetTlsKey answer's leaf against the agent's Info, independently
of dstack-util: the dstack extensions (spec crypto-and-certs.md 2.2, 2.6) in
upstream's order, 1.4 = "app:custom", 1.9 = rmp_serde's AppInfo array and
1.8 = an attestation holding the report data that binds the key.

usage: check_tls_app_info.py ANSWER.json INFO.json INIT_HASH MODE
MODE: app_info_ra | app_info | ra | plain (which of 1.9 and 1.8 to expect).
Needs Debian's python3-msgpack and python3-cryptography."""
import hashlib
import json
import sys

import msgpack
from cryptography import x509
from cryptography.hazmat.primitives import serialization

ARC = "1.3.6.1.4.1.62397.1."
EXPECTED = {
    "app_info_ra": ["9", "4", "8"],
    "app_info": ["9", "4"],
    "ra": ["4", "8"],
    "plain": ["4"],
}


def unwrap_octet_string(der):
    """The content of one DER OCTET STRING filling der."""
    assert der[0] == 0x04, "payload is not an OCTET STRING"
    n, off = der[1], 2
    if n & 0x80:
        width = n & 0x7F
        n, off = int.from_bytes(der[2:2 + width], "big"), 2 + width
    assert off + n == len(der), "trailing bytes after the OCTET STRING"
    return der[off:]


def custom_extensions(cert):
    out = []
    for ext in cert.extensions:
        oid = ext.oid.dotted_string
        if oid.startswith(ARC):
            assert not ext.critical, oid + " is critical"
            out.append((oid[len(ARC):], unwrap_octet_string(ext.value.value)))
    return out


def check_app_info(raw, info, init_hash):
    fields = msgpack.unpackb(raw, raw=False)
    assert isinstance(fields, list) and len(fields) == 9, fields
    assert all(isinstance(f, bytes) for f in fields[:8]), "byte fields must be bin"
    # minimal headers, bin not str: packing the decoded value gives the same bytes
    assert msgpack.packb(fields, use_bin_type=True) == raw, "not rmp_serde's encoding"
    app_id, compose, instance, device, mr_system, mr_agg, os_image, kp, scripts = fields
    tcb = json.loads(info["tcb_info"])
    assert app_id.hex() == info["app_id"], "app_id"
    assert compose.hex() == info["compose_hash"], "compose_hash"
    assert instance.hex() == info["instance_id"], "instance_id"
    assert device.hex() == info["device_id"], "device_id"
    assert mr_agg.hex() == info["mr_aggregated"], "mr_aggregated"
    assert os_image.hex() == info["os_image_hash"], "os_image_hash"
    assert kp == info["key_provider_info"].encode(), "key_provider_info"
    parts = b"".join(bytes.fromhex(tcb[k]) for k in ("mrtd", "rtmr0", "rtmr1", "rtmr2"))
    assert mr_system == hashlib.sha256(parts + hashlib.sha256(kp).digest()).digest(), "mr_system"
    assert isinstance(scripts, list) and scripts == [bytes.fromhex(init_hash)], scripts


def main():
    answer = json.load(open(sys.argv[1]))
    info = json.load(open(sys.argv[2]))
    init_hash, mode = sys.argv[3], sys.argv[4]
    leaf = x509.load_pem_x509_certificate(answer["certificate_chain"][0].encode())
    key = serialization.load_pem_private_key(answer["key"].encode(), None)
    spki = leaf.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    assert key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo) == spki
    exts = custom_extensions(leaf)
    assert [oid for oid, _ in exts] == EXPECTED[mode], [oid for oid, _ in exts]
    payload = dict(exts)
    assert payload["4"] == b"app:custom", payload["4"]
    if "9" in payload:
        check_app_info(payload["9"], info, init_hash)
    if "8" in payload:
        report_data = hashlib.sha512(b"ratls-cert:" + spki).digest()
        assert payload["8"][0] == 0, "not a V0 container"
        assert report_data in payload["8"], "1.8 does not bind the key"


main()
