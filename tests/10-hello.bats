#!/usr/bin/env bats
# build/hello: the seed's server, done right.

setup_file() {
	load test_helper/common
	start_server hello
}

teardown_file() {
	load test_helper/common
	stop_server
}

setup() {
	load test_helper/common
}

@test "hello prints its listening line with the real port" {
	[ "$PORT" -gt 0 ]
	[ "$(cat "$SERVER_OUT")" = "listening on http://127.0.0.1:$PORT" ]
}

@test "GET / returns 200, the headers and the hello body" {
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *$'Content-Type: text/html; charset=utf-8\r'* ]]
	[[ "$output" == *$'Content-Length: 20\r'* ]]
	[[ "$output" == *$'Connection: close\r'* ]]
	[ "${lines[-1]}" = "<h1>hello world</h1>" ]
}

@test "HEAD / returns the same headers and no body" {
	raw_http 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n' >"$BATS_TEST_TMPDIR/r"
	[ "$(status_of <"$BATS_TEST_TMPDIR/r")" = 200 ]
	grep -q $'^Content-Length: 20\r$' "$BATS_TEST_TMPDIR/r"
	# the reply ends right after the blank line
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/r" | od -An -c | tr -d ' ')" = '\r\n\r\n' ]
}

@test "POST with a body is read whole and answered 200" {
	run curl -sS --max-time 5 --data-binary 'name=value&x=1' "http://127.0.0.1:$PORT/form"
	[ "$status" -eq 0 ]
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "the answer waits until the announced body has arrived" {
	run timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345" >&5
		if timeout 1 cat <&5 | grep -q HTTP; then echo "answered early"; exit 1; fi
		printf "67890" >&5
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
}

@test "a request sent one byte at a time is answered" {
	run timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		req=$'"'"'GET / HTTP/1.1\r\nHost: x\r\n\r\n'"'"'
		for ((i = 0; i < ${#req}; i++)); do printf "%s" "${req:i:1}" >&5; done
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
}

@test "malformed request lines get 400 Bad Request" {
	for req in 'GARBAGE\r\n\r\n' 'GET /\r\n\r\n' 'GET / FTP/1.1\r\n\r\n' 'G(T / HTTP/1.1\r\n\r\n' \
		'GET  / HTTP/1.1\r\n\r\n' 'GET / HTTP/1.x\r\n\r\n' ' GET / HTTP/1.1\r\n\r\n' \
		'GET /\x01 HTTP/1.1\r\n\r\n' '\r\n\r\n'; do
		run raw_http "$req"
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "request: $req -> $output"; false; }
	done
}

@test "a Content-Length that is not a number gets 400" {
	for v in abc '1 2' '-1' '0x10' ''; do
		run raw_http "POST / HTTP/1.1\\r\\nContent-Length: $v\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "value '$v' -> $output"; false; }
	done
}

@test "a head larger than the 4096-byte buffer gets 431" {
	pad=$(head -c 5000 /dev/zero | tr '\0' a)
	run raw_http "GET / HTTP/1.1\\r\\nX-Pad: $pad\\r\\n\\r\\n"
	[ "${lines[0]}" = $'HTTP/1.1 431 Request Header Fields Too Large\r' ]
}

@test "a request of exactly 4096 bytes is served; one more byte of body gets 413" {
	# the head is 41 bytes on the wire, so a 4055-byte body fills the buffer exactly
	body=$(head -c 4055 /dev/zero | tr '\0' b)
	run raw_http "POST / HTTP/1.1\\r\\nContent-Length: 4055\\r\\n\\r\\n$body"
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	run raw_http "POST / HTTP/1.1\\r\\nContent-Length: 4056\\r\\n\\r\\n${body}b"
	[ "${lines[0]}" = $'HTTP/1.1 413 Content Too Large\r' ]
}

@test "a huge or overflowing Content-Length gets 413" {
	for v in 100000 99999999999999999999999; do
		run raw_http "POST / HTTP/1.1\\r\\nContent-Length: $v\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 413 Content Too Large\r' ] || { echo "$v -> $output"; false; }
	done
}

@test "a client that connects and closes without sending leaves hello serving" {
	for _ in 1 2 3; do
		bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"; exec 5>&-' "$PORT"
	done
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "a client that sends half a request and stalls is dropped after the timeout" {
	exec 6<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET / HTTP/1.1\r\n' >&6
	# hello serves one client at a time: the next one waits for the 5 s timeout
	run curl -sS --max-time 9 "http://127.0.0.1:$PORT/"
	exec 6>&-
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "bad arguments are refused with a usage message and exit status 1" {
	for args in "--port 70000" "--port x" "--addr 1.2.3" "--bogus 1" "--port"; do
		run "$BIN_DIR/hello" $args
		[ "$status" -eq 1 ] || { echo "$args -> $status"; false; }
		[[ "$output" == *"usage: hello"* ]]
	done
}

@test "a port in use is reported with its errno and exit status 1" {
	run "$BIN_DIR/hello" --addr 127.0.0.1 --port "$PORT"
	[ "$status" -eq 1 ]
	[ "$output" = "hello: bind failed: errno 98" ]
}
