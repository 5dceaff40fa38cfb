#!/usr/bin/env bats
# docs/syscalls.md keeps up with the code: every sys_* wrapper that src/*.c
# calls has an entry there, and every src/FILE.c:function it names exists.
# No build needed: these read the sources and the guide only.

GUIDE=docs/syscalls.md

setup() {
	load test_helper/common
	cd "$BATS_TEST_DIRNAME/.." || return 1
}

# The sys_* wrappers called anywhere in src/*.c, one per line.
wrappers_in_code() {
	grep -oh 'sys_[a-z0-9_]*(' src/*.c | sort -u | tr -d '('
}

# Print each wrapper the code calls that the guide $1 does not name (as a
# whole word: sys_fstat is not found inside sys_fstatat).
missing_wrappers() {
	local w
	for w in $(wrappers_in_code); do
		grep -qw -- "$w" "$1" || echo "$w"
	done
}

# Print each src/FILE.c:function reference in the guide $1 whose file does
# not exist or does not define the function (a line starting with a
# letter: a type, or an attribute such as COLD; the name after a space or
# '*', then '(').
bad_references() {
	local ref file func
	for ref in $(grep -oE 'src/[a-z0-9_]+\.c:[a-z_][a-z0-9_]*' "$1" | sort -u); do
		file=${ref%%:*}
		func=${ref#*:}
		if [ ! -f "$file" ]; then
			echo "$ref: no such file"
		elif ! grep -qE "^[A-Za-z].*[ *]${func}\(" "$file"; then
			echo "$ref: no such function in $file"
		fi
	done
}

@test "the code calls sys_* wrappers, and the guide names call sites (the checks below are not empty)" {
	[ -f "$GUIDE" ]
	[ "$(wrappers_in_code | wc -l)" -ge 20 ]
	[ "$(grep -coE 'src/[a-z0-9_]+\.c:[a-z_][a-z0-9_]*' "$GUIDE")" -ge 20 ]
}

@test "every sys_* wrapper called in src/*.c has an entry in docs/syscalls.md" {
	run missing_wrappers "$GUIDE"
	[ "$status" -eq 0 ]
	if [ -n "$output" ]; then
		echo "wrappers called in src/*.c but missing from $GUIDE:"
		echo "$output"
		false
	fi
}

@test "every src/FILE.c:function named in docs/syscalls.md exists in that file" {
	run bad_references "$GUIDE"
	[ "$status" -eq 0 ]
	if [ -n "$output" ]; then
		echo "references in $GUIDE that do not match the code:"
		echo "$output"
		false
	fi
}

@test "the checks notice a wrapper dropped from the guide and a function that does not exist" {
	copy="$BATS_TEST_TMPDIR/syscalls.md"
	# a guide without sys_accept4, and with a call site that is not in the code
	sed 's/sys_accept4/sys_removed/g' "$GUIDE" >"$copy"
	echo 'See `src/server.c:no_such_function` and `src/nowhere.c:main`.' >>"$copy"
	run missing_wrappers "$copy"
	grep -qx sys_accept4 <<<"$output"
	run bad_references "$copy"
	[[ "$output" == *"src/server.c:no_such_function: no such function"* ]]
	[[ "$output" == *"src/nowhere.c:main: no such file"* ]]
}
