#!/usr/bin/env bats
# A real browser: Debian's headless Chromium, driven through its DevTools
# protocol on a pipe (tests/test_helper/cdp.py; nothing downloaded), loads
# the landing page and a listing, clicks a link in the listing, and finds
# the right titles, the style sheet applied, and nothing answered 404.
#
# Skipped under qemu-user (the browser is the host's, and the cross server's
# speed makes its timeouts meaningless), and when chromium is missing
# outside CI; in CI (CI=true) a missing chromium is a failure: `make test`
# installs it (tests/run.sh).

setup_file() {
	SITE="$BATS_FILE_TMPDIR/site"
	mkdir -p "$SITE/files/sub"
	printf 'bee\n' >"$SITE/files/b.txt"
	printf 'a\n' >"$SITE/files/a file.txt"
	printf '<!doctype html><title>Inner page</title><p>inner' >"$SITE/files/sub/page.html"
	export SITE
}

setup() {
	load test_helper/common
	SERVER_PID=
	skip_on_cross "the browser is the host's; the emulated server is too slow for its timeouts"
	CHROMIUM=$(command -v chromium || true)
	if [ -z "$CHROMIUM" ]; then
		[ "${CI:-}" = true ] && { echo "chromium is missing in CI (tests/run.sh installs it)"; return 1; }
		skip "chromium is not installed (Debian: chromium)"
	fi
	PY=${PY:-python3}
}

teardown() {
	stop_server
}

# browse STEP...: run cdp.py on the steps (JSON objects), bounded in time;
# its output, one JSON line per step, in $BATS_TEST_TMPDIR/cdp.
browse() {
	local steps
	steps=$(printf '%s,' "$@")
	printf '[%s]' "${steps%,}" >"$BATS_TEST_TMPDIR/script.json"
	timeout 90 "$PY" "$BATS_TEST_DIRNAME/test_helper/cdp.py" "$CHROMIUM" "$BATS_TEST_TMPDIR/profile" \
		"$BATS_TEST_TMPDIR/script.json" >"$BATS_TEST_TMPDIR/cdp"
	local rc=$?
	cat "$BATS_TEST_TMPDIR/cdp"
	return $rc
}

# value EXPR: what the step {"eval": EXPR} printed.
value() {
	"$PY" -c 'import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("eval") == sys.argv[2]:
        print(m["value"])' "$BATS_TEST_TMPDIR/cdp" "$1"
}

# statuses: "STATUS URL" for each response the page saw.
statuses() {
	"$PY" -c 'import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    for s, u in m.get("responses", []):
        print(s, u)
    for f in m.get("failed", []):
        print("failed", f)' "$BATS_TEST_TMPDIR/cdp"
}

# The access log: no line with status 404.
no_404_logged() {
	sleep 1.2	# the log is written once a second
	! awk '$9 == 404' <(tail -n +2 "$SERVER_OUT") | grep .
}

@test "Chromium loads the landing page: its title, its style sheet and icon, nothing 404s" {
	start_server scratchd --workers 1 "$BATS_TEST_DIRNAME/../www"
	browse "{\"go\": \"http://127.0.0.1:$PORT/\"}" \
		'{"eval": "document.title"}' \
		'{"eval": "getComputedStyle(document.querySelector(\"main\")).maxWidth"}' \
		'{"eval": "document.querySelector(\"[data-command=strace]\").textContent"}' \
		'{"eval": "fetch(\"/favicon.ico\").then(r => r.status)"}' \
		"{\"shot\": \"$BATS_TEST_TMPDIR/landing.png\"}" \
		'{"responses": true}'
	[ "$(value document.title)" = scratchd ]
	[ "$(value 'getComputedStyle(document.querySelector("main")).maxWidth')" = 896px ]	# 56rem: style.css applied
	[ "$(value 'document.querySelector("[data-command=strace]").textContent')" = 'strace -f build/scratchd --port 0 www' ]
	run statuses
	echo "$output"
	grep -q "^200 http://127.0.0.1:$PORT/$" <<<"$output"
	grep -q "^200 http://127.0.0.1:$PORT/style.css$" <<<"$output"
	! grep -qv '^200 ' <<<"$output"
	grep -q '"GET /favicon.ico HTTP/1.1" 200 ' <(sleep 1.2; cat "$SERVER_OUT")
	no_404_logged
}

@test "Chromium reads a listing, follows its links, and gets the pages they lead to; nothing 404s" {
	start_server scratchd --workers 1 "$SITE"
	printf 'icon' >"$SITE/favicon.ico"	# the browser asks for it on a page without one
	browse "{\"go\": \"http://127.0.0.1:$PORT/files/\"}" \
		'{"eval": "document.title"}' \
		'{"eval": "[...document.querySelectorAll(\"tbody a\")].map(a => a.textContent).join(\"|\")"}' \
		'{"eval": "document.querySelector(\"th\").textContent"}' \
		"{\"shot\": \"$BATS_TEST_TMPDIR/listing.png\"}" \
		'{"click": "a[href=\"b.txt\"]"}' \
		'{"eval": "location.pathname + \" \" + document.body.innerText.trim()"}' \
		"{\"go\": \"http://127.0.0.1:$PORT/files/\"}" \
		'{"click": "a[href=\"sub/\"]"}' \
		'{"eval": "document.title"}' \
		'{"click": "a[href=\"page.html\"]"}' \
		'{"eval": "location.pathname + \" \" + document.title"}' \
		'{"responses": true}'
	[ "$(value document.title | head -n 1)" = 'Index of /files/' ]
	[ "$(value '[...document.querySelectorAll("tbody a")].map(a => a.textContent).join("|")')" = '../|sub/|a file.txt|b.txt' ]
	[ "$(value 'document.querySelector("th").textContent')" = Name ]
	[ "$(value 'location.pathname + " " + document.body.innerText.trim()')" = '/files/b.txt bee' ]
	[ "$(value document.title | sed -n 2p)" = 'Index of /files/sub/' ]
	[ "$(value 'location.pathname + " " + document.title')" = '/files/sub/page.html Inner page' ]
	run statuses
	echo "$output"
	! grep -qv '^200 ' <<<"$output"
	no_404_logged
	rm "$SITE/favicon.ico"
}

@test "Chromium shows the built-in error page with its title and a link home that works" {
	start_server scratchd --workers 1 "$SITE"
	browse "{\"go\": \"http://127.0.0.1:$PORT/no/such/page\"}" \
		'{"eval": "document.title"}' \
		'{"eval": "document.querySelector(\"code\").textContent"}' \
		"{\"shot\": \"$BATS_TEST_TMPDIR/error.png\"}" \
		'{"click": "a[href=\"/\"]"}' \
		'{"eval": "location.pathname + \" \" + document.title"}'
	[ "$(value document.title)" = '404 Not Found' ]
	[ "$(value 'document.querySelector("code").textContent')" = /no/such/page ]
	[ "$(value 'location.pathname + " " + document.title')" = '/ Index of /' ]
}
