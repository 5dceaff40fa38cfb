#!/usr/bin/env python3
"""wycheproof.py TOOL... - every Wycheproof vector through build/crypto-tool.

TOOL is the command that runs the tool (a path, or a qemu wrapper). Each
vector file in tests/crypto/wycheproof/ (copied from Wycheproof at the commit
named in COMMIT) becomes one TAP line: every vector, valid, invalid and
acceptable, gave the expected answer. Prints TAP; exits 1 if any failed.

Expectations (Wycheproof's "result"):
  valid       the tool's answer is the expected value ("-" for a signature
              that verifies);
  invalid     the tool answers "error" (for MACs: a different tag);
  acceptable  either, except where scratchd chooses: an all-zero X25519
              secret is always refused (RFC 7748 §6.1, RFC 8446 §7.4.2);
              compressed and BER-encoded keys are refused.

AES_GCM=0 in the environment: this CPU has no AES instructions, so every
AES-GCM command must answer "error"; the line says so.
"""
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "wycheproof")


def h(x):
    """A hex argument: '-' for empty."""
    return x if x else "-"


def run_tool(tool, cmds):
    """Run the commands (one per line), return the answers."""
    data = "".join(c + "\n" for c in cmds)
    res = subprocess.run(tool, input=data, capture_output=True, text=True, timeout=600)
    out = res.stdout.split("\n")[:-1]
    if res.returncode != 0 or len(out) != len(cmds):
        raise RuntimeError("tool exited %d after %d of %d answers: %s" %
                           (res.returncode, len(out), len(cmds), res.stderr[-300:]))
    return out


def scalar32(hexstr):
    """Wycheproof's private keys are integers (sometimes 33 bytes with a
    sign byte): as 32 bytes, or None if they do not fit."""
    v = int(hexstr, 16)
    return v.to_bytes(32, "big").hex() if v < 2**256 else None


# Each builder returns [(tcId, result, command, check)], check(answer) -> bool.

def x25519(d):
    out = []
    for g in d["testGroups"]:
        for t in g["tests"]:
            zero = t["shared"] == "00" * 32
            cmd = "x25519 %s %s" % (h(t["private"]), h(t["public"]))
            if zero:
                check = lambda a: a == "error"
            else:
                check = (lambda want: lambda a: a == want)(t["shared"])
            out.append((t["tcId"], t["result"], cmd, check))
    return out


def ecdh(command):
    def build(d):
        out = []
        for g in d["testGroups"]:
            for t in g["tests"]:
                priv = scalar32(t["private"])
                cmd = "%s %s %s" % (command, priv or "00", h(t["public"]))
                if t["result"] == "valid":
                    check = (lambda want: lambda a: a == want)(t["shared"])
                elif t["result"] == "invalid":
                    check = lambda a: a == "error"
                else:  # acceptable: compressed points, lax ASN.1
                    check = (lambda want: lambda a: a in (want, "error"))(t["shared"])
                out.append((t["tcId"], t["result"], cmd, check))
        return out
    return build


def ecdsa(command):
    def build(d):
        out = []
        for g in d["testGroups"]:
            pub = g["publicKey"]["uncompressed"]
            for t in g["tests"]:
                digest = hashlib.sha256(bytes.fromhex(t["msg"])).hexdigest()
                cmd = "%s %s %s %s" % (command, pub, digest, h(t["sig"]))
                want = "-" if t["result"] == "valid" else "error"
                out.append((t["tcId"], t["result"], cmd, (lambda w: lambda a: a == w)(want)))
        return out
    return build


def aead(prefix, aes):
    def build(d):
        out = []
        for g in d["testGroups"]:
            for t in g["tests"]:
                args = "%s %s %s" % (h(t["key"]), h(t["iv"]), h(t["aad"]))
                if aes == "absent":
                    check = lambda a: a == "error"
                    out.append((t["tcId"], t["result"], "%s-open %s %s" % (prefix, args, h(t["ct"] + t["tag"])),
                                check))
                    continue
                if t["result"] == "valid":
                    out.append((t["tcId"], "valid", "%s-seal %s %s" % (prefix, args, h(t["msg"])),
                                (lambda w: lambda a: a == w)(h(t["ct"] + t["tag"]))))
                    want = h(t["msg"])
                else:
                    want = "error"
                out.append((t["tcId"], t["result"], "%s-open %s %s" % (prefix, args, h(t["ct"] + t["tag"])),
                            (lambda w: lambda a: a == w)(want)))
        return out
    return build


def hkdf(d):
    out = []
    for g in d["testGroups"]:
        for t in g["tests"]:
            cmd = "hkdf-sha256 %s %s %s %d" % (h(t["salt"]), h(t["ikm"]), h(t["info"]), t["size"])
            want = h(t["okm"]) if t["result"] == "valid" else "error"
            out.append((t["tcId"], t["result"], cmd, (lambda w: lambda a: a == w)(want)))
    return out


def hmac(d):
    out = []
    for g in d["testGroups"]:
        n = g["tagSize"] // 4  # hex digits compared
        for t in g["tests"]:
            cmd = "hmac-sha256 %s %s" % (h(t["key"]), h(t["msg"]))
            if t["result"] == "valid":
                check = (lambda w, k: lambda a: a[:k] == w)(t["tag"], n)
            else:
                check = (lambda w, k: lambda a: a[:k] != w)(t["tag"], n)
            out.append((t["tcId"], t["result"], cmd, check))
    return out


def main():
    tool = sys.argv[1:]
    if not tool:
        print("usage: wycheproof.py TOOL...", file=sys.stderr)
        return 2
    aes = "absent" if os.environ.get("AES_GCM") == "0" else "present"
    files = [
        ("x25519_test.json", x25519),
        ("ecdh_secp256r1_ecpoint_test.json", ecdh("p256-ecdh")),
        ("ecdh_secp256r1_test.json", ecdh("p256-ecdh-spki")),
        ("ecdsa_secp256r1_sha256_test.json", ecdsa("p256-verify-der")),
        ("ecdsa_secp256r1_sha256_p1363_test.json", ecdsa("p256-verify")),
        ("chacha20_poly1305_test.json", aead("chacha20poly1305", "present")),
        ("aes_gcm_test.json", aead("aesgcm", aes)),
        ("hkdf_sha256_test.json", hkdf),
        ("hmac_sha256_test.json", hmac),
    ]
    failed = 0
    for n, (name, build) in enumerate(files, 1):
        path = os.path.join(VECTORS, name)
        d = json.load(open(path))
        cases = build(d)
        try:
            answers = run_tool(tool, [c[2] for c in cases])
        except Exception as e:  # the tool crashed or hung: that file fails
            print("not ok %d - wycheproof %s: %s" % (n, name, e))
            failed += 1
            continue
        bad = [(c, a) for c, a in zip(cases, answers) if not c[3](a)]
        counts = {}
        for c in cases:
            counts[c[1]] = counts.get(c[1], 0) + 1
        summary = ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))
        tcids = len({c[0] for c in cases})
        note = " (no AES instructions here: every command refused)" if name.startswith("aes") and aes == "absent" else ""
        if bad:
            failed += 1
            print("not ok %d - wycheproof %s: %d of %d checks wrong%s" % (n, name, len(bad), len(cases), note))
            for c, a in bad[:10]:
                print("#   tcId %d (%s): %s -> %s" % (c[0], c[1], c[2][:120], a[:80]))
        else:
            print("ok %d - wycheproof %s: all %d vectors (%d checks: %s) as expected%s" %
                  (n, name, tcids, len(cases), summary, note))
    print("1..%d" % len(files))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
