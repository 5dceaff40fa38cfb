# Makefile - scratchd and hello: static, libc-free ELF images for Linux.
#
#   make            build build/scratchd and build/hello      (CC=clang works too)
#   make run        build, then serve www/ on 127.0.0.1:8080
#   make test       install missing test tools, build, run every test
#   make help       every target and the variables in use

CC	?= cc
SHELL	:= /bin/bash

# Architecture: the host's, or ARCH=aarch64 / ARCH=riscv64 to cross-build with
# Debian's gcc-ARCH-linux-gnu (or CC=clang, with --target) into build/ARCH/.
HOST_ARCH := $(shell uname -m)
ARCH	?= $(HOST_ARCH)
ifneq ($(ARCH),$(HOST_ARCH))
B	?= build/$(ARCH)
ifeq ($(origin CC),default)
CC	:= $(ARCH)-linux-gnu-gcc
endif
ifneq ($(findstring clang,$(CC)),)
TARGET	:= --target=$(ARCH)-linux-gnu
endif
STRIP	:= $(ARCH)-linux-gnu-strip
endif
STRIP	?= strip
# Per-arch flags: x86 CET's endbr64 would only cost bytes; riscv64 links
# without relaxation, so start.S needs no global pointer.
ARCH_CFLAGS_x86_64	:= -fcf-protection=none
ARCH_CFLAGS_riscv64	:= -mno-relax
ARCH_LDFLAGS_riscv64	:= -Wl,--no-relax
# libgcc: the compiler's own freestanding helpers (rv64gc has no count-
# trailing-zeros instruction, so __builtin_ctzll becomes a call). Not libc;
# x86_64 needs nothing from it (nolibc does the same).
LIBGCC_aarch64		:= -lgcc
LIBGCC_riscv64		:= -lgcc

B	?= build
V	?= 0
Q	:= $(if $(filter 1,$(V)),,@)

# Warnings: all of them are errors; the code builds clean with gcc and clang.
WARN	:= -std=c11 -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes

# Freestanding: there is no libc, no TLS, no unwinder and no loader.
#  -ffreestanding                  no hosted library assumed (also implies -fno-builtin)
#  -fno-stack-protector            the canary lives in TLS (%fs:40), which we never set up
#  -fno-pie                        absolute addresses: nothing relocates us at run time
#  -fno-asynchronous-unwind-tables no .eh_frame: nothing unwinds
#  -ffunction/data-sections        one section per function, so --gc-sections can drop it
#  -Wa,--noexecstack               the stack is never executable
FREESTANDING := $(TARGET) -ffreestanding -fno-stack-protector -fno-pie -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-ident -ffunction-sections -fdata-sections -Wa,--noexecstack \
	$(ARCH_CFLAGS_$(ARCH))

# gcc would turn mem.c's loops into calls to memcpy/memset themselves.
IS_CLANG := $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n 1))
MEM_FLAGS := $(if $(IS_CLANG),,-fno-tree-loop-distribute-patterns)

# Link: no start files, no libc; our own layout (linker.ld); drop unused sections.
# -static without -pie gives an ET_EXEC image (checked in tests/00-image.bats).
LDFLAGS	:= $(TARGET) -nostdlib -static -Wl,-T,linker.ld -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,norelro -Wl,-z,noexecstack -Wl,-z,noseparate-code $(ARCH_LDFLAGS_$(ARCH))

CFLAGS_hello	:= -Oz
# gcc -O2 pads loops and jump targets to 16 bytes with no-op instructions.
# Without the padding the text is 12 pages, not 13 (idle RSS,
# docs/performance.md), and bench/cpu.sh measures no difference in CPU per
# request. clang pads less and would warn about two of these flags.
ALIGN_FLAGS	:= $(if $(IS_CLANG),,-falign-jumps=1 -falign-loops=1 -falign-labels=1)
# --version names the compiler and flags it was built with
BUILD_INFO	:= $(shell $(CC) --version 2>/dev/null | head -n 1) -O2 $(ALIGN_FLAGS)
CFLAGS_scratchd	:= -O2 $(ALIGN_FLAGS) -DBUILD_INFO='"$(BUILD_INFO)"'

# The crypto layer (src/crypto/, pure): one file per primitive, and one
# AES-GCM backend per architecture, chosen here rather than by #if in the
# sources: the CPU's AES instructions where it has them, none elsewhere.
AESGCM_BACKEND_x86_64	:= src/crypto/aesgcm_x86.c
AESGCM_BACKEND_aarch64	:= src/crypto/aesgcm_arm.c
AESGCM_BACKEND_riscv64	:= src/crypto/aesgcm_none.c
AESGCM_BACKEND		:= $(AESGCM_BACKEND_$(ARCH))
# clang 14 declares the ARMv8 AES intrinsics only when the file is built with
# the extension (gcc takes target("+crypto") on the functions, clang has no
# such attribute); the file runs them only after AT_HWCAP said yes.
FILE_CFLAGS_aesgcm_arm	:= -march=armv8-a+crypto
CRYPTO_SRC	:= $(filter-out src/crypto/aesgcm_%.c,$(wildcard src/crypto/*.c)) $(AESGCM_BACKEND)
CRYPTO_TOOL_SRC	:= src/crypto_tool.c src/auxv.c src/tls/der.c src/str.c src/mem.c $(CRYPTO_SRC)

HELLO_SRC	:= src/hello.c src/str.c src/mem.c
# src/hello.asm, hello in x86-64 assembly: built by `all` on x86_64 when nasm
# is installed (`make test` installs it).
NASM	?= nasm
HELLO_ASM := $(if $(filter x86_64,$(ARCH)),$(if $(shell command -v $(NASM) 2>/dev/null),$(B)/hello-asm))
SCRATCHD_SRC	:= src/main.c src/server.c src/http.c src/response.c src/file.c src/cond.c src/listing.c \
		   src/path.c src/mime.c src/net.c src/workers.c src/log.c src/seccomp.c src/privdrop.c \
		   src/beneath.c src/lookup.c src/site.c src/accept.c src/cachectl.c src/errpage.c \
		   src/body.c src/page.c src/listfmt.c src/mimefile.c \
		   src/err.c src/fcache.c src/str.c src/mem.c src/transport_plain.c src/redirect.c \
		   src/random.c src/auxv.c src/signer.c src/tls_io.c src/tls_load.c \
		   src/check.c src/logfile.c src/logfmt.c src/metrics.c src/ops.c src/proxy.c src/proxy_io.c \
		   src/realip.c \
		   $(wildcard src/tls/*.c) $(CRYPTO_SRC)


.PHONY: all run trace test check test-cross unit size strace fuzz bench bench-cpu bench-parser test-builds install uninstall \
	image \
	crypto-tool ct bench-crypto \
	clean help
.DELETE_ON_ERROR:
.SECONDEXPANSION:

all: $(B)/scratchd $(B)/hello $(HELLO_ASM)

# $(call objs,PROGRAM,SOURCES): each program has its own objects (its own -O
# level): src/DIR/NAME.c -> $(B)/obj/PROGRAM/DIR/NAME.o.
objs = $(B)/obj/$(1)/start.o $(patsubst src/%.c,$(B)/obj/$(1)/%.o,$(2))
# ... and back: the source of $(B)/obj/PROGRAM/DIR/NAME.o, from its stem
# PROGRAM/DIR/NAME (the program's name is the first component).
empty	:=
space	:= $(empty) $(empty)
src_of	= src/$(subst $(space),/,$(wordlist 2,9,$(subst /, ,$(1)))).c

$(B)/hello: $(call objs,hello,$(HELLO_SRC)) linker.ld
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC_$(ARCH))
	@echo "  LD      $@"

# hello's twin in x86-64 assembly (HELLO_ASM, above): nasm writes the whole
# file, ELF header included, so there is no linker and nothing to strip.
$(B)/hello-asm: src/hello.asm
	@mkdir -p $(@D)
	$(Q)$(NASM) -f bin -w+all -w+error -o $@ $< && chmod +x $@
	@echo "  NASM    $@"

$(B)/scratchd: $(call objs,scratchd,$(SCRATCHD_SRC)) linker.ld
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC_$(ARCH))
	@echo "  LD      $@"

# The crypto layer from the command line (src/crypto_tool.c): the vector and
# differential tests drive it, here and under qemu-user.
CFLAGS_crypto-tool := -O2

crypto-tool: $(B)/crypto-tool

$(B)/crypto-tool: $(call objs,crypto-tool,$(CRYPTO_TOOL_SRC)) linker.ld
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC_$(ARCH))
	@echo "  LD      $@"

# Test builds, never installed (tests/*.bats use them):
#  scratchd-seccomp-test  GET /__forbidden__ makes a call seccomp must kill
#  scratchd-walk          behaves as if the kernel had no openat2
CFLAGS_scratchd-seccomp-test := -O2 -DSCRATCHD_SECCOMP_TEST
CFLAGS_scratchd-walk := -O2 -DSCRATCHD_TEST_WALK
TEST_BUILDS := $(B)/scratchd-seccomp-test $(B)/scratchd-walk

test-builds: $(TEST_BUILDS) $(B)/scratchd-trace

$(TEST_BUILDS): $(B)/%: $$(call objs,%,$(SCRATCHD_SRC)) linker.ld
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC_$(ARCH))
	@echo "  LD      $@"

# The trace build, never installed: every system call logged to stderr in
# strace's format (src/trace.c; tests/80-trace.bats checks it against strace).
CFLAGS_scratchd-trace := -O2 -DSCRATCHD_TRACE

trace: $(B)/scratchd-trace

$(B)/scratchd-trace: $(call objs,scratchd-trace,$(SCRATCHD_SRC) src/trace.c) linker.ld
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBGCC_$(ARCH))
	@echo "  LD      $@"

# Objects: $(B)/obj/PROGRAM/NAME.o; the program's -O level comes from its name.
prog = $(word 1,$(subst /, ,$(patsubst $(B)/obj/%,%,$@)))

$(B)/obj/%/start.o: start.S Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) $(FREESTANDING) -c -o $@ $<

$(B)/obj/%/mem.o: src/mem.c Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(FREESTANDING) $(CFLAGS_$(prog)) $(MEM_FLAGS) -g -MMD -MP -c -o $@ $<

# Code that runs once (start-up, privileges, workers) or rarely (listings,
# dates in If-* fields) is built for size: fewer pages of text to map, so a
# smaller resident set (docs/performance.md); the request path stays -O2.
COLD	:= main privdrop workers net seccomp err listing cond mime mimefile errpage listfmt page \
	   check logfile metrics ops

$(B)/obj/%.o: $$(call src_of,$$*) Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(FREESTANDING) $(CFLAGS_$(prog)) $(if $(filter $(notdir $*),$(COLD)),-Os) \
		$(FILE_CFLAGS_$(notdir $*)) -g -MMD -MP -c -o $@ $<

# Unit tests of the pure layers: hosted programs with ASan and UBSan.
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-missing-field-initializers -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/*_test.c))

unit: $(UNIT_TESTS)

$(B)/unit/%_test: tests/unit/%_test.c $$(wildcard src/*.c src/*.h src/crypto/* src/tls/*) tests/unit/*.h syscall.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) -DAESGCM_BACKEND='"../../$(CT_BACKEND)"' -o $@ $<

# libFuzzer (clang only), FUZZ_TIME seconds for each target, each on a copy
# of its seed corpus so the repository's corpora do not grow:
#   http_fuzz    the request parser, chunked bodies, paths (tests/fuzz/corpus)
#   tls_fuzz     the TLS engine: records, handshake messages (tests/fuzz/tls_corpus)
#   crypto_fuzz  P-256 points and AEAD opening (tests/fuzz/crypto_corpus)
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS := http_fuzz tls_fuzz crypto_fuzz
corpus_http_fuzz := tests/fuzz/corpus
corpus_tls_fuzz := tests/fuzz/tls_corpus
corpus_crypto_fuzz := tests/fuzz/crypto_corpus

$(B)/fuzz/%: tests/fuzz/%.c $$(wildcard src/*.c src/*.h src/crypto/* src/tls/*) tests/crypto/sources.h syscall.h
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-DAESGCM_BACKEND='"../../$(CT_BACKEND)"' -o $@ $<

fuzz: $(addprefix $(B)/fuzz/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		case $$t in http_fuzz) c=$(corpus_http_fuzz);; tls_fuzz) c=$(corpus_tls_fuzz);; *) c=$(corpus_crypto_fuzz);; esac; \
		echo "# $$t: $(FUZZ_TIME) s on $$c"; \
		rm -rf $(B)/fuzz/corpus-$$t && mkdir -p $(B)/fuzz/corpus-$$t && cp $$c/* $(B)/fuzz/corpus-$$t/ && \
		(cd $(B)/fuzz && ./$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 corpus-$$t 2>&1 | \
			grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==.*ERROR|SUMMARY)'; \
			test $${PIPESTATUS[0]} -eq 0) || exit 1; \
	done

# The constant-time check (tests/ct/ct_check.c): every function that handles
# a secret, run under valgrind's memcheck with the secrets marked undefined;
# any branch or address computed from them fails the target. Built hosted at
# the server's -O2 with $(CC); "control" must be caught, or the check is
# blind. (-gdwarf-4: valgrind 3.19 cannot read clang 14's DWARF 5.)
CT_BACKEND := $(AESGCM_BACKEND_$(HOST_ARCH))

$(B)/ct/ct_check: tests/ct/ct_check.c tests/crypto/sources.h $$(wildcard src/crypto/*) Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 -gdwarf-4 -Wall -Wextra -Werror -Wno-sign-compare \
		-DAESGCM_BACKEND='"../../$(CT_BACKEND)"' -o $@ $<

ct: $(B)/ct/ct_check
	@valgrind -q --error-exitcode=99 $(B)/ct/ct_check
	@if valgrind -q --error-exitcode=99 $(B)/ct/ct_check control >/dev/null 2>&1; then \
		echo "ct: the leaky control passed unseen: the check is blind"; exit 1; \
	else echo "control: memcheck reported the leaks, as it must"; fi

# Cycles per operation and MB/s per AEAD, beside `openssl speed` for the same
# operations: tests/bench/crypto_bench.c (built like the server: -O2).
$(B)/bench/crypto_bench: tests/bench/crypto_bench.c tests/crypto/sources.h $$(wildcard src/crypto/*) Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 -DAESGCM_BACKEND='"../../$(CT_BACKEND)"' -o $@ $<

bench-crypto: $(B)/bench/crypto_bench
	@tests/bench/crypto_bench.sh $(B)/bench/crypto_bench

# The parser alone, built like the server (-O2, no builtins, no -march).
$(B)/bench/parser_bench: tests/bench/parser_bench.c $$(wildcard src/*.c src/*.h) syscall.h
	@mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O2 -fno-builtin -o $@ $<

bench-parser: $(B)/bench/parser_bench
	$(B)/bench/parser_bench

# Whole-server load test against nginx (wrk on loopback): bench/run.sh.
bench: all
	bench/run.sh

# Server CPU per keep-alive request against a canned-response floor: bench/cpu.sh.
bench-cpu: all
	bench/cpu.sh

run: all
	$(B)/scratchd --addr 127.0.0.1 --port 8080 www

test check:
	$(Q)tests/run.sh

# The bats suite against aarch64 and riscv64 builds, under qemu-user.
test-cross:
	$(Q)tests/run.sh cross

# The code segment's pages matter too: a quiet server maps all of them
# (idle RSS, docs/performance.md).
size: all
	@for bin in $(B)/hello $(B)/scratchd $(HELLO_ASM); do \
		case $$bin in */hello-asm) cp $$bin $$bin.stripped;; *) $(STRIP) -o $$bin.stripped $$bin;; esac && \
		code=$$(readelf -lW $$bin | awk '$$1 == "LOAD" && $$7 == "R" && $$8 == "E" { print $$5; exit }') && \
		printf '%-16s %6d bytes stripped (%d unstripped); code segment %d bytes, 4 KiB pages: %d' $$bin \
			$$(stat -c %s $$bin.stripped) $$(stat -c %s $$bin) $$((code)) $$(((code + 4095) / 4096)) && \
		segs=($$(readelf -lW $$bin | awk '$$1 == "LOAD" && $$7 == "R" && $$8 == "E" { print $$5 }')) && \
		names=(rare HTTPS) && [ $${#segs[@]} -eq 3 ] || names=(HTTPS) && \
		for i in $${!names[@]}; do \
			[ -n "$${segs[i + 1]:-}" ] && printf '; %s code %d bytes, pages: %d' $${names[i]} \
				$$(($${segs[i + 1]})) $$((($${segs[i + 1]} + 4095) / 4096)); \
		done; \
		echo; \
		rm -f $$bin.stripped; \
	done

# hello answering one request, then scratchd from start-up to SIGTERM, under
# strace -f, with a caption before each phase.
strace: all
	@tests/strace-demo.sh $(B)

# An OCI image layout with /scratchd (stripped) and nothing else, made
# without Docker by tools/mkimage.py: IMAGE_OUT (default $(B)/image), with
# IMAGE_SITE=DIR's files as /srv. Reproducible: the same binary, the same
# digests. `skopeo copy oci:build/image docker-daemon:scratchd:latest`, or
# any registry, takes it from there; the Dockerfile does the same with Docker.
IMAGE_OUT	?= $(B)/image
IMAGE_SITE	?=

image: $(B)/scratchd
	$(Q)$(STRIP) -o $(B)/scratchd.image $(B)/scratchd
	$(Q)python3 tools/mkimage.py --binary $(B)/scratchd.image --arch $(ARCH) --out $(IMAGE_OUT) \
		$(if $(IMAGE_SITE),--site $(IMAGE_SITE))

# Install: the server and its manual page (DESTDIR for staging, as packagers use).
PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man/man1

install: all
	install -D -m 755 $(B)/scratchd $(DESTDIR)$(BINDIR)/scratchd
	install -D -m 644 docs/scratchd.1 $(DESTDIR)$(MANDIR)/scratchd.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/scratchd $(DESTDIR)$(MANDIR)/scratchd.1

clean:
	rm -rf $(B)

help:
	@echo "targets: all (default) run test|check test-cross unit size strace trace fuzz bench-parser"
	@echo "         bench bench-cpu test-builds image (IMAGE_OUT=DIR IMAGE_SITE=DIR)"
	@echo "         install uninstall (PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)) clean help"
	@echo "FUZZ_TIME=$(FUZZ_TIME) (seconds for make fuzz)"
	@echo "CC=$(CC)  B=$(B)  V=$(V)"
	@echo "CFLAGS: $(WARN) $(FREESTANDING)"
	@echo "LDFLAGS: $(LDFLAGS)"

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
