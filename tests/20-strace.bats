#!/usr/bin/env bats
# What build/hello asks of the kernel, seen by strace: nothing a libc start-up
# does. tests/run.sh runs this file again with HELLO=hello-asm: the assembly
# twin must make the same calls, in the same order, with the same arguments.

HELLO=${HELLO:-hello}

setup() {
	load test_helper/common
	command -v strace >/dev/null || skip "strace is not installed"
	skip_on_cross "strace would trace the emulator, not the program"
	if [ "$HELLO" = hello-asm ] && [ "$(uname -m)" != x86_64 ]; then
		skip "hello-asm is x86_64 only"
	fi
}

@test "$HELLO answering a request and a bad one makes the system calls hello.c makes, in its order" {
	trace="$BATS_TEST_TMPDIR/trace" out="$BATS_TEST_TMPDIR/out"
	strace -f -qq -o "$trace" "$BIN_DIR/$HELLO" --addr 127.0.0.1 --port 0 >"$out" 3>&- &
	spid=$!
	for _ in $(seq 100); do
		port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$out")
		[ -n "$port" ] && break
		sleep 0.05
	done
	run curl -sS --max-time 5 "http://127.0.0.1:$port/"
	good=$output
	# a method that is not a token, sent in one write (curl): 400
	run curl -sS --max-time 5 -X 'G(T' -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/"
	bad=$output
	# the lingering close ends once the client has gone: wait for it
	for _ in $(seq 50); do
		[ "$(grep -Ec '^[0-9]+ +close\(' "$trace")" -ge 2 ] && break
		sleep 0.1
	done
	pkill -TERM -P "$spid" 2>/dev/null || true
	stop_pid "$spid"
	[ "$good" = "<h1>hello world</h1>" ]
	[ "$bad" = 400 ]

	# every call, in order, as names: the start-up, a 200, then a 400
	# answered and drained (shutdown, read until the client closes)
	calls=$(sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$trace" | tr '\n' ' ')
	echo "calls: $calls"
	[ "$calls" = "execve rt_sigaction socket setsockopt bind listen getsockname write accept4 setsockopt read writev close accept4 setsockopt read writev shutdown read close accept4 " ]
	# and per connection (its fd: N), the arguments hello.c passes
	grep -Eq '^[0-9]+ +accept4\(3, NULL, NULL, SOCK_CLOEXEC' "$trace"
	grep -Eq '^[0-9]+ +setsockopt\([0-9]+, SOL_SOCKET, SO_RCVTIMEO[_A-Z]*, "\\5\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0", 16\) += 0' "$trace"
	grep -Eq '^[0-9]+ +read\([0-9]+, "GET / HTTP/1.1\\r\\n.*, 4096\) += [0-9]+$' "$trace"
	grep -Eq '^[0-9]+ +writev\([0-9]+, \[\{iov_base="HTTP/1.1 ", iov_len=9\}, \{iov_base="200 OK", iov_len=6\}, .*\], 4\) += 118$' "$trace"
	grep -Eq '^[0-9]+ +writev\([0-9]+, \[\{iov_base="HTTP/1.1 ", iov_len=9\}, \{iov_base="400 Bad Request", iov_len=15\}, .*\], 4\) += 106$' "$trace"
	grep -Eq '^[0-9]+ +shutdown\([0-9]+, SHUT_WR\) += 0$' "$trace"
	grep -Eq '^[0-9]+ +read\([0-9]+, "", 4096\) += 0$' "$trace"
}

@test "$HELLO's start-up passes the flags strace shows" {
	trace="$BATS_TEST_TMPDIR/trace"
	strace -qq -o "$trace" "$BIN_DIR/$HELLO" --addr 127.0.0.1 --port 0 3>&- >/dev/null &
	spid=$!
	sleep 0.5
	pkill -TERM -P "$spid" 2>/dev/null || true
	stop_pid "$spid"
	grep -q 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3' "$trace"
	grep -q 'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, \[1\], 4) = 0' "$trace"
	grep -q 'bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0' "$trace"
	grep -q 'listen(3, 128) *= 0' "$trace"
	grep -q 'rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=\[\], sa_flags=0}, NULL, 8) = 0' "$trace"
	run grep -Ec '^(brk|mmap|arch_prctl|set_tid_address)' "$trace"
	[ "$output" -eq 0 ]
}
