#!/usr/bin/env bats
# The access log: Combined Log Format on stdout, buffered, escaped.

setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT"
	printf 'hello\n' >"$ROOT/index.html"
	export ROOT
}

setup() {
	load test_helper/common
	SERVER_PID=
}

teardown() {
	stop_server
}

# The log lines written so far (the buffer is flushed at least once a second).
log_lines() {
	sleep 1.2
	tail -n +2 "$SERVER_OUT"
}

@test "each request is one Combined Log Format line on stdout" {
	start_server scratchd --workers 1 "$ROOT"
	curl -sS --max-time 5 -o /dev/null -e 'http://ref.example/' -A 'test-agent/1.0' "http://127.0.0.1:$PORT/index.html?q=1"
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/missing"
	run log_lines
	[ "${#lines[@]}" -eq 2 ]
	re='^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\] '
	[[ "${lines[0]}" =~ ${re}'"GET /index.html?q=1 HTTP/1.1" 200 6 "http://ref.example/" "test-agent/1.0"'$ ]]
	[[ "${lines[1]}" =~ ${re}'"GET /missing HTTP/1.1" 404 '[0-9]+' "-" "curl/'[0-9.]+'"'$ ]]
}

@test "a hostile User-Agent cannot forge or garble log lines" {
	start_server scratchd --workers 1 "$ROOT"
	# quotes, a backslash, UTF-8; and a request with an ESC byte (refused, 400)
	raw_http 'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: a" 200 1 "-" "fake\\ \xc3\xa9\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: \x1b[2J\x1b[31mred\r\nConnection: close\r\n\r\n' >/dev/null
	raw_http 'GET /a"b\\c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >/dev/null
	run log_lines
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == *' 200 6 "-" "a\x22 200 1 \x22-\x22 \x22fake\x5c \xc3\xa9"' ]]
	[[ "${lines[1]}" == *'"GET / HTTP/1.1" 400 '* ]]
	[[ "${lines[2]}" == *'"GET /a\x22b\x5cc HTTP/1.1" 404 '* ]]
	# nothing but printable ASCII reached the file
	! LC_ALL=C grep -q '[^[:print:]]' <(tail -n +2 "$SERVER_OUT")
}

@test "--no-log writes only the listening line; --log FILE appends" {
	start_server scratchd --workers 1 --no-log "$ROOT"
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"
	run log_lines
	[ "${#lines[@]}" -eq 0 ]
	stop_server
	echo "earlier line" >"$BATS_TEST_TMPDIR/access.log"
	start_server scratchd --workers 2 --log "$BATS_TEST_TMPDIR/access.log" "$ROOT"
	for _ in 1 2 3 4; do curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"; done
	sleep 1.2
	[ "$(head -n 1 "$BATS_TEST_TMPDIR/access.log")" = "earlier line" ]
	[ "$(grep -c '"GET / HTTP/1.1" 200 6' "$BATS_TEST_TMPDIR/access.log")" -eq 4 ]
	[ "$(wc -l <"$SERVER_OUT")" -eq 1 ]
}

@test "a burst that fills the log buffer several times loses and garbles no line" {
	start_server scratchd --workers 1 "$ROOT"
	# 200 pipelined requests with 900-byte targets, in one connection: about
	# 200 KiB of log lines in well under the once-a-second flush, so the
	# buffer (64 KiB) is written out each time it is nearly full.
	local pad i
	pad=$(printf 'x%.0s' {1..890})
	for ((i = 1; i <= 200; i++)); do
		printf 'GET /index.html?%03d%s HTTP/1.1\r\nHost: x\r\n' "$i" "$pad"
		[ "$i" -eq 200 ] && printf 'Connection: close\r\n'
		printf '\r\n'
	done >"$BATS_TEST_TMPDIR/requests"
	timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		cat "$1" >&5
		cat <&5 >/dev/null' "$PORT" "$BATS_TEST_TMPDIR/requests"
	run log_lines
	[ "${#lines[@]}" -eq 200 ]
	for ((i = 1; i <= 200; i++)); do
		[[ "${lines[i - 1]}" == *"\"GET /index.html?$(printf %03d "$i")$pad HTTP/1.1\" 200 6 \"-\" \"-\"" ]]
	done
}

@test "lines logged after an idle spell (the log buffer given back) are whole" {
	start_server scratchd --workers 1 "$ROOT"
	curl -sS --max-time 5 -o /dev/null -A 'first/1' "http://127.0.0.1:$PORT/"
	sleep 2.2	# flushed, then no connection at a tick: the buffer's pages go
	curl -sS --max-time 5 -o /dev/null -A 'second/2' "http://127.0.0.1:$PORT/"
	curl -sS --max-time 5 -o /dev/null -A 'third/3' "http://127.0.0.1:$PORT/"
	run log_lines
	[ "${#lines[@]}" -eq 3 ]
	for i in 0 1 2; do
		agent=$(printf 'first/1\nsecond/2\nthird/3' | sed -n "$((i + 1))p")
		[[ "${lines[i]}" == *'"GET / HTTP/1.1" 200 6 "-" "'"$agent"'"' ]]
	done
}

@test "the log is flushed when the server stops" {
	start_server scratchd --workers 1 "$ROOT"
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"
	stop_server
	SERVER_PID=
	[ "$(tail -n +2 "$SERVER_OUT" | grep -c '"GET / HTTP/1.1" 200')" -eq 1 ]
}
