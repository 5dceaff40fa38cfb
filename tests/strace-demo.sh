#!/usr/bin/env bash
# strace-demo.sh BINARY - `make strace`: run BINARY under strace -f, make one
# curl request to it, stop it, and print every system call it made.
set -u
bin=${1:-build/hello}
command -v strace >/dev/null || { echo "strace is not installed (apt-get install strace)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

strace -f -o "$dir/trace" "$bin" --addr 127.0.0.1 --port 0 >"$dir/out" 2>&1 &
spid=$!
for _ in $(seq 100); do
	port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$dir/out")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { echo "$bin did not start:"; cat "$dir/out"; kill "$spid"; exit 1; }
echo "\$ curl -s http://127.0.0.1:$port/"
curl -s --max-time 5 "http://127.0.0.1:$port/"
echo
pkill -TERM -P "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo "\$ strace -f $bin --port 0   # one request, then SIGTERM"
cat "$dir/trace"
