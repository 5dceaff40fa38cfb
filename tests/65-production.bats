#!/usr/bin/env bats
# Running in production (issue 16): --health-path, --check, --trusted-proxy,
# --proxy-protocol, the log reopened on SIGHUP/SIGUSR1, --log-format json,
# --metrics-path. The image is tests/66-image.bats.

bats_require_minimum_version 1.5.0

setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT"
	printf 'hello\n' >"$ROOT/index.html"
	export ROOT
}

setup() {
	load test_helper/common
	SERVER_PID= FAKE_PID=
	HELPER=tests/test_helper/production.py
	cd "$BATS_TEST_DIRNAME/.." || return 1
}

teardown() {
	stop_server
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null || true
		wait "$FAKE_PID" 2>/dev/null || true
	fi
}

# The bytes of a string, as hex for the helper's send.
hex() {
	printf '%b' "$1" | od -An -tx1 -v | tr -d ' \n'
}

# send BYTES (printf %b escapes) [WAIT]: what comes back, or "closed: NOTHING".
send() {
	python3 "$HELPER" send "$PORT" "$(hex "$1")" "${2:-5}"
}

# The access log lines written so far (flushed at least once a second).
log_lines() {
	sleep 1.2
	tail -n +2 "$SERVER_OUT"
}

# fake MODE: a fake server (test_helper/production.py); sets FAKE_PORT.
fake() {
	rm -f "$BATS_TEST_TMPDIR/fake.port"
	python3 "$HELPER" fake "$1" "$BATS_TEST_TMPDIR/fake.port" 3>&- &
	FAKE_PID=$!
	for _ in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/fake.port" ] && break
		sleep 0.05
	done
	FAKE_PORT=$(cat "$BATS_TEST_TMPDIR/fake.port")
}

# bad_usage ARGS... EXPECTED-FIRST-LINE: exit 2 and that line.
bad_usage() {
	local want=${*: -1}
	run timeout 10 "$BIN_DIR/scratchd" --port 0 "${@:1:$#-1}" "$ROOT"
	[ "$status" -eq 2 ] || { echo "status $status: $output"; return 1; }
	[ "${lines[0]}" = "scratchd: $want" ] || { echo "got: ${lines[0]}"; return 1; }
	[[ "$output" != *listening* ]]
}

# ---- --health-path ----

@test "--health-path: GET and HEAD answer 200 ok, not from the root; logged as a 200" {
	start_server scratchd --workers 1 --health-path /healthz "$ROOT"
	run curl -sS --max-time 5 -D "$BATS_TEST_TMPDIR/h" "http://127.0.0.1:$PORT/healthz"
	[ "$output" = ok ]
	grep -q '^HTTP/1.1 200 OK' "$BATS_TEST_TMPDIR/h"
	grep -qi '^content-type: text/plain; charset=utf-8' "$BATS_TEST_TMPDIR/h"
	grep -qi '^cache-control: no-store' "$BATS_TEST_TMPDIR/h"
	run curl -sS --max-time 5 -I "http://127.0.0.1:$PORT/healthz?probe=1"
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" == *$'Content-Length: 3\r'* ]]
	# only GET and HEAD, only that path
	[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -X POST -d x "http://127.0.0.1:$PORT/healthz")" = 405 ]
	[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz/x")" = 404 ]
	[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/Healthz")" = 404 ]
	run log_lines
	[[ "${lines[0]}" == *'"GET /healthz HTTP/1.1" 200 3 '* ]]
	[[ "${lines[1]}" == *'"HEAD /healthz?probe=1 HTTP/1.1" 200 0 '* ]]
}

@test "--health-path answers when the document root is gone or unreadable" {
	gone="$BATS_TEST_TMPDIR/gone"
	mkdir -p "$gone" && echo x >"$gone/index.html"
	start_server scratchd --workers 1 --health-path /healthz "$gone"
	rm -rf "$gone"
	[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/index.html")" = 404 ]
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/healthz")" = ok ]
	stop_server
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
		# started as nobody, then the root is made unreadable to it
		locked="$BATS_TEST_TMPDIR/locked"
		mkdir -p "$locked" && echo x >"$locked/index.html" && chmod 755 "$BATS_TEST_TMPDIR" "$locked"
		start_server scratchd --workers 1 --user nobody --no-file-cache --health-path /healthz "$locked"
		[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/index.html")" = x ]
		chmod 000 "$locked"
		[ "$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/index.html")" = 403 ]
		[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/healthz")" = ok ]
		chmod 755 "$locked"
	fi
}

@test "--health-path and --metrics-path: good and bad values" {
	long=/$(printf 'a%.0s' {1..255})
	for args in "--health-path /healthz" "--health-path=/-/health" "--health-path $long" \
		"--metrics-path /metrics" "--metrics-path /m --metrics-public" "--health-path / --metrics-path /m"; do
		"$BIN_DIR/scratchd" --port 0 --workers 1 $args "$ROOT" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
		pid=$!
		for _ in $(seq 60); do
			grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" && break
			sleep 0.05
		done
		stop_pid $pid
		grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" || { echo "refused: $args"; cat "$BATS_TEST_TMPDIR/out"; false; }
	done
	bad_usage --health-path healthz "--health-path: invalid value 'healthz'"
	bad_usage --health-path '' "--health-path: invalid value ''"
	bad_usage --health-path '/a b' "--health-path: invalid value '/a b'"
	bad_usage --health-path '/a?b' "--health-path: invalid value '/a?b'"
	bad_usage --health-path '/a#b' "--health-path: invalid value '/a#b'"
	bad_usage --health-path "${long}a" "--health-path: invalid value '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"
	bad_usage --health-path "$(printf '/\001')" "--health-path: invalid value '$(printf '/\001')'"
	bad_usage --metrics-path metrics "--metrics-path: invalid value 'metrics'"
	bad_usage --health-path /x --metrics-path /x "--metrics-path: must differ from --health-path"
	bad_usage --metrics-public "--metrics-public: needs --metrics-path"
	bad_usage --metrics-public=1 "--metrics-public=1: takes no value"
	run -2 timeout 10 "$BIN_DIR/scratchd" --health-path
	[ "${lines[0]}" = "scratchd: --health-path: needs a value" ]
}

# ---- --check ----

@test "--check: 200 exits 0 silently; 404 exits 1 with one line" {
	start_server scratchd --workers 1 --health-path /healthz "$ROOT"
	run -0 --separate-stderr "$BIN_DIR/scratchd" --check "http://127.0.0.1:$PORT/healthz"
	[ -z "$output" ] && [ -z "$stderr" ]
	run -0 "$BIN_DIR/scratchd" --check "http://localhost:$PORT/"
	run -0 "$BIN_DIR/scratchd" --check="http://127.0.0.1:$PORT/?q=1#frag"
	run -1 --separate-stderr "$BIN_DIR/scratchd" --check "http://127.0.0.1:$PORT/missing"
	[ -z "$output" ]
	[ "$stderr" = "scratchd: --check http://127.0.0.1:$PORT/missing: status 404" ]
	# the request was an ordinary GET, logged as such
	run log_lines
	[[ "$output" == *'"GET /healthz HTTP/1.1" 200 3 "-" "scratchd-check"'* ]]
	[[ "$output" == *'"GET /?q=1 HTTP/1.1" 200 '* ]]
}

@test "--check over IPv6: [::1]" {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null ||
		skip "no IPv6 loopback here"
	start_server scratchd --workers 1 --addr ::1 --health-path /healthz "$ROOT"
	run -0 "$BIN_DIR/scratchd" --check "http://[::1]:$PORT/healthz"
	run -1 "$BIN_DIR/scratchd" --check "http://127.0.0.1:$PORT/healthz"
	[[ "$output" == *": connect: connection refused" ]]
}

@test "--check: a refused port, a silent server (<= 3.5 s), garbage, a close, a stalled status line" {
	start_server scratchd --workers 1 "$ROOT"
	port=$PORT
	stop_server
	run -1 "$BIN_DIR/scratchd" --check "http://127.0.0.1:$port/"
	[ "$output" = "scratchd: --check http://127.0.0.1:$port/: connect: connection refused" ]
	for mode in silent slow; do
		fake "$mode"
		start=$(date +%s%N)
		run -1 "$BIN_DIR/scratchd" --check "http://127.0.0.1:$FAKE_PORT/"
		ms=$((($(date +%s%N) - start) / 1000000))
		echo "$mode: $ms ms: $output"
		[ "$ms" -ge 2900 ] && [ "$ms" -le 3500 ]
		[ "$output" = "scratchd: --check http://127.0.0.1:$FAKE_PORT/: timed out waiting for the response (3 s)" ]
		kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true; FAKE_PID=
	done
	fake garbage
	run -1 "$BIN_DIR/scratchd" --check "http://127.0.0.1:$FAKE_PORT/"
	[ "$output" = "scratchd: --check http://127.0.0.1:$FAKE_PORT/: not an HTTP response" ]
	kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true
	fake close
	run -1 "$BIN_DIR/scratchd" --check "http://127.0.0.1:$FAKE_PORT/"
	[[ "$output" == "scratchd: --check http://127.0.0.1:$FAKE_PORT/: "* ]]
	[[ "$output" == *"the connection closed with no response" || "$output" == *"connection reset by peer" ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "--check: URLs it cannot use exit 1 with one line; nothing listens" {
	while IFS='|' read -r url why; do
		run -1 --separate-stderr "$BIN_DIR/scratchd" --port 0 --check "$url" "$ROOT"
		[ -z "$output" ] || { echo "stdout: $output"; false; }
		[ "$stderr" = "scratchd: --check $url: $why" ] || { echo "$url: $stderr"; false; }
	done <<'EOF'
https://127.0.0.1/|https:// is not supported: give the plain HTTP address (--check speaks no TLS)
ftp://127.0.0.1/|not an http:// URL
127.0.0.1:8080|not an http:// URL
http://example.com/|the host must be an IPv4 or IPv6 address, or localhost (no DNS)
http://127.0.0.1:0/|the port must be a number from 1 to 65535
http://127.0.0.1:65536/|the port must be a number from 1 to 65535
http://user@127.0.0.1/|user information in a URL is not supported
http://[::1/|an IPv6 address must end with ']'
EOF
	url="http://127.0.0.1/$(printf 'a%.0s' {1..2031})"	# 2048 bytes: tried (refused port)
	run -1 "$BIN_DIR/scratchd" --check "$url"
	[[ "$output" == *": connect: connection refused" ]]
	run -1 "$BIN_DIR/scratchd" --check "${url}a"
	[[ "$output" == *"...: URL too long" ]]
	run -2 "$BIN_DIR/scratchd" --check
	[ "${lines[0]}" = "scratchd: --check: needs a value" ]
}

# ---- --trusted-proxy ----

@test "--trusted-proxy: good and bad values; 64 ranges and not 65" {
	for args in "--trusted-proxy 10.0.0.0/8" "--trusted-proxy=192.0.2.1" "--trusted-proxy ::1/128" \
		"--trusted-proxy 2001:db8::/32 --trusted-proxy 0.0.0.0/0"; do
		"$BIN_DIR/scratchd" --port 0 --workers 1 $args "$ROOT" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
		pid=$!
		for _ in $(seq 60); do grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" && break; sleep 0.05; done
		stop_pid $pid
		grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" || { echo "refused: $args"; false; }
	done
	for bad in 10.0.0.0/33 /8 x 10.0.0.0/08 ::/129 10.0.0.0/ 1.2.3 '[::1]' 'example.com'; do
		bad_usage --trusted-proxy "$bad" "--trusted-proxy: invalid value '$bad'"
	done
	many=()
	for i in $(seq 64); do many+=(--trusted-proxy "10.$i.0.0/16"); done
	"$BIN_DIR/scratchd" --port 0 --workers 1 "${many[@]}" "$ROOT" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	for _ in $(seq 60); do grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" && break; sleep 0.05; done
	stop_pid $pid
	grep -q '^listening on ' "$BATS_TEST_TMPDIR/out"
	bad_usage "${many[@]}" --trusted-proxy 10.65.0.0/16 "--trusted-proxy: invalid value '10.65.0.0/16' (past the limit)"
}

@test "X-Forwarded-For and Forwarded: trusted and untrusted hops, malformed values" {
	start_server scratchd --workers 1 --trusted-proxy 127.0.0.0/8 --trusted-proxy 10.0.0.0/8 "$ROOT"
	while IFS='|' read -r field value; do
		curl -sS --max-time 5 -o /dev/null -H "$field: $value" -A "case" "http://127.0.0.1:$PORT/"
	done <<'EOF'
X-Forwarded-For|198.51.100.1
X-Forwarded-For|1.1.1.1, 198.51.100.2, 10.0.0.7
X-Forwarded-For|10.9.9.9, 10.0.0.7
X-Forwarded-For|[2001:db8::7]:443
X-Forwarded-For|198.51.100.3, garbage
X-Forwarded-For|unknown
X-Forwarded-For|999.1.1.1
Forwarded|for=192.0.2.60;proto=http;by=203.0.113.43
Forwarded|for="[2001:db8:cafe::17]:4711", for=10.0.0.2
Forwarded|for=_hidden
Forwarded|for="198.51.100.9
EOF
	# two lines of the field: one list
	raw_http 'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.4\r\nX-Forwarded-For: 10.1.1.1\r\nConnection: close\r\n\r\n' >/dev/null
	run log_lines
	printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/clients"
	printf '%s\n' 198.51.100.1 198.51.100.2 10.9.9.9 2001:db8::7 127.0.0.1 127.0.0.1 127.0.0.1 \
		192.0.2.60 2001:db8:cafe::17 127.0.0.1 127.0.0.1 198.51.100.4 >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/clients"
	stop_server
	# not trusted: the fields are never read
	start_server scratchd --workers 1 --trusted-proxy 10.0.0.0/8 "$ROOT"
	curl -sS --max-time 5 -o /dev/null -H 'X-Forwarded-For: 198.51.100.1' "http://127.0.0.1:$PORT/"
	stop_server
	start_server scratchd --workers 1 "$ROOT"
	curl -sS --max-time 5 -o /dev/null -H 'X-Forwarded-For: 198.51.100.1' "http://127.0.0.1:$PORT/"
	run log_lines
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "127.0.0.1 - - "* ]]
}

# ---- --proxy-protocol ----

@test "--proxy-protocol: v1 TCP4, TCP6, UNKNOWN and v2 TCP4, TCP6, LOCAL give the client" {
	start_server scratchd --workers 1 --proxy-protocol "$ROOT"
	req='GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	for header in 'PROXY TCP4 192.0.2.1 10.0.0.1 56324 80\r\n' \
		'PROXY TCP6 2001:db8::1 2001:db8::2 56324 80\r\n' 'PROXY UNKNOWN\r\n' \
		'PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n'; do
		run send "$header$req"
		[[ "$output" == "b'HTTP/1.1 200 OK"* ]] || { echo "$header: $output"; false; }
	done
	for args in "4 198.51.100.7 4711" "6 2001:db8::99 4711" "local - 0"; do
		h=$(python3 "$HELPER" proxy2 $args)
		run python3 "$HELPER" send "$PORT" "$h$(hex "$req")"
		[[ "$output" == "b'HTTP/1.1 200 OK"* ]] || { echo "$args: $output"; false; }
	done
	# curl's own PROXY v1 header, keep-alive: two requests on one connection
	run curl -sS --max-time 5 --haproxy-protocol "http://127.0.0.1:$PORT/" "http://127.0.0.1:$PORT/"
	[ "$output" = "hello"$'\n'"hello" ]
	run log_lines
	printf '%s\n' "${lines[@]}" | cut -d' ' -f1 >"$BATS_TEST_TMPDIR/clients"
	printf '%s\n' 192.0.2.1 2001:db8::1 127.0.0.1 127.0.0.1 198.51.100.7 2001:db8::99 127.0.0.1 127.0.0.1 \
		127.0.0.1 >"$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/clients"
}

@test "--proxy-protocol: no header, bad, truncated or oversized headers are closed without a response" {
	start_server scratchd --workers 1 --proxy-protocol --header-timeout 2 "$ROOT"
	req='GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	long=$(printf 'x%.0s' {1..100})
	for bytes in "$req" 'PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n'"$req" 'PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n'"$req" \
		'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n'"$req" 'PROXY UNKNOWN '"$long"'\r\n'"$req" \
		'PROXY TCP4 1.2.3.4 5.6.7.8' '\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0b' \
		'\r\n\r\n\0\r\nQUIT\n\x31\x11\x00\x0c123456789012'"$req"; do
		run send "$bytes"
		[ "$output" = "closed: NOTHING" ] || { echo "$bytes: $output"; false; }
	done
	# v2 of 1024 bytes in all (16 + 12 of addresses + 996 of TLVs) is
	# accepted; 1025 is refused from its length
	tlv=$(printf '00%.0s' {1..996})
	h4=$(python3 "$HELPER" proxy2 4 192.0.2.5 1)
	run python3 "$HELPER" send "$PORT" "${h4:0:28}03f0${h4:32}$tlv$(hex "$req")"
	[[ "$output" == "b'HTTP/1.1 200 OK"* ]]
	run python3 "$HELPER" send "$PORT" "${h4:0:28}03f1${h4:32}${tlv}00$(hex "$req")"
	[ "$output" = "closed: NOTHING" ]
	# the server goes on serving
	run curl -sS --max-time 5 --haproxy-protocol "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
	run log_lines
	[ "${#lines[@]}" -eq 2 ]
}

@test "--proxy-protocol: half a header, then a stall: closed when --header-timeout ends, others served" {
	start_server scratchd --workers 1 --proxy-protocol --header-timeout 1 "$ROOT"
	start=$(date +%s%N)
	python3 "$HELPER" send "$PORT" "$(hex 'PROXY TCP4 192.0.2.1 ')" 6 >"$BATS_TEST_TMPDIR/stalled" &
	stalled=$!
	h=$(python3 "$HELPER" proxy2 6 2001:db8::1 9)
	python3 "$HELPER" send "$PORT" "${h:0:40}" 6 >"$BATS_TEST_TMPDIR/stalled2" &
	stalled2=$!
	sleep 0.3
	run curl -sS --max-time 5 --haproxy-protocol "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
	wait "$stalled" "$stalled2"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$(cat "$BATS_TEST_TMPDIR/stalled")" = "closed: NOTHING" ]
	[ "$(cat "$BATS_TEST_TMPDIR/stalled2")" = "closed: NOTHING" ]
	[ "$ms" -ge 900 ] && [ "$ms" -lt 4000 ] || { echo "closed after $ms ms"; false; }
}

@test "--proxy-protocol with HTTPS: the header comes before the TLS handshake" {
	command -v openssl >/dev/null || skip "openssl is not installed"
	make_pki "$BATS_FILE_TMPDIR/pki" || skip "openssl could not make the test certificates"
	start_tls_server scratchd --workers 1 --proxy-protocol --cert "$BATS_FILE_TMPDIR/pki/chain.pem" \
		--key "$BATS_FILE_TMPDIR/pki/key.pem" "$ROOT"
	run curl -sS --max-time 5 --haproxy-protocol --cacert "$BATS_FILE_TMPDIR/pki/ca.pem" \
		--resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
	[ "$output" = hello ]
	run curl -sS --max-time 5 --cacert "$BATS_FILE_TMPDIR/pki/ca.pem" \
		--resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
	[ "$status" -ne 0 ]
	! grep -q 'killed by signal' "$SERVER_ERR"
}

# ---- the log, reopened ----

@test "SIGHUP and SIGUSR1 under load: every line whole, in one of the files, none lost" {
	log="$BATS_TEST_TMPDIR/access.log"
	start_server scratchd --workers 2 --log "$log" "$ROOT"
	# a burst, and the signal in the middle of it; twice; then a few more
	HALFWAY="$BATS_TEST_TMPDIR/half1" python3 "$HELPER" load "$PORT" 3000 4 /index.html >"$BATS_TEST_TMPDIR/load" &
	loader=$!
	for _ in $(seq 100); do [ -e "$BATS_TEST_TMPDIR/half1" ] && break; sleep 0.02; done
	mv "$log" "$log.1"
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q 'SIGHUP.*reopened' "$SERVER_ERR" && break; sleep 0.1; done
	wait "$loader"
	grep -qx '200 3000' "$BATS_TEST_TMPDIR/load"
	HALFWAY="$BATS_TEST_TMPDIR/half2" python3 "$HELPER" load "$PORT" 3000 4 /index.html?second >"$BATS_TEST_TMPDIR/load" &
	loader=$!
	for _ in $(seq 100); do [ -e "$BATS_TEST_TMPDIR/half2" ] && break; sleep 0.02; done
	mv "$log" "$log.2"
	kill -USR1 "$SERVER_PID"
	for _ in $(seq 50); do grep -q 'SIGUSR1.*reopened' "$SERVER_ERR" && break; sleep 0.1; done
	wait "$loader"
	grep -qx '200 3000' "$BATS_TEST_TMPDIR/load"
	sleep 0.3
	python3 "$HELPER" load "$PORT" 200 2 /index.html?third >"$BATS_TEST_TMPDIR/load"
	grep -qx '200 200' "$BATS_TEST_TMPDIR/load"
	stop_server
	SERVER_PID=
	grep -qx "scratchd: SIGHUP: --log $log reopened" "$SERVER_ERR"
	grep -qx "scratchd: SIGUSR1: --log $log reopened" "$SERVER_ERR"
	! grep -q 'killed by signal' "$SERVER_ERR"
	# each file got lines; every line is whole; each request is in exactly one
	for f in "$log.1" "$log.2" "$log"; do
		[ -s "$f" ] || { echo "$f is empty"; false; }
	done
	re='^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /index\.html\?([a-z]+\?)?n=[0-9]+ HTTP/1\.1" 200 6 "-" "load/[0-9]+"$'
	cat "$log.1" "$log.2" "$log" >"$BATS_TEST_TMPDIR/all"
	[ "$(grep -cvE "$re" "$BATS_TEST_TMPDIR/all")" -eq 0 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/all")" -eq 6200 ]
	[ "$(sed -n 's/.*GET \([^ ]*\) .*/\1/p' "$BATS_TEST_TMPDIR/all" | sort -u | wc -l)" -eq 6200 ]
}

@test "--log with one worker: a supervisor reopens it; a failed reopen keeps the old file" {
	log="$BATS_TEST_TMPDIR/access.log"
	start_server scratchd --workers 1 --log "$log" "$ROOT"
	[ "$(children_of "$SERVER_PID" | wc -w)" -eq 1 ]
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/?before"
	mv "$log" "$log.1"
	mkdir "$log"		# the name is now a directory: it cannot be opened for writing
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q SIGHUP "$SERVER_ERR" && break; sleep 0.1; done
	# the one SIGHUP line (under qemu-user a line about openat2 comes first)
	[ "$(grep SIGHUP "$SERVER_ERR")" = "scratchd: SIGHUP: --log $log: is a directory; keeping the old log file" ]
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/?after"
	rmdir "$log"
	kill -USR1 "$SERVER_PID"
	for _ in $(seq 50); do grep -q SIGUSR1 "$SERVER_ERR" && break; sleep 0.1; done
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/?new"
	sleep 1.2
	grep -q '"GET /?before ' "$log.1"
	grep -q '"GET /?after ' "$log.1"
	[ "$(wc -l <"$log")" -eq 1 ]
	grep -q '"GET /?new ' "$log"
	# a relative --log path is reopened where it was first opened, not in the root
	stop_server
	case $BIN_DIR in /*) ;; *) BIN_DIR=$PWD/$BIN_DIR ;; esac
	cd "$BATS_TEST_TMPDIR"
	start_server scratchd --workers 1 --log rel.log "$ROOT"
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/?one"
	mv rel.log rel.log.1
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q reopened "$SERVER_ERR" && break; sleep 0.1; done
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/?two"
	sleep 1.2
	grep -q '"GET /?two ' rel.log
	[ ! -e "$ROOT/rel.log" ]
}

@test "SIGHUP and SIGUSR1 without a log file: ignored, the server goes on" {
	for workers in 1 2; do
		start_server scratchd --workers "$workers" "$ROOT"
		kill -HUP "$SERVER_PID"
		kill -USR1 "$SERVER_PID"
		sleep 0.3
		kill -0 "$SERVER_PID"
		[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/")" = hello ]
		[ -z "$(server_errors)" ]
		stop_server
	done
	bad_usage --log-format xml "--log-format: invalid value 'xml'"
	bad_usage --log-format JSON "--log-format: invalid value 'JSON'"
	run -2 timeout 10 "$BIN_DIR/scratchd" --log-format
	[ "${lines[0]}" = "scratchd: --log-format: needs a value" ]
}

# ---- --log-format json ----

@test "--log-format json: one valid JSON object a line, hostile user agents included" {
	start_server scratchd --workers 1 --log-format json --trusted-proxy 127.0.0.1 "$ROOT"
	raw_http 'GET /index.html?q=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: a" 200 1 "-" "fake\\ \xc3\xa9\r\nReferer: http://r.example/\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: bad \xff\xc0\xaf \xed\xa0\x80 ok \xf0\x9f\x98\x80\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: tab\there \x80\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET /a"b\\c HTTP/1.0\r\nUser-Agent: '"$(printf '\\\\%.0s' {1..300})"'\r\nX-Forwarded-For: 2001:db8::1\r\n\r\n' >/dev/null
	raw_http 'HEAD /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET /\x01" HTTP/1.1\r\nHost: x\r\n\r\n' >/dev/null
	sleep 1.2
	tail -n +2 "$SERVER_OUT" >"$BATS_TEST_TMPDIR/json"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/json")" -eq 6 ]
	python3 -m json.tool --json-lines "$BATS_TEST_TMPDIR/json" >/dev/null
	LC_ALL=C.UTF-8 iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/json" >/dev/null
	! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$BATS_TEST_TMPDIR/json")
	run python3 "$HELPER" jsonlog "$BATS_TEST_TMPDIR/json"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"'client': '127.0.0.1', 'method': 'GET', 'target': '/index.html?q=1', 'protocol': 'HTTP/1.1', 'status': 200, 'bytes': 6, 'referer': 'http://r.example/', 'user_agent': 'a\" 200 1 \"-\" \"fake\\\\ é'"* ]]
	[[ "${lines[1]}" == *"'user_agent': 'bad \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd ok 😀'"* ]] ||
		[[ "${lines[1]}" == *"'user_agent': 'bad ��� ��� ok 😀'"* ]]
	[[ "${lines[2]}" == *"'user_agent': 'tab\\there \\ufffd'"* ]] || [[ "${lines[2]}" == *"'user_agent': 'tab\\there �'"* ]]
	grep -q '"user_agent":"tab\\u0009here \\ufffd"' "$BATS_TEST_TMPDIR/json"	# as written
	[[ "${lines[3]}" == *"'client': '2001:db8::1', 'method': 'GET', 'target': '/a\"b\\\\c', 'protocol': 'HTTP/1.0'"* ]]
	[[ "${lines[3]}" == *"...', 'duration_us'"* ]]	# the agent was cut
	[[ "${lines[3]}" == *"'referer': None"* ]]
	[[ "${lines[4]}" == *"'method': 'HEAD', 'target': '/missing', 'protocol': 'HTTP/1.1', 'status': 404, 'bytes': 0"* ]]
	# refused before it was parsed: the line as received
	[[ "${lines[5]}" == *"'method': None, 'target': None, 'protocol': None, 'request': 'GET /\\x01\" HTTP/1.1', 'status': 400"* ]]
}

@test "--log-format json with two workers and --log FILE, reopened" {
	log="$BATS_TEST_TMPDIR/json.log"
	start_server scratchd --workers 2 --log-format=json --log "$log" "$ROOT"
	python3 "$HELPER" load "$PORT" 400 4 / >/dev/null
	mv "$log" "$log.1"
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q reopened "$SERVER_ERR" && break; sleep 0.1; done
	python3 "$HELPER" load "$PORT" 100 2 / >/dev/null
	stop_server
	SERVER_PID=
	cat "$log.1" "$log" >"$BATS_TEST_TMPDIR/all"
	python3 -m json.tool --json-lines "$BATS_TEST_TMPDIR/all" >/dev/null
	[ "$(wc -l <"$BATS_TEST_TMPDIR/all")" -eq 500 ]
	[ "$(wc -l <"$log")" -eq 100 ]
}

# ---- --metrics-path ----

@test "--metrics-path with --workers 2 under load: counters summed over the workers" {
	start_server scratchd --workers 2 --metrics-path /metrics --no-log "$ROOT"
	python3 "$HELPER" load "$PORT" 600 6 /index.html >"$BATS_TEST_TMPDIR/load"
	python3 "$HELPER" load "$PORT" 200 4 /missing >>"$BATS_TEST_TMPDIR/load"
	grep -qx '200 600' "$BATS_TEST_TMPDIR/load"
	grep -qx '404 200' "$BATS_TEST_TMPDIR/load"
	sleep 1.2	# the file cache's gauge is set once a second
	# both workers served (SO_REUSEPORT spreads connections): their rows are summed
	run python3 "$HELPER" metrics "$PORT" /metrics
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	echo "$output"
	grep -qx 'scratchd_requests_total{code="2xx"}=600' <<<"$output"
	grep -qx 'scratchd_requests_total{code="4xx"}=200' <<<"$output"
	grep -qx 'scratchd_requests_total{code="5xx"}=0' <<<"$output"
	grep -qx 'scratchd_connections_accepted_total=11' <<<"$output"
	grep -qx 'scratchd_workers=2' <<<"$output"
	grep -qx 'scratchd_connections_open=1' <<<"$output"	# this one
	grep -qx 'scratchd_timeouts_total=0' <<<"$output"
	grep -qx 'scratchd_errors_total=0' <<<"$output"
	sent=$(sed -n 's/^scratchd_sent_bytes_total=//p' <<<"$output")
	[ "$sent" -gt $((600 * 6 + 200 * 100)) ]
	cached=$(sed -n 's/^scratchd_file_cache_entries=//p' <<<"$output")
	[ "$cached" -ge 1 ] && [ "$cached" -le 2 ]
	# the scrape counts itself next time
	run python3 "$HELPER" metrics "$PORT" /metrics
	grep -qx 'scratchd_requests_total{code="2xx"}=601' <<<"$output"
	grep -qx 'scratchd_connections_accepted_total=12' <<<"$output"
	# per worker: both took part
	for pid in $(children_of "$SERVER_PID"); do kill -0 "$pid"; done
	[ "$(children_of "$SERVER_PID" | wc -w)" -eq 2 ]
}

@test "--metrics-path: timeouts and errors are counted; HEAD has no body" {
	start_server scratchd --workers 1 --metrics-path /metrics --proxy-protocol --header-timeout 1 "$ROOT"
	send 'GET / HTTP/1.1\r\n\r\n' >/dev/null		# no PROXY header: an error
	python3 "$HELPER" send "$PORT" "$(hex 'PROXY TCP4 1.2')" 3 >/dev/null	# a stall: a timeout
	h=$(python3 "$HELPER" proxy2 local - 0)
	run python3 "$HELPER" send "$PORT" "$h$(hex 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')"
	[[ "$output" == *'scratchd_timeouts_total 1\n'* ]]
	[[ "$output" == *'scratchd_errors_total 1\n'* ]]
	run python3 "$HELPER" send "$PORT" "$h$(hex 'HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')"
	[[ "$output" == "b'HTTP/1.1 200 OK"*"\\r\\n\\r\\n'" ]]
}

@test "--metrics-path answers loopback and --trusted-proxy clients, 403 to others unless --metrics-public" {
	start_server scratchd --workers 1 --metrics-path /metrics --proxy-protocol --trusted-proxy 192.0.2.0/24 "$ROOT"
	get='GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	for client in 127.0.0.1 192.0.2.50; do
		run send "PROXY TCP4 $client 127.0.0.1 1 80\r\n$get"
		[[ "$output" == "b'HTTP/1.1 200 OK"* ]] || { echo "$client: $output"; false; }
	done
	run send "PROXY TCP6 ::1 ::1 1 80\r\n$get"
	[[ "$output" == "b'HTTP/1.1 200 OK"* ]]
	run send "PROXY TCP4 203.0.113.9 127.0.0.1 1 80\r\n$get"
	[[ "$output" == "b'HTTP/1.1 403 Forbidden"* ]]
	# a trusted proxy's client: the client decides, not the proxy
	run send "PROXY TCP4 192.0.2.50 127.0.0.1 1 80\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n"
	[[ "$output" == "b'HTTP/1.1 403 Forbidden"* ]]
	run send "PROXY TCP4 192.0.2.50 127.0.0.1 1 80\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.9\r\nConnection: close\r\n\r\n"
	[[ "$output" == "b'HTTP/1.1 200 OK"* ]]
	stop_server
	start_server scratchd --workers 1 --metrics-path /metrics --metrics-public --proxy-protocol "$ROOT"
	run send "PROXY TCP4 203.0.113.9 127.0.0.1 1 80\r\n$get"
	[[ "$output" == "b'HTTP/1.1 200 OK"* ]]
}

@test "the seccomp filter lets each feature's calls through (recvfrom, recvmsg), and only when configured" {
	skip_on_cross "qemu-user implements no seccomp filters"
	log="$BATS_TEST_TMPDIR/a.log"
	start_server scratchd --workers 1 --log "$log" --proxy-protocol --metrics-path /metrics "$ROOT"
	[ "$(curl -sS --max-time 5 --haproxy-protocol "http://127.0.0.1:$PORT/")" = hello ]
	mv "$log" "$log.1"
	kill -USR1 "$SERVER_PID"
	for _ in $(seq 50); do grep -q reopened "$SERVER_ERR" && break; sleep 0.1; done
	[ "$(curl -sS --max-time 5 --haproxy-protocol "http://127.0.0.1:$PORT/")" = hello ]
	sleep 1.2
	[ "$(wc -l <"$log")" -eq 1 ]
	! grep -q 'killed by signal' "$SERVER_ERR"
	worker=$(children_of "$SERVER_PID")
	[ "$(awk '/^Seccomp:/ { print $2 }' "/proc/$worker/status")" = 2 ]
}
