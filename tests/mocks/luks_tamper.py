#!/usr/bin/env python3
"""Tampers with the LUKS2 header of a disk image the way a hostile host
could: edits the JSON metadata of both header copies and recomputes their
checksums, so that only a metadata whitelist (not the checksum) can refuse
the result. Standard library only; independent of the project's code.

Usage: luks_tamper.py IMAGE null-cipher|keyslot-oob|extra-segment
"""
import hashlib
import json
import sys

CSUM = slice(448, 512)


def rewrite(img, off, edit):
    img.seek(off)
    binary = bytearray(img.read(4096))
    hdr_size = int.from_bytes(binary[8:16], "big")
    area = img.read(hdr_size - 4096)
    meta = json.loads(area.split(b"\0", 1)[0])
    edit(meta)
    text = json.dumps(meta, separators=(",", ":")).encode()
    if len(text) >= len(area):
        raise SystemExit("edited metadata does not fit")
    area = text + bytes(len(area) - len(text))
    binary[CSUM] = bytes(64)
    binary[CSUM] = hashlib.sha256(bytes(binary) + area).digest() + bytes(32)
    img.seek(off)
    img.write(bytes(binary) + area)
    return hdr_size


def null_cipher(meta):
    meta["keyslots"]["0"]["area"]["encryption"] = "cipher_null-ecb"
    meta["segments"]["0"]["encryption"] = "cipher_null-ecb"


def keyslot_oob(meta):
    meta["keyslots"]["0"]["area"]["offset"] = "768"


def extra_segment(meta):
    seg = dict(meta["segments"]["0"])
    seg["offset"] = str(int(seg["offset"]) + 4096)
    meta["segments"]["1"] = seg


EDITS = {"null-cipher": null_cipher, "keyslot-oob": keyslot_oob, "extra-segment": extra_segment}


def main():
    path, kind = sys.argv[1], sys.argv[2]
    with open(path, "r+b") as img:
        hdr_size = rewrite(img, 0, EDITS[kind])
        rewrite(img, hdr_size, EDITS[kind])


if __name__ == "__main__":
    main()
