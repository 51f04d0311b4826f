#!/usr/bin/python3
"""A mock dstack KMS for tests: prpc JSON over RA-TLS, written independently
of the project's C code so that a mistake shared by both cannot pass.

Serves POST /prpc/GetTempCaCert?json (no client certificate needed) and
POST /prpc/GetAppKey?json (client certificate from the temp CA required; its
attestation must bind the certificate key, and RTMR3 replayed from its
runtime events must equal the quote's) and POST /prpc/SignCert?json (the
same client check; the SCALE CertSigningRequestV2 is decoded here, its
confirm word, its ECDSA P-256/SHA-256 signature by the CSR key and its
attestation's binding of that key are checked, and a leaf is signed with an
app CA derived per app id and certified by the KMS root; the answer is
[leaf, app CA, root]). The leaf carries the app id and usage app:custom and,
with ext_quote, the CSR's attestation as given (upstream strips it first);
ext_app_info is not implemented (a request for it is refused). Keys are derived from a root secret
kept in --state-dir, so a restarted mock gives the same keys. Every request is
appended as one JSON line (with its body) to STATE/requests.log.
"""
import argparse
import datetime
import hashlib
import hmac
import http.server
import json
import os
import ssl
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

OID_QUOTE = x509.ObjectIdentifier("1.3.6.1.4.1.62397.1.1")
OID_APP_ID = x509.ObjectIdentifier("1.3.6.1.4.1.62397.1.3")
OID_USAGE = x509.ObjectIdentifier("1.3.6.1.4.1.62397.1.4")
OID_ATTESTATION = x509.ObjectIdentifier("1.3.6.1.4.1.62397.1.8")
RUNTIME_EVENT_TYPE = 0x08000001
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def der_octet_string(payload):
    n = len(payload)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return b"\x04" + head + payload


def der_octet_string_content(der):
    if not der or der[0] != 0x04:
        raise ValueError("extension value is not an OCTET STRING")
    n, pos = der[1], 2
    if n & 0x80:
        k = n & 0x7F
        n, pos = int.from_bytes(der[2:2 + k], "big"), 2 + k
    if pos + n != len(der):
        raise ValueError("bad OCTET STRING length")
    return der[pos:]


class Scale:
    """Just enough SCALE to read a V0 dstack-tdx attestation container."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("attestation truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]

    def rest(self):
        out = self.data[self.pos:]
        self.pos = len(self.data)
        return out

    def boolean(self):
        b = self.u8()
        if b > 1:
            raise ValueError("bad bool")
        return b == 1

    def option(self, read):
        return read() if self.boolean() else None

    def string(self):
        return self.bytes_().decode()

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def compact(self):
        b = self.u8()
        mode = b & 3
        if mode == 0:
            return b >> 2
        if mode == 1:
            return (b | self.u8() << 8) >> 2
        if mode == 2:
            return int.from_bytes(bytes([b]) + self.take(3), "little") >> 2
        return int.from_bytes(self.take((b >> 2) + 4), "little")

    def bytes_(self):
        return self.take(self.compact())


def parse_container(data):
    s = Scale(data)
    if s.u8() != 0 or s.u8() != 0:
        raise ValueError("not a V0 dstack-tdx attestation")
    quote = s.bytes_()
    for _ in range(s.compact()):
        s.u32(), s.u32(), s.bytes_(), s.bytes_(), s.bytes_()
    runtime = [(s.bytes_().decode(), s.bytes_()) for _ in range(s.compact())]
    report_data = s.take(64)
    return quote, runtime, report_data


def v1_digest(name, payload):
    return hashlib.sha384(struct.pack("<I", RUNTIME_EVENT_TYPE) + b":" + name.encode() + b":" + payload).digest()


def spki_der(public_key):
    return public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def check_attestation(cert):
    """Returns (app_id, instance_id, compose_hash) or raises ValueError."""
    try:
        ext = cert.extensions.get_extension_for_oid(OID_ATTESTATION).value.value
    except x509.ExtensionNotFound:
        raise ValueError("No attestation provided")
    return check_binding(spki_der(cert.public_key()), der_octet_string_content(ext))


def check_binding(spki, container):
    """The attestation binds spki (ratls-cert) and its RTMR3 replays."""
    expected = hashlib.sha512(b"ratls-cert:" + spki).digest()
    quote, runtime, report_data = parse_container(container)
    if len(quote) < 632 or quote[568:632] != expected or report_data != expected:
        raise ValueError("report data does not bind the certificate key")
    rtmr3 = bytes(48)
    for name, payload in runtime:
        rtmr3 = hashlib.sha384(rtmr3 + v1_digest(name, payload)).digest()
    if rtmr3 != quote[520:568]:
        raise ValueError("RTMR3 mismatch")
    events = {}
    for name, payload in runtime:
        events.setdefault(name, payload)
    return events.get("app-id", b""), events.get("instance-id", b""), events.get("compose-hash", b"")


def parse_csr_v2(data):
    """CertSigningRequestV2: confirm, pubkey, config, attestation (the rest)."""
    s = Scale(data)
    csr = {"confirm": s.string(), "pubkey": s.bytes_()}
    csr["org_name"] = s.option(s.string)
    csr["subject"] = s.string()
    csr["sans"] = [s.string() for _ in range(s.compact())]
    for flag in ("server_auth", "client_auth", "ext_quote", "ext_app_info"):
        csr[flag] = s.boolean()
    csr["not_before"] = s.option(s.u64)
    csr["not_after"] = s.option(s.u64)
    csr["attestation"] = s.rest()
    return csr


def san_entry(name):
    import ipaddress
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def pem_cert(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def load_or_make_key(path):
    if os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), None)
    key = ec.generate_private_key(ec.SECP256R1())
    with open(path, "w") as f:
        f.write(pem_key(key))
    return key


def make_cert(subject_cn, key, issuer_cert, issuer_key, ca, extensions=(), sans=()):
    now = datetime.datetime.utcnow()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    b = (x509.CertificateBuilder().subject_name(name)
         .issuer_name(issuer_cert.subject if issuer_cert else name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=365))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    for oid, payload in extensions:
        b = b.add_extension(x509.UnrecognizedExtension(oid, der_octet_string(payload)), critical=False)
    return b.sign(issuer_key or key, hashes.SHA256())


class Kms:
    def __init__(self, args):
        import ipaddress
        self.args = args
        state = args.state_dir
        os.makedirs(state, exist_ok=True)
        self.root_key = load_or_make_key(os.path.join(state, "root.key"))
        self.root_cert = make_cert("Dstack KMS CA", self.root_key, None, None, True)
        # The root certificate is remade on each start; its key (and so the
        # SubjectPublicKeyInfo that setup pins) stays the same.
        self.temp_key = load_or_make_key(os.path.join(state, "temp-ca.key"))
        self.temp_cert = make_cert("Dstack Client Temp CA", self.temp_key, None, None, True)
        self.secret = hashlib.sha256(pem_key(self.root_key).encode()).digest()
        usage = [] if args.usage == "" else [(OID_USAGE, args.usage.encode())]
        server_key = ec.generate_private_key(ec.SECP256R1())
        sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("10.0.2.2"))]
        server_cert = make_cert("kms.test", server_key, self.root_cert, self.root_key, False, usage, sans)
        for name, data in (("server.pem", pem_cert(server_cert) + pem_cert(self.root_cert)),
                           ("server.key", pem_key(server_key)), ("temp-ca.pem", pem_cert(self.temp_cert)),
                           ("root-ca.pem", pem_cert(self.root_cert))):
            with open(os.path.join(state, name), "w") as f:
                f.write(data)
        spki = self.root_key.public_key().public_bytes(serialization.Encoding.DER,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo)
        with open(os.path.join(state, "root-spki.hex"), "w") as f:
            f.write(spki.hex())

    def derive(self, *parts):
        return hmac.new(self.secret, b"\0".join(parts), hashlib.sha256).digest()

    def log(self, record, body):
        record = dict(record, body=body.decode("utf-8", "replace"))
        with open(os.path.join(self.args.state_dir, "requests.log"), "a") as f:
            f.write(json.dumps(record) + "\n")

    def get_temp_ca_cert(self, cert, body):
        return {"temp_ca_cert": pem_cert(self.temp_cert), "temp_ca_key": pem_key(self.temp_key),
                "ca_cert": pem_cert(self.root_cert)}

    def get_app_key(self, cert, body):
        if cert is None:
            raise ValueError("No attestation provided")
        app_id, instance_id, compose_hash = check_attestation(cert)
        if self.args.deny:
            raise ValueError("App not allowed")
        request = json.loads(body or b"null") or {}
        vm_config = json.loads(request.get("vm_config") or "{}")
        return {
            "ca_cert": pem_cert(self.root_cert),
            "disk_crypt_key": self.derive(app_id, instance_id, b"app-disk-crypt-key").hex(),
            "env_crypt_key": self.derive(app_id, b"env-encrypt-key").hex(),
            "k256_key": self.derive(app_id, b"app-key").hex(),
            "k256_signature": (self.derive(app_id, b"sig-r") + self.derive(app_id, b"sig-s") + b"\x00").hex(),
            "tproxy_app_id": "any",
            "gateway_app_id": "any",
            "os_image_hash": vm_config.get("os_image_hash", ""),
        }


    def app_ca(self, app_id):
        scalar = int.from_bytes(self.derive(app_id, b"app-ca"), "big") % (P256_ORDER - 1) + 1
        key = ec.derive_private_key(scalar, ec.SECP256R1())
        return make_cert("Dstack App CA", key, self.root_cert, self.root_key, True), key

    def sign_cert(self, cert, body):
        from cryptography.exceptions import InvalidSignature
        if cert is None:
            raise ValueError("No attestation provided")
        check_attestation(cert)
        request = json.loads(body or b"null") or {}
        if request.get("api_version") != 2:
            raise ValueError(f"Unsupported API version: {request.get('api_version')}")
        raw = bytes.fromhex(request.get("csr", ""))
        csr = parse_csr_v2(raw)
        pub = serialization.load_der_public_key(csr["pubkey"])
        if not isinstance(pub, ec.EllipticCurvePublicKey) or pub.curve.name != "secp256r1":
            raise ValueError("Failed to verify csr signature: Unsupported algorithm")
        try:
            pub.verify(bytes.fromhex(request.get("signature", "")), raw, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("Failed to verify csr signature: Invalid signature")
        if csr["confirm"] != "please sign cert:":
            raise ValueError("Failed to verify csr signature: Invalid confirm word")
        app_id, _, _ = check_binding(csr["pubkey"], csr["attestation"])
        if self.args.deny or self.args.deny_sign:
            raise ValueError("App not allowed to sign certificates")
        if csr["ext_app_info"]:
            raise ValueError("mock KMS: ext_app_info is not implemented")
        ca_cert, ca_key = self.app_ca(app_id)
        return {"certificate_chain": [pem_cert(self.leaf(csr, pub, app_id, ca_cert, ca_key)),
                                      pem_cert(ca_cert), pem_cert(self.root_cert)]}

    def leaf(self, csr, pub, app_id, ca_cert, ca_key):
        now = datetime.datetime.utcnow()
        names = [x509.NameAttribute(NameOID.COMMON_NAME, csr["subject"])]
        if csr["org_name"] is not None:
            names.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, csr["org_name"]))
        stamp = lambda t, default: datetime.datetime.utcfromtimestamp(t) if t is not None else default
        b = (x509.CertificateBuilder().subject_name(x509.Name(names)).issuer_name(ca_cert.subject)
             .public_key(pub).serial_number(x509.random_serial_number())
             .not_valid_before(stamp(csr["not_before"], now - datetime.timedelta(days=1)))
             .not_valid_after(stamp(csr["not_after"], now + datetime.timedelta(days=365)))
             .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                            critical=True))
        if csr["sans"]:
            b = b.add_extension(x509.SubjectAlternativeName([san_entry(n) for n in csr["sans"]]),
                                critical=False)
        usages = [oid for flag, oid in (("server_auth", x509.ExtendedKeyUsageOID.SERVER_AUTH),
                                        ("client_auth", x509.ExtendedKeyUsageOID.CLIENT_AUTH)) if csr[flag]]
        if usages:
            b = b.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        exts = [(OID_APP_ID, app_id), (OID_USAGE, b"app:custom")]
        if csr["ext_quote"]:
            exts.append((OID_ATTESTATION, csr["attestation"]))
        for oid, payload in exts:
            b = b.add_extension(x509.UnrecognizedExtension(oid, der_octet_string(payload)), critical=False)
        return b.sign(ca_key, hashes.SHA256())


def make_handler(kms):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, obj):
            data = json.dumps(obj, indent=2 if status != 200 else None).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            der = self.connection.getpeercert(binary_form=True)
            cert = x509.load_der_x509_certificate(der) if der else None
            method = self.path.split("?")[0].rsplit("/", 1)[-1]
            record = {"path": self.path, "method": method, "client_cert": cert is not None}
            handlers = {"GetTempCaCert": kms.get_temp_ca_cert, "GetAppKey": kms.get_app_key,
                        "SignCert": kms.sign_cert}
            try:
                if kms.args.fail:
                    raise ValueError("mock KMS configured to fail")
                if method not in handlers:
                    record["status"] = 404
                    kms.log(record, body)
                    return self.reply(404, {"error": "no such method"})
                result = handlers[method](cert, body)
            except (ValueError, UnicodeDecodeError) as e:
                record.update(status=400, error=str(e))
                kms.log(record, body)
                return self.reply(400, {"error": str(e)})
            record["status"] = 200
            kms.log(record, body)
            self.reply(200, result)

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--state-dir", required=True)
    p.add_argument("--usage", default="kms:rpc", help="special-usage extension; '' omits it")
    p.add_argument("--fail", action="store_true", help="answer every call with an error")
    p.add_argument("--deny", action="store_true", help="refuse GetAppKey and SignCert after checking the attestation")
    p.add_argument("--deny-sign", action="store_true", help="refuse SignCert after checking the request")
    args = p.parse_args()
    kms = Kms(args)
    server = http.server.ThreadingHTTPServer((args.bind, args.port), make_handler(kms))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(args.state_dir, "server.pem"), os.path.join(args.state_dir, "server.key"))
    ctx.load_verify_locations(os.path.join(args.state_dir, "temp-ca.pem"))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(os.path.join(args.state_dir, "ready"), "w") as f:
        f.write(str(args.port))
    print(f"mock KMS listening on {args.bind}:{args.port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
