#!/usr/bin/env bats
# The file cache (src/fcache.c) as a user sees it: whatever changes on disk
# (an edit, a rename, a delete, a hard link, a symlink's target, a mode) is
# served by the very next request; and, under strace, what the cache saves and
# where its bounds lie (7168 bytes, 160-byte paths, the 1 MiB arena, 256
# slots, 1024 watches).
#
# Each test starts its own server (one worker unless it says otherwise: then
# every request meets the same cache), and teardown stops it. Under qemu-user
# the server has no openat2, so no cache: the tests of what changes are seen
# still run (they must pass without a cache too); those of the cache itself
# skip there.
#
# Timing: a cached entry is trusted only during the second (the server's
# 1 s tick) it was read in. A test that only changed a file in a later second
# would pass against a cache without inotify, so each change scenario runs in
# in_one_second: all its responses must carry the same Date (the tick also
# sets Date), else it is run again. No test sleeps to let the cache expire.

setup_file() {
	FIX="$BATS_FILE_TMPDIR/fix"
	mkdir -p "$FIX/arena" "$FIX/many" "$FIX/links"
	# 300 files of 4 KiB: 1.2 MiB, more than the 1 MiB arena; 300 names, more
	# than the 256 slots.
	head -c $((300 * 4096)) /dev/urandom | split -b 4096 -d -a 3 - "$FIX/arena/f"
	# 1100 tiny files, more than the 1024 watches; each says its name
	for i in $(seq -w 0 1099); do printf 'f%s\n' "$i" >"$FIX/many/f$i"; done
	# 1100 symlinks, links/fNNNN -> ../many/fNNNN: each costs the cache a
	# watch (on the link) but no entry
	(cd "$FIX/links" && ln -s ../many/f* .)
	export FIX
}

setup() {
	load test_helper/common
	SERVER_PID= STRACE_PID= SCRATCHD_PID= PERM_DIR=
	DATES="$BATS_TEST_TMPDIR/dates"
	: >"$DATES"
	# a fresh document root for this test
	R="$BATS_FILE_TMPDIR/root$BATS_TEST_NUMBER"
	mkdir -p "$R"
}

teardown() {
	stop_traced
	stop_server
	if [ -n "$PERM_DIR" ]; then
		chmod -R u+rwx "$PERM_DIR" 2>/dev/null || true
		rm -rf "$PERM_DIR"
	fi
}

sha() {
	sha256sum | cut -d' ' -f1
}

# fetch PATH [CURL_ARGS...]: GET http://127.0.0.1:$PORT/PATH (as is: no
# dot-segment removal by curl). Sets CODE, BODY, ETAG and LM (Last-Modified),
# and notes the response's Date in $DATES.
fetch() {
	local path=$1 f="$BATS_TEST_TMPDIR/fetch"
	shift
	rm -f "$f.body" "$f.head"
	CODE=$(curl -sS --max-time 5 --path-as-is -o "$f.body" -D "$f.head" -w '%{http_code}' \
		"$@" "http://127.0.0.1:$PORT/$path")
	BODY=$(tr -d '\0' <"$f.body" 2>/dev/null || true)
	ETAG=$(sed -n 's/^ETag: \(.*\)\r$/\1/p' "$f.head")
	LM=$(sed -n 's/^Last-Modified: \(.*\)\r$/\1/p' "$f.head")
	sed -n 's/^Date: \(.*\)\r$/\1/p' "$f.head" >>"$DATES"
}

# expect PATH STATUS [BODY]: fetch PATH; fail, saying what came, unless the
# status (and the body, given) are these.
expect() {
	fetch "$1"
	[ "$CODE" = "$2" ] || { echo "GET /$1: status $CODE, wanted $2"; return 1; }
	[ $# -lt 3 ] || [ "$BODY" = "$3" ] || { echo "GET /$1: body '$BODY', wanted '$3'"; return 1; }
}

# The ETag that the file FILE has now: "inode-size-mtime.nanoseconds" in hex
# (src/cond.c etag_format).
disk_etag() {
	local ino size t
	read -r ino size t < <(stat -c '%i %s %.9Y' "$1")
	printf '"%x-%x-%x.%x"' "$ino" "$size" "${t%.*}" "$((10#${t#*.}))"
}

# in_one_second SCENARIO: run the function SCENARIO (it writes its fixture,
# fills the cache, changes something and checks what is served) until all the
# responses it got carry one Date: then it ran within one second of the
# server's clock, when only inotify can have told the cache. 3 runs at most.
in_one_second() {
	for _ in 1 2 3; do
		: >"$DATES"
		"$@"
		[ "$(sort -u "$DATES" | wc -l)" -eq 1 ] && return 0
	done
	skip "three runs each crossed a second of the server's clock"
}

# need_cache STDERR_FILE: skip if the server says it has no openat2 (an old
# kernel, a sandbox): it runs without the cache then.
need_cache() {
	if grep -q 'openat2: not available' "$1"; then
		skip "this kernel has no openat2: the server runs without the cache"
	fi
}

# ---- what changes on disk is served at once ----

edit_in_place() {
	printf 'old\n' >"$R/f.txt"
	expect f.txt 200 old
	expect f.txt 200 old	# from the cache
	old_etag=$ETAG
	printf 'newer\n' >"$R/f.txt"	# same inode, truncated and rewritten
	expect f.txt 200 newer
	[ "$ETAG" != "$old_etag" ]
	[ "$ETAG" = "$(disk_etag "$R/f.txt")" ]
	expect f.txt 200 newer
	printf 'older\n' >"$R/f.txt"	# the same size
	expect f.txt 200 older
	[ "$ETAG" = "$(disk_etag "$R/f.txt")" ]
	# only the time changes: Last-Modified and the ETag follow it at once
	touch -d '2001-02-03 04:05:06 UTC' "$R/f.txt"
	expect f.txt 200 older
	[ "$LM" = 'Sat, 03 Feb 2001 04:05:06 GMT' ]
	[ "$ETAG" = "$(disk_etag "$R/f.txt")" ]
}

@test "an edit in place is served at once: new bytes, new ETag; a same-size edit and a touch too" {
	start_server scratchd --workers 1 "$R"
	in_one_second edit_in_place
}

replace_delete_recreate() {
	printf 'one\n' >"$R/f.txt"
	expect f.txt 200 one
	expect f.txt 200 one
	printf 'two\n' >"$R/f.tmp"
	mv "$R/f.tmp" "$R/f.txt"	# atomic replace: a new inode under the name
	expect f.txt 200 two
	expect f.txt 200 two
	rm "$R/f.txt"
	expect f.txt 404
	printf 'three\n' >"$R/f.txt"
	expect f.txt 200 three
}

@test "an atomic replace (rename over) is served at once; a delete is 404 at once, a re-create 200" {
	start_server scratchd --workers 1 "$R"
	in_one_second replace_delete_recreate
}

dir_renamed() {
	rm -rf "$R/a"
	mkdir -p "$R/a/b/c"
	printf 'first\n' >"$R/a/b/c/f.txt"
	expect a/b/c/f.txt 200 first
	expect a/b/c/f.txt 200 first
	# the middle directory goes; only the watch on a/ hears of it
	mv "$R/a/b" "$R/a/b.old"
	mkdir -p "$R/a/b/c"
	printf 'second\n' >"$R/a/b/c/f.txt"
	expect a/b/c/f.txt 200 second
	rm -rf "$R/a/b.old"
}

@test "a directory on the path renamed away and another put in its place: the new file at once" {
	start_server scratchd --workers 1 "$R"
	in_one_second dir_renamed
}

index_removed() {
	mkdir -p "$R/dir"
	printf 'the index\n' >"$R/dir/index.html"
	printf 'x\n' >"$R/dir/other.txt"
	expect dir/ 200 'the index'
	expect dir/ 200 'the index'
	rm "$R/dir/index.html"
	expect dir/ "$1"
	if [ "$1" = 200 ]; then
		[[ "$BODY" == *'<title>Index of /dir/</title>'* ]]
		[[ "$BODY" == *'<a href="other.txt">'* ]]
	fi
}

@test "/dir/ from dir/index.html, index removed: the listing at once, or 403 with --no-listing" {
	start_server scratchd --workers 1 "$R"
	in_one_second index_removed 200
	stop_server
	start_server scratchd --workers 1 --no-listing "$R"
	in_one_second index_removed 403
}

hard_link() {
	local outside="$BATS_FILE_TMPDIR/outside-link"
	rm -f "$R/f.txt" "$outside"
	printf 'via root\n' >"$R/f.txt"
	ln "$R/f.txt" "$outside"
	[ "$(stat -c %i "$R/f.txt")" = "$(stat -c %i "$outside")" ]
	expect f.txt 200 'via root'
	expect f.txt 200 'via root'
	# written through the other name, outside the root: the same inode
	printf 'via the outside link\n' >"$outside"
	[ "$(stat -c %i "$R/f.txt")" = "$(stat -c %i "$outside")" ]
	expect f.txt 200 'via the outside link'
}

@test "a hard link outside the root written through: the served file changes at once" {
	start_server scratchd --workers 1 "$R"
	in_one_second hard_link
}

symlinks() {
	rm -rf "$R/link.txt" "$R/sdir" "$R/real" "$R/deep.txt" "$R/x"
	printf 'target one\n' >"$R/target.txt"
	printf 'other\n' >"$R/other.txt"
	ln -s target.txt "$R/link.txt"
	mkdir "$R/real"
	printf 'in real\n' >"$R/real/f.txt"
	ln -s real "$R/sdir"
	mkdir -p "$R/x/d"
	printf 'deep one\n' >"$R/x/d/t.txt"
	ln -s x/d/t.txt "$R/deep.txt"
	expect link.txt 200 'target one'
	expect link.txt 200 'target one'
	printf 'target two\n' >"$R/target.txt"	# the target, not the link
	expect link.txt 200 'target two'
	ln -sfn other.txt "$R/link.txt"	# the link re-pointed
	expect link.txt 200 other
	expect sdir/f.txt 200 'in real'	# a directory symlink on the path
	expect sdir/f.txt 200 'in real'
	printf 'in real, edited\n' >"$R/real/f.txt"
	expect sdir/f.txt 200 'in real, edited'
	# a directory on the target's path replaced: nothing on the path of
	# the link itself changes
	expect deep.txt 200 'deep one'
	expect deep.txt 200 'deep one'
	mv "$R/x/d" "$R/x/d.old"
	mkdir "$R/x/d"
	printf 'deep two\n' >"$R/x/d/t.txt"
	expect deep.txt 200 'deep two'
}

@test "a symlink inside the root (to a file, to a directory): served, and its target's edits at once" {
	skip_on_cross "no openat2 there: the server follows no symlink"
	start_server scratchd --workers 1 "$R"
	if grep -q 'openat2: not available' "$SERVER_ERR"; then
		skip "this kernel has no openat2: the server follows no symlink"
	fi
	in_one_second symlinks
}

modes() {
	chmod 755 "$PERM_DIR/d"
	chmod 644 "$PERM_DIR/f.txt"
	expect f.txt 200 ok
	expect f.txt 200 ok
	chmod 000 "$PERM_DIR/f.txt"
	expect f.txt 403
	chmod 644 "$PERM_DIR/f.txt"
	expect f.txt 200 ok
	expect d/g.txt 200 'in d'
	expect d/g.txt 200 'in d'
	chmod 000 "$PERM_DIR/d"	# a directory on the path, not the file
	expect d/g.txt 403
	chmod 755 "$PERM_DIR/d"
}

@test "chmod 000 on a cached file, or on its directory: 403 at once (unprivileged server)" {
	PERM_DIR=$(mktemp -d /tmp/scratchd-cache-perm.XXXXXX)
	chmod 755 "$PERM_DIR"
	mkdir "$PERM_DIR/d"
	printf 'ok\n' >"$PERM_DIR/f.txt"
	printf 'in d\n' >"$PERM_DIR/d/g.txt"
	chmod 644 "$PERM_DIR/d/g.txt"
	if [ "$(id -u)" -ne 0 ]; then
		start_server scratchd --workers 1 "$PERM_DIR"	# unprivileged already
	else
		# root reads whatever the mode: serve as nobody so that 403 is real
		command -v setpriv >/dev/null || skip "setpriv is not installed"
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$BIN_DIR/scratchd" --addr 127.0.0.1 --port 0 --workers 1 "$PERM_DIR" \
			>"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
		SERVER_PID=$!
		wait_listening "$BATS_TEST_TMPDIR/out" "$SERVER_PID"
		[ -n "$PORT" ] || { cat "$BATS_TEST_TMPDIR/out"; false; }
	fi
	in_one_second modes
}

@test "with 2 workers an edit is seen by every worker: 20 fresh connections after it all get the new bytes" {
	start_server scratchd --workers 2 "$R"
	printf 'before\n' >"$R/f.txt"
	urls=()
	for _ in $(seq 20); do urls+=("http://127.0.0.1:$PORT/f.txt"); done
	# Connection: close: curl opens a new connection for each URL, and the
	# kernel spreads those over the two workers' listeners (SO_REUSEPORT)
	run curl -sS --max-time 10 -H 'Connection: close' -w '%{num_connects}\n' "${urls[@]}"
	[ "$(grep -cx before <<<"$output")" -eq 20 ]
	[ "$(grep -cx 1 <<<"$output")" -eq 20 ]
	run curl -sS --max-time 10 -H 'Connection: close' "${urls[@]}"
	[ "$(grep -cx before <<<"$output")" -eq 20 ]	# cached by now
	printf 'after\n' >"$R/f.txt"
	run curl -sS --max-time 10 -H 'Connection: close' "${urls[@]}"
	[ "$(grep -cx after <<<"$output")" -eq 20 ] || { echo "$output"; false; }
}

# ---- its bounds ----

arena_and_slots() {
	local list="$BATS_TEST_TMPDIR/urls"
	expect arena/f000 200
	curl -sS --max-time 10 --config "$list" | sha >"$BATS_TEST_TMPDIR/got"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "$want" ] || { echo "the 600 bodies differ"; return 1; }
	expect arena/f000 200
}

@test "1.2 MiB of distinct 4 KiB files (arena refilled, slots shared), up then down: every byte right" {
	start_server scratchd --workers 1 "$FIX"
	: >"$BATS_TEST_TMPDIR/urls"
	files=()
	for i in $(seq -w 0 299) $(seq -w 299 -1 0); do
		printf 'url = "http://127.0.0.1:%s/arena/f%s"\n' "$PORT" "$i" >>"$BATS_TEST_TMPDIR/urls"
		files+=("$FIX/arena/f$i")
	done
	want=$(cat "${files[@]}" | sha)
	in_one_second arena_and_slots
}

renewal() {
	# in a directory of its own: the new watch set will watch links/ (and
	# a watch on a directory hears of changes to the files in it)
	mkdir -p "$FIX/keep"
	printf 'kept one\n' >"$FIX/keep/kept.txt"
	expect keep/kept.txt 200 'kept one'
	expect keep/kept.txt 200 'kept one'
	# each symlink adds a watch (on the link) and no entry: after 1024 the
	# watch set is renewed, and kept.txt must not stay cached without one
	got=$(curl -sS --max-time 10 "http://127.0.0.1:$PORT/links/f[0000-1099]" | sha)
	[ "$got" = "$(cat "$FIX"/many/f* | sha)" ]
	printf 'kept two\n' >"$FIX/keep/kept.txt"
	expect keep/kept.txt 200 'kept two'
}

@test "after the watch set is renewed (1100 watches), a file cached before it is still checked" {
	skip_on_cross "no openat2 there: no cache, and no symlink is followed"
	start_server scratchd --workers 1 "$FIX"
	need_cache "$SERVER_ERR"
	in_one_second renewal
}

# calls_after TRACE MARKER: for each read(2) in TRACE (strace -f -s 64 of a
# one-worker server) that brought a request containing MARKER, one line: the
# system calls the server made from then until its next epoll_wait, less a
# tick's (the timerfd's read and clock_gettime).
calls_after() {
	sed 's/^[0-9][0-9]* *//' "$1" | awk -v m="$2" '
		function out() { if (on) print calls; on = 0 }
		/^epoll_wait\(/ { out(); next }
		/^read\(/ && index($0, m) { out(); on = 1; calls = ""; next }
		/^read\(.*, 8\) *= 8$/ { next }
		/^clock_gettime\(/ { next }
		on { n = $0; sub(/\(.*/, "", n); calls = calls (calls == "" ? "" : " ") n }
		END { out() }'
}

@test "strace: a cached request costs read and write only; with --no-file-cache each does openat2, fstat, read, close" {
	need_strace
	printf 'small\n' >"$R/small.txt"
	for cache in on off; do
		trace="$BATS_TEST_TMPDIR/trace-$cache"
		opt=()
		[ "$cache" = off ] && opt=(--no-file-cache)
		start_traced "$trace" -s 64 -- "${opt[@]}" "$R"
		need_cache "$trace.err"
		u=http://127.0.0.1:$PORT/small.txt
		run curl -sS --max-time 10 "$u" "$u" "$u"	# three requests, one connection
		stop_traced
		[ "$output" = $'small\nsmall\nsmall' ]
		mapfile -t per < <(calls_after "$trace" 'GET /small.txt ')
		printf '%s: %s\n' "$cache" "${per[@]}"
		[ "${#per[@]}" -eq 3 ]
		[[ " ${per[0]} " == *" openat2 "* ]]	# the first always opens
		for i in 1 2; do
			if [ "$cache" = on ]; then
				[ "${per[$i]}" = write ]
			else
				for c in openat2 fstat read close write; do
					[[ " ${per[$i]} " == *" $c "* ]]
				done
			fi
		done
	done
}

# src/fcache.c:fcache_changed reads events into a buffer of one event with
# the longest name (16 + NAME_MAX + 1 = 272 bytes): one more name byte is
# impossible, one less buffer byte would make that read fail (EINVAL) and
# turn the cache off for good.
@test "strace: an event naming a 255-byte file is read whole, and the cache goes on" {
	need_strace
	printf 'small\n' >"$R/small.txt"
	long=$(printf 'n%.0s' {1..255})
	: >"$BATS_TEST_TMPDIR/$long"
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -s 64 -- "$R"
	need_cache "$trace.err"
	u=http://127.0.0.1:$PORT/small.txt
	curl -sS --max-time 10 -o /dev/null "$u"
	mv "$BATS_TEST_TMPDIR/$long" "$R/"	# IN_MOVED_TO on the watched root, named
	run curl -sS --max-time 10 "$u" "$u" "$u"
	stop_traced
	[ "$output" = $'small\nsmall\nsmall' ]
	grep -qE '^([0-9]+ +)?read\([0-9]+, .*, 272\) += 272$' "$trace"
	mapfile -t per < <(calls_after "$trace" 'GET /small.txt ')
	printf '%s\n' "${per[@]}"
	[ "${#per[@]}" -eq 4 ]
	# emptied by the event, filled again; then from the cache: at most the
	# once-a-second check (openat2, fstat, close), never the file's read
	[[ " ${per[1]} " == *" openat2 "* ]]
	[[ " ${per[2]} " != *" read "* ]]
	[[ " ${per[3]} " != *" read "* ]]
}

# Fetch file $1 (made of $2 random bytes) three times over one connection
# under strace: the bytes must arrive whole each time; sets per[] to the
# calls each request made (calls_after). $3: "cache" when the cache must be on.
fetch_three_traced() {
	local name=$1 size=$2
	head -c "$size" /dev/urandom >"$R/$name"
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -s 64 -- "$R"
	[ "${3:-}" != cache ] || need_cache "$trace.err"
	u=http://127.0.0.1:$PORT/$name
	got=$(curl -sS --max-time 10 "$u" "$u" "$u" | sha)
	stop_traced
	[ "$got" = "$(cat "$R/$name" "$R/$name" "$R/$name" | sha)" ]
	mapfile -t per < <(calls_after "$trace" "GET /$name ")
	printf '%s\n' "${per[@]}"
	[ "${#per[@]}" -eq 3 ]
}

@test "strace: 7169 bytes are not cached (openat2 on every request) and still arrive byte for byte" {
	need_strace
	fetch_three_traced big.bin 7169
	for i in 0 1 2; do
		[[ " ${per[$i]} " == *" openat"* ]]	# openat2, or openat without it
	done
}

# FCACHE_FILE_MAX: 7168 bytes, so that 1 KiB of the 8 KiB response buffer
# is left for the head and a cached file always leaves in one write.
@test "strace: 7168 bytes are cached: no openat2 on repeat, byte for byte" {
	need_strace
	fetch_three_traced b7168.bin 7168 cache
	[[ " ${per[1]} " != *" openat2 "* ]]
	[[ " ${per[2]} " != *" openat2 "* ]]
}

@test "strace: a normalised path of 159 bytes is cached, one of 160 is not" {
	need_strace
	mkdir -p "$R/bound"
	a=$(printf 'a%.0s' $(seq 149)).txt
	b=$(printf 'b%.0s' $(seq 150)).txt
	p159="bound/$a" p160="bound/$b"	# as path_normalize leaves them: no leading '/'
	[ "${#p159}" -eq 159 ]
	[ "${#p160}" -eq 160 ]
	printf 'A\n' >"$R/$p159"
	printf 'B\n' >"$R/$p160"
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -s 64 -- "$R"
	need_cache "$trace.err"
	# the targets are longer than 160 bytes: the normalised path is what counts
	ua="http://127.0.0.1:$PORT/./bound//$a" ub="http://127.0.0.1:$PORT/./bound//$b"
	run curl -sS --max-time 10 --path-as-is "$ua" "$ua" "$ua" "$ub" "$ub" "$ub"
	stop_traced
	[ "$output" = $'A\nA\nA\nB\nB\nB' ]
	mapfile -t pa < <(calls_after "$trace" 'GET /./bound//aaaa')
	mapfile -t pb < <(calls_after "$trace" 'GET /./bound//bbbb')
	printf '159: %s\n' "${pa[@]}"
	printf '160: %s\n' "${pb[@]}"
	[ "${#pa[@]}" -eq 3 ]
	[ "${#pb[@]}" -eq 3 ]
	[ "${pa[1]}" = write ]
	[ "${pa[2]}" = write ]
	for i in 0 1 2; do
		[[ " ${pb[$i]} " == *" openat2 "* ]]
	done
}

@test "strace: 1100 distinct files over one connection: all right, and the watch set is renewed" {
	need_strace
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" --seccomp-bpf -e trace=inotify_init1,inotify_rm_watch -- "$FIX"
	need_cache "$trace.err"
	got=$(curl -sS --max-time 20 "http://127.0.0.1:$PORT/many/f[0000-1099]" | sha)
	stop_traced
	[ "$got" = "$(cat "$FIX"/many/f* | sha)" ]
	# one watch set, made at start-up; after 1024 watches they are all removed
	run grep -c 'inotify_init1(' "$trace"
	[ "$output" -eq 1 ]
	run grep -c 'inotify_rm_watch(' "$trace"
	echo "inotify_rm_watch calls: $output"
	[ "$output" -ge 1024 ]
}

# The change must be handled before a request sent after it, even when the
# request comes while the server is busy with the events of one epoll_wait:
# epoll is level-triggered, so a connection it reported goes back on the
# kernel's ready list at once, ahead of the inotify fd that becomes ready
# later. server_run handles an inotify event before the rest of the batch.
# strace makes the server slow on purpose: each epoll_wait starts 100 ms late.
stale_in_one_batch() {
	printf 'v1\n' >"$R/r.txt"
	exec {c}<>"/dev/tcp/127.0.0.1/$PORT"
	local line code body cl
	for want in v1 v1 v2; do
		# the third request comes after this edit, on the same connection
		[ "$want" = v2 ] && printf 'v2\n' >"$R/r.txt"
		printf 'GET /r.txt HTTP/1.1\r\nHost: x\r\n\r\n' >&"$c"
		code= cl=0
		while IFS= read -r -t 5 -u "$c" line; do
			line=${line%$'\r'}
			[ -z "$line" ] && break
			[[ $line == 'HTTP/1.1 '* ]] && code=${line:9:3}
			[[ $line == 'Content-Length: '* ]] && cl=${line#*: }
			[[ $line == 'Date: '* ]] && echo "${line#*: }" >>"$DATES"
		done
		LC_ALL=C read -r -N "$cl" -t 5 -u "$c" body
		[ "$code" = 200 ] && [ "$body" = "$want"$'\n' ] ||
			{ echo "request $want: $code '$body'"; exec {c}>&-; return 1; }
	done
	exec {c}>&-
}

@test "an edit is seen by the next request even when the server is slow to return to epoll_wait" {
	need_strace
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -e trace=epoll_wait -e inject=epoll_wait:delay_enter=100000 -- "$R"
	need_cache "$trace.err"
	in_one_second stale_in_one_batch
}

# One epoll_wait returns 40 listings of a 4000-entry directory and then a new
# connection (the server is stopped while they queue up), so the batch runs
# for a few hundred ms. 50 ms into it the file is edited and the request sent
# on that connection; it is read only when the batch reaches the listener.
# The epoll set cannot have told the cache (its event comes in the next
# batch): SIGIO must have (src/fcache.c).
late_in_long_batch() {
	printf 'old\n' >"$R/race.txt"
	expect race.txt 200 old
	expect race.txt 200 old	# from the cache
	local fds=() fd d resp
	kill -STOP "$SERVER_PID"
	for _ in $(seq 40); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		printf 'HEAD /big/ HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd"
		fds+=("$fd")
	done
	exec {d}<>"/dev/tcp/127.0.0.1/$PORT"
	kill -CONT "$SERVER_PID"
	sleep 0.05
	printf 'new\n' >"$R/race.txt"
	printf 'GET /race.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$d"
	resp=$(timeout 10 cat <&"$d" | tr -d '\r')
	for fd in "${fds[@]}" "$d"; do exec {fd}>&-; done
	sed -n 's/^Date: //p' <<<"$resp" >>"$DATES"
	[[ "$resp" == *$'\n\nnew' ]] || { echo "sent after the edit, got: $resp"; return 1; }
}

@test "an edit is seen by a request read late in a long epoll batch that began before it" {
	mkdir -p "$R/big"
	(cd "$R/big" && seq -f 'entry%04g' 4000 | xargs touch)
	start_server scratchd --workers 1 --no-log "$R"
	need_cache "$SERVER_ERR"
	in_one_second late_in_long_batch
}

# ---- a second later: the cheap check, and changes inotify cannot see ----

@test "strace: a second later a cached file is checked (openat2, fstat, close), not read or watched again" {
	need_strace
	printf 'kept\n' >"$R/kept.txt"
	trace="$BATS_TEST_TMPDIR/trace"
	start_traced "$trace" -- "$R"
	need_cache "$trace.err"
	exec {c}<>"/dev/tcp/127.0.0.1/$PORT"
	# bash's printf may write a line at a time, and the server then read the
	# blank line that ends the head alone, after the read with 'Host: x':
	# cat writes the request in one write
	printf 'GET /kept.txt HTTP/1.1\r\nHost: x\r\n\r\n' >"$BATS_TEST_TMPDIR/req"
	for i in 1 2; do
		cat "$BATS_TEST_TMPDIR/req" >&"$c"
		# the answer is 5 bytes of body after the head; read up to them
		timeout 5 bash -c 'while IFS= read -r line; do [ "$line" = kept ] && exit 0; done' <&"$c"
		[ "$i" = 2 ] || sleep 1.2	# the server's second moves on
	done
	exec {c}>&-
	stop_traced
	mapfile -t per < <(calls_after "$trace" 'Host: x')
	printf '%s\n' "${per[@]}"
	[ "${#per[@]}" -eq 2 ]
	[[ " ${per[0]} " == *" inotify_add_watch "* ]]	# the first fills the cache
	[ "${per[1]}" = "openat2 fstat close write" ]
}

@test "a write through a shared mapping (no inotify event) is served within about a second" {
	command -v python3 >/dev/null || skip "python3 is not installed (it writes through mmap)"
	printf 'aaaa\n' >"$R/m.txt"
	start_server scratchd --workers 1 --no-log "$R"
	expect m.txt 200 aaaa
	expect m.txt 200 aaaa
	python3 -c 'import mmap, sys
with open(sys.argv[1], "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
    m[0:4] = b"bbbb"
    m.flush()' "$R/m.txt"
	sleep 2.1	# the cache trusts an entry without a look for one second of the tick
	expect m.txt 200 bbbb
}
