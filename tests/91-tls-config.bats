#!/usr/bin/env bats
# HTTPS configuration: --cert/--key in their formats and their refusals,
# SIGHUP reloading the pair, --redirect-http, --hsts, and the signer process
# seen from outside (strace, a killed signer).

bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/common
	export PKI="$BATS_FILE_TMPDIR/pki" PKI2="$BATS_FILE_TMPDIR/pki2"
	make_pki "$PKI"
	make_pki "$PKI2" " two"
	export ROOT="$BATS_FILE_TMPDIR/www"
	mkdir -p "$ROOT"
	printf 'hello\n' >"$ROOT/index.html"
}

setup() {
	load test_helper/common
	skip_on_cross "TLS interop runs natively"
	SERVER_PID=
}

teardown() {
	stop_server
}

tcurl() {
	curl -sS --max-time 20 --cacert "$PKI/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "$@"
}

# The serial number of the certificate the server at $PORT sends.
served_serial() {
	timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost </dev/null 2>/dev/null |
		openssl x509 -noout -serial
}

# run scratchd with ARGS and expect it to refuse to start: status 1, one line on stderr
refuses() {
	run -1 --separate-stderr timeout 10 "$BIN_DIR/scratchd" --addr 127.0.0.1 --port 0 --workers 1 "$@" "$ROOT"
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$stderr"; false; }
	[ -z "$output" ]	# never said it listens
}

@test "a SEC 1 key (BEGIN EC PRIVATE KEY) works as well as PKCS#8" {
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key-sec1.pem" "$ROOT"
	run tcurl "https://localhost:$PORT/"
	[ "$output" = hello ]
}

@test "a leaf alone (no chain) works when the client trusts it" {
	start_tls_server scratchd --workers 2 --no-log --cert "$PKI/cert.pem" --key "$PKI/key.pem" "$ROOT"
	for _ in 1 2 3 4; do
		run tcurl "https://localhost:$PORT/"
		[ "$output" = hello ]
	done
}

@test "a key that does not match the certificate: refused at start-up, one line" {
	refuses --cert "$PKI/chain.pem" --key "$PKI2/key.pem"
	[[ "$stderr" == *"--key $PKI2/key.pem: the key does not match the certificate's public key"* ]]
}

@test "an RSA key is refused, naming the supported key type" {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$BATS_TEST_TMPDIR/rsa.pem" 2>/dev/null
	refuses --cert "$PKI/chain.pem" --key "$BATS_TEST_TMPDIR/rsa.pem"
	[[ "$stderr" == *"RSA keys are not supported: use an ECDSA P-256 (prime256v1) key"* ]]
	openssl rsa -in "$BATS_TEST_TMPDIR/rsa.pem" -traditional -out "$BATS_TEST_TMPDIR/rsa1.pem" 2>/dev/null
	refuses --cert "$PKI/chain.pem" --key "$BATS_TEST_TMPDIR/rsa1.pem"
	[[ "$stderr" == *"RSA keys are not supported"* ]]
}

@test "an RSA certificate is refused, naming the supported key type" {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$BATS_TEST_TMPDIR/k.pem" -subj /CN=x -days 1 \
		-out "$BATS_TEST_TMPDIR/c.pem" 2>/dev/null
	refuses --cert "$BATS_TEST_TMPDIR/c.pem" --key "$PKI/key.pem"
	[[ "$stderr" == *"the certificate's key is not ECDSA P-256 (prime256v1)"* ]]
}

@test "other bad pairs are refused: P-384 key, encrypted key, missing files, garbage, --cert without --key" {
	openssl ecparam -name secp384r1 -genkey -noout -out "$BATS_TEST_TMPDIR/p384.pem"
	refuses --cert "$PKI/chain.pem" --key "$BATS_TEST_TMPDIR/p384.pem"
	[[ "$stderr" == *"not an ECDSA P-256"* ]]
	openssl pkcs8 -topk8 -in "$PKI/key.pem" -passout pass:x -out "$BATS_TEST_TMPDIR/enc.pem"
	refuses --cert "$PKI/chain.pem" --key "$BATS_TEST_TMPDIR/enc.pem"
	[[ "$stderr" == *"encrypted keys are not supported"* ]]
	refuses --cert "$PKI/nope.pem" --key "$PKI/key.pem"
	[[ "$stderr" == *"--cert $PKI/nope.pem: no such file or directory"* ]]
	refuses --cert "$PKI/chain.pem" --key "$PKI/nope.pem"
	[[ "$stderr" == *"--key $PKI/nope.pem: no such file or directory"* ]]
	printf 'not a key\n' >"$BATS_TEST_TMPDIR/junk.pem"
	refuses --cert "$BATS_TEST_TMPDIR/junk.pem" --key "$PKI/key.pem"
	[[ "$stderr" == *"no PEM certificate found"* ]]
	refuses --cert "$PKI/chain.pem" --key "$BATS_TEST_TMPDIR/junk.pem"
	[[ "$stderr" == *"no PEM private key found"* ]]
	run -2 "$BIN_DIR/scratchd" --cert "$PKI/chain.pem" "$ROOT"
	[[ "$output" == *"--cert and --key go together"* ]]
	run -2 "$BIN_DIR/scratchd" --redirect-http 8081 "$ROOT"
	[[ "$output" == *"--redirect-http: needs --cert and --key"* ]]
	run -2 "$BIN_DIR/scratchd" --hsts 60 "$ROOT"
	[[ "$output" == *"--hsts: needs --cert and --key"* ]]
}

@test "SIGHUP loads a renewed certificate and key without dropping connections" {
	cp "$PKI/chain.pem" "$BATS_TEST_TMPDIR/live-chain.pem"
	cp "$PKI/key.pem" "$BATS_TEST_TMPDIR/live-key.pem"
	start_tls_server scratchd --workers 2 --no-log --cert "$BATS_TEST_TMPDIR/live-chain.pem" \
		--key "$BATS_TEST_TMPDIR/live-key.pem" --idle-timeout 30 "$ROOT"
	old=$(served_serial)
	# a connection open across the reload: a request before, one after
	"$PY" tests/tls/tls_client.py hold "$PORT" "$PKI/ca.pem" "$BATS_TEST_TMPDIR/ready" \
		"$BATS_TEST_TMPDIR/go" >"$BATS_TEST_TMPDIR/held" 2>&1 3>&- &
	held=$!
	for _ in $(seq 100); do [ -e "$BATS_TEST_TMPDIR/ready" ] && break; sleep 0.1; done
	[ -e "$BATS_TEST_TMPDIR/ready" ]
	cp "$PKI2/chain.pem" "$BATS_TEST_TMPDIR/live-chain.pem"
	cp "$PKI2/key.pem" "$BATS_TEST_TMPDIR/live-key.pem"
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q reloaded "$SERVER_ERR" && break; sleep 0.1; done
	grep -qx 'scratchd: SIGHUP: certificate and key reloaded' "$SERVER_ERR"
	new=$(served_serial)
	[ -n "$old" ] && [ -n "$new" ] && [ "$old" != "$new" ]
	[ "$new" = "$(openssl x509 -in "$PKI2/cert.pem" -noout -serial)" ]
	run curl -sS --max-time 10 --cacert "$PKI2/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
	[ "$output" = hello ]
	# the connection opened before the reload still works
	touch "$BATS_TEST_TMPDIR/go"
	wait "$held"
	[ "$(cat "$BATS_TEST_TMPDIR/held")" = "200 200" ]
	kill -0 "$SERVER_PID"
}

@test "SIGHUP with a bad new pair keeps the old one, and says so in one line" {
	cp "$PKI/chain.pem" "$BATS_TEST_TMPDIR/live-chain.pem"
	cp "$PKI/key.pem" "$BATS_TEST_TMPDIR/live-key.pem"
	start_tls_server scratchd --workers 1 --no-log --cert "$BATS_TEST_TMPDIR/live-chain.pem" \
		--key "$BATS_TEST_TMPDIR/live-key.pem" "$ROOT"
	old=$(served_serial)
	cp "$PKI2/key.pem" "$BATS_TEST_TMPDIR/live-key.pem"	# a key that is not the certificate's
	kill -HUP "$SERVER_PID"
	for _ in $(seq 50); do grep -q SIGHUP "$SERVER_ERR" && break; sleep 0.1; done
	run cat "$SERVER_ERR"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "scratchd: SIGHUP: --key "*": the key does not match the certificate's public key; keeping the certificate and key in use" ]]
	[ "$(served_serial)" = "$old" ]
	run tcurl "https://localhost:$PORT/"
	[ "$output" = hello ]
}

@test "--redirect-http answers every request with 308 to the same path on https://" {
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" \
		--redirect-http 0 "$ROOT"
	[ -n "$REDIRECT_PORT" ]
	grep -qE "^listening on http://127\.0\.0\.1:$REDIRECT_PORT$" "$SERVER_OUT"
	run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$REDIRECT_PORT/a/b?x=1&y=2"
	[ "$output" = "308 https://localhost:$PORT/a/b?x=1&y=2" ]
	run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -X POST -d data "http://127.0.0.1:$REDIRECT_PORT/form"
	[ "$output" = "308 https://127.0.0.1:$PORT/form" ]
	# following it ends on the page over TLS
	run curl -sSL --cacert "$PKI/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "http://localhost:$REDIRECT_PORT/"
	[ "$output" = hello ]
	# a Host that is not a host name is refused, not copied into Location
	run raw_http_to "$REDIRECT_PORT" 'GET / HTTP/1.1\r\nHost: evil.example/x\r\nConnection: close\r\n\r\n'
	[[ "$output" == "HTTP/1.1 400 "* ]]
	run raw_http_to "$REDIRECT_PORT" 'GET / HTTP/1.0\r\n\r\n'
	[[ "$output" == "HTTP/1.1 308 "* ]]
	[[ "$output" == *"Location: https://127.0.0.1:$PORT/"* ]]
}

@test "--hsts sends Strict-Transport-Security over HTTPS, never over plain HTTP" {
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" \
		--redirect-http 0 --hsts 31536000 "$ROOT"
	run tcurl -sI "https://localhost:$PORT/"
	[[ "$output" == *"Strict-Transport-Security: max-age=31536000"* ]]
	run tcurl -s "https://localhost:$PORT/missing" -D -
	[[ "$output" == *"Strict-Transport-Security: max-age=31536000"* ]]
	run curl -sSI "http://127.0.0.1:$REDIRECT_PORT/"
	[[ "$output" == *"308"* ]]
	[[ "$output" != *"Strict-Transport-Security"* ]]
}

@test "strace: one signer round trip per full handshake, and the key never read by the supervisor" {
	need_strace
	trace="$BATS_TEST_TMPDIR/trace"
	# -ff: one file per process, so no call is split into "unfinished" and
	# "resumed" halves by another process's
	strace -ff -qq -o "$trace" -e trace=read,write,openat,sendmsg,recvmsg,getrandom,pread64 \
		"$BIN_DIR/scratchd" --addr 127.0.0.1 --port 0 --workers 1 --no-log \
		--cert "$PKI/chain.pem" --key "$PKI/key.pem" "$ROOT" >"$trace.out" 2>"$trace.err" 3>&- &
	STRACE_PID=$!
	for _ in $(seq 100); do grep -q https "$trace.out" && break; sleep 0.1; done
	PORT=$(sed -n 's|^listening on https://.*:\([0-9][0-9]*\)$|\1|p' "$trace.out")
	for _ in 1 2 3; do
		run tcurl "https://localhost:$PORT/"
		[ "$output" = hello ]
	done
	kill -TERM $(pgrep -P "$STRACE_PID") 2>/dev/null
	for _ in $(seq 50); do kill -0 "$STRACE_PID" 2>/dev/null || break; sleep 0.1; done
	all() { cat "$trace".*; }
	# the key file: opened once, by the supervisor; it then goes to the
	# signer (sendmsg, recvmsg), which alone reads it
	[ "$(all | grep -c 'openat(.*key.pem')" -eq 1 ]
	[ "$(all | grep -c 'sendmsg(')" -eq 1 ]
	[ "$(all | grep -c 'recvmsg(')" -eq 1 ]
	# a request of 80 bytes to the signer, a reply of 88, per handshake
	[ "$(all | grep -cE 'write\([0-9]+, .*, 80\) += 80')" -eq 3 ]
	[ "$(all | grep -cE 'read\([0-9]+, .*, 88\) += 88')" -ge 3 ]
	# fresh randomness per handshake (64 bytes) and per signature (32)
	[ "$(all | grep -cE 'getrandom\(.*, 64, 0\) += 64')" -eq 3 ]
	[ "$(all | grep -cE 'getrandom\(.*, 32, 0\) += 32')" -eq 3 ]
}

@test "a killed signer stops the server with one line and status 1, not a hang" {
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" "$ROOT"
	signer=
	for pid in $(children_of "$SERVER_PID"); do
		[ -e "/proc/$pid/fd/1" ] || signer=$pid
	done
	[ -n "$signer" ]
	kill -KILL "$signer"
	for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
	run -1 wait "$SERVER_PID"
	SERVER_PID=
	grep -q "scratchd: the signer (pid $signer) was killed by signal 9; no handshake can complete: stopping" "$SERVER_ERR"
}

@test "the signer is confined by seccomp, and workers too" {
	skip_on_cross "qemu-user has no seccomp"
	start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" "$ROOT"
	for pid in $(children_of "$SERVER_PID"); do
		grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status"
	done
	[ "$(children_of "$SERVER_PID" | wc -w)" -eq 2 ]
}
