#!/usr/bin/env bats
# Static files: exact bytes, headers, names, listings, and never a byte from
# outside the root. Traversal attempts run against two builds: the normal one
# (openat2 RESOLVE_BENEATH) and scratchd-walk (the no-openat2 fallback).

setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	OUTSIDE="$BATS_FILE_TMPDIR/outside"
	mkdir -p "$ROOT/sub/deeper" "$ROOT/empty" "$ROOT/withindex" "$OUTSIDE/secretdir"
	printf '<h1>root</h1>\n' >"$ROOT/index.html"
	printf 'in sub\n' >"$ROOT/sub/file.txt"
	printf 'custom index\n' >"$ROOT/withindex/home.htm"
	printf 'space\n' >"$ROOT/with space.txt"
	printf 'accent\n' >"$ROOT/café.txt"
	printf 'slash\n' >"$ROOT/sub/a%2Fb"	# a name with a literal %2F in it
	printf 'back\n' >"$ROOT/..\\..\\back.txt"
	printf 'SECRET-OUTSIDE\n' >"$OUTSIDE/secret.txt"
	printf 'SECRET-DIR\n' >"$OUTSIDE/secretdir/x.txt"
	for ext in html css js mjs json txt xml svg png jpg jpeg gif webp avif ico wasm pdf woff woff2 \
		mp4 webm mp3 ogg zip gz tar bin; do
		printf 'x' >"$ROOT/t.$ext"
	done
	head -c 1048576 /dev/urandom >"$ROOT/1m.bin"
	head -c 104857600 /dev/urandom >"$ROOT/100m.bin"
	truncate -s 3G "$ROOT/sparse3g.bin"
	ln -s /etc/passwd "$ROOT/passwd-link"
	ln -s "$OUTSIDE/secretdir" "$ROOT/outdir-link"
	ln -s "$OUTSIDE/secret.txt" "$ROOT/sub/deeper/chain1"
	ln -s deeper/chain1 "$ROOT/sub/chain2"	# inside, then outside
	ln -s sub/file.txt "$ROOT/inside-link"
	mkfifo "$ROOT/fifo"
	export ROOT OUTSIDE
}

setup() {
	load test_helper/common
	SERVER_PID=
}

teardown() {
	stop_server
}

sha() {
	sha256sum | cut -d' ' -f1
}

@test "a 1 MiB and a 100 MiB file arrive byte for byte" {
	start_server scratchd "$ROOT"
	for f in 1m.bin 100m.bin; do
		got=$(curl -sS --max-time 20 "http://127.0.0.1:$PORT/$f" | sha)
		[ "$got" = "$(sha <"$ROOT/$f")" ] || { echo "$f differs"; false; }
	done
}

@test "a large file goes out at most 256 KiB per turn: a second connection is answered between the calls" {
	need_strace
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -e trace=epoll_wait,sendfile,write -- "$ROOT"
	# a download that reads slowly enough (8 MiB/s) to be interleaved with, and
	# a small request once it has begun
	curl -sS --max-time 30 --limit-rate 8M -o "$BATS_TEST_TMPDIR/got" "http://127.0.0.1:$PORT/100m.bin" &
	dl=$!
	sleep 0.3
	small=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/sub/file.txt")
	kill "$dl" 2>/dev/null || true
	wait "$dl" 2>/dev/null || true
	stop_traced
	[ "$small" = 200 ]
	# no sendfile call asks for more than the budget (256 KiB) and its slack (64 KiB)
	sizes=$(sed -n 's/^[0-9]* *sendfile([0-9]*, [0-9]*, \[[0-9]*\] => \[[0-9]*\], \([0-9]*\)).*/\1/p' "$trace")
	echo "sendfile sizes: $(echo $sizes | head -c 300)"
	[ "$(echo "$sizes" | wc -w)" -ge 4 ]
	for n in $sizes; do [ "$n" -le $((320 * 1024)) ] || { echo "sendfile of $n bytes"; false; }; done
	# the small answer (a write) came while the download was still going:
	# there are sendfile calls after it
	w=$(grep -n 'write([0-9]*, "HTTP/1.1 200' "$trace" | tail -n 1 | cut -d: -f1)
	[ -n "$w" ]
	[ "$(tail -n +"$w" "$trace" | grep -c 'sendfile(')" -ge 1 ]
}

@test "a 3 GiB sparse file is streamed whole" {
	start_server scratchd "$ROOT"
	run curl -sS --max-time 60 -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/sparse3g.bin"
	[ "$output" = "200 3221225472" ]
}

@test "headers: Content-Type by extension, Last-Modified, strong ETag, Accept-Ranges" {
	start_server scratchd "$ROOT"
	declare -A want=([html]='text/html; charset=utf-8' [css]='text/css; charset=utf-8'
		[js]='text/javascript; charset=utf-8' [mjs]='text/javascript; charset=utf-8'
		[json]=application/json [txt]='text/plain; charset=utf-8' [xml]=application/xml
		[svg]=image/svg+xml [png]=image/png [jpg]=image/jpeg [jpeg]=image/jpeg [gif]=image/gif
		[webp]=image/webp [avif]=image/avif [ico]=image/vnd.microsoft.icon [wasm]=application/wasm
		[pdf]=application/pdf [woff]=font/woff [woff2]=font/woff2 [mp4]=video/mp4 [webm]=video/webm
		[mp3]=audio/mpeg [ogg]=audio/ogg [zip]=application/zip [gz]=application/gzip
		[tar]=application/x-tar [bin]=application/octet-stream)
	for ext in "${!want[@]}"; do
		run curl -sS --max-time 5 -o /dev/null -w '%{content_type}' "http://127.0.0.1:$PORT/t.$ext"
		[ "$output" = "${want[$ext]}" ] || { echo "$ext: $output"; false; }
	done
	run curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$PORT/sub/file.txt"
	lm=$(date -u -r "$ROOT/sub/file.txt" '+%a, %d %b %Y %H:%M:%S GMT')
	[[ "$output" == *$'\r\nLast-Modified: '"$lm"$'\r\n'* ]]
	[[ "$output" =~ $'\r\nETag: "'[0-9a-f]+-7-[0-9a-f]+\.[0-9a-f]+$'"\r\n' ]]
	[[ "$output" == *$'\r\nAccept-Ranges: bytes\r\n'* ]]
	[[ "$output" == *$'\r\nContent-Length: 7\r\n'* ]]
}

@test "names with spaces, UTF-8 and an encoded slash" {
	start_server scratchd "$ROOT"
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/with%20space.txt")" = space ]
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/caf%C3%A9.txt")" = accent ]
	# %2F decodes to '/', a separator: /sub%2Ffile.txt is /sub/file.txt
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/sub%2Ffile.txt")" = "in sub" ]
	# a literal "%2F" in a name is reached by encoding its '%'
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/sub/a%252Fb")" = slash ]
	# backslashes are ordinary name bytes on Linux; this name starts with a
	# dot, so it is hidden (404) unless --dotfiles
	[ "$(curl -sS --max-time 5 --path-as-is -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$PORT/..%5C..%5Cback.txt")" = 404 ]
	stop_server
	start_server scratchd --dotfiles "$ROOT"
	[ "$(curl -sS --max-time 5 --path-as-is "http://127.0.0.1:$PORT/..%5C..%5Cback.txt")" = back ]
}

# Request TARGET raw from the server under test; fail if anything from outside
# the root comes back or the status is not one of the allowed ones.
no_escape() {
	local target=$1 allowed=$2
	run raw_http "GET $target HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"
	[[ "$output" != *SECRET* && "$output" != *root:x:0:0* ]] || { echo "LEAK via $target"; return 1; }
	local code
	code=$(head -n 1 <<<"$output" | cut -d' ' -f2)
	[[ " $allowed " == *" $code "* ]] || { echo "$target -> $code, wanted one of $allowed"; return 1; }
}

traversal_suite() {
	no_escape '/../etc/passwd' 400
	no_escape '/%2e%2e/etc/passwd' 400
	no_escape '/%2E%2E%2Fetc%2Fpasswd' 400
	no_escape '/..%2fetc/passwd' 400
	no_escape '/..%2f..%2f..%2fetc%2fpasswd' 400
	no_escape '//etc/passwd' 404
	no_escape '/sub/../../etc/passwd' 400
	no_escape '/sub/.%2e/.%2e/outside/secret.txt' 400
	no_escape '/sub/..%5c..%5cetc%5cpasswd' 404
	no_escape '/..\\..\\etc\\passwd' 404
	no_escape '/passwd-link' 404
	no_escape '/outdir-link/x.txt' 404
	no_escape '/outdir-link/' 404
	no_escape '/sub/chain2' 404	# a symlink to a symlink that leaves the root
	no_escape '/sub/deeper/chain1' 404
	no_escape "/%00/etc/passwd" 400
	no_escape 'http://x/../../etc/passwd' 400
	no_escape '/proc/self/root/etc/passwd' 404
	no_escape "$OUTSIDE/secret.txt" 404	# an absolute path is still under the root
}

@test "no traversal form returns a byte from outside the root (openat2)" {
	start_server scratchd "$ROOT"
	if grep -q 'openat2: not available' "$SERVER_ERR"; then
		skip "this kernel (or qemu-user) has no openat2: the walk test below covers it"
	fi
	traversal_suite
	# a symlink that stays inside the root is served
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/inside-link")" = "in sub" ]
}

@test "no traversal form returns a byte from outside the root (no-openat2 walk)" {
	start_server scratchd-walk "$ROOT"
	grep -q 'openat2: not available' "$SERVER_ERR"
	traversal_suite
	# the walk follows no symlink at all
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/inside-link"
	[ "$output" = 404 ]
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/sub/file.txt")" = "in sub" ]
}

@test "a FIFO is refused with 403 at once, never read" {
	start_server scratchd "$ROOT"
	run curl -sS --max-time 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/fifo"
	[ "$output" = 403 ]
}

@test "a directory without index is listed: sorted, escaped, encoded, sizes, dirs marked" {
	start_server scratchd "$ROOT"
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = "<h1>root</h1>" ]	# index.html wins
	rm "$ROOT/index.html"
	run curl -sS --max-time 5 -i "http://127.0.0.1:$PORT/"
	printf '<h1>root</h1>\n' >"$ROOT/index.html"
	[ "${lines[0]}" = $'HTTP/1.1 200 OK\r' ]
	[[ "$output" == *'<a href="caf%C3%A9.txt">café.txt</a></td><td class="size" title="7 bytes">7 B</td>'* ]]
	[[ "$output" == *'<a href="with%20space.txt">with space.txt</a>'* ]]
	[[ "$output" == *'<a href="sub/">sub/</a></td><td class="size">—</td>'* ]]
	# a name starting with a dot is not listed (tests/62-site.bats: --dotfiles)
	[[ "$output" != *'back.txt'* ]]
	# directories first, then files, each in natural order (64-browse.bats has more)
	names=$(grep -o 'href="[^"]*"' <<<"$output" | sed 's/href="//; s/"$//')
	[ "$(grep -n '/$' <<<"$names" | tail -n 1 | cut -d: -f1)" -lt "$(grep -vn '/$' <<<"$names" | head -n 1 | cut -d: -f1)" ]
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/sub/"
	[[ "$output" == *'<a href="../">../</a>'* ]]
	[[ "$output" == *'<a href="a%252Fb">a%2Fb</a>'* ]]
}

@test "a name with HTML in it is escaped in the listing" {
	touch "$ROOT/empty/<script>alert(1)<%2Fscript>&.txt"
	start_server scratchd "$ROOT"
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/empty/"
	rm "$ROOT/empty/"*
	[[ "$output" != *'<script>'* ]]
	[[ "$output" == *'&lt;script&gt;alert(1)&lt;%2Fscript&gt;&amp;.txt'* ]]
	[[ "$output" == *'href="%3Cscript%3Ealert%281%29%3C%252Fscript%3E%26.txt"'* ]]
}

@test "--no-listing answers 403 for a directory without index; --index picks the name" {
	start_server scratchd --no-listing --index home.htm "$ROOT"
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/empty/"
	[ "$output" = 403 ]
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/withindex/")" = "custom index" ]
}

@test "an unreadable file is 403 and a missing one 404, as an unprivileged user" {
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to nobody"
	perm=$(mktemp -d /tmp/scratchd-perm.XXXXXX)
	chmod 755 "$perm"
	printf 'ok\n' >"$perm/readable.txt"
	printf 'no\n' >"$perm/secret.txt"
	chmod 644 "$perm/readable.txt"
	chmod 000 "$perm/secret.txt"
	mkdir -m 700 "$perm/closed"
	# root reads files whatever their mode: serve as nobody so 403 is real
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$BIN_DIR/scratchd" --addr 127.0.0.1 --port 0 --workers 1 "$perm" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	SERVER_PID=$!
	wait_listening "$BATS_TEST_TMPDIR/out" "$SERVER_PID"
	c1=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/secret.txt")
	c2=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/closed/x")
	c3=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/readable.txt")
	c4=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/missing")
	rm -rf "$perm"
	[ "$c1" = 403 ]
	[ "$c2" = 403 ]
	[ "$c3" = ok ]
	[ "$c4" = 404 ]
}
