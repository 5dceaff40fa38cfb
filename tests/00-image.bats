#!/usr/bin/env bats
# The images: static, no libc, no loader, W^X.

setup() {
	load test_helper/common
}

@test "images are static executables with no INTERP and no DYNAMIC segment" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		readelf -hW "$bin" | grep -q 'Type: *EXEC'
		run readelf -lW "$bin"
		[ "$status" -eq 0 ]
		[[ "$output" != *INTERP* ]] || { echo "$bin has an interpreter"; false; }
		[[ "$output" != *DYNAMIC* ]] || { echo "$bin has a dynamic section"; false; }
	done
}

@test "images have no undefined symbols (nothing comes from libc)" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		run nm -u "$bin"
		[ "$status" -eq 0 ]
		[ -z "$output" ] || { echo "$bin needs: $output"; false; }
	done
}

@test "no segment is both writable and executable, and the stack is not executable" {
	for bin in "$IMAGE_DIR/hello" "$IMAGE_DIR/scratchd"; do
		# LOAD lines: Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg... Align
		run bash -c "readelf -lW '$bin' | awk '\$1 == \"LOAD\" && /RWE|RW E/'"
		[ -z "$output" ] || { echo "$bin: W+X segment: $output"; false; }
		readelf -lW "$bin" | grep -Eq 'GNU_STACK .* RW  '
		run bash -c "readelf -lW '$bin' | grep -c 'LOAD.* R E '"
		[ "$output" -eq 1 ]
	done
}

@test "make size prints both stripped sizes" {
	run make -s size B="$IMAGE_DIR" ${CROSS_ARCH:+ARCH=$CROSS_ARCH}
	[ "$status" -eq 0 ]
	[[ "$output" =~ hello\ +[0-9]+\ bytes\ stripped ]]
	[[ "$output" =~ scratchd\ +[0-9]+\ bytes\ stripped ]]
}

@test "src/ has no architecture #if: that lives in start.S and syscall.h" {
	run grep -rnE '__(x86_64|aarch64|riscv)' src/
	[ "$status" -eq 1 ] || { echo "$output"; false; }
}
