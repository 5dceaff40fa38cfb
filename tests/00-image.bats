#!/usr/bin/env bats
# The images: static, no libc, no loader, W^X.

setup() {
	load test_helper/common
}

@test "images are static executables with no INTERP and no DYNAMIC segment" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		readelf -hW "$bin" | grep -q 'Type: *EXEC'
		run readelf -lW "$bin"
		[ "$status" -eq 0 ]
		[[ "$output" != *INTERP* ]] || { echo "$bin has an interpreter"; false; }
		[[ "$output" != *DYNAMIC* ]] || { echo "$bin has a dynamic section"; false; }
	done
}

@test "images have no undefined symbols (nothing comes from libc)" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		run nm -u "$bin"
		[ "$status" -eq 0 ]
		[ -z "$output" ] || { echo "$bin needs: $output"; false; }
	done
}

@test "no segment is both writable and executable, and the stack is not executable" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		# LOAD lines: Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg... Align
		run bash -c "readelf -lW '$bin' | awk '\$1 == \"LOAD\" && /RWE|RW E/'"
		[ -z "$output" ] || { echo "$bin: W+X segment: $output"; false; }
		readelf -lW "$bin" | grep -Eq 'GNU_STACK .* RW  '
	done
	# hello: one code segment. scratchd: three (linker.ld): the server's,
	# then the code of rare features, then the code only HTTPS runs, so a
	# plain server maps neither of the last two until it needs them.
	run bash -c "readelf -lW '$IMAGE_DIR/hello' | grep -c 'LOAD.* R E '"
	[ "$output" -eq 1 ]
	run bash -c "readelf -lW '$IMAGE_DIR/scratchd' | grep -c 'LOAD.* R E '"
	[ "$output" -eq 3 ]
}

# in_segment N SYMBOL: 0 if SYMBOL's address is in scratchd's Nth code segment
in_segment() {
	local seg a
	seg=$(readelf -lW "$IMAGE_DIR/scratchd" | awk -v n="$1" '$1 == "LOAD" && $7 == "R" && $8 == "E" { if (++i == n) print $3, $6 }')
	a=$(nm "$IMAGE_DIR/scratchd" | awk -v s="$2" '$3 == s { print $1 }')
	[ -n "$seg" ] && [ -n "$a" ] || return 1
	read -r start size <<<"$seg"
	(( 16#$a >= start && 16#$a < start + size ))
}

@test "scratchd's last code segment holds the HTTPS code, and none of the plain server's" {
	for sym in x25519 p256_sign aesgcm_seal chacha20poly1305_open tls_advance signer_start; do
		in_segment 3 "$sym" || { echo "$sym is not in the HTTPS segment"; false; }
	done
	for sym in http_parse_request conn_run file_respond main memcpy listing_respond; do
		! in_segment 3 "$sym" || { echo "$sym is in the HTTPS segment"; false; }
	done
}

@test "scratchd's second code segment holds the rare features' code, and not the request path" {
	for sym in listing_respond coding_choose metrics_format proxy_parse; do
		in_segment 2 "$sym" || { echo "$sym is not in the rare segment"; false; }
	done
	for sym in http_parse_request conn_run file_respond memcpy; do
		! in_segment 2 "$sym" || { echo "$sym is in the rare segment"; false; }
	done
}

@test "make size prints both stripped sizes" {
	run make -s size B="$IMAGE_DIR" ${CROSS_ARCH:+ARCH=$CROSS_ARCH}
	[ "$status" -eq 0 ]
	[[ "$output" =~ hello\ +[0-9]+\ bytes\ stripped ]]
	[[ "$output" =~ scratchd\ +[0-9]+\ bytes\ stripped ]]
}

@test "src/ has no architecture #if: that lives in start.S and syscall.h" {
	run grep -rnE '__(x86_64|aarch64|riscv)' src/
	[ "$status" -eq 1 ] || { echo "$output"; false; }
}
