#!/usr/bin/env python3
"""differential.py TOOL... - build/crypto-tool against OpenSSL on random inputs.

OpenSSL is reached through python3-cryptography (Debian's package). Every
primitive gets random keys and messages of the lengths that break
implementations (0, 1, block sizes and one either side, 16 KiB and one
more), plus what must be refused: forged tags, points off the curve,
scalars out of range. One TAP line per primitive.

DIFF_ROUNDS (default 40) scales the number of inputs: each length gets
that many draws in the cheap primitives; the costly ones fewer.
AES_GCM=0: this CPU has no AES instructions; AES-GCM must be refused.
"""
import hashlib
import hmac as pyhmac
import os
import random
import subprocess
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import serialization
from cryptography.exceptions import InvalidSignature

LENGTHS = [0, 1, 2, 15, 16, 17, 31, 32, 33, 55, 56, 57, 63, 64, 65, 127, 128, 129, 255, 256, 1000,
           4095, 4096, 16383, 16384, 16385]
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
rng = random.Random(int.from_bytes(os.urandom(8), "big"))


def rb(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def hx(b):
    return b.hex() if b else "-"


def run_tool(tool, cmds):
    data = "".join(c + "\n" for c in cmds)
    res = subprocess.run(tool, input=data, capture_output=True, text=True, timeout=1200)
    out = res.stdout.split("\n")[:-1]
    if res.returncode != 0 or len(out) != len(cmds):
        raise RuntimeError("tool exited %d after %d of %d answers" % (res.returncode, len(out), len(cmds)))
    return out


def pub_bytes(key):
    return key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)


# Each test returns a list of (label, command, check(answer) -> bool).

def t_sha256(rounds):
    out = []
    for n in LENGTHS:
        for _ in range(rounds):
            m = rb(n)
            out.append(("len %d" % n, "sha256 " + hx(m), (lambda w: lambda a: a == w)(hashlib.sha256(m).hexdigest())))
    return out


def t_hmac(rounds):
    out = []
    for n in LENGTHS:
        for _ in range(rounds):
            k, m = rb(rng.choice([0, 1, 32, 63, 64, 65, 100, 200])), rb(n)
            want = pyhmac.new(k, m, hashlib.sha256).hexdigest()
            out.append(("msg %d key %d" % (n, len(k)), "hmac-sha256 %s %s" % (hx(k), hx(m)),
                        (lambda w: lambda a: a == w)(want)))
    return out


def t_hkdf(rounds):
    out = []
    for _ in range(rounds * 10):
        salt, ikm, info = rb(rng.choice([0, 1, 32, 64, 80])), rb(rng.choice([0, 1, 32, 100])), rb(rng.choice([0, 1, 10, 300]))
        n = rng.choice([1, 31, 32, 33, 64, 100, 255 * 32])
        want = HKDF(hashes.SHA256(), n, salt or None, info).derive(ikm).hex()
        out.append(("okm %d" % n, "hkdf-sha256 %s %s %s %d" % (hx(salt), hx(ikm), hx(info), n),
                    (lambda w: lambda a: a == w)(want)))
    out.append(("okm 8161 refused", "hkdf-sha256 - 00 - 8161", lambda a: a == "error"))
    return out


def t_x25519(rounds):
    out = []
    for _ in range(rounds * 5):
        a = x25519.X25519PrivateKey.generate()
        peer = x25519.X25519PrivateKey.generate().public_key()
        scalar = a.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
        u = peer.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        out.append(("exchange", "x25519 %s %s" % (scalar.hex(), u.hex()),
                    (lambda w: lambda r: r == w)(a.exchange(peer).hex())))
        # any 32 bytes are a u-coordinate (the top bit masked); OpenSSL agrees
        u = bytearray(rb(32))
        u[31] &= 0x7F
        try:
            want = a.exchange(x25519.X25519PublicKey.from_public_bytes(bytes(u))).hex()
        except ValueError:  # an all-zero result: both refuse
            want = "error"
        out.append(("random u", "x25519 %s %s" % (scalar.hex(), u.hex()), (lambda w: lambda r: r == w)(want)))
    out.append(("u = 0 refused", "x25519 %s %s" % ("11" * 32, "00" * 32), lambda r: r == "error"))
    return out


def t_p256(rounds):
    out = []
    for _ in range(rounds * 2):
        d = rng.randrange(1, N)
        key = ec.derive_private_key(d, ec.SECP256R1())
        peer = ec.generate_private_key(ec.SECP256R1())
        db = d.to_bytes(32, "big")
        out.append(("public key", "p256-public " + db.hex(), (lambda w: lambda a: a == w)(pub_bytes(key).hex())))
        shared = key.exchange(ec.ECDH(), peer.public_key()).hex()
        out.append(("ecdh", "p256-ecdh %s %s" % (db.hex(), pub_bytes(peer).hex()),
                    (lambda w: lambda a: a == w)(shared)))
        bad = bytearray(pub_bytes(peer))
        bad[64] ^= 1 << rng.randrange(8)  # y changed: off the curve
        out.append(("point off the curve refused", "p256-ecdh %s %s" % (db.hex(), bad.hex()),
                    lambda a: a == "error"))
        # our signature verifies under OpenSSL; OpenSSL's under ours
        digest = rb(32)
        hedge = rng.choice([b"", rb(32)])
        pub = key.public_key()

        def verified(answer, pub=pub, digest=digest):
            if len(answer) != 128:
                return False
            r, s = int(answer[:64], 16), int(answer[64:], 16)
            try:
                pub.verify(utils.encode_dss_signature(r, s), digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
                return True
            except InvalidSignature:
                return False
        out.append(("sign (hedge %d bytes), verified by OpenSSL" % len(hedge),
                    "p256-sign %s %s %s" % (db.hex(), digest.hex(), hx(hedge)), verified))
        r, s = utils.decode_dss_signature(key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()))))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        out.append(("OpenSSL's signature verifies", "p256-verify %s %s %s" % (pub_bytes(key).hex(), digest.hex(), sig.hex()),
                    lambda a: a == "-"))
        forged = bytearray(sig)
        forged[rng.randrange(64)] ^= 1 << rng.randrange(8)
        out.append(("a changed signature is refused",
                    "p256-verify %s %s %s" % (pub_bytes(key).hex(), digest.hex(), forged.hex()), lambda a: a == "error"))
    for d in (0, N, N + 1, 2**256 - 1):
        out.append(("scalar %x refused" % d, "p256-public %064x" % d, lambda a: a == "error"))
    return out


def t_aead(rounds, name, cls, keylen, absent):
    out = []
    for n in LENGTHS:
        for _ in range(max(1, rounds // 4)):
            key, nonce, ad, m = rb(keylen), rb(12), rb(rng.choice([0, 1, 13, 16, 17, 64, 300])), rb(n)
            args = "%s %s %s" % (key.hex(), nonce.hex(), hx(ad))
            if absent:
                out.append(("len %d refused (no AES here)" % n, "%s-seal %s %s" % (name, args, hx(m)),
                            lambda a: a == "error"))
                continue
            ct = cls(key).encrypt(nonce, m, ad)
            out.append(("seal len %d" % n, "%s-seal %s %s" % (name, args, hx(m)), (lambda w: lambda a: a == w)(ct.hex())))
            out.append(("open len %d" % n, "%s-open %s %s" % (name, args, ct.hex()), (lambda w: lambda a: a == w)(hx(m))))
            forged = bytearray(ct)
            forged[rng.randrange(len(ct))] ^= 1 << rng.randrange(8)
            out.append(("forgery len %d refused" % n, "%s-open %s %s" % (name, args, forged.hex()), lambda a: a == "error"))
            if ad:
                bad_ad = bytearray(ad)
                bad_ad[0] ^= 1
                out.append(("changed AD len %d refused" % n,
                            "%s-open %s %s %s %s" % (name, key.hex(), nonce.hex(), bad_ad.hex(), ct.hex()),
                            lambda a: a == "error"))
    return out


def main():
    tool = sys.argv[1:]
    rounds = int(os.environ.get("DIFF_ROUNDS", "40"))
    aes_absent = os.environ.get("AES_GCM") == "0"
    tests = [
        ("SHA-256", t_sha256(rounds)),
        ("HMAC-SHA256", t_hmac(rounds)),
        ("HKDF-SHA256", t_hkdf(rounds)),
        ("X25519", t_x25519(rounds)),
        ("P-256 public keys, ECDH, ECDSA", t_p256(rounds)),
        ("ChaCha20-Poly1305", t_aead(rounds, "chacha20poly1305", ChaCha20Poly1305, 32, False)),
        ("AES-128-GCM", t_aead(rounds, "aes128gcm", AESGCM, 16, aes_absent)),
    ]
    failed = 0
    for i, (name, cases) in enumerate(tests, 1):
        try:
            answers = run_tool(tool, [c[1] for c in cases])
        except Exception as e:
            print("not ok %d - differential %s: %s" % (i, name, e))
            failed += 1
            continue
        bad = [(c, a) for c, a in zip(cases, answers) if not c[2](a)]
        note = " (no AES instructions here: refused)" if name.startswith("AES") and aes_absent else ""
        if bad:
            failed += 1
            print("not ok %d - differential %s: %d of %d disagree with OpenSSL%s" % (i, name, len(bad), len(cases), note))
            for c, a in bad[:10]:
                print("#   %s: %s -> %s" % (c[0], c[1][:100], a[:80]))
        else:
            print("ok %d - differential %s: %d random inputs agree with OpenSSL%s" % (i, name, len(cases), note))
    print("1..%d" % len(tests))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
