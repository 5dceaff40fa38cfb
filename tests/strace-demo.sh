#!/usr/bin/env bash
# strace-demo.sh - `make strace`: watch both programs under strace -f.
#   1. build/hello answering one request;
#   2. build/scratchd's whole life: start-up, one request, the same from
#      the file cache, a 404, a check a second later, SIGTERM - each phase
#      under a one-line caption.
set -u
bin_dir=${1:-build}
command -v strace >/dev/null || { echo "strace is not installed (apt-get install strace)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# start PROGRAM ARGS...: run it under strace, wait for its listening line
start() {
	: >"$dir/out"	# now: the redirection below happens in the child, maybe late
	strace -f -o "$dir/trace" "$@" --addr 127.0.0.1 --port 0 >"$dir/out" 2>&1 &
	spid=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$dir/out")
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	echo "$1 did not start:"; cat "$dir/out"; kill "$spid"; exit 1
}

# get PATH: one request on fd 5; read exactly its answer (no waiting for a
# timeout, so requests meant to be within one second of the server's clock are)
get() {
	printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" >&5
	local line len=0
	while IFS= read -r -t 2 -u 5 line; do
		line=${line%$'\r'}
		[ -z "$line" ] && break
		case $line in Content-Length:*) len=${line#*: } ;; esac
	done
	[ "$len" -eq 0 ] || head -c "$len" <&5 >/dev/null
}

# caption TEXT: print the trace lines written since the last caption, then TEXT
shown=0
caption() {
	sleep 0.1
	local n
	n=$(wc -l <"$dir/trace")
	sed -n "$((shown + 1)),${n}p" "$dir/trace"
	shown=$n
	printf '\n### %s\n' "$1"
}

echo "### build/hello: one request (strace -f build/hello --port 0)"
start "$bin_dir/hello"
curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$port/"
pkill -TERM -P "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
cat "$dir/trace"

echo
echo "### build/scratchd, start-up: options, root, listener, then the loop's set-up"
shown=0
start "$bin_dir/scratchd" --workers 1 --no-log www
caption "one request (GET /): accept4, read, openat2, fstat; inotify watches, then index.html read into the file cache; write"
exec 5<>"/dev/tcp/127.0.0.1/$port"
get /
caption "the same request again on that connection: read, write (from the cache: no call for the file), no accept"
get /
caption "a 404: openat2 fails with ENOENT, the error page goes out in one write"
get /missing
sleep 1.2
caption "a second later: the cached file is checked (openat2, fstat, close: the same inode, size and mtime), then write"
get /
exec 5>&-
caption "SIGTERM: read from the signalfd, listener out of epoll and closed, exit 0"
kill -TERM "$(pgrep -P "$spid")" 2>/dev/null
wait "$spid" 2>/dev/null
caption "(end)"
