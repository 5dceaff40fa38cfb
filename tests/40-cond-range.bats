#!/usr/bin/env bats
# build/scratchd and conditional requests (RFC 9110 §13) and byte ranges (§14).

setup_file() {
	load test_helper/common
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT"
	for _ in $(seq 40); do printf 'abcdefghijklmnopqrstuvwxy\n'; done >"$ROOT/data.txt"	# 1040 bytes
	head -c 100000 /dev/urandom >"$ROOT/big.bin"	# larger than the output buffer: sendfile
	: >"$ROOT/empty.txt"
	printf 'A' >"$ROOT/a.txt"
	# 3 GiB, sparse, with five known bytes past 2^31 (skipped if truncate fails)
	if truncate -s 3G "$ROOT/huge.bin" 2>/dev/null; then
		printf 'HELLO' | dd of="$ROOT/huge.bin" bs=1 seek=3000000000 conv=notrunc status=none
	else
		rm -f "$ROOT/huge.bin"
	fi
	# A fixed, past mtime: Last-Modified is known, and a strong validator.
	touch -d @1577836800 "$ROOT"/*
	LM='Wed, 01 Jan 2020 00:00:00 GMT'
	export ROOT LM
	start_server scratchd "$ROOT"
}

teardown_file() {
	load test_helper/common
	stop_server
}

setup() {
	load test_helper/common
}

# fetch PATH [CURL ARGS...]: GET (or what the args say) into $BATS_TEST_TMPDIR/head
# and /body; prints the status code.
fetch() {
	local path=$1
	shift
	curl -sS --max-time 10 -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/head" "$@" \
		"http://127.0.0.1:$PORT/$path" || return 1
	head -n 1 "$BATS_TEST_TMPDIR/head" | cut -d' ' -f2
}

# field NAME: the value of NAME in the last fetch's head (empty if none).
field() {
	sed -n "s/^$1: \(.*\)\r\$/\1/Ip" "$BATS_TEST_TMPDIR/head"
}

# etag_of PATH: the ETag a plain GET of PATH carries.
etag_of() {
	curl -sS --max-time 10 -o /dev/null -D - "http://127.0.0.1:$PORT/$1" | sed -n 's/^ETag: \(.*\)\r$/\1/p'
}

# body_is FILE: the last fetch's body is exactly FILE's bytes.
body_is() {
	cmp "$BATS_TEST_TMPDIR/body" "$1"
}

@test "a plain GET carries ETag, Last-Modified and Accept-Ranges" {
	[ "$(fetch data.txt)" = 200 ]
	[[ "$(field ETag)" =~ ^\"[0-9a-f.-]+\"$ ]]
	[ "$(field Last-Modified)" = "$LM" ]
	[ "$(field Accept-Ranges)" = bytes ]
	[ "$(field Content-Length)" = 1040 ]
	body_is "$ROOT/data.txt"
}

@test "If-None-Match with the current ETag gets 304 with the same ETag and no body" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H "If-None-Match: $etag")" = 304 ]
	[ "$(field ETag)" = "$etag" ]
	[ "$(field Last-Modified)" = "$LM" ]
	[ ! -s "$BATS_TEST_TMPDIR/body" ]
	# on the wire: no Content-Length, and the head is all there is
	run raw_http "GET /data.txt HTTP/1.1\\r\\nHost: x\\r\\nIf-None-Match: $etag\\r\\nConnection: close\\r\\n\\r\\n"
	[ "${lines[0]}" = $'HTTP/1.1 304 Not Modified\r' ]
	[[ "$output" != *Content-Length* ]]
	[[ "$output" == *$'\r\nConnection: close\r\n'* ]]
	[ "${lines[-1]}" = $'\r' ]
}

@test "a 304 keeps the connection: the next pipelined request is answered" {
	etag=$(etag_of a.txt)
	run raw_http "GET /a.txt HTTP/1.1\\r\\nHost: x\\r\\nIf-None-Match: $etag\\r\\n\\r\\nGET /a.txt HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 304 Not Modified\r' ]
	[[ "$output" == *$'\r\n\r\nHTTP/1.1 200 OK\r\n'* ]]
	[ "${lines[-1]}" = A ]
}

@test "If-None-Match: * gets 304" {
	[ "$(fetch data.txt -H 'If-None-Match: *')" = 304 ]
}

@test "If-None-Match with a list that contains the ETag gets 304" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H "If-None-Match: \"nope\", W/\"other\" ,$etag")" = 304 ]
	[ "$(fetch data.txt -H 'If-None-Match: "nope"' -H "If-None-Match: $etag")" = 304 ]
}

@test "If-None-Match with the weak form W/ of the ETag gets 304 (weak comparison)" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H "If-None-Match: W/$etag")" = 304 ]
}

@test "If-None-Match that does not match gets 200 and the whole file" {
	[ "$(fetch data.txt -H 'If-None-Match: "nope", W/"nope2"')" = 200 ]
	body_is "$ROOT/data.txt"
}

@test "HEAD with a matching If-None-Match gets 304" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -I -H "If-None-Match: $etag")" = 304 ]
	[ "$(field ETag)" = "$etag" ]
}

@test "If-Modified-Since equal to or after Last-Modified gets 304, in all three date forms" {
	for d in "$LM" 'Wednesday, 01-Jan-20 00:00:00 GMT' 'Wed Jan  1 00:00:00 2020' \
		'Thu, 02 Jan 2020 00:00:00 GMT'; do
		[ "$(fetch data.txt -H "If-Modified-Since: $d")" = 304 ] || { echo "$d"; false; }
		[ "$(field Last-Modified)" = "$LM" ]
	done
}

@test "If-Modified-Since before Last-Modified gets 200" {
	[ "$(fetch data.txt -H 'If-Modified-Since: Tue, 31 Dec 2019 23:59:59 GMT')" = 200 ]
	body_is "$ROOT/data.txt"
}

@test "an invalid If-Modified-Since is ignored: 200" {
	for d in 'garbage' 'Wed, 01 Jan 2020 00:00:00 UTC' 'Wed, 32 Jan 2020 00:00:00 GMT' \
		'Wed, 01 Jan 2020 00:00:00 GMT, Wed, 01 Jan 2020 00:00:00 GMT'; do
		[ "$(fetch data.txt -H "If-Modified-Since: $d")" = 200 ] || { echo "$d"; false; }
	done
}

@test "If-None-Match wins over If-Modified-Since: no match means 200 even when IMS would give 304" {
	[ "$(fetch data.txt -H 'If-None-Match: "nope"' -H "If-Modified-Since: $LM")" = 200 ]
	body_is "$ROOT/data.txt"
}

@test "a malformed If-None-Match is ignored, and If-Modified-Since decides" {
	[ "$(fetch data.txt -H 'If-None-Match: nope' -H "If-Modified-Since: $LM")" = 304 ]
	[ "$(fetch data.txt -H 'If-None-Match: nope')" = 200 ]
}

@test "If-Match with another ETag, or a weak one, gets 412; with the current one 200" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H 'If-Match: "nope"')" = 412 ]
	[ "$(fetch data.txt -H "If-Match: W/$etag")" = 412 ]
	[ "$(fetch data.txt -H "If-Match: $etag")" = 200 ]
	[ "$(fetch data.txt -H 'If-Match: *')" = 200 ]
}

@test "If-Unmodified-Since before Last-Modified gets 412; at it, 200" {
	[ "$(fetch data.txt -H 'If-Unmodified-Since: Tue, 31 Dec 2019 23:59:59 GMT')" = 412 ]
	[ "$(fetch data.txt -H "If-Unmodified-Since: $LM")" = 200 ]
}

@test "Range bytes=0-9 gets 206, Content-Range and exactly the first 10 bytes" {
	[ "$(fetch data.txt -H 'Range: bytes=0-9')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 0-9/1040' ]
	[ "$(field Content-Length)" = 10 ]
	[ "$(field Accept-Ranges)" = bytes ]
	[ -n "$(field ETag)" ]
	head -c 10 "$ROOT/data.txt" >"$BATS_TEST_TMPDIR/want"
	body_is "$BATS_TEST_TMPDIR/want"
}

@test "Range bytes=-5 gets the last 5 bytes" {
	[ "$(fetch data.txt -H 'Range: bytes=-5')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 1035-1039/1040' ]
	tail -c 5 "$ROOT/data.txt" >"$BATS_TEST_TMPDIR/want"
	body_is "$BATS_TEST_TMPDIR/want"
}

@test "Range bytes=5- gets all but the first 5 bytes" {
	[ "$(fetch data.txt -H 'Range: bytes=5-')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 5-1039/1040' ]
	[ "$(field Content-Length)" = 1035 ]
	tail -c +6 "$ROOT/data.txt" >"$BATS_TEST_TMPDIR/want"
	body_is "$BATS_TEST_TMPDIR/want"
}

@test "a last-pos past the end and a suffix longer than the file are clamped" {
	[ "$(fetch data.txt -H 'Range: bytes=1000-999999')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 1000-1039/1040' ]
	tail -c 40 "$ROOT/data.txt" >"$BATS_TEST_TMPDIR/want"
	body_is "$BATS_TEST_TMPDIR/want"
	[ "$(fetch data.txt -H 'Range: bytes=-5000')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 0-1039/1040' ]
	body_is "$ROOT/data.txt"
}

@test "a range in the middle of a large file is sent exactly" {
	[ "$(fetch big.bin -H 'Range: bytes=12345-67889')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 12345-67889/100000' ]
	dd if="$ROOT/big.bin" bs=1 skip=12345 count=55545 status=none >"$BATS_TEST_TMPDIR/want"
	body_is "$BATS_TEST_TMPDIR/want"
}

@test "a range past 2 GiB in a 3 GiB file is sent from the right offset" {
	[ -f "$ROOT/huge.bin" ] || skip "no sparse file"
	[ "$(fetch huge.bin -H 'Range: bytes=3000000000-3000000004')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 3000000000-3000000004/3221225472' ]
	[ "$(cat "$BATS_TEST_TMPDIR/body")" = HELLO ]
	[ "$(fetch huge.bin -I)" = 200 ]
	[ "$(field Content-Length)" = 3221225472 ]
}

@test "a 206 keeps the connection: the next pipelined request is answered" {
	run raw_http 'GET /data.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'HTTP/1.1 206 Partial Content\r' ]
	[[ "$output" == *$'\r\n\r\nabcdeHTTP/1.1 200 OK\r\n'* ]]
	[ "${lines[-1]}" = A ]
}

@test "bytes=1000000- on a small file gets 416 with Content-Range: bytes */SIZE" {
	[ "$(fetch data.txt -H 'Range: bytes=1000000-')" = 416 ]
	[ "$(field Content-Range)" = 'bytes */1040' ]
	[ "$(fetch data.txt -H 'Range: bytes=1040-')" = 416 ]
	[ "$(fetch data.txt -H 'Range: bytes=-0')" = 416 ]
	[ "$(fetch data.txt -H 'Range: bytes=1039-')" = 206 ]
}

@test "an empty file: an int-range gets 416 with bytes */0, a suffix-range 200" {
	for r in 'bytes=0-' 'bytes=0-0' 'bytes=-0'; do
		[ "$(fetch empty.txt -H "Range: $r")" = 416 ] || { echo "$r"; false; }
		[ "$(field Content-Range)" = 'bytes */0' ]
	done
	# RFC 9110 §14.1.1: on a zero-length representation a non-empty
	# suffix-range is the one satisfiable form; it names the whole of it
	for r in 'bytes=-1' 'bytes=-5'; do
		[ "$(fetch empty.txt -H "Range: $r")" = 200 ] || { echo "$r"; false; }
		[ "$(field Content-Length)" = 0 ]
		[ -z "$(field Content-Range)" ]
	done
}

@test "a malformed Range, or another unit, is ignored: 200 and the whole file" {
	for r in 'bytes=5-1' 'bytes= 0-1' 'bytes=x-y' 'bytes=0-1;' 'items=0-1' 'bytes=18446744073709551616-'; do
		[ "$(fetch data.txt -H "Range: $r")" = 200 ] || { echo "$r"; false; }
		[ -z "$(field Content-Range)" ]
		body_is "$ROOT/data.txt"
	done
}

@test "several ranges get 206 multipart/byteranges (tests/62-site.bats parses them); two Range fields 200" {
	[ "$(fetch data.txt -H 'Range: bytes=1-2,5-6')" = 206 ]
	[[ "$(field Content-Type)" == 'multipart/byteranges; boundary='* ]]
	[ "$(fetch data.txt -H 'Range: bytes=0-1' -H 'Range: bytes=5-6')" = 200 ]
	body_is "$ROOT/data.txt"
}

@test "If-Range with the current ETag gets 206; with another ETag 200 and the whole file" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H "If-Range: $etag")" = 206 ]
	[ "$(field Content-Range)" = 'bytes 0-9/1040' ]
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H 'If-Range: "other"')" = 200 ]
	body_is "$ROOT/data.txt"
}

@test "If-Range with a weak ETag gets 200; with the Last-Modified date 206" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H "If-Range: W/$etag")" = 200 ]
	body_is "$ROOT/data.txt"
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H "If-Range: $LM")" = 206 ]
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H 'If-Range: Thu, 02 Jan 2020 00:00:00 GMT')" = 200 ]
}

@test "HEAD with Range gets 200 and no body: ranges are for GET only (RFC 9110 §14.2)" {
	[ "$(fetch data.txt -I -H 'Range: bytes=0-9')" = 200 ]
	[ "$(field Content-Length)" = 1040 ]
	[ -z "$(field Content-Range)" ]
	# on the wire: the head and nothing after it
	run raw_http 'HEAD /data.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n'
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[ "${lines[-1]}" = $'\r' ]
}

@test "a matching If-None-Match beats a Range: 304" {
	etag=$(etag_of data.txt)
	[ "$(fetch data.txt -H 'Range: bytes=0-9' -H "If-None-Match: $etag")" = 304 ]
}

@test "a file dated in the future is sent with Last-Modified no later than Date" {
	# RFC 9110 §8.8.2.1: such a date MUST be replaced with the Date. Small
	# (kept in the cache) and large (read from the file), each asked twice.
	printf 'soon\n' >"$ROOT/future.txt"
	head -c 20000 /dev/zero >"$ROOT/future.bin"
	touch -d '2035-01-01 00:00:00 UTC' "$ROOT/future.txt" "$ROOT/future.bin"
	for path in future.txt future.txt future.bin future.bin; do
		[ "$(fetch "$path")" = 200 ]
		lm=$(date -u -d "$(field Last-Modified)" +%s)
		now=$(date -u -d "$(field Date)" +%s)
		[ "$lm" -le "$now" ]
		# and a client that sends it back is not told of a change, unless
		# the capped date moved on with the clock (a file read anew, in a
		# later second: the large one, or any without the cache)
		ims=$(field Last-Modified)
		[ "$(fetch "$path" -H "If-Modified-Since: $ims")" = 304 ] ||
			[ "$(date -u -d "$(field Last-Modified)" +%s)" -gt "$(date -u -d "$ims" +%s)" ]
	done
}

@test "the server survived everything above and wrote nothing to stderr" {
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/a.txt"
	[ "$output" = A ]
	kill -0 "$SERVER_PID"
	[ -z "$(server_errors)" ]
}

@test "a directory listing has no validator: only * matches it, dates are ignored" {
	# RFC 9110 §13.1.1, §13.1.2: the listing of / exists, with no ETag
	[ "$(fetch '')" = 200 ]
	[ -z "$(field ETag)" ]
	[ "$(fetch '' -H 'If-None-Match: *')" = 304 ]
	[ "$(fetch '' -H 'If-None-Match: "x"')" = 200 ]
	[ "$(fetch '' -H 'If-Match: "x"')" = 412 ]
	[ "$(fetch '' -H 'If-Match: *')" = 200 ]
	[ "$(fetch '' -I -H 'If-None-Match: *')" = 304 ]
	# no Last-Modified to compare with
	[ "$(fetch '' -H 'If-Modified-Since: Wed, 01 Jan 2031 00:00:00 GMT')" = 200 ]
	[ "$(fetch '' -H 'If-Unmodified-Since: Wed, 01 Jan 2001 00:00:00 GMT')" = 200 ]
}
