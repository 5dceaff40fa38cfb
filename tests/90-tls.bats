#!/usr/bin/env bats
# HTTPS: scratchd's own TLS 1.3 against clients nobody here wrote: curl and
# openssl s_client (OpenSSL), gnutls-cli (GnuTLS), Python's ssl. The
# certificates are made here with openssl (make_pki), never committed.

bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/common
	export PKI="$BATS_FILE_TMPDIR/pki"
	make_pki "$PKI"
	export ROOT="$BATS_FILE_TMPDIR/www"
	mkdir -p "$ROOT/dir"
	printf 'hello over tls\n' >"$ROOT/index.html"
	printf 'in a directory\n' >"$ROOT/dir/page.txt"
	head -c $((64 * 1024 * 1024)) /dev/urandom >"$ROOT/big.bin"
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
	SERVER_PID=$(cat "$BATS_FILE_TMPDIR/pid")
	PORT=$(cat "$BATS_FILE_TMPDIR/port")
	SERVER_ERR="$BATS_FILE_TMPDIR/scratchd.err"
	skip_on_cross "TLS interop runs natively (the engine's tests run everywhere)"
}

# curl over HTTPS, trusting only the test CA
tcurl() {
	curl -sS --max-time 20 --cacert "$PKI/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "$@"
}

# openssl s_client with the test CA; input from stdin
sclient() {
	timeout 20 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$PKI/ca.pem" \
		-verify_return_error "$@" 2>&1
}

@test "the listening line names https:// and the real port" {
	grep -qE "^listening on https://127\\.0\\.0\\.1:$PORT\$" "$BATS_FILE_TMPDIR/scratchd.out"
}

@test "curl (OpenSSL) fetches a page over TLS 1.3, the certificate verified by the test CA" {
	run tcurl -w '%{http_code} %{ssl_verify_result}\n' "https://localhost:$PORT/"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "hello over tls" ]
	[ "${lines[1]}" = "200 0" ]
}

@test "curl without the CA refuses the certificate (it is really checked)" {
	run curl -sS --max-time 10 --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/"
	[ "$status" -eq 60 ]
}

@test "HTTP features work over TLS: 404, HEAD, a range, a directory redirect" {
	run tcurl -o /dev/null -w '%{http_code}' "https://localhost:$PORT/missing"
	[ "$output" = 404 ]
	run tcurl -I "https://localhost:$PORT/index.html"
	[[ "$output" == *"Content-Length: 15"* ]]
	run tcurl -r 0-4 "https://localhost:$PORT/index.html"
	[ "$output" = hello ]
	run tcurl -o /dev/null -w '%{http_code} %{redirect_url}' "https://localhost:$PORT/dir"
	[[ "$output" == "301 "* ]]
}

@test "openssl s_client negotiates each cipher suite" {
	for suite in TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256; do
		run sclient -tls1_3 -ciphersuites "$suite" </dev/null
		[[ "$output" == *"Cipher is $suite"* ]] || { echo "$suite: $output"; false; }
		[[ "$output" == *"Verify return code: 0 (ok)"* ]]
	done
}

@test "the client's suite order is honoured" {
	run sclient -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256 </dev/null
	[[ "$output" == *"Cipher is TLS_CHACHA20_POLY1305_SHA256"* ]]
	run sclient -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256 </dev/null
	[[ "$output" == *"Cipher is TLS_AES_128_GCM_SHA256"* ]]
}

@test "openssl s_client negotiates each group: X25519 and P-256" {
	run sclient -tls1_3 -groups X25519 </dev/null
	[[ "$output" == *"Server Temp Key: X25519"* ]] || { echo "$output"; false; }
	run sclient -tls1_3 -groups P-256 </dev/null
	[[ "$output" == *"Server Temp Key: ECDH, prime256v1"* ]] || { echo "$output"; false; }
}

@test "a client whose key share we cannot use gets a HelloRetryRequest, then completes" {
	# X448 first: its share is sent, ours is X25519; the second ClientHello carries it
	run sclient -tls1_3 -groups X448:X25519 -msg </dev/null
	[[ "$output" == *"Server Temp Key: X25519"* ]] || { echo "$output"; false; }
	[ "$(grep -c '>>> .*ClientHello' <<<"$output")" -eq 2 ]
	[[ "$output" == *"Verify return code: 0 (ok)"* ]]
}

@test "a client offering no group of ours is refused with handshake_failure" {
	run sclient -tls1_3 -groups X448 </dev/null
	[[ "$output" == *"alert handshake failure"* ]] || { echo "$output"; false; }
}

@test "ALPN: http/1.1 is chosen when h2 is offered too; no ALPN without the extension" {
	run sclient -tls1_3 -alpn h2,http/1.1 </dev/null
	[[ "$output" == *"ALPN protocol: http/1.1"* ]] || { echo "$output"; false; }
	run sclient -tls1_3 </dev/null
	[[ "$output" == *"No ALPN negotiated"* ]]
	run sclient -tls1_3 -alpn h2 </dev/null
	[[ "$output" == *"no application protocol"* ]]
}

@test "gnutls-cli (another implementation) completes a handshake and gets the page" {
	command -v gnutls-cli >/dev/null || skip "gnutls-cli is not installed"
	run bash -c "printf 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
		timeout 20 gnutls-cli --x509cafile '$PKI/ca.pem' --port $PORT localhost 2>&1"
	[[ "$output" == *"Description: (TLS1.3-"* ]] || { echo "$output"; false; }
	[[ "$output" == *"hello over tls"* ]]
}

@test "Python's ssl module keeps one connection alive for several requests" {
	run "$PY" tests/tls/tls_client.py keepalive "$PORT" "$PKI/ca.pem" 5
	[ "$output" = "200 200 200 200 200 connections=1 version=TLSv1.3" ]
}

@test "a 64 MiB file arrives intact" {
	want=$(sha256sum <"$ROOT/big.bin")
	got=$(tcurl "https://localhost:$PORT/big.bin" | sha256sum)
	[ "$got" = "$want" ]
}

@test "pipelined requests over TLS are answered in order" {
	run bash -c "printf 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /dir/page.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 20 openssl s_client -quiet -connect 127.0.0.1:$PORT -tls1_3 2>/dev/null"
	[ "$(grep -c '^HTTP/1.1' <<<"$output")" -eq 3 ]
	[ "$(grep '^HTTP/1.1' <<<"$output" | cut -d' ' -f2 | tr '\n' ' ')" = "200 200 404 " ]
	[[ "$output" == *"hello over tls"*"in a directory"* ]]
}

@test "KeyUpdate: the server answers an update_requested with its own, and the connection goes on" {
	# s_client's command letters work only without -ign_eof: stdin stays
	# open (the sleeps) until the answers are in.
	# K: KeyUpdate(update_requested); the request after it must still be answered
	run bash -c "(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 0.5; printf 'K\n'; sleep 0.5;
		printf 'GET /dir/page.txt HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 1) |
		timeout 20 openssl s_client -connect 127.0.0.1:$PORT -tls1_3 -msg 2>&1"
	[ "$(grep -c '>>> .*KeyUpdate' <<<"$output")" -eq 1 ] || { echo "$output"; false; }
	[ "$(grep -c '<<< .*KeyUpdate' <<<"$output")" -eq 1 ]
	[[ "$output" == *"hello over tls"*"in a directory"* ]]
	# k: KeyUpdate(update_not_requested): no answer, and data goes on
	run bash -c "(printf 'k\n'; sleep 0.5; printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 1) |
		timeout 20 openssl s_client -connect 127.0.0.1:$PORT -tls1_3 -msg 2>&1"
	[ "$(grep -c '>>> .*KeyUpdate' <<<"$output")" -eq 1 ] || { echo "$output"; false; }
	[ "$(grep -c '<<< .*KeyUpdate' <<<"$output")" -eq 0 ]
	[[ "$output" == *"hello over tls"* ]]
}

@test "close_notify is sent when the server closes the connection" {
	run bash -c "printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 20 openssl s_client -connect 127.0.0.1:$PORT -tls1_3 -msg -ign_eof 2>&1"
	[[ "$output" == *"<<< TLS 1.3, Alert"*"close_notify"* || "$output" == *"closed"* ]] || { echo "$output"; false; }
	[[ "$output" == *"hello over tls"* ]]
}

@test "a TLS 1.2-only client gets a protocol_version alert" {
	run sclient -tls1_2 </dev/null
	[[ "$output" == *"alert protocol version"* ]] || { echo "$output"; false; }
}

@test "an SSLv3-style ClientHello (no supported_versions) gets a protocol_version alert" {
	# record: handshake, version 3.0; ClientHello, legacy_version 3.0, one
	# suite, null compression, no extensions
	hello=$(printf '160300%04x01%06x0300%064x00000200ff0100' 45 41 0)
	run "$PY" tests/tls/tls_client.py raw "$PORT" "$hello"
	[ "$output" = 15030300020246 ] || [ "$output" = 15030000020246 ] || { echo "$output"; false; }
}

@test "plain HTTP sent to the TLS port gets an alert, and the server lives on" {
	run "$PY" tests/tls/tls_client.py raw "$PORT" "$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | od -An -tx1 | tr -d ' \n')"
	[[ "$output" == 150303* || "$output" == "" ]] || { echo "$output"; false; }
	run tcurl "https://localhost:$PORT/"
	[ "$output" = "hello over tls" ]
}

@test "a client that stalls mid-handshake is timed out (--header-timeout 2)" {
	main_pid=$SERVER_PID
	SERVER_NAME=stall start_tls_server scratchd --workers 1 --no-log --cert "$PKI/chain.pem" \
		--key "$PKI/key.pem" --header-timeout 2 "$ROOT"
	# half a ClientHello record, then silence
	start=$(date +%s)
	run "$PY" tests/tls/tls_client.py raw "$PORT" 160301020001 6
	end=$(date +%s)
	stop_server
	SERVER_PID=$main_pid
	[ "$output" = "" ] || [[ "$output" == 15* ]] || { echo "$output"; false; }
	[ $((end - start)) -le 5 ]
}

@test "1,000 concurrent TLS connections each complete a handshake, wait a second, and get an answer" {
	# 1,000 handshakes at once queue up at the signer: none may be lost
	run "$PY" tests/tls/tls_client.py idle "$PORT" "$PKI/ca.pem" 1000 1
	[ "$output" = "1000 ok" ] || { echo "$output"; false; }
	kill -0 "$SERVER_PID"
}

@test "the private key is in the signer's memory and in no other process's" {
	found_signer=0
	for pid in $(children_of "$SERVER_PID"); do
		r=$("$PY" tests/tls/tls_client.py memsearch "$pid" "$PKI/key.pem")
		if [ ! -e "/proc/$pid/fd/1" ]; then	# the signer keeps no stdout
			[ "$r" = 1 ] && found_signer=1
		else
			[ "$r" = 0 ] || { echo "key bytes found in worker $pid"; false; }
		fi
	done
	[ "$found_signer" = 1 ]	# the search can find it: the others' 0 means something
	[ "$("$PY" tests/tls/tls_client.py memsearch "$SERVER_PID" "$PKI/key.pem")" = 0 ]
}

@test "the server wrote nothing to stderr" {
	run server_errors
	[ -z "$output" ]
}
