#!/usr/bin/env bats
# HTTPS on every architecture, natively and under qemu-user (make
# test-cross): the cipher suites this CPU can run are negotiated, and the
# one it cannot (AES-GCM without AES instructions: riscv64) is refused
# with handshake_failure, not attempted in software.

bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/common
	export PKI="$BATS_FILE_TMPDIR/pki"
	make_pki "$PKI"
	export ROOT="$BATS_FILE_TMPDIR/www"
	mkdir -p "$ROOT"
	printf 'hello on %s\n' "${CROSS_ARCH:-$(uname -m)}" >"$ROOT/index.html"
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" "$ROOT"
	echo "$SERVER_PID" >"$BATS_FILE_TMPDIR/pid"
	echo "$PORT" >"$BATS_FILE_TMPDIR/port"
}

teardown_file() {
	load test_helper/common
	SERVER_PID=$(cat "$BATS_FILE_TMPDIR/pid")
	stop_server
}

setup() {
	load test_helper/common
	PORT=$(cat "$BATS_FILE_TMPDIR/port")
}

# Whether this CPU runs AES-GCM: x86-64 with AES-NI and PCLMULQDQ, aarch64
# (qemu-user's CPU has the ARMv8 crypto extensions), not riscv64.
aes_here() {
	case "${CROSS_ARCH:-$(uname -m)}" in
	x86_64) grep -qw aes /proc/cpuinfo && grep -qw pclmulqdq /proc/cpuinfo ;;
	aarch64) true ;;
	*) false ;;
	esac
}

suite() {
	echo | timeout 60 openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -ciphersuites "$1" 2>&1
}

@test "ChaCha20-Poly1305 is negotiated on every architecture, and a page comes back" {
	run suite TLS_CHACHA20_POLY1305_SHA256
	[[ "$output" == *"Cipher is TLS_CHACHA20_POLY1305_SHA256"* ]] || { echo "$output"; false; }
	run curl -sS --max-time 60 --cacert "$PKI/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
	[ "$output" = "hello on ${CROSS_ARCH:-$(uname -m)}" ]
}

@test "AES-128-GCM is negotiated where the CPU has AES instructions, refused where not" {
	run suite TLS_AES_128_GCM_SHA256
	if aes_here; then
		[[ "$output" == *"Cipher is TLS_AES_128_GCM_SHA256"* ]] || { echo "$output"; false; }
	else
		[[ "$output" == *"alert handshake failure"* ]] || { echo "$output"; false; }
	fi
}
