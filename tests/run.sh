#!/usr/bin/env bash
# run.sh - `make test`: install what the tests need, build with gcc and clang,
# run the unit tests and every bats file against both builds, and end with
# one line "N passed, M failed". Exit status 0 only if nothing failed.
#
# run.sh cross - `make test-cross`: cross-build for aarch64 and riscv64 and
# run the same bats files under qemu-user; the last line then counts this run
# and the previous `make test` together (build/.test-totals).
set -u
cd "$(dirname "$0")/.." || exit 2
mode=${1:-native}

# ---- tools: command -> Debian package ----
declare -A pkg_of=([bats]=bats [curl]=curl [strace]=strace [gcc]=gcc [clang]=clang
		   [make]=make [readelf]=binutils [timeout]=coreutils [setpriv]=util-linux
		   [groff]=groff-base [mandoc]=mandoc [systemd-socket-activate]=systemd [ss]=iproute2
		   [valgrind]=valgrind [openssl]=openssl [gnutls-cli]=gnutls-bin [python3]=python3
		   [chromium]=chromium [certutil]=libnss3-tools [testssl]=testssl.sh [pgrep]=procps
		   [nasm]=nasm [skopeo]=skopeo [umoci]=umoci [iconv]=libc-bin)
missing=()
for tool in "${!pkg_of[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
done
# clang's sanitizer and libFuzzer runtimes come in a package of their own.
if command -v clang >/dev/null 2>&1 &&
   ! echo 'int main(void){return 0;}' | clang -x c -fsanitize=address,undefined -o /dev/null - 2>/dev/null; then
	missing+=(libclang-rt-dev)
fi
# The crypto tests compare with OpenSSL through Debian's python3-cryptography,
# for Debian's own python3 (another python3 may come first in PATH).
PY=/usr/bin/python3
if ! "$PY" -c 'import cryptography' 2>/dev/null; then
	missing+=(python3-cryptography)
fi
[ -f /usr/include/valgrind/memcheck.h ] || missing+=(valgrind)
# The built-in media types are checked against Debian's table (tests/64-browse.bats).
[ -f /etc/mime.types ] || missing+=(media-types)
if [ "$mode" = cross ]; then
	for a in aarch64 riscv64; do
		command -v "$a-linux-gnu-gcc" >/dev/null 2>&1 || missing+=("gcc-$a-linux-gnu")
		command -v "qemu-$a" >/dev/null 2>&1 || missing+=(qemu-user)
	done
fi
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		echo "# installing: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null &&
			apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null ||
			{ echo "could not install: ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
	else
		echo "missing tools; install the Debian packages: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})"
		echo "0 passed, 1 failed"
		exit 1
	fi
fi

export PY
passed=0 failed=0 skipped=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# Count a TAP stream from stdin, echoing it; a failed build counts as a failure.
tally() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"not ok "*) failed=$((failed + 1)) ;;
		"ok "*"# skip"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
		"ok "*) passed=$((passed + 1)) ;;
		esac
	done
}

# tap NAME COMMAND...: a command that prints TAP itself (the crypto harnesses).
tap() {
	local name=$1 rc
	shift
	echo "# ---- $name ----"
	"$@" >"$log/tap" 2>&1
	rc=$?
	tally <"$log/tap"
	[ "$rc" -eq 0 ] || grep -q '^not ok' "$log/tap" || tally <<<"not ok - $name exited with status $rc"
}

# The crypto layer through a crypto-tool (a path or a qemu wrapper): the
# known answers, every Wycheproof vector, and OpenSSL on random inputs.
# AES_GCM: whether this CPU should have AES-GCM (1) or refuse it (0).
crypto_suite() {
	local label=$1 tool=$2 aes=$3
	tap "$label: known answers (tests/crypto/kat.txt)" env AES_GCM="$aes" "$PY" tests/crypto/kat.py "$tool"
	tap "$label: Wycheproof vectors" env AES_GCM="$aes" "$PY" tests/crypto/wycheproof.py "$tool"
	tap "$label: differential against OpenSSL" env AES_GCM="$aes" "$PY" tests/crypto/differential.py "$tool"
}

# step NAME COMMAND...: a command that is one test (a build, say).
step() {
	local name=$1
	shift
	if "$@" >"$log/step" 2>&1; then
		tally <<<"ok - $name"
	else
		sed 's/^/# /' "$log/step" | tail -n 30
		tally <<<"not ok - $name"
	fi
}

if [ "$mode" = native ]; then
	for cc in gcc clang; do
		out=build
		[ "$cc" = clang ] && out=build/clang
		echo "# ---- $cc: build ($out) ----"
		step "$cc builds scratchd and hello with -Werror" make -s CC="$cc" B="$out"
		step "$cc builds the test builds" make -s CC="$cc" B="$out" test-builds
		step "$cc builds the unit tests" make -s CC="$cc" B="$out" unit
		step "$cc builds crypto-tool" make -s CC="$cc" B="$out" crypto-tool
		for t in "$out"/unit/*_test; do
			[ -x "$t" ] || continue
			echo "# ---- $cc: $t ----"
			"$t" >"$log/unit" 2>&1
			rc=$?
			tally <"$log/unit"
			[ "$rc" -eq 0 ] || tally <<<"not ok - $t exited with status $rc"
		done
		aes=0
		grep -qw aes /proc/cpuinfo && grep -qw pclmulqdq /proc/cpuinfo && aes=1
		crypto_suite "$cc" "$out/crypto-tool" "$aes"
		step "$cc: constant time (make ct: valgrind memcheck, secrets undefined)" \
			make -s CC="$cc" B="$out" ct
		echo "# ---- $cc: bats tests/ (BIN_DIR=$out) ----"
		BIN_DIR=$out bats --tap tests/ >"$log/bats" 2>&1
		tally <"$log/bats"
		# build/hello-asm, hello in assembly, must pass hello's own tests
		echo "# ---- $cc: hello's tests against hello-asm (HELLO=hello-asm) ----"
		HELLO=hello-asm BIN_DIR=$out bats --tap tests/10-hello.bats tests/20-strace.bats >"$log/bats" 2>&1
		tally <"$log/bats"
	done
	mkdir -p build && echo "$passed $failed $skipped" >build/.test-totals
else
	for arch in aarch64 riscv64; do
		out=build/$arch
		echo "# ---- $arch: cross build ($out), tests under qemu-$arch ----"
		step "$arch: gcc cross-builds scratchd and hello with -Werror" make -s ARCH="$arch"
		step "$arch: the test builds" make -s ARCH="$arch" test-builds
		step "$arch: crypto-tool" make -s ARCH="$arch" crypto-tool
		# Wrappers that run each binary under qemu-user. exec keeps the pid
		# (signals, wait, LISTEN_PID); qemu-user implements no seccomp(2),
		# so the filter is off there (tests that need it skip).
		mkdir -p "$out/run"
		for prog in hello scratchd scratchd-walk scratchd-seccomp-test crypto-tool; do
			extra=
			[ "$prog" != hello ] && [ "$prog" != crypto-tool ] && extra=--no-seccomp
			printf '#!/bin/sh\nexec qemu-%s %s/%s %s "$@"\n' "$arch" "$PWD/$out" "$prog" "$extra" \
				>"$out/run/$prog"
			chmod +x "$out/run/$prog"
		done
		# qemu-user's CPU for aarch64 has the ARMv8 crypto extensions;
		# riscv64 has no AES instructions, so AES-GCM must be refused there
		aes=0
		[ "$arch" = aarch64 ] && aes=1
		crypto_suite "$arch" "$out/run/crypto-tool" "$aes"
		BIN_DIR=$out/run IMAGE_DIR=$out CROSS_ARCH=$arch bats --tap tests/ >"$log/bats" 2>&1
		tally <"$log/bats"
		# hello-asm is x86_64 only: these skip, saying so
		HELLO=hello-asm BIN_DIR=$out/run IMAGE_DIR=$out CROSS_ARCH=$arch \
			bats --tap tests/10-hello.bats tests/20-strace.bats >"$log/bats" 2>&1
		tally <"$log/bats"
	done
	if [ -f build/.test-totals ]; then
		read -r p f s <build/.test-totals
		echo "# with the native run before it (make test): $p passed, $f failed, $s skipped"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
