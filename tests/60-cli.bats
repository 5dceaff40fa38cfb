#!/usr/bin/env bats
# Operating scratchd: options, messages, socket activation, privilege drop,
# seccomp.

setup_file() {
	ROOT=$(mktemp -d /tmp/scratchd-cli.XXXXXX)	# nobody must reach it
	chmod 755 "$ROOT"
	printf 'hello\n' >"$ROOT/index.html"
	printf '# doc\n' >"$ROOT/readme.md"
	export ROOT
}

teardown_file() {
	rm -rf "$ROOT"
}

setup() {
	load test_helper/common
	SERVER_PID=
}

teardown() {
	stop_server
}

@test "--help lists every option, aligned, and exits 0" {
	run "$BIN_DIR/scratchd" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: scratchd [OPTIONS] [DIR]" ]]
	for opt in --addr --bind --port --workers --max-conns --header-timeout --idle-timeout \
		--write-timeout --grace --index --no-listing --header --mime --log --no-log --user \
		--group --chroot --no-seccomp --help --version; do
		grep -q -- "$opt" <<<"$output" || { echo "missing $opt"; false; }
	done
	# every description starts in column 31
	misaligned=$(grep -E '^  (-[a-z], |    )--' <<<"$output" |
		awk 'substr($0, 30, 1) != " " || substr($0, 31, 1) == " "')
	[ -z "$misaligned" ] || { echo "misaligned: $misaligned"; false; }
	run "$BIN_DIR/scratchd" -h
	[ "$status" -eq 0 ]
}

@test "--version prints the version and exits 0" {
	run "$BIN_DIR/scratchd" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^scratchd\ [0-9]+\.[0-9]+\.[0-9]+ ]]
}

@test "good option values are accepted, in both --opt value and --opt=value forms" {
	for args in "--port=0" "-p 0" "--addr=127.0.0.1 --port 0" "-b 127.0.0.1 --port 0" \
		"--bind 127.0.0.1 --port 0" "--port 0 -w 1" "--port 0 --workers=2" \
		"--port 0 --max-conns 1" "--port 0 --max-conns=1048576" "--port 0 --header-timeout 1" \
		"--port 0 --idle-timeout=3600" "--port 0 --write-timeout 60" "--port 0 --grace 0" \
		"--port 0 --index home.html" "--port 0 --no-listing" "--port 0 --header X-A:1" \
		"--port 0 --mime md=text/markdown" "--port 0 --no-log" "--port 0 --no-seccomp"; do
		"$BIN_DIR/scratchd" $args "$ROOT" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
		pid=$!
		ok=
		for _ in $(seq 60); do
			grep -q '^listening on ' "$BATS_TEST_TMPDIR/out" && ok=1 && break
			kill -0 $pid 2>/dev/null || break
			sleep 0.05
		done
		stop_pid $pid
		[ -n "$ok" ] || { echo "refused: $args"; cat "$BATS_TEST_TMPDIR/out"; false; }
	done
}

@test "a bad option or value is one line naming it, a hint, and exit 2" {
	while IFS='|' read -r args want; do
		run "$BIN_DIR/scratchd" $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; false; }
		[ "${lines[0]}" = "scratchd: $want" ] || { echo "$args: ${lines[0]}"; false; }
		[ "${lines[1]}" = "Try 'scratchd --help' for more information." ]
	done <<'EOF'
--bogus|unknown option: --bogus
-x|unknown option: -x
--port|--port: needs a value
--port 65536|--port: invalid value '65536' (a number from 0 to 65535)
--port=-1|--port: invalid value '-1' (a number from 0 to 65535)
--port abc|--port: invalid value 'abc' (a number from 0 to 65535)
--workers 0|--workers: invalid value '0' (a number from 1 to 256)
--workers 257|--workers: invalid value '257' (a number from 1 to 256)
--max-conns 0|--max-conns: invalid value '0' (a number from 1 to 1048576)
--header-timeout 0|--header-timeout: invalid value '0' (a number from 1 to 3600)
--idle-timeout 3601|--idle-timeout: invalid value '3601' (a number from 1 to 3600)
--write-timeout x|--write-timeout: invalid value 'x' (a number from 1 to 3600)
--grace 3601|--grace: invalid value '3601' (a number from 0 to 3600)
--header NoColon|--header: invalid value 'NoColon'
--header X(y):1|--header: invalid value 'X(y):1'
--mime md|--mime: invalid value 'md'
--mime .md=x|--mime: invalid value '.md=x'
--no-log=1|--no-log=1: takes no value
--addr 1.2.3|--addr: not an IPv4 or IPv6 address
--addr ::g|--addr: not an IPv4 or IPv6 address
--index a/b|--index a/b: not a file name
/a /b|extra argument: /b
EOF
}

@test "nothing listens until every option is valid" {
	run "$BIN_DIR/scratchd" --port 0 --bogus "$ROOT"
	[ "$status" -eq 2 ]
	[[ "$output" != *listening* ]]
}

@test "a port in use: 'scratchd: bind ADDR: address already in use', exit 1" {
	for workers in 1 2; do
		start_server scratchd --workers "$workers" "$ROOT"
		run "$BIN_DIR/scratchd" --addr 127.0.0.1 --port "$PORT" --workers "$workers" "$ROOT"
		stop_server
		[ "$status" -eq 1 ]
		[ "${lines[-1]}" = "scratchd: bind 127.0.0.1:$PORT: address already in use" ]
	done
}

@test "a missing DIR: a clear message, exit 1" {
	run "$BIN_DIR/scratchd" --port 0 /no/such/dir
	[ "$status" -eq 1 ]
	[ "$output" = "scratchd: /no/such/dir: no such file or directory" ]
}

@test "--header adds fields to every response; --mime sets a media type" {
	start_server scratchd --header 'Cache-Control: max-age=60' --header 'X-Frame-Options: DENY' \
		--mime md=text/markdown --mime 'txt=text/x-custom' "$ROOT"
	for url in / /readme.md /missing; do
		run curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$PORT$url"
		[[ "$output" == *$'\r\nCache-Control: max-age=60\r\n'* ]] || { echo "$url: $output"; false; }
		[[ "$output" == *$'\r\nX-Frame-Options: DENY\r\n'* ]]
	done
	run curl -sS --max-time 5 -o /dev/null -w '%{content_type}' "http://127.0.0.1:$PORT/readme.md"
	[ "$output" = text/markdown ]
}

@test "systemd socket activation: serves on the passed socket" {
	command -v systemd-socket-activate >/dev/null || skip "systemd-socket-activate is not installed"
	start_server scratchd "$ROOT"	# only to find a free port
	port=$PORT
	stop_server
	for workers in 1 2; do
		systemd-socket-activate -l "127.0.0.1:$port" "$BIN_DIR/scratchd" --workers "$workers" "$ROOT" \
			>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
		SERVER_PID=$!
		for _ in $(seq 60); do
			grep -q '^Listening on' "$BATS_TEST_TMPDIR/err" && break
			sleep 0.05
		done
		run curl -sS --max-time 5 "http://127.0.0.1:$port/"
		[ "$output" = hello ]
		grep -q "^listening on http://127.0.0.1:$port$" "$BATS_TEST_TMPDIR/out"
		# the port was not bound by scratchd: the passed fd 3 was used
		grep -q 'Communication attempt on fd 3' "$BATS_TEST_TMPDIR/err"
		stop_server
	done
}

@test "as root, --user nobody --chroot DIR: every worker runs as nobody inside DIR" {
	[ "$(id -u)" -eq 0 ] || skip "not root: privilege drop cannot be tested"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	start_server scratchd --workers 2 --user nobody --chroot "$ROOT" "$ROOT"
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
	nobody=$(id -u nobody)
	for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID"); do
		[ "$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$pid/status")" = "$nobody$nobody$nobody$nobody" ]
		[ "$(awk '/^Groups:/ { print $2 }' "/proc/$pid/status")" = "" ]
		[ "$(readlink "/proc/$pid/root")" = "$ROOT" ]
	done
}

@test "as root, --chroot without --user is refused; an unknown user too" {
	[ "$(id -u)" -eq 0 ] || skip "not root"
	run "$BIN_DIR/scratchd" --port 0 --chroot "$ROOT" "$ROOT"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "scratchd: --chroot: needs --user when running as root" ]
	run "$BIN_DIR/scratchd" --port 0 --user no-such-user-here "$ROOT"
	[ "$status" -eq 1 ]
	[ "$output" = "scratchd: --user/--group no-such-user-here: no such user or group" ]
	run "$BIN_DIR/scratchd" --port 0 --group no-such-group-here "$ROOT"
	[ "$status" -eq 1 ]
}

@test "not root, --user is refused with the failing call named" {
	[ "$(id -u)" -eq 0 ] || skip "not root"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$BIN_DIR/scratchd" --port 0 --user nobody "$ROOT"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "scratchd: setgroups: operation not permitted" ]
}

@test "seccomp: a forbidden system call after set-up kills the worker with SIGSYS" {
	[ -x "$BIN_DIR/scratchd-seccomp-test" ] || skip "no seccomp test build (make test-builds)"
	skip_on_cross "qemu-user implements no seccomp filters"
	start_server scratchd-seccomp-test --workers 1 "$ROOT"
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/")" = hello ]
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/__forbidden__"
	[ "$status" -ne 0 ]			# the connection died with the process
	wait "$SERVER_PID" && st=0 || st=$?
	SERVER_PID=
	[ "$st" -eq $((128 + 31)) ]		# killed by signal 31, SIGSYS
}

@test "seccomp: with --no-seccomp the same call is allowed" {
	[ -x "$BIN_DIR/scratchd-seccomp-test" ] || skip "no seccomp test build (make test-builds)"
	skip_on_cross "qemu-user implements no seccomp filters"
	start_server scratchd-seccomp-test --workers 1 --no-seccomp "$ROOT"
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/__forbidden__"
	[ "$output" = 404 ]
	kill -0 "$SERVER_PID"
}

@test "seccomp: a killed worker is restarted by the supervisor" {
	[ -x "$BIN_DIR/scratchd-seccomp-test" ] || skip "no seccomp test build (make test-builds)"
	skip_on_cross "qemu-user implements no seccomp filters"
	start_server scratchd-seccomp-test --workers 2 "$ROOT"
	for _ in 1 2 3 4; do
		curl -sS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/__forbidden__" || true
	done
	sleep 0.3
	grep -q 'killed by signal 31; restarting' "$SERVER_ERR"
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/")" = hello ]
}
