#!/usr/bin/env bats
# build/hello: the seed's server, done right; and its twin in assembly,
# build/hello-asm, which must behave the same: tests/run.sh runs this file
# once more with HELLO=hello-asm.

HELLO=${HELLO:-hello}

# hello-asm is x86_64 code: on the other architectures (make test-cross)
# there is none, and its tests skip, saying so. (bats cannot skip from
# setup_file: there it only starts no server.)
asm_elsewhere() {
	[ "$HELLO" = hello-asm ] && { [ -n "$CROSS_ARCH" ] || [ "$(uname -m)" != x86_64 ]; }
}

skip_unless_built() {
	if [ "$HELLO" = hello-asm ]; then
		skip_on_cross "hello-asm is x86_64 only"
		[ "$(uname -m)" = x86_64 ] || skip "hello-asm is x86_64 only"
	fi
}

setup_file() {
	load test_helper/common
	asm_elsewhere && return 0
	start_server "$HELLO"
}

teardown_file() {
	load test_helper/common
	stop_server
}

setup() {
	load test_helper/common
	skip_unless_built
}

@test "$HELLO prints its listening line with the real port" {
	[ "$PORT" -gt 0 ]
	[ "$(cat "$SERVER_OUT")" = "listening on http://127.0.0.1:$PORT" ]
}

@test "$HELLO: --addr and --port in either order, and the listening line prints the address" {
	out="$BATS_TEST_TMPDIR/out"
	for args in "--addr 127.0.100.255 --port 0" "--port 0 --addr 127.0.100.255"; do
		: >"$out"
		"$BIN_DIR/$HELLO" $args >"$out" 2>&1 3>&- &
		pid=$!
		wait_listening "$out" "$pid"
		line=$(cat "$out")
		run curl -sS --max-time 5 "http://127.0.100.255:$PORT/"
		stop_pid "$pid"
		[ "$line" = "listening on http://127.0.100.255:$PORT" ] || { echo "$args -> $line"; false; }
		[ "$output" = "<h1>hello world</h1>" ]
	done
}

@test "$HELLO: the image is static, with one read+execute segment and a non-executable stack" {
	run readelf -hlW "$IMAGE_DIR/$HELLO"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Type:"*"EXEC"* ]]
	[[ "$output" != *INTERP* && "$output" != *DYNAMIC* ]]
	[ "$(grep -c 'LOAD.* R E ' <<<"$output")" -eq 1 ]
	[ -z "$(grep 'LOAD.* RWE ' <<<"$output")" ]	# no segment both writable and executable
	grep -Eq 'GNU_STACK .* RW  ' <<<"$output"
}

@test "$HELLO: the running server maps nothing both writable and executable" {
	skip_on_cross "qemu-user's own mappings, not the program's"
	grep -q '\[stack\]$' "/proc/$SERVER_PID/maps"
	run awk '$2 ~ /w.x/' "/proc/$SERVER_PID/maps"
	[ -z "$output" ] || { echo "$output"; false; }
}

@test "$HELLO: GET / returns 200, the headers and the hello body" {
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *$'Content-Type: text/html; charset=utf-8\r'* ]]
	[[ "$output" == *$'Content-Length: 20\r'* ]]
	[[ "$output" == *$'Connection: close\r'* ]]
	[ "${lines[-1]}" = "<h1>hello world</h1>" ]
}

@test "$HELLO: HEAD / returns the same headers and no body" {
	raw_http 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n' >"$BATS_TEST_TMPDIR/r"
	[ "$(status_of <"$BATS_TEST_TMPDIR/r")" = 200 ]
	grep -q $'^Content-Length: 20\r$' "$BATS_TEST_TMPDIR/r"
	# the reply ends right after the blank line
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/r" | od -An -c | tr -d ' ')" = '\r\n\r\n' ]
}

@test "$HELLO: POST with a body is read whole and answered 200" {
	run curl -sS --max-time 5 --data-binary 'name=value&x=1' "http://127.0.0.1:$PORT/form"
	[ "$status" -eq 0 ]
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "$HELLO: the answer waits until the announced body has arrived" {
	run timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345" >&5
		if timeout 1 cat <&5 | grep -q HTTP; then echo "answered early"; exit 1; fi
		printf "67890" >&5
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
}

@test "$HELLO: a request sent one byte at a time is answered" {
	run timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		req=$'"'"'GET / HTTP/1.1\r\nHost: x\r\n\r\n'"'"'
		for ((i = 0; i < ${#req}; i++)); do printf "%s" "${req:i:1}" >&5; done
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
}

@test "$HELLO: malformed request lines get 400 Bad Request" {
	for req in 'GARBAGE\r\n\r\n' 'GET /\r\n\r\n' 'GET / FTP/1.1\r\n\r\n' 'G(T / HTTP/1.1\r\n\r\n' \
		'GET  / HTTP/1.1\r\n\r\n' 'GET / HTTP/1.x\r\n\r\n' ' GET / HTTP/1.1\r\n\r\n' \
		'GET /\x01 HTTP/1.1\r\n\r\n' '\r\n\r\n'; do
		run raw_http "$req"
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "request: $req -> $output"; false; }
	done
}

@test "$HELLO: a Content-Length that is not a number gets 400" {
	for v in abc '1 2' '-1' '0x10' ''; do
		run raw_http "POST / HTTP/1.1\\r\\nContent-Length: $v\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "value '$v' -> $output"; false; }
	done
}

@test "$HELLO: a head larger than the 4096-byte buffer gets 431" {
	pad=$(head -c 5000 /dev/zero | tr '\0' a)
	run raw_http "GET / HTTP/1.1\\r\\nX-Pad: $pad\\r\\n\\r\\n"
	[ "${lines[0]}" = $'HTTP/1.1 431 Request Header Fields Too Large\r' ]
}

@test "$HELLO: a request of exactly 4096 bytes is served; one more byte of body gets 413" {
	# the head is 41 bytes on the wire, so a 4055-byte body fills the buffer exactly
	body=$(head -c 4055 /dev/zero | tr '\0' b)
	run raw_http "POST / HTTP/1.1\\r\\nContent-Length: 4055\\r\\n\\r\\n$body"
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	run raw_http "POST / HTTP/1.1\\r\\nContent-Length: 4056\\r\\n\\r\\n${body}b"
	[ "${lines[0]}" = $'HTTP/1.1 413 Content Too Large\r' ]
}

@test "$HELLO: a huge or overflowing Content-Length gets 413" {
	for v in 100000 99999999999999999999999; do
		run raw_http "POST / HTTP/1.1\\r\\nContent-Length: $v\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 413 Content Too Large\r' ] || { echo "$v -> $output"; false; }
	done
}

@test "a client that connects and closes without sending leaves $HELLO serving" {
	for _ in 1 2 3; do
		bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"; exec 5>&-' "$PORT"
	done
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "$HELLO: a client that sends half a request and stalls is dropped after the timeout" {
	exec 6<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET / HTTP/1.1\r\n' >&6
	# it serves one client at a time: the next one waits for the 5 s timeout
	run curl -sS --max-time 9 "http://127.0.0.1:$PORT/"
	exec 6>&-
	[ "$output" = "<h1>hello world</h1>" ]
}

@test "$HELLO: bad arguments are refused with a usage message and exit status 1" {
	for args in "--port 70000" "--port x" "--addr 1.2.3" "--bogus 1" "--port"; do
		run "$BIN_DIR/$HELLO" $args
		[ "$status" -eq 1 ] || { echo "$args -> $status"; false; }
		[[ "$output" == *"usage: hello"* ]]
	done
}

@test "$HELLO: a port in use is reported with its errno and exit status 1" {
	run "$BIN_DIR/$HELLO" --addr 127.0.0.1 --port "$PORT"
	[ "$status" -eq 1 ]
	[ "$output" = "hello: bind failed: errno 98" ]
}
