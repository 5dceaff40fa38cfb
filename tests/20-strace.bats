#!/usr/bin/env bats
# What build/hello asks of the kernel, seen by strace: nothing a libc start-up does.

setup() {
	load test_helper/common
	command -v strace >/dev/null || skip "strace is not installed"
	skip_on_cross "strace would trace the emulator, not the program"
}

@test "hello answering one request makes only the system calls its code names" {
	trace="$BATS_TEST_TMPDIR/trace" out="$BATS_TEST_TMPDIR/out"
	strace -f -qq -o "$trace" "$BIN_DIR/hello" --addr 127.0.0.1 --port 0 >"$out" 3>&- &
	spid=$!
	for _ in $(seq 100); do
		port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$out")
		[ -n "$port" ] && break
		sleep 0.05
	done
	run curl -sS --max-time 5 "http://127.0.0.1:$port/"
	pkill -TERM -P "$spid" hello 2>/dev/null || true
	stop_pid "$spid"
	[ "$output" = "<h1>hello world</h1>" ]

	# every call, in order, as names
	calls=$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$trace" | tr '\n' ' ')
	echo "calls: $calls"
	allowed=" execve rt_sigaction socket setsockopt bind listen getsockname write accept4 read writev close shutdown exit_group "
	for c in $calls; do
		[[ "$allowed" == *" $c "* ]] || { echo "unexpected system call: $c"; false; }
	done
	# the start-up is exactly the seed's sequence, checked
	[[ "$calls" == "execve rt_sigaction socket setsockopt bind listen getsockname write accept4 setsockopt read writev close accept4 "* ]]
}

@test "hello's start-up passes the flags strace shows" {
	trace="$BATS_TEST_TMPDIR/trace"
	strace -qq -o "$trace" "$BIN_DIR/hello" --addr 127.0.0.1 --port 0 3>&- >/dev/null &
	spid=$!
	sleep 0.5
	pkill -TERM -P "$spid" hello 2>/dev/null || true
	stop_pid "$spid"
	grep -q 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3' "$trace"
	grep -q 'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, \[1\], 4) = 0' "$trace"
	grep -q 'bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0' "$trace"
	grep -q 'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN' "$trace"
	run grep -Ec '^(brk|mmap|arch_prctl|set_tid_address)' "$trace"
	[ "$output" -eq 0 ]
}
