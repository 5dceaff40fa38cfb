#!/usr/bin/env python3
"""kat.py TOOL... - the known answers of kat.txt through build/crypto-tool.

One TAP line per primitive (the command name). AES_GCM=0: the CPU has no
AES instructions, so lines marked "aes" must answer "error" instead.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    tool = sys.argv[1:]
    aes_absent = os.environ.get("AES_GCM") == "0"
    cases = []
    for n, line in enumerate(open(os.path.join(HERE, "kat.txt")), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cmd, want = (x.strip() for x in line.split("=>"))
        if cmd.startswith("aes "):
            cmd = cmd[4:]
            if aes_absent:
                want = "error"
        cases.append((n, cmd, want))
    res = subprocess.run(tool, input="".join(c[1] + "\n" for c in cases), capture_output=True, text=True,
                         timeout=600)
    answers = res.stdout.split("\n")[:-1]
    groups = {}
    for (n, cmd, want), got in zip(cases + [], answers + [None] * (len(cases) - len(answers))):
        groups.setdefault(cmd.split()[0], []).append((n, cmd, want, got))
    failed = 0
    for i, (name, items) in enumerate(sorted(groups.items()), 1):
        bad = [x for x in items if x[3] != x[2]]
        if bad:
            failed += 1
            print("not ok %d - known answers for %s: %d of %d wrong" % (i, name, len(bad), len(items)))
            for n, cmd, want, got in bad:
                print("#   kat.txt:%d: %s\n#     want %s\n#     got  %s" % (n, cmd[:100], want[:80], got))
        else:
            print("ok %d - known answers for %s: %d from the specifications" % (i, name, len(items)))
    print("1..%d" % len(groups))
    return 1 if failed or res.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
