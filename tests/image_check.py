#!/usr/bin/env python3
"""image_check.py LAYOUT BINARY [SITE] - check the OCI image layout that
`make image` wrote (tools/mkimage.py), as tests/66-image.bats does:

- oci-layout says 1.0.0; index.json names one manifest "latest";
- every descriptor's blob exists, with that sha256 and that size;
- the config: os linux, the architecture, Entrypoint ["/scratchd"], a Cmd
  that serves /srv on 0.0.0.0:8080, User 65534, ExposedPorts 8080/tcp, and
  diff_ids that are the sha256 of the uncompressed layer;
- the layer: /scratchd, byte for byte BINARY, mode 0755, and nothing else
  but SITE's files under /srv (when given); every entry owned by 0:0, with
  mtime 0 (or SOURCE_DATE_EPOCH), no user or group name, in sorted order;
  the gzip header has mtime 0 and no name.
Prints one line per problem and exits 1, or prints "ok" and exits 0.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

problems = []


def need(cond, what):
    if not cond:
        problems.append(what)
    return cond


def main():
    layout, binary = sys.argv[1], sys.argv[2]
    site = sys.argv[3] if len(sys.argv) > 3 else None
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))

    def read_blob(desc):
        algo, _, hexd = desc["digest"].partition(":")
        path = os.path.join(layout, "blobs", algo, hexd)
        if not need(algo == "sha256" and os.path.isfile(path), f"missing blob {desc['digest']}"):
            return b""
        data = open(path, "rb").read()
        need(hashlib.sha256(data).hexdigest() == hexd, f"blob {hexd}: its sha256 differs")
        need(len(data) == desc["size"], f"blob {hexd}: size {len(data)}, descriptor says {desc['size']}")
        return data

    need(json.load(open(os.path.join(layout, "oci-layout"))) == {"imageLayoutVersion": "1.0.0"}, "oci-layout")
    index = json.load(open(os.path.join(layout, "index.json")))
    need(index.get("schemaVersion") == 2, "index: schemaVersion")
    mans = index.get("manifests", [])
    if not need(len(mans) == 1, "index: not exactly one manifest"):
        return
    need(mans[0].get("annotations", {}).get("org.opencontainers.image.ref.name") == "latest",
         "index: the manifest is not named latest")
    need(mans[0]["mediaType"] == "application/vnd.oci.image.manifest.v1+json", "index: media type")
    manifest = json.loads(read_blob(mans[0]))
    need(manifest["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json", "config media type")
    config = json.loads(read_blob(manifest["config"]))
    c = config["config"]
    need(config["os"] == "linux", "os")
    need(config["architecture"] in ("amd64", "arm64", "riscv64"), "architecture")
    need(mans[0].get("platform", {}).get("architecture") == config["architecture"], "platform")
    need(c.get("Entrypoint") == ["/scratchd"], f"Entrypoint {c.get('Entrypoint')}")
    cmd = c.get("Cmd", [])
    need(cmd[-1:] == ["/srv"] and "0.0.0.0" in cmd and "8080" in cmd, f"Cmd {cmd}")
    need(str(c.get("User", "")).split(":")[0] == "65534", f"User {c.get('User')}")
    need(c.get("ExposedPorts") == {"8080/tcp": {}}, f"ExposedPorts {c.get('ExposedPorts')}")
    layers = manifest["layers"]
    if not need(len(layers) == 1, "not exactly one layer"):
        return
    need(layers[0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip", "layer media type")
    gzdata = read_blob(layers[0])
    need(gzdata[:2] == b"\x1f\x8b" and gzdata[4:8] == b"\0\0\0\0" and not gzdata[3] & 0x08,
         "gzip header: an mtime or a file name")
    tar = gzip.decompress(gzdata)
    need(config["rootfs"]["diff_ids"] == ["sha256:" + hashlib.sha256(tar).hexdigest()], "diff_ids")
    want = {"scratchd"}
    if site:
        want.add("srv")
        for top, dirs, files in os.walk(site):
            rel = os.path.relpath(top, site)
            for n in dirs + files:
                want.add(os.path.normpath(os.path.join("srv", rel, n)))
    names = []
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for m in t.getmembers():
            names.append(m.name)
            need(m.uid == 0 and m.gid == 0 and m.uname == "" and m.gname == "", f"{m.name}: owner")
            need(m.mtime == epoch, f"{m.name}: mtime {m.mtime}")
            if m.name == "scratchd":
                need(m.isfile() and m.mode == 0o755, "scratchd: mode")
                need(t.extractfile(m).read() == open(binary, "rb").read(), "scratchd: not the binary")
            elif m.isdir():
                need(m.mode == 0o755, f"{m.name}: mode {oct(m.mode)}")
            else:
                need(m.isfile() and m.mode == 0o644, f"{m.name}: mode {oct(m.mode)}")
                src = os.path.join(site or "", os.path.relpath(m.name, "srv"))
                need(site and t.extractfile(m).read() == open(src, "rb").read(), f"{m.name}: content")
    need(names == sorted(names), "entries not sorted")
    need(set(names) == want and len(names) == len(want), f"entries {sorted(names)}, want {sorted(want)}")


try:
    main()
except Exception as e:  # a blob that does not parse: say so, after what was found before
    problems.append(f"cannot read the layout: {type(e).__name__}: {e}")
for p in problems:
    print(p)
if not problems:
    print("ok")
sys.exit(1 if problems else 0)
