#!/usr/bin/env bats
# The trace build (make trace): $BIN_DIR/scratchd-trace writes one line per
# system call to stderr in strace's format. Checked against strace watching
# the normal build through the same scenario: start, GET, keep-alive GET
# (sendfile), keep-alive 404, SIGTERM.

setup_file() {
	ROOT=$(mktemp -d /tmp/scratchd-trace.XXXXXX)
	printf 'hello\n' >"$ROOT/index.html"
	# too big for the response buffer (8 KiB): sent with sendfile
	head -c 12000 /dev/zero | tr '\0' x >"$ROOT/big.txt"
	export ROOT
}

teardown_file() {
	rm -rf "$ROOT"
}

setup() {
	load test_helper/common
	skip_on_cross "strace would trace the emulator, not the program"
	SERVER_PID= SCRATCHD_PID=
}

teardown() {
	# a failed scenario may leave scratchd stopped, and under strace
	if [ -n "$SCRATCHD_PID" ]; then
		kill -CONT "$SCRATCHD_PID" 2>/dev/null || true
		stop_pid "$SCRATCHD_PID"
	fi
	stop_server
}

need_trace_build() {
	[ -x "$BIN_DIR/scratchd-trace" ] || skip "$BIN_DIR/scratchd-trace is not built (make trace)"
}

need_strace() {
	command -v strace >/dev/null || skip "strace is not installed"
	command -v ss >/dev/null || skip "ss is not installed"
}

# A port no one listens on: scratchd picks one, then lets it go. Both runs
# use it, so the addresses they bind agree.
free_port() {
	start_server scratchd --workers 1 --no-log "$ROOT"
	echo "$PORT"
	stop_server
}

# Wait (5 s at most) until process PID sleeps: once started, scratchd sleeps
# only in epoll_wait.
wait_idle() {
	for _ in $(seq 100); do
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = S ] && return 0
		sleep 0.05
	done
	echo "process $1 never went idle"
	return 1
}

# run_scenario PREFIX PORT COMMAND...: run COMMAND (a scratchd, perhaps under
# strace) on 127.0.0.1:PORT with one worker and no log, stdout and stderr to
# PREFIX.out and PREFIX.err, through the scenario, and wait for it to exit.
#
# The client connects while the server is stopped (SIGSTOP), and the server
# continues only when the request is queued on the new connection: otherwise
# the read right after accept4 may come before the request (EAGAIN) in one
# run and not in the other. Stopping and continuing makes the sleeping
# epoll_wait fail with EINTR (signal(7)), in both runs alike.
run_scenario() {
	local prefix=$1 port=$2 pid
	shift 2
	"$@" --addr 127.0.0.1 --port "$port" --workers 1 --no-log "$ROOT" \
		>"$prefix.out" 2>"$prefix.err" 3>&- &
	SERVER_PID=$!
	for _ in $(seq 100); do
		grep -q '^listening on ' "$prefix.out" && break
		sleep 0.05
	done
	grep -q '^listening on ' "$prefix.out" || { cat "$prefix.err"; return 1; }
	# under strace, the server is strace's child
	pid=$(pgrep -P "$SERVER_PID" || echo "$SERVER_PID")
	SCRATCHD_PID=$pid
	wait_idle "$pid"

	kill -STOP "$pid"
	curl -sS --max-time 10 -w '%{http_code}:%{num_connects} ' \
		-o /dev/null "http://127.0.0.1:$port/" \
		-o /dev/null "http://127.0.0.1:$port/big.txt" \
		-o /dev/null "http://127.0.0.1:$port/missing" >"$prefix.curl" 2>&1 3>&- &
	local cpid=$!
	for _ in $(seq 100); do		# the request waits in the new socket
		ss -Htn state established "( sport = :$port )" | awk '$1 > 0 { f = 1 } END { exit !f }' && break
		sleep 0.05
	done
	kill -CONT "$pid"
	wait "$cpid" || { cat "$prefix.curl"; return 1; }
	# three answers on one connection
	[ "$(cat "$prefix.curl")" = "200:1 200:0 404:0 " ] || { cat "$prefix.curl"; return 1; }

	sleep 0.2	# the server sees the client close
	wait_idle "$pid"
	kill -TERM "$pid"
	wait "$SERVER_PID" || { echo "exit status $?"; cat "$prefix.err"; return 1; }
	SERVER_PID= SCRATCHD_PID=
}

# The calls of a trace (strace's -o file or the trace build's stderr), one a
# line, "name(arguments) = result", without what only one side shows:
#  - strace's "PID " prefix, and its signal and exit lines;
#  - execve: made before any of our code runs;
#  - exit_group: with one worker, main returns to start.S, whose exit_group
#    does not go through syscall.h's hook;
#  - write: strace -e 'trace=!write' leaves it out (the trace's own writes,
#    and the "listening on" line);
#  - the timer's ticks, which fall differently in two runs: an epoll_wait
#    woken by the timerfd alone, the read of the timerfd, the clock_gettime
#    right after it, and the madvise calls of a tick with no connection
#    open (src/server.c:release_idle_memory).
calls_of() {
	awk '
	{ sub(/^[0-9]+ +/, "") }
	/^timerfd_create\(/ { tfd = $NF }
	/^epoll_ctl\(/ && tfd != "" && index($0, "EPOLL_CTL_ADD, " tfd ", ") {
		match($0, /data=\{[^}]*\}/)
		tick_event = "[{events=EPOLLIN, " substr($0, RSTART, RLENGTH) "}]"
	}
	/^epoll_wait\(/ && tick_event != "" && index($0, ", " tick_event ", ") { next }
	/^read\(/ && tfd != "" && index($0, "read(" tfd ", ") == 1 { tick = 1; next }
	/^clock_gettime\(/ && tick == 1 { tick = 2; next }
	/^madvise\(/ && tick == 2 { next }
	{ tick = 0 }
	/^(execve|exit_group|write)\(/ { next }
	/^[a-z_0-9]+\(/ { print }
	' "$1"
}

# The calls whose arguments must agree, made comparable: strace pads "= " to
# a column counted with its "PID " prefix; it shows accept4's length before
# and after ([28 => 16]), the trace build only after; client ports and stack
# addresses differ from run to run.
args_of() {
	calls_of "$1" | grep -E '^(socket|bind|accept4|openat2|sendfile)\(' |
		sed -E -e 's/\) +=/) =/' -e 's/\[[0-9]+ => ([0-9]+)\]/[\1]/' \
			-e '/^accept4/s/sin_port=htons\([0-9]+\)/sin_port=htons(PORT)/' \
			-e 's/0x[0-9a-f]+/0xADDR/g'
}

@test "the trace build logs the same system calls, with the same arguments, as strace shows" {
	need_trace_build
	need_strace
	port=$(free_port)
	s="$BATS_TEST_TMPDIR/strace" t="$BATS_TEST_TMPDIR/trace"
	run_scenario "$s" "$port" strace -f -qq -o "$s.log" -e 'trace=!write' "$BIN_DIR/scratchd"
	run_scenario "$t" "$port" "$BIN_DIR/scratchd-trace"

	calls_of "$s.log" | sed 's/(.*//' >"$s.names"
	calls_of "$t.err" | sed 's/(.*//' >"$t.names"
	diff -u "$s.names" "$t.names"
	# the scenario reached every call the comparison is about
	for name in socket bind accept4 openat2 sendfile epoll_wait read close; do
		grep -qx "$name" "$t.names" || { echo "no $name"; false; }
	done

	args_of "$s.log" >"$s.args"
	args_of "$t.err" >"$t.args"
	diff -u "$s.args" "$t.args"
	grep -q '^sendfile([0-9]*, [0-9]*, \[0\] => \[12000\], 12000) = 12000$' "$t.args"
	grep -q '^openat2([0-9]*, "missing", {flags=O_RDONLY|.*}, 24) = -1 ENOENT (No such file or directory)$' "$t.args"
}

@test "every line of the trace is one call in strace's form, and its writes are the only extra calls" {
	need_trace_build
	need_strace
	port=$(free_port)
	s="$BATS_TEST_TMPDIR/strace" t="$BATS_TEST_TMPDIR/trace"
	run_scenario "$t" "$port" strace -f -qq -o "$t.log" "$BIN_DIR/scratchd-trace"
	run_scenario "$s" "$port" strace -f -qq -o "$s.log" "$BIN_DIR/scratchd"

	# name(args) padded to column 40, then "= " and a number, an address,
	# "?", or -1 with the errno's name and text
	bad=$(grep -Ev '^[a-z_0-9]+\(.*\) +=( -?[0-9]+| 0x[0-9a-f]+| \?| -1 E[A-Z0-9]+ \([^)]+\))$' "$t.err" || true)
	[ -z "$bad" ] || { echo "not strace's form: $bad"; false; }
	grep -q '^socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) *= [0-9]*$' "$t.err"
	grep -q '^read([0-9]*, "GET / HTTP/1.1\\r\\nHost: 127.0.0.1:"\.\.\., 16384) ' "$t.err"

	# one write to fd 2 per trace line...
	lines=$(wc -l <"$t.err")
	writes=$(grep -Ec '^[0-9]+ +write\(2, ' "$t.log")
	[ "$lines" -eq "$writes" ] || { echo "$lines lines, $writes writes to fd 2"; false; }
	# ...and apart from them, what the normal build does: the same other
	# writes, the same other calls
	grep -Ev '^[0-9]+ +write\(2, ' "$t.log" >"$t.others"
	[ "$(grep -Ec '^[0-9]+ +write\(' "$t.others")" -eq "$(grep -Ec '^[0-9]+ +write\(' "$s.log")" ]
	calls_of "$t.others" | sed 's/(.*//' >"$t.names"
	calls_of "$s.log" | sed 's/(.*//' >"$s.names"
	diff -u "$s.names" "$t.names"
}

@test "the normal build contains no trace code" {
	need_trace_build
	command -v nm >/dev/null || skip "nm is not installed"
	symbols=$(nm "$BIN_DIR/scratchd" | grep -i trace || true)
	[ -z "$symbols" ] || { echo "trace symbols in scratchd: $symbols"; false; }
	nm "$BIN_DIR/scratchd-trace" | grep -q ' T trace_syscall$'
	normal=$(stat -c %s "$BIN_DIR/scratchd") traced=$(stat -c %s "$BIN_DIR/scratchd-trace")
	echo "# scratchd $normal bytes, scratchd-trace $traced bytes" >&3
	[ "$traced" -gt "$normal" ]
}
