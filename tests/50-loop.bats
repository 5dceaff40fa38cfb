#!/usr/bin/env bats
# The event loop under load and abuse: many clients, idle ones, slow ones,
# ones that vanish, a full table, SIGTERM, workers, IPv6.
# Each test starts its own server (its options differ) and teardown stops it.

setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$ROOT"
	printf 'hello\n' >"$ROOT/index.html"
	head -c 1048576 /dev/urandom >"$ROOT/1m.bin"
	head -c 50000000 /dev/zero >"$ROOT/50m.bin"
	export ROOT
}

setup() {
	load test_helper/common
	SERVER_PID=
}

teardown() {
	stop_server
}

@test "200 concurrent clients making 20 keep-alive requests each all get right answers" {
	start_server scratchd "$ROOT"
	urls=()
	for _ in $(seq 20); do urls+=("http://127.0.0.1:$PORT/index.html"); done
	pids=()
	for i in $(seq 200); do
		curl -sS --max-time 20 -w '%{http_code} %{num_connects}\n' "${urls[@]}" \
			>"$BATS_TEST_TMPDIR/c$i" 2>&1 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	cat "$BATS_TEST_TMPDIR"/c* >"$BATS_TEST_TMPDIR/all"
	# each curl prints "hello" then "200 N" per URL: 4000 bodies, 4000 codes
	[ "$(grep -c '^hello$' "$BATS_TEST_TMPDIR/all")" -eq 4000 ]
	[ "$(grep -c '^200 ' "$BATS_TEST_TMPDIR/all")" -eq 4000 ]
	# one connection per client: 200 connects in all
	[ "$(awk '/^200 / { n += $2 } END { print n }' "$BATS_TEST_TMPDIR/all")" -eq 200 ]
}

@test "500 idle connections do not stop another client being served in under 1 s" {
	start_server scratchd "$ROOT"
	for _ in $(seq 500); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		fds+=("$fd")
	done
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT/"
	for fd in "${fds[@]}"; do exec {fd}>&-; done
	[ "${output%% *}" = 200 ]
	awk -v t="${output#* }" 'BEGIN { exit !(t < 1.0) }'
}

@test "once no connection is open, the memory a burst touched goes back to the kernel" {
	skip_on_cross "/proc shows the emulator's memory, not the program's"
	mkdir -p "$ROOT/many"
	for i in $(seq 3000); do : >"$ROOT/many/a-file-with-a-rather-long-name-$i.txt"; done
	start_server scratchd --workers 1 "$ROOT"
	rss_anon() { awk '/^RssAnon:/ { print $2 }' "/proc/$SERVER_PID/status"; }
	# warm up (the cache, the stack), then let a tick with no connection pass
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/"
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/many/"
	sleep 2.2
	before=$(rss_anon)
	# 400 connections open at once, each answered (a page of the table
	# each), and the listing of 3,000 names (pages of its buffers)
	for _ in $(seq 400); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd"
		fds+=("$fd")
	done
	curl -sS --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/many/"
	sleep 0.5
	during=$(rss_anon)
	for fd in "${fds[@]}"; do exec {fd}>&-; done
	[ "$during" -gt $((before + 1600)) ] || { echo "before $before kB, during $during kB"; false; }
	# back to where it was within a few ticks (madvise MADV_DONTNEED)
	for _ in $(seq 40); do
		after=$(rss_anon)
		[ "$after" -le $((before + 8)) ] && break
		sleep 0.1
	done
	[ "$after" -le $((before + 8)) ] || { echo "before $before kB, during $during kB, after $after kB"; false; }
	# and the server still answers, from a table used afresh
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/")" = hello ]
	[ "$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/many/" | grep -c 'a-file-with')" -eq 3000 ]
}

@test "a slowloris client is answered 408 and closed after the header timeout" {
	start_server scratchd --header-timeout 2 "$ROOT"
	start=$(date +%s%N)
	# one header line a second; note when the server closes (cat sees EOF)
	run timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET / HTTP/1.1\r\n" >&5
		{ cat <&5 >"$1"; date +%s%N >"$1.closed"; } &
		reader=$!
		for i in $(seq 8); do
			kill -0 $reader 2>/dev/null || break
			printf "X-Slow-$i: 1\r\n" >&5 2>/dev/null || break
			sleep 1
		done
		wait' "$PORT" "$BATS_TEST_TMPDIR/slow"
	elapsed=$((($(cat "$BATS_TEST_TMPDIR/slow.closed") - start) / 1000000))
	# others are served meanwhile
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
	[[ "$(head -n 1 "$BATS_TEST_TMPDIR/slow")" == "HTTP/1.1 408 Request Timeout"* ]]
	# the deadline is 2 s after the first byte (plus up to one 1 s tick)
	[ "$elapsed" -ge 2000 ] && [ "$elapsed" -lt 6000 ]
}

@test "a body sent a byte at a time is cut off after the header timeout (slow POST)" {
	start_server scratchd --header-timeout 2 "$ROOT"
	start=$(date +%s%N)
	# a byte every 0.5 s: each read would restart a per-read timer
	run timeout 15 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" >&5
		{ cat <&5 >/dev/null; date +%s%N >"$1"; } &
		reader=$!
		for i in $(seq 20); do
			kill -0 $reader 2>/dev/null || break
			printf z >&5 2>/dev/null || break
			sleep 0.5
		done
		wait' "$PORT" "$BATS_TEST_TMPDIR/closed"
	elapsed=$((($(cat "$BATS_TEST_TMPDIR/closed") - start) / 1000000))
	echo "closed after $elapsed ms"
	# 2 s after the head (plus up to one 1 s tick), not 10 s of trickle
	[ "$elapsed" -ge 2000 ] && [ "$elapsed" -lt 5000 ]
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
}

@test "a stream of new connections does not starve a keep-alive client" {
	skip_on_cross "timing: listings under emulation are too slow for the bound"
	local r="$BATS_TEST_TMPDIR/root" loads=()
	mkdir -p "$r/big"
	printf 'hello\n' >"$r/index.html"
	(cd "$r/big" && seq -f 'entry%04g' 4000 | xargs touch)
	start_server scratchd --workers 1 --no-log "$r"
	# for 5 s, four clients open connection after connection, each for a
	# listing that takes the server milliseconds: one is always waiting
	for _ in 1 2 3 4; do
		timeout 5 bash -c 'while :; do
			exec 5<>"/dev/tcp/127.0.0.1/$0" || exit 0
			printf "HEAD /big/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&5
			cat <&5 >/dev/null
			exec 5>&-
		done' "$PORT" &
		loads+=($!)
	done
	# meanwhile a keep-alive client sends its second request
	run timeout 15 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n" >&5
		sleep 1
		start=$(date +%s%N)
		printf "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&5
		n=$(grep -c "^HTTP/1.1 200" <&5)
		echo "$n $((($(date +%s%N) - start) / 1000000))"' "$PORT"
	for p in "${loads[@]}"; do wait "$p" || true; done
	echo "responses, ms for the second: $output"
	[ "${output% *}" = 2 ]
	[ "${output#* }" -lt 1500 ]
}

@test "an idle keep-alive connection is closed after the idle timeout" {
	start_server scratchd --idle-timeout 1 "$ROOT"
	start=$(date +%s%N)
	run timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n" >&5
		cat <&5' "$PORT"
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]
	[ "$elapsed" -ge 1000 ] && [ "$elapsed" -lt 4000 ]
}

# closes_after SENDS: on a new connection, run SENDS (shell code writing to
# fd 5), then read until the server closes, into $BATS_TEST_TMPDIR/r; MS is
# the milliseconds from the end of SENDS to the close.
closes_after() {
	run timeout 15 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		eval "$2"
		t=$(date +%s%N)
		cat <&5 >"$1"
		echo "$((($(date +%s%N) - t) / 1000000))"' "$PORT" "$BATS_TEST_TMPDIR/r" "$1"
	echo "closed after $output ms"
	[ "$status" -eq 0 ]
	MS=$output
}

@test "a connection asking every 0.4 s outlives the idle timeout, then closes one idle timeout after its last" {
	# each request moves both deadlines later: the wheel must not fire the
	# slot the connection was first linked into
	start_server scratchd --idle-timeout 1 --header-timeout 3 "$ROOT"
	closes_after 'for i in $(seq 8); do
		printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n" >&5
		sleep 0.4
	done'
	[ "$(grep -c '^HTTP/1.1 200' "$BATS_TEST_TMPDIR/r")" -eq 8 ]
	[ "$MS" -ge 500 ] && [ "$MS" -lt 3000 ]
}

@test "a header timeout shorter than the idle one is kept: half a request after an idle spell gets its 408 in time" {
	# after 2.5 s idle the connection waits in the idle deadline's slot (6 s
	# on); a head that begins then has 1 s: it must move to an earlier slot
	start_server scratchd --idle-timeout 6 --header-timeout 1 "$ROOT"
	closes_after 'printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n" >&5
		sleep 2.5
		printf "GET / HTTP/1.1\r\n" >&5'
	[ "$(grep -c '^HTTP/1.1 200' "$BATS_TEST_TMPDIR/r")" -eq 1 ]
	[ "$(grep -c '^HTTP/1.1 408' "$BATS_TEST_TMPDIR/r")" -eq 1 ]
	[ "$MS" -ge 900 ] && [ "$MS" -lt 3000 ]
}

@test "empty lines after a request are not a request: a quiet close, no 408" {
	# RFC 9112 §2.2: empty lines before a request line are ignored
	start_server scratchd --header-timeout 1 --idle-timeout 2 "$ROOT"
	run timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n\r\n\r\n" >&5
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]
	[[ "$output" != *"HTTP/1.1 408"* ]]	# a status line: an ETag may hold "408"
}

@test "a request after empty lines gets the whole header timeout, not the idle one's rest" {
	start_server scratchd --idle-timeout 2 --header-timeout 6 "$ROOT"
	run timeout 15 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "GET / HTTP/1.1\r\nHost: x\r\n\r\n\r\n" >&5
		sleep 1.5
		printf "GET / HTTP/1.1\r\n" >&5	# a head begins: it has 6 s
		sleep 2.5
		printf "Host: x\r\nConnection: close\r\n\r\n" >&5
		cat <&5' "$PORT"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^HTTP/1.1 200' <<<"$output")" -eq 2 ] || { echo "$output"; false; }
	[[ "$output" != *"HTTP/1.1 408"* ]]
}

@test "a HEAD whose head never ends gets its 408 without a body" {
	start_server scratchd --header-timeout 1 "$ROOT"
	timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		printf "HEAD / HTTP/1.1\r\nHost: x\r\n" >&5
		cat <&5' "$PORT" >"$BATS_TEST_TMPDIR/r"
	[[ "$(head -n 1 "$BATS_TEST_TMPDIR/r")" == "HTTP/1.1 408 Request Timeout"* ]]
	[ "$(tail -c 4 "$BATS_TEST_TMPDIR/r" | od -An -c | tr -d ' ')" = '\r\n\r\n' ]
}

@test "responses a client does not read yet are kept and arrive whole later" {
	# 2000 pipelined requests for a 7 KB file (copied behind its head), read
	# only after all are sent: 14 MB of answers fill the socket, so responses
	# built in the worker's shared buffer must be kept by the connection.
	for i in $(seq -w 0 999); do printf 'line %s\n' "$i"; done | head -c 7000 >"$ROOT/7k.txt"
	start_server scratchd --workers 1 "$ROOT"
	run timeout 30 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
		req="GET /7k.txt HTTP/1.1\r\nHost: x\r\n\r\n"
		{ for i in $(seq 1999); do printf "%b" "$req"; done
		  printf "GET /7k.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"; } >&5
		cat <&5 >"$1"' "$PORT" "$BATS_TEST_TMPDIR/all"
	[ "$status" -eq 0 ]
	[ "$(grep -o 'HTTP/1.1 200 OK' "$BATS_TEST_TMPDIR/all" | wc -l)" -eq 2000 ]
	[ "$(grep -c '^line 000$' "$BATS_TEST_TMPDIR/all")" -eq 2000 ]
	# the file's last (cut, no newline) line ends each body, right before the
	# next head
	last=$(tail -c 7 "$ROOT/7k.txt")
	[ "$(grep -c "^${last}HTTP/1.1 200 OK" "$BATS_TEST_TMPDIR/all")" -eq 1999 ]
	[ "$(tail -c 7 "$BATS_TEST_TMPDIR/all")" = "$last" ]
}

@test "a client that resets in the middle of a 1 MiB response leaves the server running" {
	start_server scratchd "$ROOT"
	for _ in 1 2 3; do
		timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$0"
			printf "GET /1m.bin HTTP/1.1\r\nHost: x\r\n\r\n" >&5
			head -c 1000 <&5 >/dev/null' "$PORT"	# then close with data unread: RST
	done
	run curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/1m.bin"
	[ "$output" = "200 1048576" ]
	kill -0 "$SERVER_PID"
}

@test "SIGTERM during a large response lets it complete, then the server exits 0" {
	for workers in 1 2; do
		start_server scratchd --workers "$workers" "$ROOT"
		curl -sS --max-time 20 --limit-rate 25M -o "$BATS_TEST_TMPDIR/big" "http://127.0.0.1:$PORT/50m.bin" &
		cpid=$!
		sleep 0.5
		kill -TERM "$SERVER_PID"
		wait "$cpid"
		[ "$(stat -c %s "$BATS_TEST_TMPDIR/big")" -eq 50000000 ]
		wait "$SERVER_PID" && status=0 || status=$?
		[ "$status" -eq 0 ] || { echo "workers=$workers: exit status $status"; false; }
		# it stopped accepting at once
		run curl -sS --max-time 2 "http://127.0.0.1:$PORT/"
		[ "$status" -ne 0 ]
		SERVER_PID=
	done
}

@test "--max-conns 8 with 20 clients: the excess get a clean 503, the server stays healthy" {
	start_server scratchd --workers 1 --max-conns 8 "$ROOT"
	fds=()
	for _ in $(seq 20); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		fds+=("$fd")
	done
	# Silent clients are accepted only after the SYN-ACK's first
	# retransmission, about a second later (TCP_DEFER_ACCEPT, src/net.c),
	# and not always in the order they connected.
	sleep 2
	refused=0
	for fd in "${fds[@]}"; do
		if timeout 0.5 head -n 1 <&"$fd" | grep -q '^HTTP/1.1 503'; then refused=$((refused + 1)); fi
	done
	for fd in "${fds[@]}"; do exec {fd}>&-; done
	[ "$refused" -eq 12 ]
	sleep 0.2
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
}

@test "running out of descriptors does not spin the CPU, and service resumes" {
	# 16 descriptors: 0-2, root, listener, epoll, signalfd, timerfd, then ~8 clients
	ulimit -Sn 16
	start_server scratchd --workers 1 "$ROOT"
	ulimit -Sn 1024
	fds=()
	for _ in $(seq 20); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		# a first byte: the listener defers accept until one has come
		# (TCP_DEFER_ACCEPT, src/net.c), and accept4 must meet EMFILE now
		printf G >&"$fd"
		fds+=("$fd")
	done
	before=$(cpu_ticks "$SERVER_PID")
	sleep 1
	after=$(cpu_ticks "$SERVER_PID")
	for fd in "${fds[@]}"; do exec {fd}>&-; done
	[ $((after - before)) -le 5 ]	# 5 ticks = 50 ms of CPU in 1 s, at most
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
}

@test "--workers 2 runs two worker processes and survives kill -9 of one" {
	start_server scratchd --workers 2 "$ROOT"
	[ "$(pgrep -P "$SERVER_PID" | wc -l)" -eq 2 ]
	victim=$(pgrep -P "$SERVER_PID" | head -n 1)
	kill -KILL "$victim"
	for _ in $(seq 50); do
		[ "$(pgrep -P "$SERVER_PID" | wc -l)" -eq 2 ] && ! kill -0 "$victim" 2>/dev/null && break
		sleep 0.1
	done
	[ "$(pgrep -P "$SERVER_PID" | wc -l)" -eq 2 ]
	for _ in $(seq 10); do
		run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
		[ "$output" = hello ]
	done
	grep -q "worker [01] (pid $victim) killed by signal 9; restarting" "$SERVER_ERR"
}

@test "--addr ::1 serves IPv6, --addr :: serves IPv4 and IPv6" {
	[ -e /proc/net/if_inet6 ] || skip "no IPv6 on this machine"
	start_server scratchd --addr ::1 "$ROOT"
	grep -q "^listening on http://\[::1\]:$PORT$" "$SERVER_OUT"
	run curl -sS --max-time 5 "http://[::1]:$PORT/"
	[ "$output" = hello ]
	stop_server
	start_server scratchd --addr :: "$ROOT"
	run curl -sS --max-time 5 "http://[::1]:$PORT/"
	[ "$output" = hello ]
	run curl -sS --max-time 5 "http://127.0.0.1:$PORT/"
	[ "$output" = hello ]
}
