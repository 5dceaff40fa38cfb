#!/usr/bin/env bats
# HTTPS as browsers and scanners see it: headless Chromium (Debian's
# chromium, BoringSSL) loads a page and its subresources trusting only a test
# CA, and testssl.sh finds nothing rated HIGH or CRITICAL.

bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/common
	[ -n "$CROSS_ARCH" ] && return 0
	export PKI="$BATS_FILE_TMPDIR/pki"
	make_pki "$PKI"
	export ROOT="$BATS_FILE_TMPDIR/www"
	mkdir -p "$ROOT"
	# the page fetches a second resource over the same origin and writes it
	# into the DOM: the DOM shows both requests succeeded over TLS
	cat >"$ROOT/index.html" <<-'EOF'
	<!doctype html><html><head><meta charset="utf-8"><title>tls page</title>
	<link rel="icon" href="data:,"></head>
	<body><p id="fetched">pending</p>
	<script>fetch('/data.txt').then(r => r.text()).then(t => { document.getElementById('fetched').textContent = t.trim(); });</script>
	</body></html>
	EOF
	printf 'fetched over tls\n' >"$ROOT/data.txt"
	start_tls_server scratchd --workers 2 --no-log --cert "$PKI/chain.pem" --key "$PKI/key.pem" "$ROOT"
	echo "$SERVER_PID" >"$BATS_FILE_TMPDIR/pid"
	echo "$PORT" >"$BATS_FILE_TMPDIR/port"
}

teardown_file() {
	load test_helper/common
	[ -f "$BATS_FILE_TMPDIR/pid" ] || return 0
	SERVER_PID=$(cat "$BATS_FILE_TMPDIR/pid")
	stop_server
}

setup() {
	load test_helper/common
	skip_on_cross "browsers and scanners run natively"
	PORT=$(cat "$BATS_FILE_TMPDIR/port")
}

# chromium's DOM after load; HOME holds its NSS database (the trusted CAs)
chromium_dom() {
	local home=$1 url=$2
	HOME=$home timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$home/profile" --virtual-time-budget=5000 --dump-dom "$url" 2>/dev/null
}

need_chromium() {
	if ! command -v chromium >/dev/null || ! command -v certutil >/dev/null; then
		[ -n "${CI:-}" ] && { echo "chromium and certutil must be installed in CI (make test installs them)"; return 1; }
		skip "chromium or certutil (libnss3-tools) is not installed"
	fi
}

@test "headless Chromium loads a page and a fetch over HTTPS, trusting the test CA" {
	need_chromium
	home="$BATS_TEST_TMPDIR/home"
	mkdir -p "$home/.pki/nssdb"
	certutil -d "sql:$home/.pki/nssdb" -N --empty-password
	certutil -d "sql:$home/.pki/nssdb" -A -t "C,," -n "scratchd test CA" -i "$PKI/ca.pem"
	run chromium_dom "$home" "https://localhost:$PORT/"
	[[ "$output" == *"<title>tls page</title>"* ]] || { echo "$output" | head -20; false; }
	[[ "$output" == *'<p id="fetched">fetched over tls</p>'* ]]
}

@test "headless Chromium without the test CA does not show the page (the certificate is checked)" {
	need_chromium
	home="$BATS_TEST_TMPDIR/home"
	mkdir -p "$home"
	run chromium_dom "$home" "https://localhost:$PORT/"
	[[ "$output" != *"<title>tls page</title>"* ]]
}

@test "testssl.sh reports no finding rated HIGH or CRITICAL" {
	if ! command -v testssl >/dev/null; then
		[ -n "${CI:-}" ] && { echo "testssl.sh must be installed in CI (make test installs it)"; false; }
		skip "testssl.sh is not installed"
	fi
	json="$BATS_TEST_TMPDIR/testssl.json"
	run timeout 600 testssl --quiet --color 0 --warnings off --ip one --add-ca "$PKI/ca.pem" \
		--jsonfile "$json" "https://localhost:$PORT/"
	[ -s "$json" ] || { echo "$output" | tail -20; false; }
	run "$PY" -c '
import json, sys
findings = json.load(open(sys.argv[1]))
bad = [f for f in findings if f.get("severity") in ("HIGH", "CRITICAL")]
for f in bad:
    print(f["severity"], f["id"], f["finding"])
print(len(findings), "findings,", len(bad), "HIGH or CRITICAL")
sys.exit(1 if bad or len(findings) < 20 else 0)' "$json"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	kill -0 "$(cat "$BATS_FILE_TMPDIR/pid")"
}
