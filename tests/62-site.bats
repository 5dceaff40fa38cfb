#!/usr/bin/env bats
# Site hosting (docs/site.md): precompressed variants, error pages, the
# fallback, clean URLs, hidden dotfiles, Cache-Control rules and multiple
# byte ranges, each with good and bad option values, with curl and raw
# requests.

setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	OUTSIDE="$BATS_FILE_TMPDIR/outside"
	mkdir -p "$ROOT/assets" "$ROOT/docs" "$ROOT/about-dir" "$ROOT/a/.git" "$ROOT/.well-known/acme-challenge" \
		"$ROOT/.errors" "$ROOT/list" "$OUTSIDE"
	printf '<h1>home</h1>\n' >"$ROOT/index.html"
	printf '<h1>about</h1>\n' >"$ROOT/about.html"
	printf '<h1>docs</h1>\n' >"$ROOT/docs/index.html"
	printf '<h1>about-dir</h1>\n' >"$ROOT/about-dir/index.html"
	printf '<h1>about-dir.html</h1>\n' >"$ROOT/about-dir.html"
	printf 'plain\n' >"$ROOT/both"
	printf '<h1>both.html</h1>\n' >"$ROOT/both.html"
	printf 'SECRET-ENV\n' >"$ROOT/.env"
	printf 'SECRET-GIT\n' >"$ROOT/a/.git/config"
	printf 'token-123\n' >"$ROOT/.well-known/acme-challenge/token"
	printf 'Contact: mailto:a@b\n' >"$ROOT/.well-known/security.txt"
	printf '<p>custom 404</p>\n' >"$ROOT/.errors/404.html"
	printf '<p>custom 403</p>\n' >"$ROOT/403.html"
	printf '{"error": 405}\n' >"$ROOT/405.json"
	printf '<p>custom 416</p>\n' >"$ROOT/416.html"
	printf '<p>custom 5xx</p>\n' >"$ROOT/5xx.html"
	head -c 20000 /dev/urandom >"$ROOT/big-404.html"	# too big for the cache and the buffer: sendfile
	printf 'OUTSIDE-PAGE\n' >"$OUTSIDE/page.html"
	ln -s "$OUTSIDE/page.html" "$ROOT/escape.html"
	mkfifo "$ROOT/fifo"
	# app.js: 4 KiB with all three variants; style.css: only .gz; big.js: 100 KB, .br
	head -c 4096 /dev/urandom >"$ROOT/app.js"
	printf 'BR-BYTES' >"$ROOT/app.js.br"
	printf 'ZSTD-BYTES' >"$ROOT/app.js.zst"
	printf 'GZIP-BYTES' >"$ROOT/app.js.gz"
	printf 'body{}\n' >"$ROOT/style.css"
	printf 'GZ-CSS' >"$ROOT/style.css.gz"
	head -c 100000 /dev/urandom >"$ROOT/big.js"
	head -c 50000 /dev/urandom >"$ROOT/big.js.br"
	printf 'no variants\n' >"$ROOT/plain.txt"
	printf 'ORPHAN-BR' >"$ROOT/orphan.js.br"	# a variant without its original
	printf 'x' >"$ROOT/linked.js"
	printf 'OUTSIDE-BR' >"$OUTSIDE/linked.js.br"
	ln -s "$OUTSIDE/linked.js.br" "$ROOT/linked.js.br"	# a variant out of the root
	for i in 1 2 3; do printf 'f%s' "$i" >"$ROOT/list/f$i.txt"; done
	printf 'h' >"$ROOT/list/.hidden"
	for i in $(seq 0 99); do printf '%02d' "$i"; done >"$ROOT/digits.txt"	# 200 bytes, cached
	head -c 300000 /dev/urandom >"$ROOT/ranges.bin"				# sendfile
	export ROOT OUTSIDE
}

setup() {
	load test_helper/common
	SERVER_PID=
}

teardown() {
	stop_server
}

# get PATH [CURL ARGS...]: fetch into $BATS_TEST_TMPDIR/head and /body; print the status.
get() {
	local path=$1
	shift
	curl -sS --max-time 10 --path-as-is -o "$BATS_TEST_TMPDIR/body" -D "$BATS_TEST_TMPDIR/head" "$@" "$(url "$path")" ||
		return 1
	head -n 1 "$BATS_TEST_TMPDIR/head" | cut -d' ' -f2
}

# field NAME: its value in the last get's head (empty if none).
field() {
	sed -n "s/^$1: \(.*\)\r\$/\1/Ip" "$BATS_TEST_TMPDIR/head"
}

body() {
	cat "$BATS_TEST_TMPDIR/body"
}

# ---- options ----

@test "the site options are accepted with good values" {
	for args in "--precompressed" "--clean-urls" "--dotfiles" "--fallback /index.html" "--fallback=index.html" \
		"--error-page 404=/.errors/404.html" "--error-page=500=5xx.html --error-page 599=x" \
		"--cache-control *.js=max-age=60" "--cache-control=/assets/*=no-store --cache-control /*=no-cache" \
		"--mime-types /etc/mime.types"; do
		[ "$args" = "--mime-types /etc/mime.types" ] && [ ! -f /etc/mime.types ] && continue
		start_server scratchd $args "$ROOT" || { echo "refused: $args"; false; }
		[ "$(curl -sS --max-time 5 "$(url /)")" = '<h1>home</h1>' ]
		stop_server
	done
}

@test "bad site option values: one line naming the option, exit 2" {
	while IFS='|' read -r args want; do
		# the root first, so an option missing its value is the last word
		run timeout 5 "$BIN_DIR/scratchd" --port 0 "$ROOT" $args
		[ "$status" -eq 2 ] || { echo "$args: status $status: $output"; false; }
		[ "${lines[0]}" = "scratchd: $want" ] || { echo "$args: ${lines[0]}"; false; }
	done <<'EOF'
--precompressed=1|--precompressed=1: takes no value
--fallback|--fallback: needs a value
--fallback /..|--fallback /..: not a file path inside the root
--fallback /|--fallback /: not a file path inside the root
--error-page 404|--error-page: invalid value '404'
--error-page 399=/x|--error-page: invalid value '399=/x'
--error-page 600=/x|--error-page: invalid value '600=/x'
--error-page 40=/x|--error-page: invalid value '40=/x'
--error-page 0404=/x|--error-page: invalid value '0404=/x'
--error-page 404=/../x|--error-page: invalid value '404=/../x'
--error-page 404=|--error-page: invalid value '404='
--error-page 404=/a --error-page 404=/b|--error-page: invalid value '404=/b'
--cache-control *.js|--cache-control: invalid value '*.js'
--cache-control *.js=|--cache-control: invalid value '*.js='
--cache-control js=x|--cache-control: invalid value 'js=x'
--cache-control /assets=x|--cache-control: invalid value '/assets=x'
--cache-control /../*=x|--cache-control: invalid value '/../*=x'
EOF
	# a value with CR or LF would split the response: refused at start-up
	run "$BIN_DIR/scratchd" --port 0 --cache-control $'*.js=max-age=1\r\nSet-Cookie: x=y' "$ROOT"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "scratchd: --cache-control: invalid value"* ]]
	run "$BIN_DIR/scratchd" --port 0 --cache-control $'*.js=a\nb' "$ROOT"
	[ "$status" -eq 2 ]
	# --header Cache-Control and --cache-control are two answers to one question
	run "$BIN_DIR/scratchd" --port 0 --header 'Cache-Control: max-age=1' --cache-control '*.js=x' "$ROOT"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "scratchd: --cache-control: not with --header 'Cache-Control: ...'" ]
}

@test "--cache-control: 32 rules and a 256-byte value are taken; a 33rd rule or 257 bytes refused" {
	args=()
	for i in $(seq 32); do args+=(--cache-control "*.x$i=max-age=$i"); done
	v=$(printf 'v%.0s' $(seq 256))
	start_server scratchd "${args[@]:2}" --cache-control "*.js=$v" "$ROOT"
	[ "$(get /app.js)" = 200 ]
	[ "$(field Cache-Control)" = "$v" ]
	stop_server
	run "$BIN_DIR/scratchd" --port 0 "${args[@]}" --cache-control '*.y=z' "$ROOT"
	[ "$status" -eq 2 ]
	run "$BIN_DIR/scratchd" --port 0 --cache-control "*.js=${v}w" "$ROOT"
	[ "$status" -eq 2 ]
}

# ---- precompressed variants ----

@test "precompressed: the variant follows Accept-Encoding (a table of values)" {
	start_server scratchd --precompressed "$ROOT"
	while IFS='|' read -r ae want; do
		if [ "$ae" = '<absent>' ]; then
			st=$(get /app.js)
		else
			st=$(get /app.js -H "Accept-Encoding: $ae")
		fi
		[ "$st" = 200 ] || { echo "[$ae]: $st"; false; }
		case $want in
		br) [ "$(body)" = BR-BYTES ] && [ "$(field Content-Encoding)" = br ] ;;
		zstd) [ "$(body)" = ZSTD-BYTES ] && [ "$(field Content-Encoding)" = zstd ] ;;
		gzip) [ "$(body)" = GZIP-BYTES ] && [ "$(field Content-Encoding)" = gzip ] ;;
		identity) cmp -s "$BATS_TEST_TMPDIR/body" "$ROOT/app.js" && [ -z "$(field Content-Encoding)" ] ;;
		esac || { echo "[$ae]: want $want, got '$(field Content-Encoding)'"; false; }
		[ "$(field Vary)" = Accept-Encoding ] || { echo "[$ae]: no Vary"; false; }
		[ "$(field Content-Type)" = 'text/javascript; charset=utf-8' ]
		[ "$(field Content-Length)" = "$(wc -c <"$BATS_TEST_TMPDIR/body")" ]
	done <<'EOF'
<absent>|identity
gzip, deflate, br, zstd|br
br|br
zstd|zstd
gzip|gzip
GZIP|gzip
x-gzip|gzip
br;q=0|identity
br;q=0, gzip|gzip
*;q=0, gzip|gzip
*|br
*;q=0|identity
identity;q=0|identity
identity;q=0, zstd|zstd
gzip;q=0.5, br;q=0.4|gzip
gzip;q=0.5, identity|identity
deflate|identity
gzip;q=2|identity
br ; q=1.0 , gzip;q=0.999|br
EOF
}

@test "precompressed: a variant's headers; the original's type; ETags differ; two field lines are one list" {
	start_server scratchd --precompressed "$ROOT"
	[ "$(get /style.css -H 'Accept-Encoding: gzip')" = 200 ]
	[ "$(body)" = GZ-CSS ]
	[ "$(field Content-Encoding)" = gzip ]
	[ "$(field Content-Type)" = 'text/css; charset=utf-8' ]
	[ "$(field Content-Length)" = 6 ]
	gz_etag=$(field ETag)
	[ "$(get /style.css)" = 200 ]
	[ "$(body)" = 'body{}' ]
	[ "$(field Vary)" = Accept-Encoding ]	# the file's own response too
	[ "$(field ETag)" != "$gz_etag" ]
	# style.css has only .gz: br is not served, gzip is
	[ "$(get /style.css -H 'Accept-Encoding: br')" = 200 ]
	[ "$(body)" = 'body{}' ]
	[ "$(get /app.js -H 'Accept-Encoding: br;q=0' -H 'Accept-Encoding: gzip')" = 200 ]
	[ "$(body)" = GZIP-BYTES ]
	# a file with no variant: no Vary
	[ "$(get /plain.txt -H 'Accept-Encoding: br')" = 200 ]
	[ -z "$(field Vary)" ]
	# a large file (sendfile) and its large variant
	[ "$(get /big.js -H 'Accept-Encoding: br')" = 200 ]
	cmp "$BATS_TEST_TMPDIR/body" "$ROOT/big.js.br"
	[ "$(field Content-Length)" = 50000 ]
	[ "$(get /big.js)" = 200 ]
	cmp "$BATS_TEST_TMPDIR/body" "$ROOT/big.js"
	[ "$(field Vary)" = Accept-Encoding ]
	# HEAD: the variant's head, no body
	[ "$(get /app.js -I -H 'Accept-Encoding: br')" = 200 ]
	[ "$(field Content-Length)" = 8 ]
	[ "$(field Content-Encoding)" = br ]
}

@test "precompressed: If-None-Match and Range apply to the variant served; 304s carry Vary" {
	start_server scratchd --precompressed "$ROOT"
	[ "$(get /app.js -H 'Accept-Encoding: br')" = 200 ]
	br_etag=$(field ETag)
	[ "$(get /app.js -H 'Accept-Encoding: br' -H "If-None-Match: $br_etag")" = 304 ]
	[ "$(field Vary)" = Accept-Encoding ]
	[ "$(field ETag)" = "$br_etag" ]
	[ -n "$(field Cache-Control)" ]
	# the br ETag does not match what a gzip-only client gets
	[ "$(get /app.js -H 'Accept-Encoding: gzip' -H "If-None-Match: $br_etag")" = 200 ]
	[ "$(body)" = GZIP-BYTES ]
	# a range of the variant's bytes
	[ "$(get /app.js -H 'Accept-Encoding: br' -H 'Range: bytes=3-5')" = 206 ]
	[ "$(body)" = BYT ]
	[ "$(field Content-Range)" = 'bytes 3-5/8' ]
	[ "$(field Content-Encoding)" = br ]
	# If-Range with the variant's ETag
	[ "$(get /app.js -H 'Accept-Encoding: br' -H 'Range: bytes=0-1' -H "If-Range: $br_etag")" = 206 ]
	[ "$(body)" = BR ]
	# past the variant's end: 416 with the variant's length, and Vary
	[ "$(get /app.js -H 'Accept-Encoding: br' -H 'Range: bytes=100-')" = 416 ]
	[ "$(field Content-Range)" = 'bytes */8' ]
	[ "$(field Vary)" = Accept-Encoding ]
	# If-Match with another ETag: 412, with Vary
	[ "$(get /app.js -H 'Accept-Encoding: br' -H 'If-Match: "other"')" = 412 ]
	[ "$(field Vary)" = Accept-Encoding ]
}

@test "precompressed: a variant out of the root is refused; a variant without its original is not served" {
	start_server scratchd --precompressed "$ROOT"
	[ "$(get /linked.js -H 'Accept-Encoding: br')" = 200 ]
	[ "$(body)" = x ]
	[ -z "$(field Content-Encoding)" ]
	[ -z "$(field Vary)" ]		# it does not count as a variant
	! grep -q OUTSIDE "$BATS_TEST_TMPDIR/body"
	[ "$(get /linked.js.br)" = 404 ]	# nor is it served by its own name
	[ "$(get /orphan.js -H 'Accept-Encoding: br')" = 404 ]
	[ "$(get /orphan.js.br)" = 200 ]	# by its own name: an ordinary file
	[ "$(field Content-Type)" = application/octet-stream ]
	[ -z "$(field Content-Encoding)" ]
	[ "$(get /app.js.gz)" = 200 ]
	[ "$(field Content-Type)" = application/gzip ]
}

@test "precompressed: a variant made after the file was cached is served at once; one removed, at once too" {
	mkdir -p "$BATS_TEST_TMPDIR/site"
	printf 'late' >"$BATS_TEST_TMPDIR/site/late.js"
	start_server scratchd --precompressed "$BATS_TEST_TMPDIR/site"
	[ "$(get /late.js -H 'Accept-Encoding: gzip')" = 200 ]
	[ "$(get /late.js -H 'Accept-Encoding: gzip')" = 200 ]	# cached, with no variant
	[ "$(body)" = late ]
	printf 'LATE-GZ' >"$BATS_TEST_TMPDIR/site/late.js.gz.tmp"
	ln "$BATS_TEST_TMPDIR/site/late.js.gz.tmp" "$BATS_TEST_TMPDIR/site/late.js.gz"	# a hard link: IN_CREATE only
	[ "$(get /late.js -H 'Accept-Encoding: gzip')" = 200 ]
	[ "$(body)" = LATE-GZ ]
	rm "$BATS_TEST_TMPDIR/site/late.js.gz"
	[ "$(get /late.js -H 'Accept-Encoding: gzip')" = 200 ]
	[ "$(body)" = late ]
}

@test "precompressed: 300 files of 7 KiB with 7 KiB variants (the cache's arena refilled while variants are looked for): every byte right" {
	d=$BATS_TEST_TMPDIR/many
	mkdir -p "$d"
	for i in $(seq 300); do
		head -c 7000 /dev/urandom >"$d/f$i.js"
		head -c 7100 /dev/urandom >"$d/f$i.js.br"
	done
	start_server scratchd --precompressed "$d"
	for round in 1 2; do
		for i in $(seq 300); do
			want=f$i.js.br
			[ $((i % 3)) -eq 0 ] && want=f$i.js	# no Accept-Encoding: the file itself
			if [ "$want" = "f$i.js" ]; then
				curl -sS --max-time 5 -o "$BATS_TEST_TMPDIR/got" "$(url "/f$i.js")"
			else
				curl -sS --max-time 5 -o "$BATS_TEST_TMPDIR/got" -H 'Accept-Encoding: br' "$(url "/f$i.js")"
			fi
			cmp -s "$BATS_TEST_TMPDIR/got" "$d/$want" || { echo "round $round: /f$i.js is not $want"; false; }
		done
	done
}

@test "without --precompressed, variants are ignored and no Vary is sent" {
	start_server scratchd "$ROOT"
	[ "$(get /app.js -H 'Accept-Encoding: br, gzip')" = 200 ]
	cmp "$BATS_TEST_TMPDIR/body" "$ROOT/app.js"
	[ -z "$(field Content-Encoding)" ]
	[ -z "$(field Vary)" ]
}

# ---- error pages ----

@test "--error-page: 404, 403, 405, 416 and 5xx answered with the operator's files" {
	start_server scratchd --error-page 404=/.errors/404.html --error-page 403=403.html \
		--error-page 405=/405.json --error-page 416=/416.html --error-page 501=/5xx.html \
		--error-page 505=/5xx.html "$ROOT"
	[ "$(get /missing)" = 404 ]
	[ "$(body)" = '<p>custom 404</p>' ]
	[ "$(field Content-Type)" = 'text/html; charset=utf-8' ]
	[ "$(field Content-Length)" = 18 ]
	[ "$(get /fifo)" = 403 ]
	[ "$(body)" = '<p>custom 403</p>' ]
	[ "$(get /index.html -X POST)" = 405 ]
	[ "$(body)" = '{"error": 405}' ]
	[ "$(field Content-Type)" = application/json ]
	[ "$(field Allow)" = 'GET, HEAD, OPTIONS' ]
	[ "$(get /plain.txt -H 'Range: bytes=999-')" = 416 ]
	[ "$(body)" = '<p>custom 416</p>' ]
	[ "$(field Content-Range)" = 'bytes */12' ]
	[ "$(get /index.html -X BREW)" = 501 ]
	[ "$(body)" = '<p>custom 5xx</p>' ]
	run raw_http 'GET / HTTP/2.0\r\nHost: x\r\n\r\n'
	[[ "$output" == 'HTTP/1.1 505 '* ]]
	[[ "$output" == *'<p>custom 5xx</p>' ]]
	# HEAD: the page's head, no body
	run raw_http 'HEAD /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[[ "$output" == 'HTTP/1.1 404 '* ]]
	[[ "$output" == *$'\r\nContent-Length: 18\r\n'* ]]
	[[ "$output" == *$'\r\n\r' ]]	# (run drops the last LF): nothing after the head
	# the hidden /.errors/ is not served to clients
	[ "$(get /.errors/404.html)" = 404 ]
	[ "$(body)" = '<p>custom 404</p>' ]
	# a 404 page kept in the cache: the same page on a kept-alive connection, pipelined
	run raw_http 'GET /x1 HTTP/1.1\r\nHost: x\r\n\r\nGET /x2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[ "$(grep -c 'custom 404' <<<"$output")" -eq 2 ]
}

@test "--error-page: a missing, a non-regular or an escaping page gives the built-in page; a big one is sent whole" {
	start_server scratchd --error-page 404=/nope.html --error-page 403=/docs --error-page 400=/escape.html \
		--error-page 416=/big-404.html "$ROOT"
	[ "$(get /missing)" = 404 ]
	[[ "$(body)" == *'<h1>404 Not Found</h1>'* ]]
	[ "$(get /fifo)" = 403 ]
	[[ "$(body)" == *'<h1>403 Forbidden</h1>'* ]]
	run raw_http 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[[ "$output" == 'HTTP/1.1 400 '* ]]
	[[ "$output" != *OUTSIDE-PAGE* ]]
	[[ "$output" == *'<h1>400 Bad Request</h1>'* ]]
	[ "$(get /plain.txt -H 'Range: bytes=999-')" = 416 ]
	cmp "$BATS_TEST_TMPDIR/body" "$ROOT/big-404.html"
	[ "$(field Content-Length)" = 20000 ]
	[ "$(field Content-Range)" = 'bytes */12' ]
}

@test "the built-in error page: status, a sentence, the path asked for (escaped), a link home" {
	start_server scratchd "$ROOT"
	[ "$(get '/no/<b>"x"&y')" = 404 ]
	b=$(body)
	[[ "$b" == *'<title>404 Not Found</title>'* ]]
	[[ "$b" == *'<h1>404 Not Found</h1>'* ]]
	[[ "$b" == *'<p>There is nothing at this address.</p>'* ]]
	[[ "$b" == *'<code>/no/&lt;b&gt;&quot;x&quot;&amp;y</code>'* ]]
	[[ "$b" == *'<a href="/">'* ]]
	[[ "$b" != *'<b>'* ]]
	# the same look as the landing page
	[[ "$b" == *'<style>'* ]]
	# a long path: 256 bytes of it, then an ellipsis
	long=/$(printf 'p%.0s' $(seq 400))
	[ "$(get "$long")" = 404 ]
	[[ "$(body)" == *"<code>${long:0:256}…</code>"* ]]
}

# ---- fallback ----

@test "--fallback: a missing route gets the page with 200; a missing asset still 404; files are files" {
	start_server scratchd --fallback /index.html "$ROOT"
	for route in /dashboard /users/42 /users/jane.doe '/a/b/c?x=1' /missing-dir/; do
		[ "$(get "$route")" = 200 ] || { echo "$route"; false; }
		[ "$(body)" = '<h1>home</h1>' ]
		[ "$(field Content-Type)" = 'text/html; charset=utf-8' ]
		[ -n "$(field ETag)" ]
	done
	run raw_http 'HEAD /dashboard HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	[[ "$output" == 'HTTP/1.1 200 '* ]]
	[[ "$output" == *$'\r\n\r' ]]	# (run drops the last LF): nothing after the head
	# assets: a broken <script src> must not get HTML
	for asset in /app.min.js /missing.css /logo.png /font.woff2 /data.json /x.map /v.mp4 /a.wasm /doc.pdf; do
		[ "$(get "$asset")" = 404 ] || { echo "$asset"; false; }
	done
	[ "$(get /about.html)" = 200 ]
	[ "$(body)" = '<h1>about</h1>' ]
	# a hidden path is not turned into the page
	[ "$(get /.env)" = 404 ]
	# conditionals apply to the fallback page
	etag=$(curl -sS --max-time 5 -D - -o /dev/null "$(url /)" | sed -n 's/^ETag: \(.*\)\r$/\1/p')
	[ "$(get /some/route -H "If-None-Match: $etag")" = 304 ]
	# 403 is not turned into the page
	[ "$(get /fifo)" = 403 ]
}

@test "--fallback: while the page is missing, 404; made later, it is served" {
	mkdir -p "$BATS_TEST_TMPDIR/spa"
	start_server scratchd --fallback /app.html "$BATS_TEST_TMPDIR/spa"
	[ "$(get /route)" = 404 ]
	printf 'APP' >"$BATS_TEST_TMPDIR/spa/app.html"
	[ "$(get /route)" = 200 ]
	[ "$(body)" = APP ]
}

# ---- clean URLs ----

@test "--clean-urls: /about serves about.html; /about.html is 308 to /about, the query kept" {
	start_server scratchd --clean-urls "$ROOT"
	[ "$(get /about)" = 200 ]
	[ "$(body)" = '<h1>about</h1>' ]
	[ "$(field Content-Type)" = 'text/html; charset=utf-8' ]
	[ "$(get '/about?x=1&y=2')" = 200 ]
	[ "$(body)" = '<h1>about</h1>' ]
	[ "$(get /about.html)" = 308 ]
	[ "$(field Location)" = /about ]
	[ "$(get '/about.html?x=1&y=2')" = 308 ]
	[ "$(field Location)" = '/about?x=1&y=2' ]
	# the index name goes to its directory
	[ "$(get /docs/index.html)" = 308 ]
	[ "$(field Location)" = /docs/ ]
	[ "$(get '/index.html?q')" = 308 ]
	[ "$(field Location)" = '/?q' ]
	# curl follows it to the page
	[ "$(curl -sS --max-time 5 -L "$(url /about.html)")" = '<h1>about</h1>' ]
	# a directory wins over X.html; its index rules are unchanged
	[ "$(get /about-dir)" = 301 ]
	[ "$(field Location)" = /about-dir/ ]
	[ "$(get /about-dir/)" = 200 ]
	[ "$(body)" = '<h1>about-dir</h1>' ]
	# when X exists too, X.html is served as it is (no redirect to the other file)
	[ "$(get /both.html)" = 200 ]
	[ "$(body)" = '<h1>both.html</h1>' ]
	[ "$(get /both)" = 200 ]
	[ "$(body)" = plain ]
	# a missing X.html: 404 at once, no redirect first
	[ "$(get /nope.html)" = 404 ]
	[ "$(get /nope)" = 404 ]
}

@test "without --clean-urls, /about is 404 and /about.html is served" {
	start_server scratchd "$ROOT"
	[ "$(get /about)" = 404 ]
	[ "$(get /about.html)" = 200 ]
}

@test "--clean-urls with --fallback and --precompressed together" {
	printf 'ABOUT-BR' >"$ROOT/about.html.br"
	start_server scratchd --clean-urls --fallback /index.html --precompressed "$ROOT"
	[ "$(get /about -H 'Accept-Encoding: br')" = 200 ]
	[ "$(body)" = ABOUT-BR ]
	[ "$(field Content-Type)" = 'text/html; charset=utf-8' ]
	[ "$(field Vary)" = Accept-Encoding ]
	[ "$(get /nowhere)" = 200 ]
	[ "$(body)" = '<h1>home</h1>' ]
	rm "$ROOT/about.html.br"
}

# ---- dotfiles ----

@test "dotfiles are hidden, percent-encoded or not; /.well-known/ is served" {
	start_server scratchd "$ROOT"
	for p in /.env /%2eenv /%2Eenv /a/.git/config /a/%2Egit/config /a/%2egit%2fconfig /.git/ /a/.git/ \
		'/a/./.git/config' '/x/../.env'; do
		run raw_http "GET $p HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"
		[[ "$output" == 'HTTP/1.1 404 '* ]] || { echo "$p: ${lines[0]}"; false; }
		[[ "$output" != *SECRET* ]] || { echo "LEAK via $p"; false; }
	done
	[ "$(get /.well-known/acme-challenge/token)" = 200 ]
	[ "$(body)" = token-123 ]
	[ "$(get /%2Ewell-known/security.txt)" = 200 ]
	# listings leave them out
	[ "$(get /list/)" = 200 ]
	! grep -q hidden "$BATS_TEST_TMPDIR/body"
	[ "$(get /)" = 200 ]	# (index.html: nothing to see)
	[ "$(get /a/)" = 200 ]
	! grep -q '\.git' "$BATS_TEST_TMPDIR/body"
	[ "$(get /a/ -H 'Accept: application/json')" = 200 ]
	[ "$(body)" = '[]' ]
}

@test "--dotfiles serves and lists them" {
	start_server scratchd --dotfiles "$ROOT"
	[ "$(get /.env)" = 200 ]
	[ "$(body)" = SECRET-ENV ]
	[ "$(get /a/%2Egit/config)" = 200 ]
	[ "$(get /list/)" = 200 ]
	grep -q 'href="\.hidden"' "$BATS_TEST_TMPDIR/body"
}

# ---- Cache-Control ----

@test "Cache-Control: no-cache by default on 200, 206 and 304; none on errors" {
	start_server scratchd "$ROOT"
	[ "$(get /plain.txt)" = 200 ]
	[ "$(field Cache-Control)" = no-cache ]
	etag=$(field ETag)
	[ "$(get /plain.txt -H 'Range: bytes=0-1')" = 206 ]
	[ "$(field Cache-Control)" = no-cache ]
	[ "$(get /plain.txt -H "If-None-Match: $etag")" = 304 ]
	[ "$(field Cache-Control)" = no-cache ]
	[ "$(get /missing)" = 404 ]
	[ -z "$(field Cache-Control)" ]
}

@test "--cache-control rules: the first match wins, on 200/206/304 of matching files; others keep no-cache" {
	start_server scratchd --precompressed --fallback /index.html \
		--cache-control '/assets/*=public, max-age=31536000, immutable' \
		--cache-control '*.JS=max-age=60' --cache-control '*.js=max-age=1' \
		--cache-control '/docs/*=no-store' "$ROOT"
	printf 'a' >"$ROOT/assets/x.js"
	[ "$(get /assets/x.js)" = 200 ]
	[ "$(field Cache-Control)" = 'public, max-age=31536000, immutable' ]
	[ "$(get /app.js -H 'Accept-Encoding: br')" = 200 ]	# the variant matches by its original's name
	[ "$(field Content-Encoding)" = br ]
	[ "$(field Cache-Control)" = max-age=60 ]
	etag=$(field ETag)
	[ "$(get /app.js -H 'Accept-Encoding: br' -H "If-None-Match: $etag")" = 304 ]
	[ "$(field Cache-Control)" = max-age=60 ]
	[ "$(get /app.js -H 'Range: bytes=0-0')" = 206 ]
	[ "$(field Cache-Control)" = max-age=60 ]
	[ "$(get /docs/)" = 200 ]		# docs/index.html
	[ "$(field Cache-Control)" = no-store ]
	[ "$(get /plain.txt)" = 200 ]
	[ "$(field Cache-Control)" = no-cache ]
	[ "$(get /route)" = 200 ]		# the fallback: index.html's rules
	[ "$(field Cache-Control)" = no-cache ]
	[ "$(get /missing.js)" = 404 ]
	[ -z "$(field Cache-Control)" ]
	rm "$ROOT/assets/x.js"
}

@test "--header 'Cache-Control: ...' replaces the default on every response" {
	start_server scratchd --header 'Cache-Control: max-age=5' "$ROOT"
	[ "$(get /plain.txt)" = 200 ]
	[ "$(grep -ci '^cache-control:' "$BATS_TEST_TMPDIR/head")" -eq 1 ]
	[ "$(field Cache-Control)" = max-age=5 ]
}

# ---- multiple byte ranges ----

# ranges FILE RANGE_FIELD EXPECTED: GET FILE with Range: bytes=RANGE_FIELD and
# check the multipart body part by part against the file.
ranges() {
	[ "$(get "/$1" -H "Range: bytes=$2")" = 206 ] || { echo "status: $(head -n 1 "$BATS_TEST_TMPDIR/head")"; return 1; }
	run "$PY" "$BATS_TEST_DIRNAME/test_helper/multipart.py" "$BATS_TEST_TMPDIR/head" "$BATS_TEST_TMPDIR/body" \
		"$ROOT/$1" "$3"
	echo "$output"
	[ "$output" = ok ]
}

@test "multiple ranges: 206 multipart/byteranges, parsed back and compared byte for byte" {
	PY=${PY:-python3}
	start_server scratchd "$ROOT"
	ranges digits.txt '0-9,20-29' '0-9,20-29'			# from the cache
	ranges digits.txt '-5,0-0' '195-199,0-0'			# order kept
	ranges ranges.bin '0-9,100000-100009,299990-' '0-9,100000-100009,299990-299999'	# sendfile
	ranges ranges.bin '0-99999,200000-299999' '0-99999,200000-299999'
	# overlapping and adjacent ranges coalesce; the rest keep their order
	ranges digits.txt '50-59,0-9,55-70,10-12' '50-70,0-12'
	# unsatisfiable members are dropped
	ranges digits.txt '0-1,500-600,3-4' '0-1,3-4'
	# coalesced into one: a plain 206
	[ "$(get /digits.txt -H 'Range: bytes=0-5,3-9')" = 206 ]
	[ "$(field Content-Range)" = 'bytes 0-9/200' ]
	[ "$(body)" = 0001020304 ]
	# none satisfiable: 416
	[ "$(get /digits.txt -H 'Range: bytes=500-,600-')" = 416 ]
	# HEAD: no ranges (RFC 9110 §14.2)
	[ "$(get /digits.txt -I -H 'Range: bytes=0-1,5-6')" = 200 ]
}

@test "multiple ranges: 16 are served; 17 get 200 and the whole file" {
	PY=${PY:-python3}
	start_server scratchd "$ROOT"
	f=0-0 want=0-0
	for i in $(seq 1 15); do f+=",$((i * 10))-$((i * 10))"; want+=",$((i * 10))-$((i * 10))"; done
	ranges ranges.bin "$f" "$want"
	ranges digits.txt "$f" "$want"
	[ "$(get /ranges.bin -H "Range: bytes=$f,170-170")" = 200 ]
	cmp "$BATS_TEST_TMPDIR/body" "$ROOT/ranges.bin"
}

@test "multiple ranges: a keep-alive connection goes on after a multipart body" {
	start_server scratchd "$ROOT"
	out=$(timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf "GET /ranges.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0,10-10\r\n\r\nGET /plain.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&5
		cat <&5' "$PORT" | tr -d '\0')
	[[ "$out" == 'HTTP/1.1 206 '* ]]
	[[ "$out" == *'no variants'* ]]
	[ "$(grep -c '^HTTP/1.1 ' <<<"$out")" -eq 2 ]
}

@test "the server survived everything above and wrote nothing to stderr" {
	start_server scratchd --precompressed --clean-urls "$ROOT"
	[ "$(get /about)" = 200 ]
	kill -0 "$SERVER_PID"
	[ -z "$(server_errors)" ]
}
