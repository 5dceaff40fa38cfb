#!/usr/bin/env bats
# Pipelining (RFC 9112 §9.3) as a client sees it: requests sent together in
# one write are all answered, in order, each complete; answers that fit the
# 8 KiB response buffer together leave in one write (checked with strace);
# a body, a file sent with sendfile, an error that closes and Connection:
# close each end a batch at the right place.
#
# The requests are raw bytes sent in one write on one connection; the
# answers are read until the server closes, then cut apart by Content-Length
# (split_responses), so a byte too many or too few anywhere shows.

setup_file() {
	load test_helper/common
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT/many"
	for i in $(seq -w 1 16); do printf 'body %s' "$i" >"$ROOT/p$i.txt"; done
	printf 'A' >"$ROOT/a.txt"
	printf 'B' >"$ROOT/b.txt"
	printf 'C' >"$ROOT/c.txt"
	printf '0123456789abcdef\n' >"$ROOT/text.txt"
	head -c 4096 /dev/urandom >"$ROOT/4k.bin"
	head -c 20000 /dev/urandom >"$ROOT/20k.bin"	# too big for the cache: sendfile
	head -c 1048576 /dev/urandom >"$ROOT/1m.bin"
	for i in $(seq -f '%04g' 0 599); do printf 'f%s\n' "$i" >"$ROOT/many/f$i"; done
	export ROOT
	start_server scratchd "$ROOT"
}

teardown_file() {
	load test_helper/common
	stop_server
}

setup() {
	load test_helper/common
	STRACE_PID= SCRATCHD_PID=
	REQ="$BATS_TEST_TMPDIR/req" OUT="$BATS_TEST_TMPDIR/out" D="$BATS_TEST_TMPDIR/resp"
	: >"$REQ"
}

teardown() {
	stop_traced
}

# req METHOD TARGET [FIELD...]: append one request to $REQ.
req() {
	local m=$1 t=$2 f
	shift 2
	{
		printf '%s %s HTTP/1.1\r\nHost: x\r\n' "$m" "$t"
		for f in "$@"; do printf '%s\r\n' "$f"; done
		printf '\r\n'
	} >>"$REQ"
}

# pipeline: send $REQ in one write (cat writes what it reads at once) on a new
# connection and save all that comes back in $OUT. Fails if the server has
# not closed the connection within 5 s.
pipeline() {
	timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		cat "$1" >&5
		cat <&5 >"$2"' "$PORT" "$REQ" "$OUT"
}

# split_responses [N...]: cut $OUT into $D/1.head, $D/1.body, $D/2.head...;
# a body is Content-Length bytes, except for a 304 and for the answers
# numbered N... (those to HEAD requests): none. Prints how many there were;
# fails if one does not begin with a status line or is cut short.
split_responses() {
	local n=0 fd line cl
	rm -rf "$D"
	mkdir -p "$D"
	exec {fd}<"$OUT"
	# bash's read leaves the file offset just after the line it read, and
	# head -c reads no more than it is asked: both share fd's offset
	while IFS= read -r -u "$fd" line; do
		n=$((n + 1))
		[[ "$line" == 'HTTP/1.1 '[1-5][0-9][0-9]' '* ]] ||
			{ echo "answer $n does not begin with a status line: $line" >&2; return 1; }
		printf '%s\n' "$line" >"$D/$n.head"
		cl=0
		while IFS= read -r -u "$fd" line; do
			printf '%s\n' "$line" >>"$D/$n.head"
			[ "$line" = $'\r' ] && break
			if [[ "$line" == 'Content-Length: '* ]]; then
				cl=${line#*: }
				cl=${cl%$'\r'}
			fi
		done
		[ "$line" = $'\r' ] || { echo "answer $n: head cut short" >&2; return 1; }
		if [[ " $* " == *" $n "* ]] || [[ "$(head -n 1 "$D/$n.head")" == 'HTTP/1.1 304 '* ]]; then
			cl=0
		fi
		head -c "$cl" <&"$fd" >"$D/$n.body"
		[ "$(stat -c %s "$D/$n.body")" -eq "$cl" ] ||
			{ echo "answer $n: body cut short" >&2; return 1; }
		line=
	done
	[ -z "$line" ] || { echo "bytes after answer $n: $line" >&2; return 1; }
	exec {fd}<&-
	echo "$n"
}

# code N: the status code of answer N.
code() {
	head -n 1 "$D/$1.head" | cut -d' ' -f2
}

# field N NAME: the value of field NAME in answer N.
field() {
	sed -n "s/^$2: \\(.*\\)\\r\$/\\1/p" "$D/$1.head"
}

@test "16 pipelined GETs in one write: 16 answers, in order, all 200, bodies right" {
	for i in $(seq -w 1 16); do req GET "/p$i.txt"; done
	req GET /a.txt 'Connection: close'
	pipeline
	n=$(split_responses)
	[ "$n" -eq 17 ]
	for i in $(seq 1 16); do
		[ "$(code "$i")" = 200 ]
		[ "$(cat "$D/$i.body")" = "body $(printf %02d "$i")" ] || { echo "answer $i: $(cat "$D/$i.body")"; false; }
	done
	[ "$(cat "$D/17.body")" = A ]
}

@test "strace: 16 pipelined GETs that came in one read are answered with one write" {
	need_strace
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -s 0 -e trace=accept4,read,write,sendto,writev,sendfile -- "$ROOT"
	for i in $(seq -w 1 15); do req GET "/p$i.txt"; done
	req GET /p16.txt 'Connection: close'
	pipeline
	stop_traced
	[ "$(split_responses)" -eq 16 ]
	fd=$(sed -n 's/^[0-9]* *accept4(.*) = \([0-9][0-9]*\)$/\1/p' "$trace" | head -n 1)
	[ -n "$fd" ]
	# the premise: the server read the 16 requests at once
	grep -Eq "^([0-9]+ +)?read\\($fd, .* = $(stat -c %s "$REQ")\$" "$trace" ||
		{ echo "the requests did not arrive in one read:"; grep "($fd," "$trace"; false; }
	grep -E "^([0-9]+ +)?(write|sendto|writev|sendfile)\\($fd, " "$trace" >"$BATS_TEST_TMPDIR/sends" || true
	cat "$BATS_TEST_TMPDIR/sends"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/sends")" -eq 1 ]
	# and that one write carried every byte the client got
	grep -Eq "= $(stat -c %s "$OUT")\$" "$BATS_TEST_TMPDIR/sends"
}

@test "40 pipelined GETs of a 4 KiB file (5 response buffers' worth): all in order, byte for byte; the connection goes on" {
	# one answer's length: its head as curl saw it (Date is always 29
	# characters), and the 4096 bytes
	one=$(( $(curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$PORT/4k.bin" | wc -c) + 4096 ))
	for _ in $(seq 40); do req GET /4k.bin; done
	mv "$REQ" "$REQ.1"
	req GET /a.txt 'Connection: close'
	# the 40 answers, then one more request on the same connection
	timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		cat "$1" >&5
		head -c "$3" <&5 >"$4"
		[ "$(stat -c %s "$4")" -eq "$3" ] || exit 1
		cat "$2" >&5
		cat <&5 >>"$4"' "$PORT" "$REQ.1" "$REQ" "$((40 * one))" "$OUT"
	n=$(split_responses)
	[ "$n" -eq 41 ]
	for i in $(seq 40); do
		[ "$(code "$i")" = 200 ]
		cmp "$D/$i.body" "$ROOT/4k.bin"
	done
	[ "$(cat "$D/41.body")" = A ]
}

@test "600 pipelined GETs (23 KB: more than the 16 KiB input buffer): all answered, in order" {
	for i in $(seq -f '%04g' 0 598); do req GET "/many/f$i"; done
	req GET /many/f0599 'Connection: close'
	[ "$(stat -c %s "$REQ")" -gt 16384 ]
	pipeline
	# each body is one line, "fNNNN", right after its head's blank line
	awk '/^\r$/ { getline; print }' "$OUT" >"$BATS_TEST_TMPDIR/bodies"
	seq -f 'f%04g' 0 599 | diff - "$BATS_TEST_TMPDIR/bodies" >"$BATS_TEST_TMPDIR/diff" ||
		{ head -n 20 "$BATS_TEST_TMPDIR/diff"; false; }
	[ "$(grep -c '^HTTP/1.1 200 OK' "$OUT")" -eq 600 ]
}

@test "a batch of GET, HEAD, OPTIONS, a 404, a 304 and two 206s: each answered right, in order; HEAD has no body" {
	etag=$(curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$PORT/text.txt" |
		sed -n 's/^ETag: \(.*\)\r$/\1/p')
	[ -n "$etag" ]
	req GET /text.txt
	req HEAD /text.txt
	req OPTIONS '*'
	req GET /missing.txt
	req GET /text.txt "If-None-Match: $etag"
	req GET /text.txt 'Range: bytes=2-5'
	req GET /20k.bin 'Range: bytes=100-109'	# from the file, by sendfile
	req GET /a.txt 'Connection: close'
	pipeline
	n=$(split_responses 2)
	[ "$n" -eq 8 ]
	[ "$(code 1)" = 200 ]
	[ "$(cat "$D/1.body")" = 0123456789abcdef ]
	[ "$(code 2)" = 200 ]
	[ "$(field 2 Content-Length)" = 17 ]	# as for the GET, with no body behind
	[ "$(field 2 ETag)" = "$etag" ]
	[ "$(code 3)" = 200 ]
	[ "$(field 3 Allow)" = 'GET, HEAD, OPTIONS' ]
	[ "$(code 4)" = 404 ]
	[[ "$(cat "$D/4.body")" == *'<h1>404 Not Found</h1>'* ]]
	[ "$(code 5)" = 304 ]
	[ "$(field 5 ETag)" = "$etag" ]
	[ "$(code 6)" = 206 ]
	[ "$(field 6 Content-Range)" = 'bytes 2-5/17' ]
	[ "$(cat "$D/6.body")" = 2345 ]
	[ "$(code 7)" = 206 ]
	[ "$(field 7 Content-Range)" = 'bytes 100-109/20000' ]
	cmp "$D/7.body" <(tail -c +101 "$ROOT/20k.bin" | head -c 10)
	[ "$(code 8)" = 200 ]
	[ "$(cat "$D/8.body")" = A ]
}

@test "a malformed request in the middle: the answers before it in full, then 400 and close; none after it" {
	req GET /a.txt
	req GET /b.txt
	printf 'GARBAGE\r\n\r\n' >>"$REQ"
	req GET /c.txt
	req GET /a.txt 'Connection: close'
	pipeline	# returns: the server closed
	n=$(split_responses)
	[ "$n" -eq 3 ]
	[ "$(code 1)" = 200 ]
	[ "$(cat "$D/1.body")" = A ]
	[ "$(code 2)" = 200 ]
	[ "$(cat "$D/2.body")" = B ]
	[ "$(code 3)" = 400 ]
	[ "$(field 3 Connection)" = close ]
}

@test "a POST with a body in the middle: the answers before it, 405, then the GET after it (the body consumed)" {
	req GET /a.txt
	# a body that would be a request if it were parsed as one
	printf 'POST /b.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 28\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x' >>"$REQ"
	req GET /c.txt
	req GET /b.txt 'Connection: close'
	pipeline
	n=$(split_responses)
	[ "$n" -eq 4 ]
	[ "$(code 1)" = 200 ]
	[ "$(cat "$D/1.body")" = A ]
	[ "$(code 2)" = 405 ]
	[ "$(field 2 Allow)" = 'GET, HEAD, OPTIONS' ]
	[ "$(code 3)" = 200 ]
	[ "$(cat "$D/3.body")" = C ]
	[ "$(code 4)" = 200 ]
	[ "$(cat "$D/4.body")" = B ]
}

@test "a 1 MiB file (sendfile) amid pipelined small GETs: every byte, in order" {
	req GET /a.txt
	req GET /1m.bin
	req GET /b.txt
	req GET /1m.bin
	req GET /c.txt 'Connection: close'
	pipeline
	n=$(split_responses)
	[ "$n" -eq 5 ]
	for i in 1 2 3 4 5; do [ "$(code "$i")" = 200 ]; done
	[ "$(cat "$D/1.body")" = A ]
	cmp "$D/2.body" "$ROOT/1m.bin"
	[ "$(cat "$D/3.body")" = B ]
	cmp "$D/4.body" "$ROOT/1m.bin"
	[ "$(cat "$D/5.body")" = C ]
	# nothing more than the five answers came
	[ "$(stat -c %s "$OUT")" -eq "$(($(cat "$D"/*.head | wc -c) + 2 * 1048576 + 3))" ]
}

@test "Connection: close on the 3rd of 5 pipelined GETs: three answers, then the server closes" {
	req GET /a.txt
	req GET /b.txt
	req GET /c.txt 'Connection: close'
	req GET /a.txt
	req GET /b.txt
	pipeline	# returns: the server closed
	n=$(split_responses)
	[ "$n" -eq 3 ]
	[ "$(cat "$D/1.body")$(cat "$D/2.body")$(cat "$D/3.body")" = ABC ]
	[ "$(field 3 Connection)" = close ]
	[ -z "$(field 2 Connection)" ]
}
