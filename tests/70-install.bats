#!/usr/bin/env bats
# The manual page (docs/scratchd.1) and `make install` / `make uninstall`.
#
# Run from the top of the repository, like every tests/*.bats file: BIN_DIR
# (default build) is relative to it and is handed to make as B.

setup() {
	load test_helper/common
	MAN_PAGE=docs/scratchd.1
}

@test "groff -ww -man -z docs/scratchd.1 prints no warning" {
	command -v groff >/dev/null || skip "groff is not installed (Debian: groff-base)"
	run groff -ww -man -z "$MAN_PAGE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "mandoc -T lint -W warning docs/scratchd.1 prints nothing" {
	command -v mandoc >/dev/null || skip "mandoc is not installed (Debian: mandoc)"
	run mandoc -T lint -W warning "$MAN_PAGE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "every long option in scratchd --help is in the manual page" {
	run "$BIN_DIR/scratchd" --help
	[ "$status" -eq 0 ]
	opts=$(grep -o -- '--[a-z-]*' <<<"$output" | sort -u)
	[ "$(wc -l <<<"$opts")" -ge 10 ]	# the extraction found the options
	# The page writes hyphens as \- ; "--max" must not pass for "--max-conns".
	page=$(sed 's/\\-/-/g' "$MAN_PAGE")
	missing=
	for opt in $opts; do
		grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" <<<"$page" || missing+=" $opt"
	done
	[ -z "$missing" ] || { echo "not in $MAN_PAGE:$missing"; false; }
}

@test "make install puts the binary and the page under DESTDIR; make uninstall removes them" {
	stage="$BATS_TEST_TMPDIR/stage"
	vars=(PREFIX=/usr/local DESTDIR="$stage" B="$IMAGE_DIR" ${CROSS_ARCH:+ARCH=$CROSS_ARCH})

	run make -s install "${vars[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -f "$stage/usr/local/bin/scratchd" ]
	[ -x "$stage/usr/local/bin/scratchd" ]
	[ -f "$stage/usr/local/share/man/man1/scratchd.1" ]
	cmp "$MAN_PAGE" "$stage/usr/local/share/man/man1/scratchd.1"
	[ "$(stat -c %a "$stage/usr/local/share/man/man1/scratchd.1")" = 644 ]

	run ${CROSS_ARCH:+qemu-$CROSS_ARCH} "$stage/usr/local/bin/scratchd" --version
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "scratchd "* ]]

	run make -s uninstall "${vars[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$stage/usr/local/bin/scratchd" ]
	[ ! -e "$stage/usr/local/share/man/man1/scratchd.1" ]
}
