#!/usr/bin/env python3
"""Checks a simulator quote independently of the project's code: the DCAP v4
layout and every length of its auth data (spec 2.2-2.5), the attestation
key's signature over the first 632 bytes, the QE report binding that key,
the QE report's signature by the PCK certificate, and the PCK chain up to
the published root (with the openssl command line).
Usage: check_quote.py QUOTE ROOT_PEM WORKDIR"""
import hashlib
import os
import struct
import subprocess
import sys

P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def fail(msg):
    sys.exit("check_quote: " + msg)


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            fail(f"ran out of bytes at {self.pos} (+{n})")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u16(self):
        return struct.unpack("<H", self.take(2))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]


def der_int(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return b"\x02" + bytes([len(b)]) + b


def der_sig(raw):
    body = der_int(raw[:32]) + der_int(raw[32:])
    return b"\x30" + bytes([len(body)]) + body


def verify(pub_pem, sig_raw, data, work, name):
    open(f"{work}/{name}.sig", "wb").write(der_sig(sig_raw))
    open(f"{work}/{name}.bin", "wb").write(data)
    r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pub_pem, "-signature",
                        f"{work}/{name}.sig", f"{work}/{name}.bin"], capture_output=True)
    if r.returncode != 0:
        fail(f"{name} signature does not verify: {r.stdout!r} {r.stderr!r}")


def main():
    quote, root_pem, work = open(sys.argv[1], "rb").read(), sys.argv[2], sys.argv[3]
    q = Reader(quote)
    version, key_type, tee_type = struct.unpack("<HHI", q.take(8))
    if (version, key_type, tee_type) != (4, 2, 0x81):
        fail(f"header {version} {key_type} {tee_type:#x}")
    if quote[12:28] != bytes.fromhex("939a7233f79c4ca9940a0db3957f0607"):
        fail("QE vendor id")
    if quote[168:176] != bytes([0, 0, 0, 0x10, 0, 0, 0, 0]):
        fail("td_attributes")
    if quote[184:232] != b"\x11" * 48:
        fail("mr_td")
    q.take(632 - 8)
    auth_len = q.u32()
    auth = Reader(q.take(auth_len))
    if q.pos != len(quote):
        fail("bytes after the auth data")
    sig, att_key = auth.take(64), auth.take(64)
    if auth.u16() != 6:
        fail("outer certification type")
    body = Reader(auth.take(auth.u32()))
    if auth.pos != auth_len:
        fail("auth data length")
    qe_report, qe_sig = body.take(384), body.take(64)
    qe_auth = body.take(body.u16())
    if body.u16() != 5:
        fail("inner certification type")
    chain = body.take(body.u32())
    if body.pos != len(body.data):
        fail("certification data length")
    if qe_report[128:160] != b"\x44" * 32 or qe_report[256:260] != b"\x01\x00\x01\x00":
        fail("QE report identity")
    if qe_report[320:352] != hashlib.sha256(att_key + qe_auth).digest():
        fail("QE report does not bind the attestation key")

    att_pem = f"{work}/att.pem"
    subprocess.run(["openssl", "pkey", "-pubin", "-inform", "DER", "-out", att_pem],
                   input=P256_SPKI_PREFIX + b"\x04" + att_key, check=True)
    verify(att_pem, sig, quote[:632], work, "quote")

    pems = [p + b"-----END CERTIFICATE-----\n" for p in chain.split(b"-----END CERTIFICATE-----\n") if p.strip()]
    if len(pems) != 3:
        fail(f"{len(pems)} certificates in the chain")
    for name, pem in zip(("pck", "pck_ca", "root"), pems):
        open(f"{work}/{name}.pem", "wb").write(pem)
    if open(root_pem, "rb").read() != pems[2]:
        fail("the chain's root is not the published root")
    r = subprocess.run(["openssl", "verify", "-CAfile", root_pem, "-untrusted", f"{work}/pck_ca.pem",
                        f"{work}/pck.pem"], capture_output=True, text=True)
    if r.returncode != 0:
        fail("PCK chain: " + r.stdout + r.stderr)
    subprocess.run(["openssl", "x509", "-in", f"{work}/pck.pem", "-pubkey", "-noout", "-out",
                    f"{work}/pck_pub.pem"], check=True)
    verify(f"{work}/pck_pub.pem", qe_sig, qe_report, work, "qe_report")
    print("quote ok")


if __name__ == "__main__":
    main()
