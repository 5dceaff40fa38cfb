#!/usr/bin/env bash
# bench/cpu.sh -- server CPU per keep-alive request, scratchd against a floor.
#
# For each file (FILES, default "index.html 4k.bin") and each round (ROUNDS,
# default 5), runs one after the other, each pinned to CPU 0 with wrk pinned
# to CPU 1 (wrk -t1 -c50, 1 s warm-up, then DUR seconds, default 8):
#   scratchd                  build/scratchd --workers 1 --no-log
#   scratchd --no-file-cache  the same, opening the file for every request
#   scratchd --no-seccomp     the same with the file cache, without the
#                             system-call filter: what the sandbox costs
#   canned                    bench/canned.c: an epoll loop that answers every
#                             request with a fixed response of the same size,
#                             parsing nothing (the kernel's share of a request)
# and prints, per server and file, the median over the rounds of
#   CPU us/req = (utime + stime gained by the server, /proc/PID/stat) / requests
# and of req/s, plus the hypervisor steal seen (steal inflates CPU time on a
# shared machine: compare within a run); then, per server and file, its CPU
# per request divided by canned's of the same round, the median over the rounds.
# Needs wrk and a C compiler; every run is bounded by timeout(1) and each
# server is stopped by PID.
set -u
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
ROUNDS=${ROUNDS:-5} DUR=${DUR:-8} FILES=${FILES:-"index.html 4k.bin"}
command -v wrk >/dev/null || { echo "cpu.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
make -s -C "$ROOT" build/scratchd || exit 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cc -O2 -o "$TMP/canned" "$BENCH_DIR/canned.c" || exit 1
mkdir "$TMP/www"
head -c 96 /dev/zero | tr '\0' a >"$TMP/www/index.html"
head -c 4096 /dev/zero | tr '\0' b >"$TMP/www/4k.bin"
TCK=$(getconf CLK_TCK)

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
steal() { awk '/^cpu / { print $9 }' /proc/stat; }

# run NAME FILE CMD...: one measured run; appends "NAME FILE us rps steal%" to $TMP/runs
run() {
	local name=$1 file=$2 port
	shift 2
	taskset -c 0 "$@" >"$TMP/out" 2>&1 &
	local pid=$!
	for _ in $(seq 50); do
		port=$(sed -n 's|^listening on http://.*:\([0-9]*\)$|\1|p' "$TMP/out")
		[ -n "$port" ] && break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		echo "cpu.sh: $name did not start" >&2
		kill -KILL "$pid" 2>/dev/null
		return
	fi
	local url=http://127.0.0.1:$port/$file
	timeout 10 taskset -c 1 wrk -t1 -c50 -d1s "$url" >/dev/null
	local t0 s0 t1 s1 out
	t0=$(ticks "$pid") s0=$(steal)
	out=$(timeout $((DUR + 10)) taskset -c 1 wrk -t1 -c50 -d"${DUR}s" "$url")
	t1=$(ticks "$pid") s1=$(steal)
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	local req rps
	req=$(awk '/requests in/ { print $1 }' <<<"$out")
	rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
	[ -n "$req" ] && [ "$req" -gt 0 ] || { echo "cpu.sh: $name: no requests" >&2; return; }
	awk -v n="$name" -v f="$file" -v t=$((t1 - t0)) -v r="$req" -v rps="$rps" -v tck="$TCK" \
	    -v st=$((s1 - s0)) -v d="$DUR" \
	    'BEGIN { printf "%s\t%s\t%.2f\t%.0f\t%.1f\n", n, f, t * 1e6 / tck / r, rps, st / tck / d / 2 * 100 }' \
	    >>"$TMP/runs"
}

for round in $(seq "$ROUNDS"); do
	for file in $FILES; do
		size=$(stat -c %s "$TMP/www/$file")
		run scratchd "$file" "$ROOT/build/scratchd" --port 0 --workers 1 --no-log "$TMP/www"
		run "scratchd --no-file-cache" "$file" "$ROOT/build/scratchd" --port 0 --workers 1 --no-log \
		    --no-file-cache "$TMP/www"
		run "scratchd --no-seccomp" "$file" "$ROOT/build/scratchd" --port 0 --workers 1 --no-log \
		    --no-seccomp "$TMP/www"
		run canned "$file" "$TMP/canned" $((20000 + RANDOM % 20000)) "$size"
	done
	echo "round $round of $ROUNDS done" >&2
done

echo
# median(a, n): of a[1..n] (sorts a), for both tables below
AWK_MEDIAN='
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
'
echo "| server | file | CPU us/req (median of $ROUNDS) | all runs | req/s (median) | steal % (max) |"
echo "|---|---|---:|---|---:|---:|"
sort -t$'\t' -k1,1 -k2,2 -s "$TMP/runs" | awk -F'\t' "$AWK_MEDIAN"'
	function flush() {
		if (n) printf "| %s | %s | %.2f | %s | %.0f | %.1f |\n", key1, key2, median(us, n), all, median(rps, n), mx
		n = 0; all = ""; mx = 0
	}
	{ if ($1 != key1 || $2 != key2) { flush(); key1 = $1; key2 = $2 }
	  n++; us[n] = $3; rps[n] = $4; all = all (all ? " " : "") $3; if ($5 > mx) mx = $5 }
	END { flush() }'

# The same runs paired by round: a round's runs follow each other within half a minute, so
# the shared host's slower changes (steal, neighbours) move them together and cancel in the
# ratio; the medians above do not cancel them.
echo
awk -F'\t' "$AWK_MEDIAN"'
	$1 == "canned" { c[$2, ++nc[$2]] = $3; next }
	{ k = $1 SUBSEP $2; s[k, ++ns[k]] = $3; if (!(k in seen)) { seen[k] = 1; keys[++nk] = k } }
	END {
		for (j = 1; j <= nk; j++) {
			k = keys[j]; split(k, nf, SUBSEP); n = 0; all = ""
			for (i = 1; i <= ns[k] && i <= nc[nf[2]]; i++) {
				if (c[nf[2], i] <= 0) continue
				r[++n] = s[k, i] / c[nf[2], i]; all = all sprintf(" %.3f", r[n])
			}
			if (n) printf "%s ÷ canned, %s, paired by round: %.3f (median; rounds:%s)\n", nf[1], nf[2], median(r, n), all
		}
	}' "$TMP/runs"
