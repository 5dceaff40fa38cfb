#!/usr/bin/env python3
"""mkimage.py - an OCI image layout holding scratchd, built without Docker.

    tools/mkimage.py --binary build/scratchd.image --arch x86_64 --out build/image [--site www]

Writes OUT/oci-layout, OUT/index.json and OUT/blobs/sha256/* (OCI image
layout 1.0, image-spec v1.1): one gzip-compressed layer holding /scratchd
(and, with --site DIR, DIR's files under /srv), its config and its manifest.
The index names the manifest "latest" (org.opencontainers.image.ref.name),
so `skopeo inspect oci:OUT` and `umoci unpack --image OUT:latest` find it.

Reproducible: the same binary (and site) give the same digests, byte for
byte. Every tar entry has mtime SOURCE_DATE_EPOCH (default 0), uid and gid
0, no user or group names, a mode of 0755 (the binary, directories) or
0644 (files); entries are sorted by name; the gzip header has no name and
mtime 0; JSON is written with sorted keys and no spaces. The config's
created time is the same epoch.

This is a build tool, not part of the server: it runs on the build machine
with Python's standard library (tarfile, gzip, hashlib, json).
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import stat
import sys
import tarfile

ARCHS = {"x86_64": "amd64", "aarch64": "arm64", "riscv64": "riscv64"}
PORT = 8080
HEALTH = "/healthz"

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def entry(name, kind, mode, epoch, size=0):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.size = size
    return info


def site_entries(site):
    """(path in the image, path on disk or None for a directory), sorted."""
    out = [("srv", None)]
    for top, dirs, files in os.walk(site):
        dirs.sort()
        rel = os.path.relpath(top, site)
        for d in dirs:
            path = os.path.join(top, d)
            if os.path.islink(path):
                sys.exit(f"mkimage: {path}: symbolic links are not put in the image")
            out.append((os.path.normpath(os.path.join("srv", rel, d)), None))
        for f in files:
            path = os.path.join(top, f)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                sys.exit(f"mkimage: {path}: only regular files and directories go in the image")
            out.append((os.path.normpath(os.path.join("srv", rel, f)), path))
    return sorted(out)


def layer_tar(binary, site, epoch):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        items = [("scratchd", binary)] + (site_entries(site) if site else [])
        for name, path in sorted(items):
            if path is None:
                tar.addfile(entry(name, tarfile.DIRTYPE, 0o755, epoch))
                continue
            with open(path, "rb") as f:
                data = f.read()
            mode = 0o755 if name == "scratchd" else 0o644
            tar.addfile(entry(name, tarfile.REGTYPE, mode, epoch, len(data)), io.BytesIO(data))
    return buf.getvalue()


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True, help="the (stripped) scratchd to put at /scratchd")
    ap.add_argument("--arch", required=True, choices=sorted(ARCHS), help="its architecture")
    ap.add_argument("--out", required=True, help="the layout's directory (replaced)")
    ap.add_argument("--site", help="a directory to put at /srv")
    args = ap.parse_args()

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if args.site and not os.path.isdir(args.site):
        sys.exit(f"mkimage: --site {args.site}: not a directory")

    tar = layer_tar(args.binary, args.site, epoch)
    layer = gz(tar)
    check = ["CMD", "/scratchd", "--check", f"http://127.0.0.1:{PORT}{HEALTH}"]
    config = {
        "created": created,
        "architecture": ARCHS[args.arch],
        "os": "linux",
        "config": {
            "User": "65534:65534",
            "ExposedPorts": {f"{PORT}/tcp": {}},
            "Entrypoint": ["/scratchd"],
            "Cmd": ["--addr", "0.0.0.0", "--port", str(PORT), "--health-path", HEALTH, "/srv"],
            "WorkingDir": "/",
            "StopSignal": "SIGTERM",
            # Docker's extension of the config (ignored by plain OCI runtimes)
            "Healthcheck": {"Test": check},
            "Labels": {"org.opencontainers.image.title": "scratchd"},
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]},
        "history": [{"created": created, "created_by": "make image (tools/mkimage.py)"}],
    }
    blobs = {}

    def blob(data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        blobs[digest] = data
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    manifest = {
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "config": blob(canonical(config), MT_CONFIG),
        "layers": [blob(layer, MT_LAYER)],
        "annotations": {"org.opencontainers.image.created": created},
    }
    desc = blob(canonical(manifest), MT_MANIFEST)
    desc["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    desc["platform"] = {"architecture": ARCHS[args.arch], "os": "linux"}
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [desc]}

    tmp = args.out.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "blobs", "sha256"))
    for digest, data in sorted(blobs.items()):
        with open(os.path.join(tmp, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
    with open(os.path.join(tmp, "oci-layout"), "wb") as f:
        f.write(canonical({"imageLayoutVersion": "1.0.0"}))
    with open(os.path.join(tmp, "index.json"), "wb") as f:
        f.write(canonical(index))
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(tmp, args.out)
    size = sum(len(d) for d in blobs.values())
    print(f"  IMAGE   {args.out}: {desc['digest']} ({ARCHS[args.arch]}), layer {len(layer)} bytes "
          f"({len(tar)} uncompressed), {size} bytes in all")


if __name__ == "__main__":
    main()
