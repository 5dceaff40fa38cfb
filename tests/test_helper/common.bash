# common.bash - shared by every tests/*.bats file.
#
#   start_server PROGRAM [ARGS...]   start $BIN_DIR/PROGRAM on 127.0.0.1, port 0;
#                                    sets and exports PORT and SERVER_PID
#   stop_server                      SIGTERM, bounded wait, then SIGKILL
#   raw_http BYTES                   send BYTES (printf %b escapes) on a new
#                                    connection, print the reply (5 s at most)
#   start_traced TRACE [OPTS] -- ARGS  scratchd (one worker, no log) under
#                                    strace -f -o TRACE; sets PORT, STRACE_PID
#   stop_traced                      SIGTERM it; strace writes TRACE out and exits
#   need_strace                      skip unless strace is there and can be used
#
# BIN_DIR (default build) selects the build under test: run.sh sets it to
# build/clang for the clang pass.

BIN_DIR=${BIN_DIR:-build}
export BIN_DIR
# Cross runs (make test-cross): BIN_DIR holds qemu-user wrappers, IMAGE_DIR
# the ELF files themselves, CROSS_ARCH the architecture.
IMAGE_DIR=${IMAGE_DIR:-$BIN_DIR}
CROSS_ARCH=${CROSS_ARCH:-}
export IMAGE_DIR CROSS_ARCH

# What the server wrote to stderr, less the notice that the kernel (or
# qemu-user) has no openat2: that one is information, not an error.
server_errors() {
	grep -v 'openat2: not available' "$SERVER_ERR" || true
}

# Skip this test under qemu-user, saying why (only there).
skip_on_cross() {
	if [ -n "$CROSS_ARCH" ]; then
		skip "$CROSS_ARCH under qemu-user: $1"
	fi
}

# Wait (5 s at most) for the listening line in file OUT of process PID;
# sets PORT (empty if it never came, or PID died first).
wait_listening() {
	local out=$1 pid=$2
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n 's|^listening on http://.*:\([0-9][0-9]*\)$|\1|p' "$out")
		[ -n "$PORT" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
}

start_server() {
	local prog=$1
	shift
	SERVER_OUT="$BATS_FILE_TMPDIR/$prog.out"
	SERVER_ERR="$BATS_FILE_TMPDIR/$prog.err"
	# Emptied here, not only by the redirection below: that one happens in
	# the child, and wait_listening could read an earlier server's line first.
	: >"$SERVER_OUT"
	# 3>&-: bats waits for fd 3 to close; a background server must not hold it.
	"$BIN_DIR/$prog" --addr 127.0.0.1 --port 0 "$@" >"$SERVER_OUT" 2>"$SERVER_ERR" 3>&- &
	SERVER_PID=$!
	wait_listening "$SERVER_OUT" "$SERVER_PID"
	if [ -z "$PORT" ]; then
		echo "# $prog did not print its listening line; stderr:" >&3
		sed 's/^/#   /' "$SERVER_ERR" >&3
		kill -KILL "$SERVER_PID" 2>/dev/null
		return 1
	fi
	export PORT SERVER_PID SERVER_OUT SERVER_ERR
}

# url PATH: the URL of PATH on the server start_server started.
url() {
	printf 'http://127.0.0.1:%s%s' "$PORT" "$1"
}

# The utime+stime of process PID so far, in clock ticks (proc(5)).
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# Stop the process PID: SIGTERM, wait up to 5 s, then SIGKILL.
stop_pid() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

stop_server() {
	if [ -n "${SERVER_PID:-}" ]; then
		stop_pid "$SERVER_PID"
	fi
}

raw_http() {
	timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf "%b" "$1" >&5
		cat <&5' "$PORT" "$1"
}

# Skip unless strace can watch the server (not under qemu-user, where it
# would trace the emulator).
need_strace() {
	command -v strace >/dev/null || skip "strace is not installed"
	command -v pgrep >/dev/null || skip "pgrep is not installed"
	skip_on_cross "strace would trace the emulator, not the program"
}

# start_traced TRACE [STRACE_OPTIONS...] -- [SCRATCHD_ARGS...]: run
# $BIN_DIR/scratchd on 127.0.0.1, port 0, one worker, no access log, under
# strace -f -qq -o TRACE. Sets and exports PORT, STRACE_PID and SCRATCHD_PID.
start_traced() {
	local trace=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	: >"$trace.out"	# before the child starts: see start_server
	strace -f -qq -o "$trace" "${opts[@]}" "$BIN_DIR/scratchd" --addr 127.0.0.1 --port 0 \
		--workers 1 --no-log "$@" >"$trace.out" 2>"$trace.err" 3>&- &
	STRACE_PID=$!
	wait_listening "$trace.out" "$STRACE_PID"
	SCRATCHD_PID=$(pgrep -P "$STRACE_PID" || true)
	if [ -z "$PORT" ] || [ -z "$SCRATCHD_PID" ]; then
		echo "scratchd under strace did not start; stderr:"
		cat "$trace.err"
		stop_traced
		return 1
	fi
	export PORT STRACE_PID SCRATCHD_PID
}

# Stop the server started by start_traced: SIGTERM to scratchd, then strace,
# having written the whole trace, exits with it (5 s each at most).
stop_traced() {
	[ -n "${SCRATCHD_PID:-}" ] && stop_pid "$SCRATCHD_PID"
	if [ -n "${STRACE_PID:-}" ]; then
		for _ in $(seq 50); do
			kill -0 "$STRACE_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_pid "$STRACE_PID"
	fi
	SCRATCHD_PID= STRACE_PID=
}

# The status code of an HTTP response on stdin ("HTTP/1.1 404 Not Found" -> 404).
status_of() {
	head -n 1 | cut -d' ' -f2
}

# ---- HTTPS (tests/9*-tls*.bats) ----

# make_pki DIR: a test CA and a server certificate for localhost and
# 127.0.0.1, all P-256, made with openssl (never committed):
#   DIR/ca.pem                     the CA certificate (curl --cacert)
#   DIR/cert.pem, DIR/key.pem      leaf certificate and its PKCS#8 key
#   DIR/chain.pem                  leaf then CA (as fullchain.pem)
#   DIR/key-sec1.pem               the same key as SEC 1 (BEGIN EC PRIVATE KEY)
make_pki() {
	local dir=$1 name=${2:-}
	mkdir -p "$dir"
	(
		cd "$dir" || exit 1
		openssl ecparam -name prime256v1 -genkey -noout -out ca-key.pem &&
		openssl req -new -x509 -key ca-key.pem -sha256 -days 800 -subj "/CN=scratchd test CA$name" \
			-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
			-out ca.pem &&
		openssl ecparam -name prime256v1 -genkey -noout -out key-sec1.pem &&
		openssl pkcs8 -topk8 -nocrypt -in key-sec1.pem -out key.pem &&
		openssl req -new -key key.pem -subj "/CN=localhost" -out leaf.csr &&
		# what a real certificate carries (testssl.sh rates a missing
		# revocation URI or a near expiry HIGH): a year, CRL and OCSP URIs
		printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' 'basicConstraints=CA:FALSE' \
			'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature' \
			'crlDistributionPoints=URI:http://crl.invalid/test.crl' \
			'authorityInfoAccess=OCSP;URI:http://ocsp.invalid/' >ext.cnf &&
		openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 365 \
			-sha256 -extfile ext.cnf -out cert.pem &&
		cat cert.pem ca.pem >chain.pem
	) >"$dir/openssl.log" 2>&1
}

# start_tls_server PROGRAM [ARGS...]: like start_server, for a server that
# prints "listening on https://IP:PORT" (and with --redirect-http, then
# "listening on http://IP:PORT": REDIRECT_PORT). Its output goes to
# $BATS_FILE_TMPDIR/NAME.out and .err, NAME being $SERVER_NAME or PROGRAM.
start_tls_server() {
	local prog=$1 name=${SERVER_NAME:-$1}
	shift
	SERVER_OUT="$BATS_FILE_TMPDIR/$name.out"
	SERVER_ERR="$BATS_FILE_TMPDIR/$name.err"
	: >"$SERVER_OUT"
	"$BIN_DIR/$prog" --addr 127.0.0.1 --port 0 "$@" >"$SERVER_OUT" 2>"$SERVER_ERR" 3>&- &
	SERVER_PID=$!
	PORT=
	for _ in $(seq 200); do
		PORT=$(sed -n 's|^listening on https://.*:\([0-9][0-9]*\)$|\1|p' "$SERVER_OUT")
		[ -n "$PORT" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	REDIRECT_PORT=$(sed -n 's|^listening on http://.*:\([0-9][0-9]*\)$|\1|p' "$SERVER_OUT")
	if [ -z "$PORT" ]; then
		echo "# $prog did not print its https listening line; stderr:" >&3
		sed 's/^/#   /' "$SERVER_ERR" >&3
		kill -KILL "$SERVER_PID" 2>/dev/null
		return 1
	fi
	export PORT REDIRECT_PORT SERVER_PID SERVER_OUT SERVER_ERR
}

# The pids of PID's children (the signer and the workers of a supervisor).
children_of() {
	pgrep -P "$1" || true
}

# raw_http_to PORT BYTES: raw_http to another port of the server.
raw_http_to() {
	timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf "%b" "$1" >&5
		cat <&5' "$1" "$2"
}
