#!/usr/bin/env bash
# bench/run.sh -- load benchmark of scratchd, with nginx as a peer (`make bench`).
#
# What it does
#   1. Installs wrk, nginx and curl with apt-get when they are missing and we are root
#      (nginx's service is never started: /usr/sbin/policy-rc.d exits 101 during the
#      install and is removed afterwards). Not root: prints the packages, exits 1.
#   2. Builds scratchd (make), copies the binary into a temp dir, so that a rebuild
#      during the run cannot change it, and writes a docroot there: index.html (96 B),
#      4k.bin, 1m.bin, 100m.bin (plain text pattern).
#   3. Starts scratchd and nginx (master + 1 worker, its own config in the temp dir) on
#      127.0.0.1, both pinned to CPU 0 (taskset). wrk and curl run pinned to CPU 1.
#   4. Runs every scenario on scratchd, then on nginx, then the next scenario. Each wrk
#      run gets a 1 s warm-up, then lasts DUR seconds (default 10):
#        a  /index.html keep-alive, 50 connections            wrk -t1 -c50
#        b  /index.html 'Connection: close', 50 connections   wrk -t1 -c50 -H ...
#        c  /index.html keep-alive, 1000 connections          wrk -t1 -c1000
#        d  /index.html pipelined, 16 requests per write      wrk -t1 -c50 -s pipeline.lua
#        e  /4k.bin keep-alive, 50 connections                wrk -t1 -c50
#        f  /1m.bin keep-alive, 10 connections (MiB/s)        wrk -t1 -c10
#        g  /100m.bin over one connection, best of 5 (MiB/s)  curl
#      Before and after the scenarios every file is fetched from both servers and
#      compared byte for byte; scratchd's open fds are counted before and after; a
#      server that dies during a scenario is reported and restarted.
#   5. Prints a markdown table and writes it to bench/results/latest.md; the raw wrk
#      output of every run goes to bench/results/raw/.
#
# How the numbers are computed
#   req/s, p99    wrk's "Requests/sec" and the 99% line of `wrk --latency`.
#   MiB/s         wrk's "Transfer/sec" (binary units); g: curl's speed_download / 2^20.
#   CPU us/req    server CPU time used during the measured run, divided by the number
#                 of requests wrk reports. Server CPU time = utime + stime + cutime +
#                 cstime (fields 14-17 of /proc/PID/stat, all threads included) summed
#                 over the server process and all its descendants (nginx: master and
#                 worker), read just before and just after the run; clock ticks are
#                 converted with `getconf CLK_TCK`. In g it is per 100 MiB transfer,
#                 and rough: the whole of g is only a few 10 ms ticks.
#   peak RSS      the largest sum of VmRSS over those processes, sampled every 0.2 s
#                 during the run. It is also sampled before the first scenario
#                 (every file has been fetched once by then), and scratchd's idle
#                 RSS once it prints its listening line, before any request.
#   cpu0/cpu1 %   busy share of each core during the run (/proc/stat deltas): cpu0 is
#                 the servers' core, cpu1 the load generator's. cpu1 near 100 % with
#                 cpu0 below 100 % means wrk, not the server, set the number.
#   other %       CPU time of both cores used by neither the server nor this script's
#                 children (wrk, curl), in % of one core: other work on the machine.
#                 Before every run the script waits (up to QUIET_WAIT s) for the box to
#                 be idle. A run with other % above 10 or hypervisor steal above 5 %
#                 is done once more; if the redo is disturbed too, it is kept and
#                 flagged in the warnings.
#   ratio         scratchd / nginx of req/s (a-e) or of MiB/s (f, g).
#
# Environment knobs: DUR=seconds per run (10); QUICK=1 (DUR=3, 2 transfers in g);
#   SCENARIOS="a b c d e f g" (a subset, e.g. "a d"); QUIET_WAIT=90.
# Every load run is bounded (wrk -d, curl --max-time, both under timeout(1)). Only the
# processes started here are stopped, by PID: SIGTERM, a bounded wait, then SIGKILL.

set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
CMDLINE="$0${*:+ $*}"

QUICK=${QUICK:-0}
DUR=${DUR:-10}
CURL_REPS=5
if [ "$QUICK" = 1 ]; then
  DUR=3
  CURL_REPS=2
fi
WARMUP=1
SCENARIOS=${SCENARIOS:-a b c d e f g}
QUIET_WAIT=${QUIET_WAIT:-90}   # max seconds to wait for other load to stop before a run
SERVER_CPU=0
CLIENT_CPU=1
BIG_SIZE=104857600   # 100m.bin

TMP=""               # temp dir: binary copy, docroot, nginx config, logs
DOCROOT=""
POLICY_RC_CREATED=0
SCRATCHD_PID=""
SCRATCHD_PORT=""
SCRATCHD_ARGS=""     # the options it was started with (shown in the report)
NGINX_PID=""
NGINX_PORT=""
SAMPLER_PID=""
SERVERS=()           # scratchd, and nginx when it is there
WARNINGS=()
NOISE=""             # why the last run was disturbed, if it was

# Results, keyed "SCENARIO/SERVER".
declare -A R_RPS R_MIBS R_P99 R_CPU R_RSS R_ERR R_CORES R_OTHER
declare -A IDLE_RSS
START_RSS=

# ---------------------------------------------------------------- small helpers

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
warn() {
  printf 'WARNING: %s\n' "$*"
  WARNINGS+=("$*")
}

# fmt FORMAT VALUE: printf a number, or "-" when there is none.
fmt() {
  if [ -z "$2" ]; then echo "-"; else awk -v v="$2" -v f="$1" 'BEGIN { printf f, v }'; fi
}

# ratio A B: A/B with 2 decimals, or "-".
ratio() {
  if [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

# ---------------------------------------------------------------- tools

missing_packages() {
  local pkgs=()
  command -v wrk >/dev/null || pkgs+=(wrk)
  command -v nginx >/dev/null || pkgs+=(nginx)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v taskset >/dev/null || pkgs+=(util-linux)
  command -v ss >/dev/null || pkgs+=(iproute2)
  command -v ps >/dev/null || pkgs+=(procps)
  echo "${pkgs[*]}"
}

remove_policy_rc() {
  if [ "$POLICY_RC_CREATED" = 1 ]; then
    rm -f /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=0
  fi
}

install_tools() {
  local pkgs
  pkgs=$(missing_packages)
  [ -z "$pkgs" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing tools; install them first: sudo apt-get install -y $pkgs" >&2
    exit 1
  fi
  say "installing with apt-get: $pkgs"
  # The nginx package would start its service: policy-rc.d exiting 101 forbids that.
  if [[ " $pkgs " == *" nginx "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  local ok=1
  # shellcheck disable=SC2086  # $pkgs is a list of names
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -q >"$TMP/apt.log" 2>&1 ||
     ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
       $pkgs >>"$TMP/apt.log" 2>&1; then
    ok=0
  fi
  remove_policy_rc
  if [ "$ok" = 0 ]; then
    tail -n 20 "$TMP/apt.log"
    die "apt-get failed"
  fi
  [ -z "$(missing_packages)" ] || die "still missing after apt-get: $(missing_packages)"
}

raise_nofile() {
  local want=16384 hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
  [ "$want" -ge 4096 ] || die "the hard limit on open files is $hard; scenario c needs 4096"
  ulimit -n "$want" || die "ulimit -n $want failed"
}

# ---------------------------------------------------------------- build and docroot

# make, retried: the developer may be in the middle of an edit. Copies the binary.
build_scratchd() {
  local try
  for try in 1 2 3 4 5; do
    if make -C "$ROOT" >"$TMP/make.log" 2>&1; then
      cp "$ROOT/build/scratchd" "$TMP/scratchd" || die "cannot copy build/scratchd"
      return 0
    fi
    say "build failed (try $try of 5):"
    tail -n 5 "$TMP/make.log"
    [ "$try" = 5 ] || sleep 30
  done
  die "cannot build scratchd (make -C $ROOT)"
}

# pattern_file FILE SIZE: SIZE bytes of a 64-byte text line, repeated.
pattern_file() {
  # 'yes' is stopped by SIGPIPE once head has its bytes.
  yes 'the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGH' | head -c "$2" >"$1"
  [ "$(stat -c %s "$1")" = "$2" ] || die "could not write $1"
}

make_docroot() {
  mkdir -p "$DOCROOT"
  printf '<!DOCTYPE html>\n<html><head><title>bench</title></head><body><p>hello, bench!</p></body></html>\n' \
    >"$DOCROOT/index.html"
  [ "$(stat -c %s "$DOCROOT/index.html")" = 96 ] || die "index.html is not 96 bytes"
  pattern_file "$DOCROOT/4k.bin" 4096
  pattern_file "$DOCROOT/1m.bin" 1048576
  pattern_file "$DOCROOT/100m.bin" "$BIG_SIZE"
}

# ---------------------------------------------------------------- processes

# descendants PID: the PIDs of all its children, grandchildren, ...
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1"); do
    echo "$child"
    descendants "$child"
  done
}

server_pids() {
  echo "$1"
  descendants "$1"
}

# cpu_ticks PIDS...: utime + stime + cutime + cstime summed, in clock ticks.
cpu_ticks() {
  local pid line f total=0
  for pid in "$@"; do
    read -r line 2>/dev/null </proc/"$pid"/stat || continue
    # Fields after "PID (comm) " start at field 3, so field N is f[N-3].
    read -r -a f <<<"${line##*) }"
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$total"
}

# rss_kb PIDS...: sets RSS_KB to the summed VmRSS. Builtins only (the sampler calls it).
rss_kb() {
  local pid key val rest
  RSS_KB=0
  for pid in "$@"; do
    [ -r /proc/"$pid"/status ] || continue
    while read -r key val rest; do
      if [ "$key" = VmRSS: ]; then
        RSS_KB=$((RSS_KB + val))
        break
      fi
    done 2>/dev/null </proc/"$pid"/status
  done
}

# sampler OUTFILE FLAGFILE PIDS...: while FLAGFILE exists, keep the peak RSS in OUTFILE.
sampler() {
  local out=$1 flag=$2 peak=0
  shift 2
  while [ -e "$flag" ]; do
    rss_kb "$@"
    [ "$RSS_KB" -gt "$peak" ] && peak=$RSS_KB
    echo "$peak" >"$out"
    sleep 0.2
  done
}

# cpu_snapshot: "busy0 total0 steal0 busy1 total1 steal1" in ticks, from /proc/stat.
cpu_snapshot() {
  awk -v a="cpu$SERVER_CPU" -v b="cpu$CLIENT_CPU" '
    $1 == a || $1 == b {
      busy = $2 + $3 + $4 + $7 + $8          # user nice system irq softirq
      printf "%d %d %d ", busy, busy + $5 + $6 + $9, $9   # + idle iowait steal
    }' /proc/stat
}

# stop_server NAME PID: SIGTERM, wait up to 15 s, then SIGKILL (with its descendants).
stop_server() {
  local name=$1 pid=$2 kids i status
  [ -n "$pid" ] || return 0
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    return 0
  fi
  kids=$(descendants "$pid")
  kill -TERM "$pid"
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) still running 15 s after SIGTERM: sent SIGKILL"
    # shellcheck disable=SC2086  # a list of PIDs
    kill -KILL "$pid" $kids 2>/dev/null
  fi
  wait "$pid"
  status=$?
  [ "$status" = 0 ] || warn "$name exited with status $status after SIGTERM (expected 0)"
}

# free_port: a TCP port below the ephemeral range that nothing listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    [ -z "$(ss -Hltn "sport = :$port")" ] && break
  done
  echo "$port"
}

# wait_http PID PORT: 0 once GET /index.html answers, 1 if PID died or after 5 s.
wait_http() {
  local i
  for ((i = 0; i < 50; i++)); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$2/index.html" && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

start_scratchd() {
  local out=$TMP/scratchd.out line i help args=(--addr 127.0.0.1 --port 0)
  help=$("$TMP/scratchd" --help 2>&1)
  # One worker, like nginx here; no access log, like nginx here (access_log off).
  if [[ $help == *--workers* ]]; then args+=(--workers 1); fi
  if [[ $help == *--no-log* ]]; then args+=(--no-log); fi
  SCRATCHD_ARGS="${args[*]}"
  : >"$out"
  taskset -c "$SERVER_CPU" "$TMP/scratchd" "${args[@]}" "$DOCROOT" >"$out" 2>>"$TMP/scratchd.err" &
  SCRATCHD_PID=$!
  for ((i = 0; i < 50; i++)); do
    read -r line <"$out"
    if [[ ${line:-} == "listening on http://"* ]]; then
      SCRATCHD_PORT=${line##*:}
      # shellcheck disable=SC2046  # a list of PIDs
      [ -n "$START_RSS" ] || { rss_kb $(server_pids "$SCRATCHD_PID"); START_RSS=$RSS_KB; }
      wait_http "$SCRATCHD_PID" "$SCRATCHD_PORT" && return 0
      break
    fi
    kill -0 "$SCRATCHD_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$TMP/scratchd.err" >&2
  die "scratchd did not start (stdout: $(cat "$out"))"
}

write_nginx_conf() {
  local dir=$TMP/nginx
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
# nginx peer for bench/run.sh (generated). Runs as root so it can read the temp docroot.
user root;
daemon off;
master_process on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 16384;

events {
    worker_connections 4096;
}

http {
    types { text/html html; application/octet-stream bin; }
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;

    server {
        # backlog as scratchd's listen(4096)
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        root $DOCROOT;
    }
}
EOF
}

start_nginx() {
  NGINX_PORT=$(free_port)
  write_nginx_conf
  taskset -c "$SERVER_CPU" nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" \
    -c "$TMP/nginx/nginx.conf" >>"$TMP/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  if ! wait_http "$NGINX_PID" "$NGINX_PORT"; then
    cat "$TMP/nginx/stdout.log" "$TMP/nginx/error.log" >&2 2>/dev/null
    die "nginx did not start on port $NGINX_PORT"
  fi
}

server_pid() { if [ "$1" = scratchd ]; then echo "$SCRATCHD_PID"; else echo "$NGINX_PID"; fi; }
server_port() { if [ "$1" = scratchd ]; then echo "$SCRATCHD_PORT"; else echo "$NGINX_PORT"; fi; }

# ensure_alive SERVER SCENARIO: warn and restart if the server died during the scenario.
ensure_alive() {
  local name=$1 pid status
  pid=$(server_pid "$name")
  kill -0 "$pid" 2>/dev/null && return 0
  wait "$pid"
  status=$?
  warn "$name (pid $pid) died during scenario $2: exit status $status$( [ "$status" -gt 128 ] && echo " (signal $((status - 128)))"); restarted"
  if [ "$name" = scratchd ]; then
    [ -s "$TMP/scratchd.err" ] && warn "scratchd stderr: $(tail -n 5 "$TMP/scratchd.err" | tr '\n' ' ')"
    start_scratchd
  else
    start_nginx
  fi
}

# check_content NAME PORT: every file comes back 200 with its exact bytes; 404 for none.
check_content() {
  local name=$1 port=$2 f code bad=0
  for f in index.html 4k.bin 1m.bin 100m.bin; do
    code=$(timeout -k 5 70 curl -s --max-time 60 -o "$TMP/got" -w '%{http_code}' \
      "http://127.0.0.1:$port/$f")
    if [ "$code" != 200 ] || ! cmp -s "$TMP/got" "$DOCROOT/$f"; then
      warn "$name: GET /$f gave HTTP $code and/or different bytes than the file"
      bad=1
    fi
  done
  rm -f "$TMP/got"
  code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/no-such-file")
  [ "$code" = 404 ] || { warn "$name: GET /no-such-file gave HTTP $code, not 404"; bad=1; }
  return "$bad"
}

# open_fds PID: number of open file descriptors of one process.
open_fds() { find /proc/"$1"/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# ---------------------------------------------------------------- measuring

# own_child_ticks: CPU ticks of this script's reaped children (wrk, curl, via timeout).
own_child_ticks() {
  local line f
  read -r line </proc/$$/stat
  read -r -a f <<<"${line##*) }"
  echo $((f[13] + f[14]))
}

# busy_share SECONDS: prints how busy both cores were over SECONDS, in % of one core.
busy_share() {
  local s0 s1
  s0=$(cpu_snapshot)
  sleep "$1"
  s1=$(cpu_snapshot)
  awk -v s0="$s0" -v s1="$s1" 'BEGIN {
      split(s0, x); split(s1, y)
      t = (y[2] - x[2] + y[5] - x[5]) / 2
      busy = t > 0 ? 100 * (y[1] - x[1] + y[4] - x[4]) / t : 0
      printf "%.0f\n", busy }'
}

# wait_quiet: wait (up to QUIET_WAIT s) until other work on the box (a build, tests)
# uses less than 10 % of a core; our idle servers use nothing.
wait_quiet() {
  local waited=0 busy
  busy=$(busy_share 1)
  [ "$busy" -lt 10 ] && return 0
  say "  waiting for other load to stop ($busy % of a core busy)"
  while [ "$waited" -lt "$QUIET_WAIT" ]; do
    busy=$(busy_share 2)
    [ "$busy" -lt 10 ] && return 0
    waited=$((waited + 2))
  done
  warn "the machine was still $busy % busy after waiting $QUIET_WAIT s; measuring anyway"
}

# begin_measure PID: remember CPU times and start the RSS sampler.
begin_measure() {
  local pids
  pids=$(server_pids "$1")
  touch "$TMP/sampling"
  echo 0 >"$TMP/peak"
  # shellcheck disable=SC2086  # a list of PIDs
  sampler "$TMP/peak" "$TMP/sampling" $pids &
  SAMPLER_PID=$!
  # shellcheck disable=SC2086
  M_TICKS0=$(cpu_ticks $pids)
  M_CLIENT0=$(own_child_ticks)
  M_STAT0=$(cpu_snapshot)
}

# end_measure PID: sets M_SECONDS (server CPU s), M_CORES ("cpu0/cpu1" busy %), M_OTHER
# (% of a core used by neither the server nor this script and its children: other
# load, kernel threads) and M_STEAL (hypervisor steal %), M_RSS (peak kB).
end_measure() {
  local ticks1 stat1 client1 hz
  # shellcheck disable=SC2046  # a list of PIDs
  ticks1=$(cpu_ticks $(server_pids "$1"))
  stat1=$(cpu_snapshot)
  rm -f "$TMP/sampling"
  wait "$SAMPLER_PID"
  SAMPLER_PID=""
  client1=$(own_child_ticks)
  M_RSS=$(cat "$TMP/peak")
  hz=$(getconf CLK_TCK)
  M_SECONDS=$(awk -v a="$M_TICKS0" -v b="$ticks1" -v hz="$hz" 'BEGIN { printf "%.6f", (b - a) / hz }')
  read -r M_CORES M_OTHER M_STEAL < <(awk -v s0="$M_STAT0" -v s1="$stat1" \
    -v server=$((ticks1 - M_TICKS0)) -v client=$((client1 - M_CLIENT0)) 'BEGIN {
      split(s0, x); split(s1, y)
      c0 = y[2] - x[2]; c1 = y[5] - x[5]
      p0 = c0 > 0 ? 100 * (y[1] - x[1]) / c0 : 0
      p1 = c1 > 0 ? 100 * (y[4] - x[4]) / c1 : 0
      other = y[1] - x[1] + y[4] - x[4] - server - client
      other = c0 > 0 && other > 0 ? 100 * other / c0 : 0
      st = c0 + c1 > 0 ? 100 * (y[3] - x[3] + y[6] - x[6]) / (c0 + c1) : 0
      printf "%.0f/%.0f %.0f %.1f\n", p0, p1, other, st }')
}

# describe SCENARIO: sets DESC, URL_PATH, CONNS, BODY (bytes) and EXTRA (wrk arguments).
describe() {
  EXTRA=()
  case $1 in
    a) DESC="index.html keep-alive, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96 ;;
    b) DESC="index.html Connection: close, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96
       EXTRA=(-H 'Connection: close') ;;
    c) DESC="index.html keep-alive, 1000 conns"; URL_PATH=/index.html; CONNS=1000; BODY=96 ;;
    d) DESC="index.html pipelined x16, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96
       EXTRA=(-s "$BENCH_DIR/pipeline.lua") ;;
    e) DESC="4k.bin keep-alive, 50 conns"; URL_PATH=/4k.bin; CONNS=50; BODY=4096 ;;
    f) DESC="1m.bin keep-alive, 10 conns"; URL_PATH=/1m.bin; CONNS=10; BODY=1048576 ;;
    g) DESC="100m.bin, 1 conn, curl, best of $CURL_REPS"; URL_PATH=/100m.bin; CONNS=1
       BODY=$BIG_SIZE ;;
    *) die "unknown scenario '$1' (known: a b c d e f g)" ;;
  esac
}

# parse_wrk FILE: prints "req/s requests p99_ms MiB/s socket_errors non2xx MiB_read".
parse_wrk() {
  awk '
    function ms(s) {
      if (s ~ /us$/) return substr(s, 1, length(s) - 2) / 1000
      if (s ~ /ms$/) return substr(s, 1, length(s) - 2) + 0
      if (s ~ /s$/)  return substr(s, 1, length(s) - 1) * 1000
      if (s ~ /m$/)  return substr(s, 1, length(s) - 1) * 60000
      return ""
    }
    function mib(s,  n) {   # wrk prints binary units: B, KB, MB, GB, TB
      n = s + 0
      if (s ~ /TB$/) return n * 1048576
      if (s ~ /GB$/) return n * 1024
      if (s ~ /MB$/) return n
      if (s ~ /KB$/) return n / 1024
      return n / 1048576
    }
    $1 == "99%"                 { p99 = ms($2) }
    / requests in /             { reqs = $1; got = mib($5) }
    /^Requests\/sec:/           { rps = $2 }
    /^Transfer\/sec:/           { rate = mib($2) }
    /Socket errors:/            { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    END { printf "%s %s %s %s %d %d %s\n", rps, reqs, p99, rate, sock, bad, got }' "$1"
}

# check_noise: sets NOISE to why the last run is not to be trusted (other load on the
# box, or hypervisor steal), or to "" when it was clean.
check_noise() {
  NOISE=""
  if [ "$M_OTHER" -gt 10 ]; then
    NOISE="other processes used $M_OTHER % of a core"
  fi
  if awk -v s="$M_STEAL" 'BEGIN { exit !(s > 5) }'; then
    NOISE="${NOISE:+$NOISE, }hypervisor steal $M_STEAL %"
  fi
}

# run_wrk SERVER SCENARIO: warm-up, then the measured run; stores the results.
run_wrk() {
  local server=$1 scen=$2 pid port url raw cmd rc
  local rps reqs p99 rate sock bad got cpu errs per_resp
  describe "$scen"
  pid=$(server_pid "$server")
  port=$(server_port "$server")
  url="http://127.0.0.1:$port$URL_PATH"
  raw=$RESULTS/raw/$scen-$server.txt
  cmd=(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" --latency "${EXTRA[@]}")

  wait_quiet
  timeout -k 5 $((WARMUP + 30)) "${cmd[@]}" -d"${WARMUP}s" "$url" >"$raw.warmup" 2>&1
  begin_measure "$pid"
  timeout -k 5 $((DUR + 30)) "${cmd[@]}" -d"${DUR}s" "$url" >"$raw" 2>&1
  rc=$?
  end_measure "$pid"

  read -r rps reqs p99 rate sock bad got < <(parse_wrk "$raw")
  if [ "$rc" != 0 ] || [ -z "${reqs:-}" ]; then
    warn "$scen/$server: wrk exited with status $rc; see $raw"
  fi
  errs=$((${sock:-0} + ${bad:-0}))
  if [ "${sock:-0}" != 0 ]; then warn "$scen/$server: wrk $(grep 'Socket errors' "$raw" | sed 's/^ *//')"; fi
  if [ "${bad:-0}" != 0 ]; then warn "$scen/$server: $bad non-2xx/3xx responses"; fi
  if [ "${reqs:-0}" -gt 0 ] 2>/dev/null; then
    cpu=$(awk -v s="$M_SECONDS" -v n="$reqs" 'BEGIN { printf "%.2f", s * 1e6 / n }')
    per_resp=$(awk -v m="$got" -v n="$reqs" 'BEGIN { printf "%.0f", m * 1048576 / n }')
    # Each response carries the whole body plus its head; less means short responses.
    # (wrk rounds the bytes it read to 3 digits, hence the 1 % of slack)
    if [ $((per_resp * 100)) -lt $((BODY * 99)) ]; then
      warn "$scen/$server: only $per_resp bytes per response on average (body is $BODY)"
    fi
  else
    cpu=""
    per_resp=""
    warn "$scen/$server: no completed requests"
  fi

  R_RPS[$scen/$server]=${rps:-}
  R_MIBS[$scen/$server]=${rate:-}
  R_P99[$scen/$server]=${p99:-}
  R_CPU[$scen/$server]=$cpu
  R_RSS[$scen/$server]=$M_RSS
  R_ERR[$scen/$server]=$errs
  R_CORES[$scen/$server]=$M_CORES
  R_OTHER[$scen/$server]=$M_OTHER
  check_noise
  say "  $scen $server: $(fmt %.0f "${rps:-}") req/s, $(fmt %.1f "${rate:-}") MiB/s," \
    "p99 $(fmt %.2f "${p99:-}") ms, $(fmt %.2f "$cpu") us/req, peak RSS $M_RSS kB," \
    "errors $errs, cpu0/cpu1 $M_CORES %, other $M_OTHER %, ${per_resp:-?} B/response"
}

# run_curl SERVER: scenario g, CURL_REPS transfers of 100m.bin; keeps the best speed.
run_curl() {
  local server=$1 pid port url i out code size speed best="" errs=0 ok=0 cpu
  describe g
  pid=$(server_pid "$server")
  port=$(server_port "$server")
  url="http://127.0.0.1:$port$URL_PATH"
  : >"$RESULTS/raw/g-$server.txt"
  wait_quiet
  begin_measure "$pid"
  for ((i = 1; i <= CURL_REPS; i++)); do
    out=$(timeout -k 5 90 taskset -c "$CLIENT_CPU" curl -s -o /dev/null --max-time 60 \
      -w '%{http_code} %{size_download} %{speed_download}' "$url")
    echo "$out" >>"$RESULTS/raw/g-$server.txt"
    read -r code size speed <<<"$out"
    if [ "${code:-}" != 200 ] || [ "${size:-}" != "$BIG_SIZE" ]; then
      warn "g/$server: transfer $i gave HTTP ${code:-none}, ${size:-0} of $BIG_SIZE bytes"
      errs=$((errs + 1))
      continue
    fi
    ok=$((ok + 1))
    best=$(awk -v best="${best:-0}" -v speed="$speed" 'BEGIN {
        mib = speed / 1048576
        if (mib > best) best = mib
        printf "%.3f", best }')
  done
  end_measure "$pid"
  cpu=""
  [ "$ok" -gt 0 ] && cpu=$(awk -v s="$M_SECONDS" -v n="$ok" 'BEGIN { printf "%.2f", s * 1e6 / n }')

  R_RPS[g/$server]=""
  R_MIBS[g/$server]=$best
  R_P99[g/$server]=""
  R_CPU[g/$server]=$cpu
  R_RSS[g/$server]=$M_RSS
  R_ERR[g/$server]=$errs
  R_CORES[g/$server]=$M_CORES
  R_OTHER[g/$server]=$M_OTHER
  check_noise
  say "  g $server: best $(fmt %.0f "$best") MiB/s of $CURL_REPS, $(fmt %.0f "$cpu") us CPU per transfer," \
    "peak RSS $M_RSS kB, errors $errs, cpu0/cpu1 $M_CORES %, other $M_OTHER %"
}

# measure SERVER SCENARIO: one run; a run disturbed by other load is done once more.
measure() {
  local server=$1 scen=$2 attempt
  for attempt in 1 2; do
    if [ "$scen" = g ]; then run_curl "$server"; else run_wrk "$server" "$scen"; fi
    ensure_alive "$server" "$scen"
    sleep 1
    [ -z "$NOISE" ] && return 0
    if [ "$attempt" = 1 ]; then
      say "  noisy run ($NOISE): once more"
    else
      warn "$scen/$server: noisy run, kept after one redo ($NOISE)"
    fi
  done
}

# ---------------------------------------------------------------- report

header() {
  local wrk_v nginx_v="(not installed)"
  wrk_v=$(wrk -v 2>&1 | head -n 1)
  if command -v nginx >/dev/null; then nginx_v=$(nginx -v 2>&1 | head -n 1); fi
  say "# scratchd benchmark"
  say ""
  say "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  say "- command: DUR=$DUR QUICK=$QUICK SCENARIOS=\"$SCENARIOS\" $CMDLINE"
  say "- scratchd: $ROOT/build/scratchd ($("$TMP/scratchd" --version 2>&1 | head -n 1)," \
    "$(stat -c %s "$TMP/scratchd") bytes, sha256 $(sha256sum "$TMP/scratchd" | cut -c1-16))"
  say "- scratchd options: $SCRATCHD_ARGS DOCROOT"
  say "- wrk: $wrk_v"
  say "- nginx: $nginx_v (master + 1 worker, sendfile, tcp_nopush, tcp_nodelay, access_log off)"
  say "- curl: $(curl --version | head -n 1 | cut -d' ' -f1-2)"
  say "- nproc: $(nproc); kernel $(uname -r); ulimit -n $(ulimit -n); CLK_TCK $(getconf CLK_TCK)"
  say "- servers pinned to CPU $SERVER_CPU, wrk/curl to CPU $CLIENT_CPU;" \
    "each wrk run: ${WARMUP} s warm-up, then $DUR s"
}

table() {
  local scen server ref mine
  say "| scenario | server | req/s | MiB/s | p99 ms | CPU us/req | peak RSS kB | errors | cpu0/cpu1 % | other % | scratchd/nginx |"
  say "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for scen in $SCENARIOS; do
    describe "$scen"
    for server in "${SERVERS[@]}"; do
      local r="-"
      if [ "$server" = scratchd ] && [ ${#SERVERS[@]} -gt 1 ]; then
        if [ "$scen" = f ] || [ "$scen" = g ]; then
          mine=${R_MIBS[$scen/scratchd]:-}; ref=${R_MIBS[$scen/nginx]:-}
        else
          mine=${R_RPS[$scen/scratchd]:-}; ref=${R_RPS[$scen/nginx]:-}
        fi
        r=$(ratio "$mine" "$ref")
      fi
      say "| $scen $DESC | $server | $(fmt %.0f "${R_RPS[$scen/$server]:-}")" \
        "| $(fmt %.1f "${R_MIBS[$scen/$server]:-}") | $(fmt %.2f "${R_P99[$scen/$server]:-}")" \
        "| $(fmt %.2f "${R_CPU[$scen/$server]:-}") | ${R_RSS[$scen/$server]:--}" \
        "| ${R_ERR[$scen/$server]:--} | ${R_CORES[$scen/$server]:--}" \
        "| ${R_OTHER[$scen/$server]:--} | $r |"
    done
  done
}

notes() {
  local server w
  say ""
  for server in "${SERVERS[@]}"; do
    say "- RSS of $server after fetching every file once, before the first scenario: ${IDLE_RSS[$server]:--} kB"
  done
  say "- idle RSS of scratchd: once it listens, before any request: ${START_RSS:--} kB"
  say "- ratio: scratchd/nginx of req/s (a-e), of MiB/s (f, g). CPU us/req in g is per" \
    "100 MiB transfer. errors: wrk socket errors + non-2xx/3xx, or failed curl transfers."
  say "- cpu0/cpu1: busy % of the servers' core and of wrk's core. other: % of a core" \
    "used by anything else (other work on the box, kernel threads) during the run."
  say "- nginx has tcp_nopush on: in d its pipelined responses can wait in the TCP cork."
  if [ ${#WARNINGS[@]} -eq 0 ]; then
    say "- warnings: none"
  else
    say "- warnings:"
    for w in "${WARNINGS[@]}"; do say "  - $w"; done
  fi
}

# ---------------------------------------------------------------- main

cleanup() {
  if [ -n "$SAMPLER_PID" ]; then
    rm -f "$TMP/sampling"
    kill "$SAMPLER_PID" 2>/dev/null
    wait "$SAMPLER_PID" 2>/dev/null
  fi
  stop_server scratchd "$SCRATCHD_PID" >/dev/null
  stop_server nginx "$NGINX_PID" >/dev/null
  remove_policy_rc
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then rm -rf "$TMP"; fi
}

main() {
  local scen server start_s fds0 fds1 pids
  start_s=$(date +%s)
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server on CPU 0, load generator on CPU 1)"
  for scen in $SCENARIOS; do describe "$scen"; done   # reject unknown names early

  TMP=$(mktemp -d /tmp/scratchd-bench.XXXXXX) || die "mktemp failed"
  DOCROOT=$TMP/www
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  install_tools
  raise_nofile
  build_scratchd
  make_docroot
  mkdir -p "$RESULTS/raw"
  rm -f "$RESULTS"/raw/*.txt "$RESULTS"/raw/*.warmup

  start_scratchd
  SERVERS=(scratchd)
  if command -v nginx >/dev/null; then
    start_nginx
    SERVERS+=(nginx)
  fi
  local head_text
  head_text=$(header)
  say "$head_text"
  say ""
  say "scratchd pid $SCRATCHD_PID port $SCRATCHD_PORT; nginx pid ${NGINX_PID:--} port ${NGINX_PORT:--}"
  for server in "${SERVERS[@]}"; do
    check_content "$server" "$(server_port "$server")"
  done
  sleep 1
  for server in "${SERVERS[@]}"; do
    # shellcheck disable=SC2046  # a list of PIDs
    rss_kb $(server_pids "$(server_pid "$server")")
    IDLE_RSS[$server]=$RSS_KB
  done
  fds0=$(open_fds "$SCRATCHD_PID")

  for scen in $SCENARIOS; do
    describe "$scen"
    say "scenario $scen: $DESC"
    for server in "${SERVERS[@]}"; do
      measure "$server" "$scen"
    done
  done

  say "after the scenarios:"
  sleep 2
  fds1=$(open_fds "$SCRATCHD_PID")
  say "  scratchd open fds: $fds0 before, $fds1 after"
  [ "$fds1" -le "$fds0" ] || warn "scratchd holds $((fds1 - fds0)) more fds after the run than before"
  for server in "${SERVERS[@]}"; do
    check_content "$server" "$(server_port "$server")" && say "  $server: every file still served correctly"
  done
  [ -s "$TMP/scratchd.err" ] && warn "scratchd stderr: $(tail -n 10 "$TMP/scratchd.err" | tr '\n' ' ')"
  stop_server scratchd "$SCRATCHD_PID"
  SCRATCHD_PID=""
  stop_server nginx "$NGINX_PID"
  NGINX_PID=""

  local table_text notes_text
  table_text=$(table)
  notes_text=$(notes)
  say ""
  say "$table_text"
  say "$notes_text"
  say "- wall time: $(($(date +%s) - start_s)) s"
  {
    say "$head_text"
    say ""
    say "$table_text"
    say "$notes_text"
    say "- wall time: $(($(date +%s) - start_s)) s"
  } >"$RESULTS/latest.md"
  say ""
  say "written: $RESULTS/latest.md (raw wrk output in $RESULTS/raw/)"
}

main "$@"
