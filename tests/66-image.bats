#!/usr/bin/env bats
# `make image`: an OCI image layout built without Docker (tools/mkimage.py),
# checked by tests/image_check.py, skopeo and umoci; the unpacked rootfs's
# scratchd serves a request. And the Dockerfile says what the image does.

bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	cd "$BATS_TEST_DIRNAME/.." || return 1
	SERVER_PID=
	# the binary the image is made of: IMAGE_DIR (build, or build/ARCH)
	VARS=(B="$IMAGE_DIR" ${CROSS_ARCH:+ARCH=$CROSS_ARCH})
}

teardown() {
	stop_server
}

# make_image OUT [SITE]: make image into OUT; prints the index's digest.
make_image() {
	make -s image "${VARS[@]}" IMAGE_OUT="$1" ${2:+IMAGE_SITE=$2} >"$BATS_TEST_TMPDIR/make.out" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/make.out"; return 1; }
	sha256sum "$1/index.json" | cut -d' ' -f1
}

@test "make image: a layout whose digests, config and layer hold (tests/image_check.py)" {
	make_image "$BATS_TEST_TMPDIR/img"
	run python3 tests/image_check.py "$BATS_TEST_TMPDIR/img" "$IMAGE_DIR/scratchd.image"
	echo "$output"
	[ "$status" -eq 0 ] && [ "$output" = ok ]
	# the stripped binary is what went in, and it is small
	cmp "$IMAGE_DIR/scratchd.image" <(tar -xzOf "$BATS_TEST_TMPDIR/img/blobs/sha256/$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/index.json"))["manifests"][0]["digest"].split(":")[1]
print(json.load(open(sys.argv[1] + "/blobs/sha256/" + m))["layers"][0]["digest"].split(":")[1])' "$BATS_TEST_TMPDIR/img")" scratchd)
	size=$(du -sb "$BATS_TEST_TMPDIR/img/blobs" | cut -f1)
	echo "# image: $size bytes" >&3
	[ "$size" -lt 300000 ]
	# and the checker is not blind: a flipped byte in a blob, a wrong binary
	cp -r "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/bad"
	blob=$(ls "$BATS_TEST_TMPDIR/bad/blobs/sha256" | head -n 1)
	python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[20] ^= 1; open(sys.argv[1], "wb").write(b)' \
		"$BATS_TEST_TMPDIR/bad/blobs/sha256/$blob"
	run python3 tests/image_check.py "$BATS_TEST_TMPDIR/bad" "$IMAGE_DIR/scratchd.image"
	[ "$status" -eq 1 ]
	[[ "$output" == *"blob $blob: its sha256 differs"* ]]
	run python3 tests/image_check.py "$BATS_TEST_TMPDIR/img" tests/image_check.py
	[ "$status" -eq 1 ]
	[[ "$output" == *"scratchd: not the binary"* ]]
}

@test "make image is reproducible: the same binary gives the same digests; IMAGE_SITE adds /srv" {
	one=$(make_image "$BATS_TEST_TMPDIR/a")
	two=$(make_image "$BATS_TEST_TMPDIR/b")	# stripped and packed again, later
	[ -n "$one" ] && [ "$one" = "$two" ]
	diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	site="$BATS_TEST_TMPDIR/site"
	mkdir -p "$site/sub"
	printf 'hi\n' >"$site/index.html"
	printf 'x\n' >"$site/sub/x.txt"
	chmod 600 "$site/index.html"		# made readable for uid 65534 in the image
	three=$(make_image "$BATS_TEST_TMPDIR/c" "$site")
	touch "$site/index.html" "$site/sub"
	four=$(make_image "$BATS_TEST_TMPDIR/d" "$site")
	[ "$three" = "$four" ] && [ "$three" != "$one" ]
	run python3 tests/image_check.py "$BATS_TEST_TMPDIR/c" "$IMAGE_DIR/scratchd.image" "$site"
	echo "$output"
	[ "$output" = ok ]
	# the site's files change the digest
	printf 'changed\n' >"$site/index.html"
	five=$(make_image "$BATS_TEST_TMPDIR/e" "$site")
	[ "$five" != "$three" ]
}

@test "skopeo inspect accepts the layout and reads its config" {
	command -v skopeo >/dev/null || skip "skopeo is not installed (Debian: skopeo)"
	make_image "$BATS_TEST_TMPDIR/img" >/dev/null
	run skopeo inspect "oci:$BATS_TEST_TMPDIR/img"
	echo "$output"
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
i = json.loads(sys.argv[1])
assert i["Os"] == "linux" and i["Architecture"] in ("amd64", "arm64", "riscv64"), i
assert i["Created"] == "1970-01-01T00:00:00Z" and len(i["Layers"]) == 1, i' "$output"
	run skopeo inspect --config "oci:$BATS_TEST_TMPDIR/img"
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
c = json.loads(sys.argv[1])["config"]
assert c["Entrypoint"] == ["/scratchd"], c
assert c["Cmd"] == ["--addr", "0.0.0.0", "--port", "8080", "--health-path", "/healthz", "/srv"], c
assert c["User"] == "65534:65534" and c["ExposedPorts"] == {"8080/tcp": {}}, c' "$output"
}

@test "umoci unpacks it, and the unpacked scratchd serves a request and checks its health" {
	command -v umoci >/dev/null || skip "umoci is not installed (Debian: umoci)"
	site="$BATS_TEST_TMPDIR/site"
	mkdir -p "$site" && printf 'from the image\n' >"$site/index.html"
	make_image "$BATS_TEST_TMPDIR/img" "$site" >/dev/null
	rootless=
	[ "$(id -u)" -eq 0 ] || rootless=--rootless
	run umoci unpack $rootless --image "$BATS_TEST_TMPDIR/img:latest" "$BATS_TEST_TMPDIR/bundle"
	echo "$output"
	[ "$status" -eq 0 ]
	rootfs="$BATS_TEST_TMPDIR/bundle/rootfs"
	[ "$(ls "$rootfs")" = "$(printf 'scratchd\nsrv')" ]
	[ "$(stat -c %a "$rootfs/scratchd")" = 755 ]
	# the runtime spec umoci wrote from the config
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["process"]["args"][:2] == ["/scratchd", "--addr"], s["process"]["args"]
assert s["process"]["user"]["uid"] == 65534, s["process"]["user"]' "$BATS_TEST_TMPDIR/bundle/config.json"
	skip_on_cross "the unpacked $CROSS_ARCH binary would need qemu-user to run"
	"$rootfs/scratchd" --addr 127.0.0.1 --port 0 --workers 1 --health-path /healthz "$rootfs/srv" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	SERVER_PID=$!
	wait_listening "$BATS_TEST_TMPDIR/out" "$SERVER_PID"
	[ -n "$PORT" ]
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = "from the image" ]
	run -0 "$rootfs/scratchd" --check "http://127.0.0.1:$PORT/healthz"
}

@test "the Dockerfile: FROM scratch, the binary alone, a HEALTHCHECK with --check, the same defaults" {
	[ -f Dockerfile ]
	grep -qx 'FROM scratch' Dockerfile
	grep -qx 'COPY build/scratchd /' Dockerfile
	grep -qx 'HEALTHCHECK CMD \["/scratchd", "--check", "http://127.0.0.1:8080/healthz"\]' Dockerfile
	grep -qx 'ENTRYPOINT \["/scratchd"\]' Dockerfile
	grep -qx 'CMD \["--addr", "0.0.0.0", "--port", "8080", "--health-path", "/healthz", "/srv"\]' Dockerfile
	grep -qx 'USER 65534:65534' Dockerfile
	grep -qx 'EXPOSE 8080' Dockerfile
	# the context Docker is sent: the binary, nothing else
	[ "$(grep -v '^#' .dockerignore)" = "$(printf '*\n!build/scratchd')" ]
	# the defaults agree with make image's (tools/mkimage.py)
	grep -q '"Cmd": \["--addr", "0.0.0.0", "--port", str(PORT), "--health-path", HEALTH, "/srv"\]' tools/mkimage.py
}
