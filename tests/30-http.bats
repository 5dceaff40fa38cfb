#!/usr/bin/env bats
# build/scratchd speaking HTTP/1.1: persistence, pipelining, bodies, errors.

setup_file() {
	load test_helper/common
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT/sub"
	printf '<h1>index</h1>\n' >"$ROOT/index.html"
	printf 'A' >"$ROOT/a.txt"
	printf 'B' >"$ROOT/b.txt"
	printf 'C' >"$ROOT/c.txt"
	printf 'sub index\n' >"$ROOT/sub/index.html"
	head -c 100000 /dev/urandom >"$ROOT/body.bin"
	export ROOT
	start_server scratchd "$ROOT"
}

teardown_file() {
	load test_helper/common
	stop_server
}

setup() {
	load test_helper/common
}

@test "GET / serves index.html with Server, Date, Content-Type and Content-Length" {
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *$'\r\nServer: scratchd\r\n'* ]]
	date_re='Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT'
	grep -Eq "^$date_re"$'\r$' <<<"$output"
	[[ "$output" == *$'\r\nContent-Type: text/html; charset=utf-8\r\n'* ]]
	[[ "$output" == *$'\r\nContent-Length: 15\r\n'* ]]
	[ "${lines[-1]}" = "<h1>index</h1>" ]
}

@test "HEAD gives the same headers as GET and no body" {
	get=$(curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$PORT/a.txt" | grep -v '^Date:')
	raw_http 'HEAD /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$BATS_TEST_TMPDIR/head"
	[ "$(grep -v '^Date:' "$BATS_TEST_TMPDIR/head" | grep -v '^Connection:')" = "$get" ]
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/head" | od -An -c | tr -d ' ')" = '\r\n\r\n' ]
}

@test "curl reuses one connection for two URLs (keep-alive)" {
	run curl -sS --max-time 5 -o /dev/null -w '%{num_connects}\n' "http://127.0.0.1:$PORT/a.txt" \
		-o /dev/null "http://127.0.0.1:$PORT/b.txt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 0 ]
}

@test "Connection: close is answered with Connection: close and the server closes" {
	run raw_http 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$status" -eq 0 ]	# raw_http returns only because the server closed
	[[ "$output" == *$'\r\nConnection: close\r\n'* ]]
	[ "${lines[-1]}" = A ]
}

@test "HTTP/1.0 closes by default and stays open with keep-alive" {
	run raw_http 'GET /a.txt HTTP/1.0\r\n\r\n'
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\r\nConnection: close\r\n'* ]]
	run raw_http 'GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b.txt HTTP/1.0\r\n\r\n'
	[ "$status" -eq 0 ]
	[ "$(grep -o 'HTTP/1.1 200 OK' <<<"$output" | wc -l)" -eq 2 ]
	# a 1.0 client takes a response that does not say keep-alive as closing
	# (RFC 9112 Appendix C.2.2): the first says it, the second closes
	[ "$(grep -c $'^Connection: keep-alive\r$' <<<"$output")" -eq 1 ]
	[ "$(grep -c $'^Connection: close\r$' <<<"$output")" -eq 1 ]
	[[ "$output" == *$'Connection: keep-alive\r\n\r\nA'* ]]
	# a 304 says it too; an HTTP/1.1 response never needs to
	run raw_http 'GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\nIf-None-Match: *\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 304 Not Modified\r' ]
	[ "$(grep -c $'^Connection: keep-alive\r$' <<<"$output")" -eq 1 ]
	[ "$(grep -o 'HTTP/1.1 200 OK' <<<"$output" | wc -l)" -eq 2 ]
}

@test "pipelined requests in one write are answered in order" {
	run raw_http 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$status" -eq 0 ]
	[ "$(grep -o 'HTTP/1.1 200 OK' <<<"$output" | wc -l)" -eq 3 ]
	# bodies have no newline: each is followed by the next status line
	[[ "$output" == *$'\r\n\r\nAHTTP/1.1 200 OK'*$'\r\n\r\nBHTTP/1.1 200 OK'*$'\r\n\r\nC' ]]
}

@test "half a request waits in the buffer for the rest" {
	run timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET /a.txt HTTP/1.1\r\nHo" >&5
		sleep 0.3
		printf "st: x\r\nConnection: close\r\n\r\n" >&5
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[ "${lines[-1]}" = A ]
}

@test "a Content-Length body is consumed: the next request parses from the right byte" {
	run raw_http 'POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 19\r\n\r\nGET /b.txt HTTP/1.1GET /c.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 405 Method Not Allowed\r' ]
	[ "$(grep -o 'HTTP/1.1 [0-9]*' <<<"$output" | wc -l)" -eq 2 ]
	[ "${lines[-1]}" = C ]
}

@test "a chunked body is consumed: the next request parses from the right byte" {
	run raw_http 'OPTIONS / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n3\r\nGET\r\n0\r\nTrailer: t\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[ "$(grep -o 'HTTP/1.1 200 OK' <<<"$output" | wc -l)" -eq 2 ]
	[ "${lines[-1]}" = C ]
}

@test "a malformed chunked body gets 400 and the connection closes" {
	run raw_http 'OPTIONS / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ]
	[[ "$output" == *$'\r\nConnection: close\r\n'* ]]
}

@test "chunk framing a front proxy could read otherwise gets 400, not a next request" {
	# RFC 9112 §7.1: CR LF line ends and the chunk-ext grammar. Each body is
	# followed by a GET that must not be answered as a request of its own.
	for body in '5\nhello\n0\n\n' '5 \r\nhello\r\n0\r\n\r\n' '5;\r\nhello\r\n0\r\n\r\n' \
		'5;a="b\r\nhello\r\n0\r\n\r\n' '5\r\nhello\r\n0\r\nNoColon\r\n\r\n'; do
		raw_http "OPTIONS / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body}GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n" \
			>"$BATS_TEST_TMPDIR/r"
		[ "$(status_of <"$BATS_TEST_TMPDIR/r")" = 400 ] || { echo "$body"; cat "$BATS_TEST_TMPDIR/r"; false; }
		[ "$(grep -c '^HTTP/1.1' "$BATS_TEST_TMPDIR/r")" -eq 1 ]
	done
	# the well-formed forms still pass: quoted values, BWS around '=' and ';'
	run raw_http 'OPTIONS / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 ; a = "b\\"" ;c\r\nhello\r\n0\r\nX: y\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$(grep -c '^HTTP/1.1 200 OK' <<<"$output")" -eq 2 ]	# OPTIONS, then the GET
	[[ "$output" == *$'\r\n\r\nA' ]]
}

@test "Expect: 100-continue gets 100 Continue when the body will be read" {
	run curl -sS --max-time 5 -v -X OPTIONS -H 'Expect: 100-continue' \
		--data-binary "@$ROOT/body.bin" "http://127.0.0.1:$PORT/"
	[ "$status" -eq 0 ]
	[[ "$output" == *"< HTTP/1.1 100 Continue"* ]]
	[[ "$output" == *"< HTTP/1.1 200 OK"* ]]
	[[ "$output" == *"< Allow: GET, HEAD, OPTIONS"* ]]
}

@test "Expect: 100-continue gets the final status straight away when refused" {
	start=$(date +%s%N)
	run curl -sS --max-time 5 -v -H 'Expect: 100-continue' --data-binary "@$ROOT/body.bin" \
		"http://127.0.0.1:$PORT/a.txt"
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[[ "$output" != *"100 Continue"* ]]
	[[ "$output" == *"< HTTP/1.1 405 Method Not Allowed"* ]]
	[[ "$output" == *"< Allow: GET, HEAD, OPTIONS"* ]]
	# curl waits 1 s for a 100 before sending anyway: the answer came first
	[ "$elapsed" -lt 900 ]
}

@test "OPTIONS answers with Allow, for a path and for *" {
	run curl -sS --max-time 5 -i -X OPTIONS "http://127.0.0.1:$PORT/a.txt"
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *$'\r\nAllow: GET, HEAD, OPTIONS\r\n'* ]]
	run raw_http 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *$'\r\nAllow: GET, HEAD, OPTIONS\r\n'* ]]
}

@test "an absolute-form target is served" {
	run raw_http 'GET http://example.com/b.txt HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[ "${lines[-1]}" = B ]
}

@test "known methods that static files do not allow get 405 with Allow" {
	for m in POST PUT DELETE PATCH TRACE; do
		run curl -sS --max-time 5 -i -X "$m" "http://127.0.0.1:$PORT/a.txt"
		[ "${lines[0]}" = $'HTTP/1.1 405 Method Not Allowed\r' ] || { echo "$m: ${lines[0]}"; false; }
		[[ "$output" == *$'\r\nAllow: GET, HEAD, OPTIONS\r\n'* ]]
	done
}

@test "an unknown method gets 501" {
	run curl -sS --max-time 5 -i -X BREW "http://127.0.0.1:$PORT/a.txt"
	[ "${lines[0]}" = $'HTTP/1.1 501 Not Implemented\r' ]
}

@test "a missing file gets 404 with an HTML body" {
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/missing.txt"
	[ "${lines[0]}" = $'HTTP/1.1 404 Not Found\r' ]
	[[ "$output" == *"<h1>404 Not Found</h1>"* ]]
}

@test "malformed requests get 400 and the connection closes" {
	for req in 'GARBAGE\r\n\r\n' 'GET / HTTP/1.1\r\n\r\n' 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' \
		'GET / HTTP/1.1\r\nHost : x\r\n\r\n' 'GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n' \
		'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n' \
		'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n' \
		'GET / HTTP/1.1\r\nHost: x:abc\r\n\r\n' 'GET / HTTP/1.1\r\nHost: [::1\r\n\r\n' \
		'GET / HTTP/1.1\r\nHost: %zz\r\n\r\n' 'GET http://x:80:90/ HTTP/1.1\r\nHost: x\r\n\r\n' \
		'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n'; do
		run raw_http "$req"
		[ "$status" -eq 0 ] || { echo "no close after: $req"; false; }
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "$req -> ${lines[0]}"; false; }
	done
}

@test "a bad path gets 400 and the connection stays usable" {
	for path in /%00 /../etc/passwd /a/%2e%2e/%2e%2e/x /%zz; do
		run raw_http "GET $path HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /a.txt HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ] || { echo "$path -> ${lines[0]}"; false; }
		[ "${lines[-1]}" = A ]
	done
}

@test "HTTP/2.0 and HTTP/0.9 get 505; HTTP/1.2 is served as HTTP/1.1" {
	for v in 2.0 0.9; do
		run raw_http "GET / HTTP/$v\\r\\nHost: x\\r\\n\\r\\n"
		[ "${lines[0]}" = $'HTTP/1.1 505 HTTP Version Not Supported\r' ]
	done
	# RFC 9110 §6.2: a higher minor version of a major version we implement
	# is processed as the highest we conform to: keep-alive, Host required
	run raw_http 'GET /a.txt HTTP/1.2\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$(grep -o 'HTTP/1.1 200 OK' <<<"$output" | wc -l)" -eq 2 ]
	run raw_http 'GET /a.txt HTTP/1.2\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 400 Bad Request\r' ]
}

@test "a target longer than the 8 KiB request line gets 414" {
	long=$(head -c 9000 /dev/zero | tr '\0' a)
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$long"
	[ "$output" = 414 ]
}

@test "a 16 KiB header block gets 431, as do 65 fields" {
	big=$(head -c 17000 /dev/zero | tr '\0' v)
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H "X-Big: $big" "http://127.0.0.1:$PORT/"
	[ "$output" = 431 ]
	args=()
	for i in $(seq 64); do args+=(-H "X-$i: v"); done
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "${args[@]}" "http://127.0.0.1:$PORT/"
	[ "$output" = 431 ]	# curl adds Host, User-Agent and Accept: 67 fields
}

@test "a body over 1 MiB gets 413 without being read" {
	run raw_http 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 413 Content Too Large\r' ]
}

@test "an expectation other than 100-continue gets 417" {
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H 'Expect: tea' "http://127.0.0.1:$PORT/"
	[ "$output" = 417 ]
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H 'Expect: 100-continue, tea' "http://127.0.0.1:$PORT/"
	[ "$output" = 417 ]
}

@test "Expect is a list: empty members are ignored, not refused" {
	# RFC 9110 §5.6.1.2: a recipient MUST parse and ignore empty list elements
	for expect in '100-continue,' ', 100-continue' '' ' , '; do
		raw_http "GET /a.txt HTTP/1.1\r\nHost: x\r\nExpect: $expect\r\nConnection: close\r\n\r\n" \
			>"$BATS_TEST_TMPDIR/r"
		[ "$(status_of <"$BATS_TEST_TMPDIR/r")" = 200 ] || { echo "Expect: '$expect'"; false; }
	done
	# and 100-continue among them still brings the 100 before a body is read
	run raw_http 'OPTIONS / HTTP/1.1\r\nHost: x\r\nExpect: ,100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
	[ "${lines[0]}" = $'HTTP/1.1 100 Continue\r' ]
	[ "${lines[2]}" = $'HTTP/1.1 200 OK\r' ]
}

@test "an error answered to HEAD has its headers and no body" {
	# RFC 9110 §9.3.2: never content in a response to HEAD, errors included
	for req in 'HEAD / HTTP/1.1\r\nHost: x\r\nExpect: tea\r\n\r\n' \
		'HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n' \
		'HEAD / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n' \
		'HEAD / HTTP/1.1\r\n\r\n' 'HEAD / HTTP/2.0\r\nHost: x\r\n\r\n' \
		'HEAD / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'; do
		raw_http "$req" >"$BATS_TEST_TMPDIR/r"
		status=$(status_of <"$BATS_TEST_TMPDIR/r")
		[[ "$status" == [45]* ]] || { echo "$req -> $status"; false; }
		grep -q $'^Content-Length: [1-9]' "$BATS_TEST_TMPDIR/r" || { echo "$req: no length"; false; }
		[ "$(tail -c 4 "$BATS_TEST_TMPDIR/r" | od -An -c | tr -d ' ')" = '\r\n\r\n' ] ||
			{ echo "$req -> a body: $(cat "$BATS_TEST_TMPDIR/r")"; false; }
	done
}

@test "a directory without its slash is redirected, query kept" {
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/sub?x=1"
	[ "${lines[0]}" = $'HTTP/1.1 301 Moved Permanently\r' ]
	[[ "$output" == *$'\r\nLocation: /sub/?x=1\r\n'* ]]
	run curl -sS --max-time 5 -L "http://127.0.0.1:$PORT/sub"
	[ "$output" = "sub index" ]
}

@test "a redirect's Location is the normalised path, never another host" {
	# "//host/..." in a Location is scheme-relative: a browser would leave for host
	for target in '//evil.example/..%2fsub' '/\\evil.example/..%2fsub' '//sub' '/%73ub' '/./sub'; do
		run raw_http "GET $target HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
		[ "${lines[0]}" = $'HTTP/1.1 301 Moved Permanently\r' ] || { echo "$target -> ${lines[0]}"; false; }
		[[ "$output" == *$'\r\nLocation: /sub/\r\n'* ]] || { echo "$target -> $output"; false; }
	done
	run raw_http 'GET /. HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[[ "$output" == *$'\r\nLocation: /\r\n'* ]]
}

@test "a redirect too long for the 8 KiB response buffer gets 414, not 500" {
	q=$(head -c 8100 /dev/zero | tr '\0' a)
	run raw_http "GET /sub?$q HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	[ "${lines[0]}" = $'HTTP/1.1 414 URI Too Long\r' ]
	q=$(head -c 7000 /dev/zero | tr '\0' a)
	run raw_http "GET /sub?$q HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
	[ "${lines[0]}" = $'HTTP/1.1 301 Moved Permanently\r' ]
	[[ "$output" == *$'\r\nLocation: /sub/?'"$q"$'\r\n'* ]]
}

@test "the server survived everything above and still answers" {
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/a.txt"
	[ "$output" = A ]
	kill -0 "$SERVER_PID"
	[ -z "$(server_errors)" ]
}
