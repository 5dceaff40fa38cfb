#!/usr/bin/env bash
# bench/run.sh -- load benchmark of scratchd against nginx, lighttpd and h2o (`make bench`),
# and of scratchd's HTTPS against nginx with OpenSSL.
#
# What it does
#   1. Installs what is missing with apt-get when we are root: wrk, curl, nginx, lighttpd,
#      h2o, openssl (no package service is ever started: /usr/sbin/policy-rc.d exits 101
#      during the install and is removed afterwards, if we made it). Not root: prints the
#      packages, exits 1. A peer that still cannot be found is left out, with a warning.
#   2. Builds scratchd (make), copies the binary into a temp dir, so that a rebuild during
#      the run cannot change it, and writes a docroot there: index.html (96 B), 4k.bin,
#      1m.bin, 100m.bin (a plain text pattern); and a P-256 certificate and key (openssl).
#   3. Starts every server on 127.0.0.1 with one worker, pinned to CPU 0 (taskset; their
#      children and threads inherit it), each with its own config in the temp dir
#      (bench/nginx.conf, lighttpd.conf, h2o.conf, nginx-tls.conf; @NAME@ filled in):
#        scratchd      --workers 1 --no-log --precompressed
#        nginx         master + 1 worker, sendfile, tcp_nopush, tcp_nodelay, access_log off
#        lighttpd      one process, linux-sysepoll, no access log
#        h2o           num-threads 1, no access log
#        scratchd-tls  the same scratchd with --cert/--key (supervisor, signer, 1 worker)
#        nginx-tls     nginx as above, `listen ssl`, TLS 1.3 only, ssl_session_tickets off,
#                      ssl_session_cache off (no resumption: scratchd has none)
#      wrk and curl run pinned to CPU 1.
#   4. ROUNDS rounds; in each, every scenario runs on every server, one after the other,
#      the servers' order rotated from round to round. Each wrk run: 1 s warm-up, then
#      DUR seconds.
#        a  /index.html keep-alive, 50 connections            wrk -t1 -c50
#        b  /index.html 'Connection: close', 50 connections   wrk -t1 -c50 -H 'Connection: close'
#        c  /1m.bin keep-alive, 10 connections (MiB/s)        wrk -t1 -c10
#        d  /100m.bin, one connection (MiB/s)                 curl, CURL_REPS transfers per
#                                                             round, servers alternating
#        e  /index.html keep-alive, 1000 connections          wrk -t1 -c1000
#        f  /4k.bin keep-alive, 50 connections                wrk -t1 -c50
#        h  /4kr.bin precompressed, 50 connections            wrk -t1 -c50 -H 'Accept-Encoding: br, gzip'
#           4kr.bin is 4 KiB of random bytes beside its .br and .gz (each ~4.1 KB, so the
#           bytes sent match f's): scratchd --precompressed and h2o (file.send-compressed)
#           send the .br, nginx (gzip_static) the .gz, lighttpd (no such feature) the file.
#           The report sets scratchd's CPU per request here beside f's.
#        g  /1m.bin keep-alive, one connection (MiB/s)        wrk -t1 -c1
#        p  /index.html pipelined, 16 requests per write      wrk -t1 -c50 -s pipeline.lua
#        x  fairness: a's p99 while /100m.bin downloads run   wrk as in a, once alone and
#                                                             once beside a loop of curl
#                                                             downloads of 100m.bin (SCHED_IDLE)
#      HTTPS (scratchd-tls and nginx-tls; client: TLS 1.3, TLS_AES_128_GCM_SHA256, X25519,
#      through an OpenSSL config in OPENSSL_CONF, so both servers get the same offer):
#        ta /index.html keep-alive, 50 connections            wrk -t1 -c50 https://
#        tb full handshakes: 'Connection: close', 50 conns    wrk -t1 -c50 -H 'Connection: close'
#        tc /1m.bin keep-alive, 10 connections (MiB/s)        wrk -t1 -c10 https://
#      Before and after the scenarios every file is fetched from every server and compared
#      byte for byte; scratchd's open fds are counted before and after; a server that dies
#      during a scenario is reported and restarted.
#   5. Prints markdown tables (medians over the rounds) and writes them to
#      bench/results/latest.md; the raw wrk output of every run goes to bench/results/raw/.
#
# How the numbers are computed
#   req/s, p99    wrk's "Requests/sec" and the 99% line of `wrk --latency`; median over rounds.
#   MiB/s         wrk's "Transfer/sec" (binary units); d: curl's speed_download / 2^20, the
#                 median of all transfers of all rounds.
#   CPU us/req    server CPU time used during the measured run, divided by the number of
#                 requests wrk reports (tb: per handshake; d: per 100 MiB transfer, rough:
#                 a transfer is a few 10 ms ticks). Server CPU time = utime + stime + cutime
#                 + cstime (fields 14-17 of /proc/PID/stat, all threads) summed over the
#                 server process and all its descendants, read just before and after the run.
#   peak RSS      the largest sum of VmRSS over those processes, sampled every 0.2 s.
#   cpu0/cpu1 %   busy share of each core during the run (/proc/stat deltas), medians: cpu0
#                 is the servers' core, cpu1 the load generator's. cpu1 near 100 % with cpu0
#                 below it means wrk, not the server, set the number.
#   other %       CPU time used by neither the server nor this script's children, in % of
#                 one core (the largest over the rounds): other work on the machine. Before
#                 every run the script waits (up to QUIET_WAIT s) for the box to be idle. A
#                 run with other % above 10 or hypervisor steal above 5 % is done again, up
#                 to NOISY_REDOS (2) times; if the last redo is disturbed too, it is kept and
#                 flagged in the warnings.
#   vs best peer  the best peer is the one with the highest median (req/s; MiB/s in c, d,
#                 g, tc). The ratio is paired by round: in each round, scratchd's figure
#                 divided by that peer's figure of the same round (d: the medians of the
#                 round's transfers); the table gives the median of those ratios and, in
#                 brackets, each round's. A round's servers run within about half a minute
#                 of each other, so the shared host's slower changes (steal, neighbours,
#                 which come and go over minutes) move them together and cancel in the
#                 ratio; a ratio of medians taken over the whole run does not cancel them.
#                 x: p99 beside the downloads / p99 alone, for each server, paired by
#                 round likewise (goal: at most 2). HTTPS: scratchd-tls / nginx-tls.
#
# Environment knobs: DUR=seconds per run (3); ROUNDS (5); CURL_REPS=transfers per server
#   and round in d (3); QUICK=1 (DUR=3, ROUNDS=1, CURL_REPS=2); SCENARIOS="a b c d e f h g p x"
#   (a subset, e.g. "a d"); TLS_SCENARIOS="ta tb tc" ("" for none); PEERS="nginx lighttpd
#   h2o"; QUIET_WAIT=90.
# Every load run is bounded (wrk -d, curl --max-time, both under timeout(1)). Only the
# processes started here are stopped, by PID: SIGTERM, a bounded wait, then SIGKILL.
# SIGINT or SIGTERM (say, from `timeout 3600 bench/run.sh`) ends the run with the tables
# of what was measured so far.

set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
RESULTS=$BENCH_DIR/results
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
CMDLINE="$0${*:+ $*}"

QUICK=${QUICK:-0}
DUR=${DUR:-3}
ROUNDS=${ROUNDS:-5}
CURL_REPS=${CURL_REPS:-3}
if [ "$QUICK" = 1 ]; then
  DUR=3
  ROUNDS=1
  CURL_REPS=2
fi
WARMUP=1
SCENARIOS=${SCENARIOS-a b c d e f h g p x}
TLS_SCENARIOS=${TLS_SCENARIOS-ta tb tc}
PEERS=${PEERS-nginx lighttpd h2o}
QUIET_WAIT=${QUIET_WAIT:-90}   # max seconds to wait for other load to stop before a run
NOISY_REDOS=2                  # a disturbed wrk run is done again at most this often
SERVER_CPU=0
CLIENT_CPU=1
BIG_SIZE=104857600   # 100m.bin
TLS_SUITE=TLS_AES_128_GCM_SHA256
TLS_GROUP=X25519

TMP=""               # temp dir: binary copy, docroot, configs, logs
DOCROOT=""
POLICY_RC_CREATED=0
SAMPLER_PID=""
HTTP_SERVERS=()      # scratchd and the peers that are there
TLS_SERVERS=()       # scratchd-tls, nginx-tls
WARNINGS=()
NOISE=""             # why the last run was disturbed, if it was
START_RSS=""
START_S=0            # when main began (date +%s)
HEAD_TEXT=""         # the report's header, once the servers run
DL_PID=""            # the download loop of scenario x

declare -A PID PORT SCHEME ARGS   # per server
# Results, keyed "SCENARIO/SERVER/ROUND" (d: "d/SERVER" holds the list of speeds).
# shellcheck disable=SC2034  # read through namerefs (per_round, med)
declare -A R_RPS R_MIBS R_P99 R_P99_ALONE R_CPU R_RSS R_ERR R_C0 R_C1 R_OTHER R_DL
declare -A IDLE_RSS

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

# median VALUES...: the median of the non-empty values, or "" when there is none.
median() {
  printf '%s\n' "$@" | awk 'NF { v[++n] = $1 }
    END {
      if (!n) exit
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf "%.6g\n", m
    }'
}

# max VALUES...: the largest, or "".
max() { printf '%s\n' "$@" | awk 'NF && (!n++ || $1 > m) { m = $1 } END { if (n) print m }'; }

# per_round ARRAY KEY: the values ARRAY[KEY/1..ROUNDS], one per line.
per_round() {
  local -n arr=$1
  local r
  for ((r = 1; r <= ROUNDS; r++)); do echo "${arr[$2/$r]:-}"; done
}

# med ARRAY KEY: median over the rounds.
med() {
  # shellcheck disable=SC2046  # one value per line
  median $(per_round "$1" "$2")
}

# ---------------------------------------------------------------- tools

peer_command() {
  case $1 in
    nginx) echo nginx ;;
    lighttpd) echo lighttpd ;;
    h2o) echo h2o ;;
  esac
}

missing_packages() {
  local pkgs=() p
  command -v wrk >/dev/null || pkgs+=(wrk)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v brotli >/dev/null || pkgs+=(brotli)
  command -v openssl >/dev/null || pkgs+=(openssl)
  command -v taskset >/dev/null && command -v chrt >/dev/null || pkgs+=(util-linux)
  command -v ss >/dev/null || pkgs+=(iproute2)
  command -v ps >/dev/null || pkgs+=(procps)
  for p in $PEERS; do
    command -v "$(peer_command "$p")" >/dev/null || pkgs+=("$p")
  done
  if [ -n "$TLS_SCENARIOS" ] && ! command -v nginx >/dev/null && [[ " ${pkgs[*]} " != *" nginx "* ]]; then
    pkgs+=(nginx)
  fi
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
  # The server packages would start their services: policy-rc.d exiting 101 forbids that.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  local ok=1 try
  for try in 1 2 3 4 5 6; do
    ok=1
    # shellcheck disable=SC2086  # $pkgs is a list of names
    if DEBIAN_FRONTEND=noninteractive apt-get update -q >"$TMP/apt.log" 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
         $pkgs >>"$TMP/apt.log" 2>&1; then
      break
    fi
    ok=0
    grep -q 'Could not get lock\|dpkg frontend lock' "$TMP/apt.log" || break
    say "  dpkg is locked by another process: retrying in 20 s"
    sleep 20
  done
  remove_policy_rc
  if [ "$ok" = 0 ]; then
    tail -n 20 "$TMP/apt.log"
    die "apt-get failed"
  fi
}

raise_nofile() {
  local want=16384 hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
  [ "$want" -ge 4096 ] || die "the hard limit on open files is $hard; scenario e needs 4096"
  ulimit -n "$want" || die "ulimit -n $want failed"
}

# ---------------------------------------------------------------- build, docroot, keys

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
  # h: an incompressible 4 KiB file and its variants, each about as long as 4k.bin
  head -c 4096 /dev/urandom >"$DOCROOT/4kr.bin"
  brotli -c "$DOCROOT/4kr.bin" >"$DOCROOT/4kr.bin.br" || die "brotli failed"
  gzip -9 -n -c "$DOCROOT/4kr.bin" >"$DOCROOT/4kr.bin.gz" || die "gzip failed"
  pattern_file "$DOCROOT/1m.bin" 1048576
  pattern_file "$DOCROOT/100m.bin" "$BIG_SIZE"
}

# A self-signed P-256 certificate for both HTTPS servers, and the client's OpenSSL
# config: TLS 1.3 only, one suite, one group, so that both servers get the same offer.
make_keys() {
  local d=$TMP/tls
  mkdir -p "$d"
  if ! openssl ecparam -name prime256v1 -genkey -noout -out "$d/key.pem" 2>"$d/openssl.log" ||
     ! openssl req -new -x509 -key "$d/key.pem" -sha256 -days 2 -subj /CN=localhost \
       -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -out "$d/cert.pem" 2>>"$d/openssl.log"; then
    die "openssl could not make the certificate: $(cat "$d/openssl.log")"
  fi
  cat >"$d/client.cnf" <<EOF
# The load generators' OpenSSL settings (OPENSSL_CONF): the same offer to every server.
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.3
Ciphersuites = $TLS_SUITE
Groups = $TLS_GROUP
EOF
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

# stop_server NAME: SIGTERM, wait up to 15 s, then SIGKILL (with its descendants).
stop_server() {
  local name=$1 pid kids i status
  pid=${PID[$name]:-}
  [ -n "$pid" ] || return 0
  PID[$name]=""
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

# client [ARGS...]: run a command pinned to the client CPU, bounded, with the TLS offer.
client() {
  local limit=$1
  shift
  OPENSSL_CONF=$TMP/tls/client.cnf timeout -k 5 "$limit" taskset -c "$CLIENT_CPU" "$@"
}

url_of() { echo "${SCHEME[$1]}://127.0.0.1:${PORT[$1]}$2"; }

# wait_http NAME: 0 once GET /index.html answers, 1 if the server died or after 5 s.
wait_http() {
  local i
  for ((i = 0; i < 50; i++)); do
    client 5 curl -sk -o /dev/null --max-time 1 "$(url_of "$1" /index.html)" && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_scratchd NAME: scratchd, or with NAME scratchd-tls its HTTPS instance.
start_scratchd() {
  local name=$1 out=$TMP/$1.out line i help args=(--addr 127.0.0.1 --port 0)
  help=$("$TMP/scratchd" --help 2>&1)
  # One worker, like the peers here; no access log, like the peers here.
  if [[ $help == *--workers* ]]; then args+=(--workers 1); fi
  if [[ $help == *--no-log* ]]; then args+=(--no-log); fi
  # h: variants for Accept-Encoding; a request without the field is not affected
  if [[ $help == *--precompressed* ]]; then args+=(--precompressed); fi
  if [ "$name" = scratchd-tls ]; then
    args+=(--cert "$TMP/tls/cert.pem" --key "$TMP/tls/key.pem")
  fi
  ARGS[$name]="${args[*]}"
  : >"$out"
  taskset -c "$SERVER_CPU" "$TMP/scratchd" "${args[@]}" "$DOCROOT" >"$out" 2>>"$TMP/$name.err" &
  PID[$name]=$!
  for ((i = 0; i < 50; i++)); do
    read -r line <"$out"
    if [[ ${line:-} == "listening on http"*"://"* ]]; then
      PORT[$name]=${line##*:}
      SCHEME[$name]=${line#listening on }
      SCHEME[$name]=${SCHEME[$name]%%://*}
      if [ "$name" = scratchd ] && [ -z "$START_RSS" ]; then
        # shellcheck disable=SC2046  # a list of PIDs
        rss_kb $(server_pids "${PID[$name]}")
        START_RSS=$RSS_KB
      fi
      wait_http "$name" && return 0
      break
    fi
    kill -0 "${PID[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$TMP/$name.err" >&2
  die "$name did not start (stdout: $(cat "$out"))"
}

# render TEMPLATE OUT NAME: a config from bench/TEMPLATE with @PORT@ @DOCROOT@ @DIR@
# @CERT@ @KEY@ filled in.
render() {
  sed -e "s|@PORT@|${PORT[$3]}|g" -e "s|@DOCROOT@|$DOCROOT|g" -e "s|@DIR@|$TMP/$3|g" \
    -e "s|@CERT@|$TMP/tls/cert.pem|g" -e "s|@KEY@|$TMP/tls/key.pem|g" \
    "$BENCH_DIR/$1" >"$2" || die "cannot write $2"
}

# start_peer NAME: nginx, nginx-tls, lighttpd or h2o with its config from bench/.
start_peer() {
  local name=$1 dir=$TMP/$1 cmd
  mkdir -p "$dir"
  PORT[$name]=$(free_port)
  SCHEME[$name]=http
  case $name in
    nginx | nginx-tls)
      [ "$name" = nginx-tls ] && SCHEME[$name]=https
      render "$name.conf" "$dir/nginx.conf" "$name"
      cmd=(nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf") ;;
    lighttpd)
      render lighttpd.conf "$dir/lighttpd.conf" "$name"
      cmd=(lighttpd -D -f "$dir/lighttpd.conf") ;;
    h2o)
      render h2o.conf "$dir/h2o.conf" "$name"
      cmd=(h2o -c "$dir/h2o.conf") ;;
    *) die "unknown peer $name" ;;
  esac
  ARGS[$name]="${cmd[*]}"
  taskset -c "$SERVER_CPU" "${cmd[@]}" >>"$dir/stdout.log" 2>&1 &
  PID[$name]=$!
  if ! wait_http "$name"; then
    cat "$dir/stdout.log" "$dir/error.log" >&2 2>/dev/null
    die "$name did not start on port ${PORT[$name]}"
  fi
}

start_server() {
  case $1 in
    scratchd | scratchd-tls) start_scratchd "$1" ;;
    *) start_peer "$1" ;;
  esac
}

# ensure_alive SERVER SCENARIO: warn and restart if the server died during the scenario.
ensure_alive() {
  local name=$1 pid status
  pid=${PID[$name]}
  kill -0 "$pid" 2>/dev/null && return 0
  wait "$pid"
  status=$?
  warn "$name (pid $pid) died during scenario $2: exit status $status$( [ "$status" -gt 128 ] && echo " (signal $((status - 128)))"); restarted"
  if [[ $name == scratchd* ]] && [ -s "$TMP/$name.err" ]; then
    warn "$name stderr: $(tail -n 5 "$TMP/$name.err" | tr '\n' ' ')"
  fi
  start_server "$name"
}

# check_content NAME: every file comes back 200 with its exact bytes; 404 for none.
check_content() {
  local name=$1 f code bad=0
  for f in index.html 4k.bin 1m.bin 100m.bin; do
    code=$(client 70 curl -sk --max-time 60 -o "$TMP/got" -w '%{http_code}' "$(url_of "$name" "/$f")")
    if [ "$code" != 200 ] || ! cmp -s "$TMP/got" "$DOCROOT/$f"; then
      warn "$name: GET /$f gave HTTP $code and/or different bytes than the file"
      bad=1
    fi
  done
  rm -f "$TMP/got"
  code=$(client 10 curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "$(url_of "$name" /no-such-file)")
  [ "$code" = 404 ] || { warn "$name: GET /no-such-file gave HTTP $code, not 404"; bad=1; }
  return "$bad"
}

# tls_facts NAME: what a client with our offer gets: "SUITE GROUP, resumed: yes|no".
tls_facts() {
  local out suite group reused
  out=$(OPENSSL_CONF=$TMP/tls/client.cnf timeout 10 openssl s_client -connect "127.0.0.1:${PORT[$1]}" \
    -servername localhost -sess_out "$TMP/tls/sess" </dev/null 2>/dev/null)
  suite=$(sed -n 's/^New, TLSv1.3, Cipher is //p' <<<"$out" | head -n 1)
  group=$(sed -n 's/^Server Temp Key: //p' <<<"$out" | head -n 1)
  # A second connection offering the first one's session: resumed only if the server
  # gave a ticket (neither should).
  reused=$(OPENSSL_CONF=$TMP/tls/client.cnf timeout 10 openssl s_client -connect "127.0.0.1:${PORT[$1]}" \
    -servername localhost -sess_in "$TMP/tls/sess" </dev/null 2>/dev/null | grep -c '^Reused')
  rm -f "$TMP/tls/sess"
  echo "${suite:-?} (${group:-?}), resumed: $([ "$reused" -gt 0 ] && echo yes || echo no)"
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

# begin_measure NAME: remember CPU times and start the RSS sampler.
begin_measure() {
  local pids
  pids=$(server_pids "${PID[$1]}")
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

# end_measure NAME: sets M_SECONDS (server CPU s), M_C0 and M_C1 (busy % of each core),
# M_OTHER (% of a core used by neither the server nor this script and its children:
# other load, kernel threads), M_STEAL (hypervisor steal %) and M_RSS (peak kB).
end_measure() {
  local ticks1 stat1 client1 hz
  # shellcheck disable=SC2046  # a list of PIDs
  ticks1=$(cpu_ticks $(server_pids "${PID[$1]}"))
  stat1=$(cpu_snapshot)
  rm -f "$TMP/sampling"
  wait "$SAMPLER_PID"
  SAMPLER_PID=""
  client1=$(own_child_ticks)
  M_RSS=$(cat "$TMP/peak")
  hz=$(getconf CLK_TCK)
  M_SECONDS=$(awk -v a="$M_TICKS0" -v b="$ticks1" -v hz="$hz" 'BEGIN { printf "%.6f", (b - a) / hz }')
  read -r M_C0 M_C1 M_OTHER M_STEAL < <(awk -v s0="$M_STAT0" -v s1="$stat1" \
    -v server=$((ticks1 - M_TICKS0)) -v client=$((client1 - M_CLIENT0)) 'BEGIN {
      split(s0, x); split(s1, y)
      c0 = y[2] - x[2]; c1 = y[5] - x[5]
      p0 = c0 > 0 ? 100 * (y[1] - x[1]) / c0 : 0
      p1 = c1 > 0 ? 100 * (y[4] - x[4]) / c1 : 0
      other = y[1] - x[1] + y[4] - x[4] - server - client
      other = c0 > 0 && other > 0 ? 100 * other / c0 : 0
      st = c0 + c1 > 0 ? 100 * (y[3] - x[3] + y[6] - x[6]) / (c0 + c1) : 0
      printf "%.0f %.0f %.0f %.1f\n", p0, p1, other, st }')
}

# describe SCENARIO: sets DESC, URL_PATH, CONNS, BODY (bytes), EXTRA (wrk arguments),
# UNIT (req: req/s is the figure; mib: MiB/s is) and PER (what CPU is divided by).
describe() {
  EXTRA=()
  UNIT=req
  PER=request
  case $1 in
    a) DESC="index.html keep-alive, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96 ;;
    b) DESC="index.html Connection: close, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96
       EXTRA=(-H 'Connection: close') ;;
    c) DESC="1m.bin keep-alive, 10 conns"; URL_PATH=/1m.bin; CONNS=10; BODY=1048576; UNIT=mib ;;
    d) DESC="100m.bin, 1 conn, curl, median of $((ROUNDS * CURL_REPS))"; URL_PATH=/100m.bin
       CONNS=1; BODY=$BIG_SIZE; UNIT=mib; PER=transfer ;;
    e) DESC="index.html keep-alive, 1000 conns"; URL_PATH=/index.html; CONNS=1000; BODY=96 ;;
    f) DESC="4k.bin keep-alive, 50 conns"; URL_PATH=/4k.bin; CONNS=50; BODY=4096 ;;
    g) DESC="1m.bin keep-alive, 1 conn"; URL_PATH=/1m.bin; CONNS=1; BODY=1048576; UNIT=mib ;;
    h) DESC="4kr.bin precompressed (Accept-Encoding: br, gzip), 50 conns"; URL_PATH=/4kr.bin
       CONNS=50; BODY=4096; EXTRA=(-H 'Accept-Encoding: br, gzip') ;;
    p) DESC="index.html pipelined x16, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96
       EXTRA=(-s "$BENCH_DIR/pipeline.lua") ;;
    x) DESC="a's p99 beside 100m.bin downloads"; URL_PATH=/index.html; CONNS=50; BODY=96 ;;
    ta) DESC="HTTPS index.html keep-alive, 50 conns"; URL_PATH=/index.html; CONNS=50; BODY=96 ;;
    tb) DESC="HTTPS full handshakes (Connection: close), 50 conns"; URL_PATH=/index.html
        CONNS=50; BODY=96; PER=handshake; EXTRA=(-H 'Connection: close') ;;
    tc) DESC="HTTPS 1m.bin keep-alive, 10 conns"; URL_PATH=/1m.bin; CONNS=10; BODY=1048576
        UNIT=mib ;;
    *) die "unknown scenario '$1' (known: a b c d e f g h p x; ta tb tc)" ;;
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

# downloads_start NAME: a loop of 100m.bin downloads on the client CPU, until the flag
# file goes (x). Each transfer's bytes and speed are appended to $TMP/dl.
downloads_start() {
  local url
  url=$(url_of "$1" /100m.bin)
  : >"$TMP/dl"
  touch "$TMP/downloading"
  (
    while [ -e "$TMP/downloading" ]; do
      # SCHED_IDLE: the downloads share the load generator's core; at the same priority
      # the scheduler's time slices would delay wrk itself (p99 4-5 ms for every server,
      # the client's delay, not the server's; at nice 19 still about 2x). As an idle-class
      # task curl runs only when wrk is not ready, and a server that sends a large file in
      # one call still shows it (docs/performance.md, "Fairness").
      client 40 chrt --idle 0 curl -s -o /dev/null --max-time 30 -w '%{size_download} %{time_total}\n' "$url" >>"$TMP/dl"
    done
  ) &
  DL_PID=$!
}

downloads_stop() {
  rm -f "$TMP/downloading"
  wait "$DL_PID"
  DL_PID=""
}

# run_wrk SERVER SCENARIO ROUND: warm-up, then the measured run; stores the results.
# x: the run beside the downloads (the run alone is stored as R_P99_ALONE).
run_wrk() {
  local server=$1 scen=$2 round=$3 url raw cmd rc key=$2/$1/$3
  local rps reqs p99 rate sock bad got cpu errs per_resp
  describe "$scen"
  url=$(url_of "$server" "$URL_PATH")
  raw=$RESULTS/raw/$scen-$server-r$round.txt
  cmd=(wrk -t1 -c"$CONNS" --latency "${EXTRA[@]}")

  wait_quiet
  if [ "$scen" = x ]; then
    # the same load alone, just before: the p99 to compare with
    client $((WARMUP + 30)) "${cmd[@]}" -d"${WARMUP}s" "$url" >"$raw.warmup" 2>&1
    client $((DUR + 30)) "${cmd[@]}" -d"${DUR}s" "$url" >"$raw.alone" 2>&1
    read -r _ _ p99 _ < <(parse_wrk "$raw.alone")
    R_P99_ALONE[$key]=${p99:-}
    downloads_start "$server"
    sleep 0.5
  fi
  client $((WARMUP + 30)) "${cmd[@]}" -d"${WARMUP}s" "$url" >"$raw.warmup" 2>&1
  begin_measure "$server"
  client $((DUR + 30)) "${cmd[@]}" -d"${DUR}s" "$url" >"$raw" 2>&1
  rc=$?
  if [ "$scen" = x ]; then
    downloads_stop
    R_DL[$key]=$(awk '{ b += $1; t += $2 } END { if (t > 0) printf "%.0f", b / t / 1048576 }' "$TMP/dl")
    echo "downloads beside it (bytes seconds):" >>"$raw"
    cat "$TMP/dl" >>"$raw"
  fi
  end_measure "$server"

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
  [ "$scen" = x ] && cpu=""   # the downloads' CPU is in it

  # shellcheck disable=SC2034  # read through namerefs (med)
  R_RPS[$key]=${rps:-}
  R_MIBS[$key]=${rate:-}
  # shellcheck disable=SC2034
  R_P99[$key]=${p99:-}
  R_CPU[$key]=$cpu
  R_RSS[$key]=$M_RSS
  R_ERR[$key]=$errs
  R_C0[$key]=$M_C0
  R_C1[$key]=$M_C1
  R_OTHER[$key]=$M_OTHER
  check_noise
  say "  r$round $scen $server: $(fmt %.0f "${rps:-}") req/s, $(fmt %.1f "${rate:-}") MiB/s," \
    "p99 $(fmt %.2f "${p99:-}") ms$([ "$scen" = x ] && echo " (alone $(fmt %.2f "${R_P99_ALONE[$key]}"), downloads ${R_DL[$key]:-?} MiB/s)")," \
    "$(fmt %.2f "$cpu") us/$PER, peak RSS $M_RSS kB, errors $errs," \
    "cpu0/cpu1 $M_C0/$M_C1 %, other $M_OTHER %, ${per_resp:-?} B/response"
}

# curl_once SERVER ROUND: scenario d, one transfer of 100m.bin; appends its MiB/s to
# R_DL_LIST[SERVER] and adds its CPU to the round's figure.
declare -A R_DL_LIST
curl_once() {
  local server=$1 round=$2 url out code size speed key=d/$1/$2 mib
  describe d
  url=$(url_of "$server" "$URL_PATH")
  begin_measure "$server"
  out=$(client 90 curl -sk -o /dev/null --max-time 60 \
    -w '%{http_code} %{size_download} %{speed_download}' "$url")
  end_measure "$server"
  echo "$out" >>"$RESULTS/raw/d-$server.txt"
  read -r code size speed <<<"$out"
  if [ "${code:-}" != 200 ] || [ "${size:-}" != "$BIG_SIZE" ]; then
    warn "d/$server: a transfer gave HTTP ${code:-none}, ${size:-0} of $BIG_SIZE bytes"
    R_ERR[$key]=$((${R_ERR[$key]:-0} + 1))
    return
  fi
  mib=$(awk -v s="$speed" 'BEGIN { printf "%.1f", s / 1048576 }')
  R_DL_LIST[$server]="${R_DL_LIST[$server]:-} $mib"
  R_MIBS[$key]="${R_MIBS[$key]:-} $mib"
  R_CPU[$key]="${R_CPU[$key]:-} $(awk -v s="$M_SECONDS" 'BEGIN { printf "%.0f", s * 1e6 }')"
  R_C0[$key]="${R_C0[$key]:-} $M_C0"
  R_C1[$key]="${R_C1[$key]:-} $M_C1"
  R_OTHER[$key]=$(max "${R_OTHER[$key]:-0}" "$M_OTHER")
  [ "${M_RSS:-0}" -gt "${R_RSS[$key]:-0}" ] && R_RSS[$key]=$M_RSS
  check_noise
  say "  r$round d $server: $mib MiB/s, cpu0/cpu1 $M_C0/$M_C1 %, other $M_OTHER %${NOISE:+ (noisy: $NOISE)}"
}

# run_d ROUND SERVERS...: CURL_REPS transfers per server, the servers alternating.
run_d() {
  local round=$1 i server key
  shift
  for ((i = 1; i <= CURL_REPS; i++)); do
    for server in "$@"; do
      wait_quiet
      curl_once "$server" "$round"
      ensure_alive "$server" d
      sleep 0.5
    done
  done
  # a round's figure: the median of its transfers (the table takes all of them)
  for server in "$@"; do
    key=d/$server/$round
    # shellcheck disable=SC2086  # lists of numbers
    R_MIBS[$key]=$(median ${R_MIBS[$key]:-}) R_CPU[$key]=$(median ${R_CPU[$key]:-})
    # shellcheck disable=SC2086
    R_C0[$key]=$(median ${R_C0[$key]:-}) R_C1[$key]=$(median ${R_C1[$key]:-})
  done
}

# measure SERVER SCENARIO ROUND: one run; a run disturbed by other load is done again,
# at most NOISY_REDOS times.
measure() {
  local server=$1 scen=$2 round=$3 attempt
  for ((attempt = 0; attempt <= NOISY_REDOS; attempt++)); do
    run_wrk "$server" "$scen" "$round"
    ensure_alive "$server" "$scen"
    sleep 1
    [ -z "$NOISE" ] && return 0
    if [ "$attempt" -lt "$NOISY_REDOS" ]; then
      say "  noisy run ($NOISE): once more"
    else
      warn "$scen/$server round $round: noisy run, kept after $NOISY_REDOS redos ($NOISE)"
    fi
  done
}

# rotate N ITEMS...: the items, starting at the Nth (0-based, modulo their number).
rotate() {
  local n=$1
  shift
  local items=("$@") k i
  k=${#items[@]}
  for ((i = 0; i < k; i++)); do echo "${items[$(((i + n) % k))]}"; done
}

# run_scenarios "SCENARIOS" SERVERS...: every round, every scenario, every server.
run_scenarios() {
  local scens=$1 round scen server order
  shift
  [ -n "$scens" ] || return 0
  for ((round = 1; round <= ROUNDS; round++)); do
    mapfile -t order < <(rotate $((round - 1)) "$@")
    say "round $round of $ROUNDS (order: ${order[*]})"
    for scen in $scens; do
      describe "$scen"
      say "scenario $scen: $DESC"
      if [ "$scen" = d ]; then
        run_d "$round" "${order[@]}"
        continue
      fi
      for server in "${order[@]}"; do
        measure "$server" "$scen" "$round"
      done
    done
  done
}

# ---------------------------------------------------------------- report

header() {
  local s v
  say "# scratchd benchmark"
  say ""
  say "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load average at the start: $LOAD0"
  say "- command: DUR=$DUR ROUNDS=$ROUNDS CURL_REPS=$CURL_REPS QUICK=$QUICK SCENARIOS=\"$SCENARIOS\"" \
    "TLS_SCENARIOS=\"$TLS_SCENARIOS\" PEERS=\"$PEERS\" $CMDLINE"
  say "- scratchd: $ROOT/build/scratchd ($("$TMP/scratchd" --version 2>&1 | head -n 1)," \
    "$(stat -c %s "$TMP/scratchd") bytes, sha256 $(sha256sum "$TMP/scratchd" | cut -c1-16))"
  for s in "${HTTP_SERVERS[@]}" "${TLS_SERVERS[@]}"; do
    case $s in
      nginx | nginx-tls) v=$(nginx -v 2>&1 | head -n 1) ;;
      lighttpd) v=$(lighttpd -v 2>&1 | head -n 1) ;;
      h2o) v=$(h2o --version 2>&1 | head -n 1) ;;
      *) v="" ;;
    esac
    say "- $s:${v:+ $v;} ${ARGS[$s]}"
  done
  say "- wrk: $(wrk -v 2>&1 | head -n 1); curl: $(curl --version | head -n 1 | cut -d' ' -f1-2);" \
    "openssl: $(openssl version 2>&1)"
  if [ ${#TLS_SERVERS[@]} -gt 0 ]; then
    say "- HTTPS: P-256 certificate; client offer TLS 1.3 only, $TLS_SUITE, $TLS_GROUP;" \
      "negotiated: $(for s in "${TLS_SERVERS[@]}"; do printf '%s %s; ' "$s" "$(tls_facts "$s")"; done)"
  fi
  say "- nproc: $(nproc); kernel $(uname -r); ulimit -n $(ulimit -n); CLK_TCK $(getconf CLK_TCK)"
  say "- servers pinned to CPU $SERVER_CPU, wrk/curl to CPU $CLIENT_CPU; $ROUNDS round(s), servers" \
    "rotated; each wrk run: ${WARMUP} s warm-up, then $DUR s; figures are medians over the rounds;" \
    "ratios are paired by round (the median of the rounds' ratios)"
}

# figure SCEN SERVER: the scenario's headline figure (req/s, or MiB/s for UNIT=mib).
figure() {
  if [ "$1" = d ]; then
    # shellcheck disable=SC2086  # a list of numbers
    median ${R_DL_LIST[$2]:-}
  elif [ "$UNIT" = mib ]; then
    med R_MIBS "$1/$2"
  else
    med R_RPS "$1/$2"
  fi
}

# best_peer SCEN SERVERS...: sets BEST (name) and BEST_V among the servers but the first.
best_peer() {
  local scen=$1 s v
  shift
  BEST="" BEST_V=""
  for s in "${@:2}"; do
    v=$(figure "$scen" "$s")
    [ -n "$v" ] || continue
    if [ -z "$BEST_V" ] || awk -v a="$v" -v b="$BEST_V" 'BEGIN { exit !(a > b) }'; then
      BEST=$s BEST_V=$v
    fi
  done
}

# round_figure SCEN SERVER ROUND: the headline figure of one round (d: the median of the
# round's transfers; run_d keeps it in R_MIBS).
round_figure() {
  if [ "$UNIT" = mib ]; then echo "${R_MIBS[$1/$2/$3]:-}"; else echo "${R_RPS[$1/$2/$3]:-}"; fi
}

# paired SCEN A B: sets PAIRED to the median over the rounds of A's figure divided by B's
# figure of the same round ("-" when there is none) and PAIRS to the rounds' ratios.
paired() {
  local r a b list=()
  for ((r = 1; r <= ROUNDS; r++)); do
    a=$(round_figure "$1" "$2" "$r") b=$(round_figure "$1" "$3" "$r")
    [ -n "$a" ] && [ -n "$b" ] && list+=("$(ratio "$a" "$b")")
  done
  take_pairs "${list[@]}"
}

# take_pairs RATIOS...: PAIRS, the rounds' ratios; PAIRED, their median ("-" left out).
take_pairs() {
  PAIRS="$*"
  PAIRED=$(fmt %.2f "$(median "${@//-/}")")
}

# fairness SERVER: sets PAIRED and PAIRS as paired() does, for x: SERVER's p99 beside the
# downloads divided by its p99 alone in the same round (the run just before).
fairness() {
  local r list=()
  for ((r = 1; r <= ROUNDS; r++)); do
    [ -n "${R_P99[x/$1/$r]:-}" ] && [ -n "${R_P99_ALONE[x/$1/$r]:-}" ] &&
      list+=("$(ratio "${R_P99[x/$1/$r]}" "${R_P99_ALONE[x/$1/$r]}")")
  done
  take_pairs "${list[@]}"
}

# table "SCENARIOS" SERVERS...: one row per scenario and server; the first server is
# scratchd, compared with the best of the others.
table() {
  local scens=$1 scen server r first
  shift
  first=$1
  say "| scenario | server | req/s | MiB/s | p99 ms | CPU us/req | peak RSS kB | errors | cpu0/cpu1 % | other % | scratchd ÷ |"
  say "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for scen in $scens; do
    describe "$scen"
    best_peer "$scen" "$@"
    for server in "$@"; do
      local rps mibs p99 cpu rss errs c0 c1 other
      rps=$(med R_RPS "$scen/$server")
      mibs=$(figure "$scen" "$server")
      [ "$UNIT" = mib ] || mibs=$(med R_MIBS "$scen/$server")
      p99=$(med R_P99 "$scen/$server")
      cpu=$(med R_CPU "$scen/$server")
      # shellcheck disable=SC2046  # one value per line
      rss=$(max $(per_round R_RSS "$scen/$server"))
      # shellcheck disable=SC2046
      errs=$(per_round R_ERR "$scen/$server" | awk '{ s += $1 } END { print s + 0 }')
      c0=$(med R_C0 "$scen/$server")
      c1=$(med R_C1 "$scen/$server")
      # shellcheck disable=SC2046
      other=$(max $(per_round R_OTHER "$scen/$server"))
      if [ "$scen" = x ]; then
        fairness "$server"
        r="p99 $PAIRED× alone, paired by round ($PAIRS)"
      elif [ "$server" = "$first" ]; then
        paired "$scen" "$first" "$BEST"
        r="best peer ($BEST): **$PAIRED**"
      else
        paired "$scen" "$first" "$server"
        r="this: $PAIRED"
      fi
      say "| $scen $DESC | $server | $(fmt %.0f "$rps") | $(fmt %.1f "$mibs") | $(fmt %.2f "$p99")" \
        "| $(fmt %.2f "$cpu") | ${rss:--} | $errs | $(fmt %.0f "$c0")/$(fmt %.0f "$c1") | ${other:--} | $r |"
    done
  done
}

# summary "SCENARIOS" SERVERS...: one line per scenario, every server's headline figure.
summary() {
  local scens=$1 scen s line hdr="| scenario | unit |" sep="|---|---|"
  shift
  for s in "$@"; do hdr+=" $s |"; sep+="---:|"; done
  say "$hdr best peer | scratchd ÷ best peer, median of the rounds (each round) |"
  say "$sep---|---:|"
  for scen in $scens; do
    describe "$scen"
    if [ "$scen" = x ]; then
      line="| x p99 beside 100 MiB downloads | ms (alone → beside) |"
      for s in "$@"; do
        line+=" $(fmt %.2f "$(med R_P99_ALONE "x/$s")") → $(fmt %.2f "$(med R_P99 "x/$s")") |"
      done
      fairness "$1"
      say "$line - | $1: **$PAIRED**× alone ($PAIRS) (goal: ≤ 2×) |"
      continue
    fi
    best_peer "$scen" "$@"
    line="| $scen $DESC | $([ "$UNIT" = mib ] && echo MiB/s || echo req/s) |"
    for s in "$@"; do line+=" $(fmt %.0f "$(figure "$scen" "$s")") |"; done
    paired "$scen" "$1" "$BEST"
    say "$line ${BEST:--} | **$PAIRED** ($PAIRS) |"
  done
}

notes() {
  local server w
  say ""
  for server in "${HTTP_SERVERS[@]}"; do
    say "- RSS of $server after fetching every file once, before the first scenario: ${IDLE_RSS[$server]:--} kB"
  done
  say "- idle RSS of scratchd: once it listens, before any request: ${START_RSS:--} kB"
  say "- CPU us/req: server CPU per request (tb: per handshake; d: per 100 MiB transfer, rough)." \
    "errors: wrk socket errors + non-2xx/3xx, or failed curl transfers. x: p99 beside a loop" \
    "of 100 MiB downloads (their MiB/s in the raw files), and alone just before."
  say "- cpu0/cpu1: busy % of the servers' core and of the client's core. other: % of a core" \
    "used by anything else (other work on the box, kernel threads) during the run."
  say "- nginx has tcp_nopush on: in p its pipelined responses can wait in the TCP cork."
  if [[ " $SCENARIOS " == *" h "* && " $SCENARIOS " == *" f "* ]]; then
    say "- h beside f, scratchd's CPU per request: $(fmt %.2f "$(med R_CPU h/scratchd)") us for the" \
      "precompressed variant of a 4 KiB file, $(fmt %.2f "$(med R_CPU f/scratchd)") us for a plain 4 KiB file" \
      "(goal: no more)"
  fi
  if [ ${#WARNINGS[@]} -eq 0 ]; then
    say "- warnings: none"
  else
    say "- warnings:"
    for w in "${WARNINGS[@]}"; do say "  - $w"; done
  fi
}

report() {
  say "## Plain HTTP: scratchd and the best peer"
  say ""
  summary "$SCENARIOS" "${HTTP_SERVERS[@]}"
  say ""
  table "$SCENARIOS" "${HTTP_SERVERS[@]}"
  if [ ${#TLS_SERVERS[@]} -gt 0 ]; then
    say ""
    say "## HTTPS: scratchd against nginx (goals: ta ≥ 1.0, tb ≥ 0.5, tc ≥ 0.7)"
    say ""
    table "$TLS_SCENARIOS" "${TLS_SERVERS[@]}"
  fi
}

# ---------------------------------------------------------------- main

# interrupted STATUS: SIGINT or SIGTERM (timeout(1)) in the middle: report what was
# measured so far (medians over the rounds that ran), then exit.
interrupted() {
  trap - INT TERM
  if [ ${#HTTP_SERVERS[@]} -gt 0 ] && [ -n "${PID[scratchd]:-}" ]; then
    warn "interrupted (signal): the tables hold the runs made so far"
    write_report
  fi
  exit "$1"
}

cleanup() {
  local s
  if [ -n "$SAMPLER_PID" ]; then
    rm -f "$TMP/sampling"
    kill "$SAMPLER_PID" 2>/dev/null
    wait "$SAMPLER_PID" 2>/dev/null
  fi
  if [ -n "${DL_PID:-}" ]; then
    rm -f "$TMP/downloading"
    wait "$DL_PID" 2>/dev/null
  fi
  for s in "${!PID[@]}"; do stop_server "$s" >/dev/null; done
  remove_policy_rc
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then rm -rf "$TMP"; fi
}

main() {
  local scen server fds0 fds1 p
  START_S=$(date +%s)
  LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (servers on CPU 0, load generator on CPU 1)"
  for scen in $SCENARIOS $TLS_SCENARIOS; do describe "$scen"; done   # reject unknown names early

  TMP=$(mktemp -d /tmp/scratchd-bench.XXXXXX) || die "mktemp failed"
  # lighttpd and h2o drop to nobody: they must be able to read the docroot
  chmod 755 "$TMP"
  DOCROOT=$TMP/www
  trap cleanup EXIT
  trap 'interrupted 130' INT
  trap 'interrupted 143' TERM

  install_tools
  raise_nofile
  build_scratchd
  make_docroot
  make_keys
  mkdir -p "$RESULTS/raw"
  rm -f "$RESULTS"/raw/*.txt "$RESULTS"/raw/*.warmup "$RESULTS"/raw/*.alone

  HTTP_SERVERS=(scratchd)
  for p in $PEERS; do
    if command -v "$(peer_command "$p")" >/dev/null; then
      HTTP_SERVERS+=("$p")
    else
      warn "$p is not installed: left out"
    fi
  done
  if [ -n "$TLS_SCENARIOS" ]; then
    if command -v nginx >/dev/null; then
      TLS_SERVERS=(scratchd-tls nginx-tls)
    else
      TLS_SERVERS=(scratchd-tls)
      warn "nginx is not installed: HTTPS without a peer"
    fi
  fi
  for server in "${HTTP_SERVERS[@]}" "${TLS_SERVERS[@]}"; do
    start_server "$server"
  done
  HEAD_TEXT=$(header)
  say "$HEAD_TEXT"
  say ""
  for server in "${HTTP_SERVERS[@]}" "${TLS_SERVERS[@]}"; do
    say "$server: pid ${PID[$server]}, $(url_of "$server" /)"
    check_content "$server"
  done
  sleep 1
  for server in "${HTTP_SERVERS[@]}"; do
    # shellcheck disable=SC2046  # a list of PIDs
    rss_kb $(server_pids "${PID[$server]}")
    IDLE_RSS[$server]=$RSS_KB
  done
  fds0=$(open_fds "${PID[scratchd]}")

  run_scenarios "$SCENARIOS" "${HTTP_SERVERS[@]}"
  [ ${#TLS_SERVERS[@]} -gt 0 ] && run_scenarios "$TLS_SCENARIOS" "${TLS_SERVERS[@]}"

  say "after the scenarios:"
  sleep 2
  fds1=$(open_fds "${PID[scratchd]}")
  say "  scratchd open fds: $fds0 before, $fds1 after"
  [ "$fds1" -le "$fds0" ] || warn "scratchd holds $((fds1 - fds0)) more fds after the run than before"
  for server in "${HTTP_SERVERS[@]}" "${TLS_SERVERS[@]}"; do
    check_content "$server" && say "  $server: every file still served correctly"
  done
  for server in scratchd scratchd-tls; do
    [ -s "$TMP/$server.err" ] && warn "$server stderr: $(tail -n 10 "$TMP/$server.err" | tr '\n' ' ')"
  done
  for server in "${HTTP_SERVERS[@]}" "${TLS_SERVERS[@]}"; do
    stop_server "$server"
  done

  write_report
}

# write_report: print the tables and notes, and write them to bench/results/latest.md.
write_report() {
  local report_text notes_text
  report_text=$(report)
  notes_text=$(notes)
  say ""
  say "$report_text"
  say "$notes_text"
  say "- wall time: $(($(date +%s) - START_S)) s"
  {
    say "$HEAD_TEXT"
    say ""
    say "$report_text"
    say "$notes_text"
    say "- wall time: $(($(date +%s) - START_S)) s"
  } >"$RESULTS/latest.md"
  say ""
  say "written: $RESULTS/latest.md (raw wrk output in $RESULTS/raw/)"
}

main "$@"
