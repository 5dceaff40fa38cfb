; hello.asm - hello.c's twin in x86-64 assembly: the same server, the same
; bytes on the wire and the same calls under strace, in a file small enough
; to read whole in a hex dump. `nasm -f bin` writes every byte of the file,
; ELF header included: no linker, no sections, nothing to strip.
;
;	socket -> setsockopt(SO_REUSEADDR) -> bind -> listen -> getsockname
;	loop { accept4 -> setsockopt(SO_RCVTIMEO) -> read the request
;	       -> writev the response [-> shutdown -> read, on errors] -> close }
;
; Top to bottom, beside hello.c (the order is the one that keeps jumps short):
;
;	ELF header, program headers	what linker.ld and ld make for hello.c;
;					  they overlap, and hold constants
;	addr, end, usage, fail		main()'s argv loop: parse_ipv4, the
;					  usage message, sys_exit_group(1)
;	_start, args			main()'s variables, then its argv loop and
;					  parse_u64 for --port
;	start				main(): rt_sigaction ... getsockname, the
;					  listening line, write
;	sys, die, line_end		each start-up call checked; die(); the
;					  end of the listening line and of die's
;	send, linger, close		respond(); respond_error()'s shutdown and
;					  reads; main()'s close
;	accept, request, read_more	main()'s loop; serve(): accept4,
;					  SO_RCVTIMEO, read until CR LF CR LF
;					  (else 431)
;	head_end			request_line_ok() (else 400)
;	err400, err413, error		respond_error()'s statuses
;	content_length			content_length() (else 400, 413), then
;					  read until the body is whole
;	answer				serve()'s 200 (HEAD: no body)
;	num_ws, num, fmt		str.c's parse_u64 and fmt_u64; blanks
;	constants			the response pieces and the messages
;
; As in hello.c: every call is checked; the request line is validated (400);
; a head or body that does not fit the 4096-byte buffer is refused (431,
; 413); a body announced by Content-Length is read before answering; a
; client that stalls costs at most RECV_TIMEOUT seconds per read; after an
; error the connection is half-closed and drained before close. One
; difference: numbers are read in 32 bits, so a Content-Length over
; 2,147,483,649 is refused at once (413); hello.c reads 64 bits, and for
; such a value goes on to the next Content-Length line, where a malformed
; one would make it 400 (docs/hello-asm.md).
;
; No memory but the stack: the request buffer is the 4096 bytes below argc;
; at start-up its first bytes hold the socket address and the listening line.
; Registers are the variables:
;
;	rbx  the request buffer: req		r13  its end: req + REQ_MAX
;	rdi  the connection (rdi is the fd	r12  the listening socket
;	     argument of every call on it)	rbp  start-up: sys; serve(): the
;	rsi  where the next read goes: req+len	     Content-Length value, then
;						     the lingering reads' count
;	r8   the end of the head
;
; Each byte-saving trick says on its line what it saves and why it is safe.
; The ones that recur: push imm8 / pop reg loads a small number in 3 bytes,
; not 5; `mov al, N` loads a syscall number in 2 where eax's upper bytes are
; known to be 0; 32-bit registers avoid REX prefixes where values are small;
; `call rbp` is 2 bytes, not 5; the constants overlap wherever they can.
;
; Build: nasm -f bin -o build/hello-asm src/hello.asm (the Makefile).

	bits	64
	default	rel			; [label] is rip-relative: no SIB byte

BASE		equ	0x400000	; where the file is mapped, headers included
REQ_MAX		equ	4096		; request line + headers + body, bytes
RECV_TIMEOUT	equ	5		; seconds a client may stall one read
LINGER_READS	equ	16		; reads discarded after an error response

; system call numbers (arch/x86/entry/syscalls/syscall_64.tbl)
SYS_read	equ	0
SYS_write	equ	1
SYS_close	equ	3
SYS_rt_sigaction equ	13
SYS_writev	equ	20
SYS_socket	equ	41
SYS_shutdown	equ	48
SYS_bind	equ	49
SYS_listen	equ	50
SYS_getsockname	equ	51
SYS_setsockopt	equ	54
SYS_exit_group	equ	231
SYS_accept4	equ	288

AF_INET		equ	2
SOCK_STREAM	equ	1
SOCK_CLOEXEC	equ	0x80000
SOL_SOCKET	equ	1
SO_REUSEADDR	equ	2
SO_RCVTIMEO	equ	20
SHUT_WR		equ	1
SIGPIPE		equ	13
SIG_IGN		equ	1

PHDR_SIZE	equ	56		; sizeof(Elf64_Phdr)

	org	BASE

; ---- ELF header (System V gABI, "ELF Header"; elf(5)) ----
; The kernel (fs/binfmt_elf.c, load_elf_binary) checks the magic, e_type,
; e_machine, e_phoff, e_phentsize and e_phnum; readelf also reads the class,
; data and version bytes. The rest holds what the program needs.
ehdr:
	db	0x7f, "ELF"		; e_ident: the magic number
	db	2			;   ELFCLASS64
	db	1			;   ELFDATA2LSB: little-endian
	db	1			;   EV_CURRENT
version:				; e_ident[7..15] (OS/ABI, ABI version, padding):
	db	"HTTP/1.1 "		;   read by no one, so the responses' first piece (9
version_len	equ	$ - version	;   bytes saved; readelf shows OS/ABI <unknown: 48>)
	dw	2			; e_type: ET_EXEC, loaded at its own addresses
	dw	62			; e_machine: EM_X86_64
	dd	1			; e_version: EV_CURRENT
	dq	_start			; e_entry: the first instruction
	dq	phdr - ehdr		; e_phoff: the program headers start at 48 ...
	dq	0			; e_shoff: no section headers
; ---- program headers: what execve(2) maps (gABI, "Program Header") ----
; ... inside the ELF header: its last 16 bytes are PT_LOAD's first 16, each
; value right for both (16 bytes saved).
phdr:
	dd	1			; e_flags (none defined for x86-64) = p_type: PT_LOAD
	dw	5			; e_ehsize (unchecked) = p_flags: PF_R | PF_X ...
	dw	PHDR_SIZE		; e_phentsize = p_flags' high half: no R, W, X bits
	dw	2			; e_phnum: LOAD, GNU_STACK = p_offset: 2 ...
	dw	0, 0, 0			; e_shentsize, e_shnum, e_shstrndx = ... its high bytes
	dq	BASE + 2		; p_vaddr: offset 2 at BASE + 2: the file's page at BASE
sockaddr:				; p_paddr, which nothing reads (8 bytes saved):
	db	2, 0			;   the default struct sockaddr_in: AF_INET,
	db	0x1f, 0x90		;   port 8080 (network byte order),
	db	127, 0, 0, 1		;   127.0.0.1
	dq	file_size - 2		; p_filesz: from offset 2 to the end
	dq	file_size - 2		; p_memsz: no .bss: the variables live on the stack
	db	st_200_len		; p_align, unused for ET_EXEC (7 bytes saved): "200 OK"
st_200:	db	"200 OK"		;   after its length byte, as every status (send)
st_200_len	equ	$ - st_200
	db	0			;   (the last byte of p_align)
	dd	0x6474e551		; p_type: PT_GNU_STACK
	dd	6			; p_flags: PF_R | PF_W: the stack is not executable
; The kernel reads only GNU_STACK's type and flags: its other 48 bytes
; (p_offset ... p_align) are the first instructions (48 bytes saved;
; readelf prints them as numbers).

; ---- addr, end, usage, fail: main()'s argv loop, parse_ipv4 ----
; --addr: four decimal numbers of 1-3 digits, each <= 255, dots between, NUL
; after the last (str.c's parse_ipv4). rsi -> the value.
addr:
	lea	rdi, [rbx+4]		; rdi -> sin_addr: the first octet is stored first
	db	0x3d			; cmp eax, imm32: swallows the dot check below, so
					;   the first octet has none (saves a jmp; eax unused)
.next:
	cmp	al, '.' - '0'		; the previous octet ended at a dot?
	jne	usage			; "1.2.3", "1-2.3.4": refused
	call	num			; edx = the octet, ecx = its digits, al = the end - '0'
	dec	ecx			; 1-3 digits ("", "0001" refused) ...
	cmp	ecx, 2			;   (0 digits wraps to 0xffffffff,
	ja	usage			;   above 2 too)
	test	dh, dh			; ... so at most 999: <= 255 if dh is 0
	jnz	usage			; 256-999: refused
	xchg	eax, edx		; al = the octet, dl = the end
	stosb				; stored
	xchg	eax, edx		; al = the end again
	test	dil, 7			; past the fourth (rbx+8, a multiple of 8)?
	jnz	.next			; no: a dot, then the next octet
end:
	cmp	al, 0 - '0'		; the value ends here (NUL)?
	je	args			; yes: the next pair
usage:					; a bad or incomplete option
	mov	esi, usage_msg		; "usage: hello [--addr IPv4] [--port N]\n"
	push	usage_len		; count: push imm8 / pop, 3 bytes, not 5
	pop	rdx			; its length
	push	1			; 1 in two registers:
	pop	rdi			; edi = 1: fail makes it stderr
	mov	eax, edi		; SYS_write
; fail: write(2, rsi, rdx), exit_group(1). Entered with edi = eax = 1, from
; usage, and from line_end's `call rbp` when die has pointed rbp here.
fail:
	inc	edi			; fd = 2, stderr
	syscall				; write(2, msg, len)
	dec	edi			; status = 1
	xor	eax, eax		; eax may be -errno: clear it ...
	mov	al, SYS_exit_group	; ... then 2 bytes, not 5
	syscall				; exit_group(1): does not return

; ---- _start: the buffer, then the options (main()'s argv loop) ----
; The kernel enters with rsp -> argc, argv[0..argc-1], NULL, envp ...
; (start.S), rsp 16-byte aligned, the other registers 0.
_start:
	push	rsp			; push rsp / pop r13: 3 bytes, as mov r13, rsp
	pop	r13			; r13 = argc's address: the buffer ends there
	lea	rbx, [r13 - REQ_MAX]	; rbx = the request buffer, the 4096 bytes below
	push	qword [sockaddr]	; the default address (from p_paddr) ...
	pop	qword [rbx]		; ... in the buffer's first 8 bytes
	pop	rbp			; argc
	pop	rcx			; argv[0], unused (eax stays 0, for cdq in start)
	shr	ebp, 1			; ebp = the pairs; CF = argc is odd, as it must be
	jnc	usage			; an option without its value
args:					; each "--opt value" pair, popped:
	dec	ebp			; one more?
	js	start			; no: the start-up calls
	pop	rdx			; the option
	pop	rsi			; its value
	cmp	word [rdx], '--'	; "--" ...
	jne	usage			; (-bogus, x)
	cmp	byte [rdx+6], 0		; ... four letters, the end
	jne	usage			; (--portx, --por)
	mov	eax, [rdx+2]		; the four letters
	cmp	eax, 'addr'		; "--addr"?
	je	addr			; parse_ipv4, above
	cmp	eax, 'port'		; "--port"?
	jne	usage			; neither
	call	num			; edx = the port, ecx = its digits, al = the end - '0'
	jrcxz	usage			; no digit
	xchg	dl, dh			; htons
	mov	[rbx+2], dx		; sin_port
	shr	edx, 16			; was it <= 65535? (after an overflow al is a
	jz	end			;   digit, so end refuses it)
	jmp	usage			; no such port

; ---- start: the start-up calls, in hello.c's order (main()) ----
; Each but the first is `mov al, N` and `call rbp`: eax holds the previous
; call's result, 0 or (after xchg) 2, so al alone sets the number (2 bytes,
; not 5 for mov eax).
start:
	mov	ebp, sys		; call rbp: 2 bytes, not 5, seven times
	cdq				; rdx = 0 (eax is 0 or a byte: see _start, end)
	push	rdx			; act.sa_mask = {}
	push	rdx			; act.sa_restorer = NULL
	push	rdx			; act.sa_flags = 0
	push	SIG_IGN			; act.sa_handler = SIG_IGN, also the int 1 below
	push	rsp			; rsp -> the struct just pushed
	pop	rsi			; act: a write to a client that has gone must fail
	push	SIGPIPE			;   with EPIPE, not kill us
	pop	rax			; SYS_rt_sigaction is 13, as SIGPIPE is ...
	mov	edi, eax		; ... so one constant sets both: signum
	push	8			; 8 bytes of sa_mask
	pop	r10			; sigsetsize; oldact = NULL (rdx)
	call	rbp			; rt_sigaction(SIGPIPE, &act, NULL, 8)
	push	AF_INET			; IPv4
	pop	rdi			; domain
	mov	esi, SOCK_STREAM | SOCK_CLOEXEC ; type; protocol = 0 (rdx)
	mov	al, SYS_socket		; eax was rt_sigaction's 0
	call	rbp			; socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)
	xchg	eax, edi		; rdi = the socket, for the next four calls; eax = 2
	push	SOL_SOCKET		; restart at once even while old connections
	pop	rsi			;   sit in TIME_WAIT: level
	mov	edx, eax		; optname = SO_REUSEADDR, 2 like eax
	push	rsp			; optval -> act.sa_handler, the int 1 (the calls'
	pop	r10			;   pushes are popped again: rsp is back on it)
	push	4			; push imm8 / pop r8: 4 bytes, not 6
	pop	r8			; optlen = sizeof(int)
	mov	al, SYS_setsockopt	; eax was 2
	call	rbp			; setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &1, 4)
	push	rbx			; push / pop: 2 bytes, not 3 for mov rsi, rbx
	pop	rsi			; addr
	push	16			; sizeof(struct sockaddr_in)
	pop	rdx			; addrlen
	mov	al, SYS_bind		; eax was setsockopt's 0
	call	rbp			; bind(fd, &addr, 16)
	lea	esi, [rdx + 112]	; backlog = 128 (rdx is 16): 3 bytes, not 5
	mov	al, SYS_listen		; eax was bind's 0
	call	rbp			; listen(fd, 128)
	push	rbx			; with --port 0 the kernel chose the port: ask which
	pop	rsi			; addr
	push	rdx			; addrlen = 16, in memory ...
	push	rsp			; its address
	pop	rdx			; ... at rdx
	mov	al, SYS_getsockname	; eax was listen's 0
	call	rbp			; getsockname(fd, &addr, &addrlen)
	mov	r12d, edi		; r12 = the listening socket
	lea	rdi, [rbx+8]		; the line, after sin_port and sin_addr
	push	rdi			; its start, for line_end
	mov	esi, listening		; the line's first 20 bytes
	push	listening_len		; count
	pop	rcx			;   in rcx
	rep	movsb			; "listening on http://"
	lea	rsi, [rbx+4]		; rsi -> the address's four bytes
.ip:					; eax's upper bytes are 0: getsockname's result, then fmt's
	lodsb				; eax = the next octet
	call	fmt			; in decimal
	mov	al, '.'			; then a dot
	stosb				;   stored
	test	sil, 7			; past the fourth (rbx+8, a multiple of 8)?
	jnz	.ip			; no: next
	mov	byte [rdi-1], ':'	; the last dot becomes the colon
	movzx	eax, word [rbx+2]	; sin_port
	xchg	al, ah			; ntohs
	jmp	line_end		; in decimal, '\n', write(1, line, len)

; ---- sys, die: each start-up call, checked (main(), die()) ----
; sys: the call whose number is in eax, arguments in place; returns its
; result, or dies naming it.
sys:
	push	rax			; the call's number, for die
	syscall				; the call
	pop	rcx			; cl = that number (rcx is the syscall's to clobber)
	test	eax, eax		; -4095..-1: an error?
	js	die			; report it
	ret				; no: eax = its result
; die: "hello: NAME failed: errno N\n" on stderr, exit 1. eax = -errno,
; cl = the call's number. The message is built in the request buffer; its
; end is line_end's, with rbp pointed at fail instead of sys.
die:
	neg	eax			; errno
	push	rbx			; the sockaddr is no longer needed:
	pop	rdi			; the message, at the buffer's start
	push	rdi			; its start, for line_end
	push	rax			; errno, for line_end
	mov	esi, hello_colon	; "hello: "
	movsd				; "hello: " is 4 + 2 + 1 bytes: 4 bytes of code,
	movsw				;   not 5 for a counted rep movsb
	movsb				; rsi -> " failed: errno ", which follows it
	push	rsi			;   kept
.find:					; `calls` follows: number, name, number, name ...;
	lodsb				;   no byte of a name or of " failed: errno " is a number
	cmp	al, cl			; this call's number?
	jne	.find			; no: on
.name:
	lodsb				; c
	cmp	al, '_'			; the next entry's number (all below '_')?
	jb	.rest			; the name has ended
	stosb				; copied
	jmp	.name			; the next byte
.rest:
	pop	rsi			; " failed: errno "
	push	failed_len		; its 15 bytes
	pop	rcx			;   in rcx
	rep	movsb			;   copied
	pop	rax			; errno
	mov	ebp, fail		; line_end's `call rbp` writes to stderr and exits
; line_end: eax in decimal, '\n', then write(1, line, len) by `call rbp`:
; sys for the listening line (checked), fail for die's message.
line_end:
	call	fmt			; the number
	mov	al, 10			; then
	stosb				; '\n'
	pop	rsi			; buf = the line's start
	mov	edx, edi		; count = end - start, less than 2^32, so the
	sub	edx, esi		;   low halves subtract right (no REX)
	push	1			; 1 in two registers:
	pop	rdi			; fd = stdout (fail: stderr)
	mov	eax, edi		; SYS_write
	call	rbp			; write(1, line, count), checked
	jmp	accept			; serve

; ---- send: "HTTP/1.1 ", status, headers, tail in one writev (respond()) ----
; eax -> the status (its length in the byte before it), edx = the header
; piece's length, [rsp] = the tail's length. The tail always starts at
; error_tail, "0\r\n\r\n"; a 200 takes one byte more of the headers piece,
; the "2" of "20", and for GET the body after the tail. On a blocking socket
; writev returns when all is sent, or fails (the client has gone: we close
; next anyway).
send:
	push	error_tail		; iov[3].iov_base
	push	rdx			; iov[2].iov_len: 77, or 78 for a 200
	push	headers			; iov[2].iov_base: the fixed header fields
	movzx	ecx, byte [rax-1]	; the status's length
	push	rcx			; iov[1].iov_len
	push	rax			; iov[1].iov_base: the status
	push	version_len		; iov[0].iov_len
	push	version			; iov[0].iov_base: "HTTP/1.1 "
	push	rsp			; the array just pushed
	pop	rsi			; iov
	mov	dl, 4			; iovcnt (rdx was 77 or 78: its upper bytes are 0)
	push	SYS_writev		; (eax holds the status pointer:
	pop	rax			;   mov al would not do)
	syscall				; writev(fd, iov, 4)
	cmp	byte [rsi+40], headers_len ; iov[2].iov_len: an error's 77?
	jne	close			; no: a 200, close now
; After an error, close gently: close() with unread data makes the kernel
; send a reset that can destroy the answer before the client reads it; so
; half-close, and read and discard what is in flight until the client
; closes too (RFC 9112 §9.6).
	push	SHUT_WR			; no more writes: the client sees the end
	pop	rsi			; how
	push	SYS_shutdown		; (eax may be writev's -errno:
	pop	rax			;   mov al would not do)
	syscall				; shutdown(fd, SHUT_WR)
	test	eax, eax		; failed?
	js	close			; then just close
	push	LINGER_READS		; the count
	pop	rbp			; at most 16 reads (rbp is free now)
	push	rbx			; the buffer is free again:
	pop	rsi			; into the request buffer
	shl	edx, 10			; count = 4096: rdx is still 4 (3 bytes, not 5)
.linger:
	xor	eax, eax		; SYS_read
	syscall				; read(fd, req, 4096)
	test	eax, eax		; the client closed (or timed out)?
	jle	close			; done
	dec	ebp			; another read?
	jnz	.linger			; yes: enough after 16
close:
	push	SYS_close		; (eax is a result here,
	pop	rax			;   maybe negative)
	syscall				; close(fd): always 0 on a socket we hold

; ---- accept: one connection at a time (main()'s loop, serve()) ----
accept:
	mov	rsp, rbx		; a fresh stack below the buffer for each client
	mov	edi, r12d		; the listening socket
	xor	esi, esi		; addr = NULL
	cdq				; addrlen = NULL: eax is write's or close's result, >= 0
	mov	r10d, SOCK_CLOEXEC	; flags
.retry:					; a failed call leaves its arguments as they were
	mov	eax, SYS_accept4	; 288: more than a byte
	syscall				; accept4(lfd, NULL, NULL, SOCK_CLOEXEC)
	test	eax, eax		; ECONNABORTED, EINTR...?
	js	.retry			; that client is gone: the next one
	xchg	eax, edi		; rdi = the connection, for every call until close
	push	rsi			; struct timeval: tv_usec = 0 (rsi is NULL)
	push	RECV_TIMEOUT		;   tv_sec: then read fails with EAGAIN (socket(7))
	push	rsp			; its address
	pop	r10			; optval -> the timeval
	inc	esi			; level = SOL_SOCKET
	mov	dl, SO_RCVTIMEO		; optname (rdx was NULL)
	push	16			; sizeof(struct timeval)
	pop	r8			; optlen
	push	SYS_setsockopt		; (eax is the listening socket,
	pop	rax			;   not known to be a byte)
	syscall				; setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, 16)
	test	eax, eax		; failed?
	js	close			; then close, unanswered
	push	rbx			; the buffer's start:
	pop	rsi			; len = 0: nothing read yet

; ---- request: read until the head is whole, then the body (serve()) ----
; After each read the head is looked for, from the start (RFC 9112 §2.1:
; it ends at CR LF CR LF); once there, it is checked and its Content-Length
; gives the request's end, and reads go on until that end. Checking again
; after each read of the body finds the same answers: no state to keep.
request:
	and	dword [rsi], 0		; 4 zero bytes after the data: the dword compare
					;   below can look past len without finding an
					;   old request's CR LF CR LF (at the buffer's end
					;   they land on argc, no longer needed)
	push	rbx			; rdx, not rdi: rdi is the connection
	pop	rdx			; scan the request from its start
.scan:
	cmp	dword [rdx], 0x0a0d0a0d	; CR LF CR LF?
	je	head_end		; the end of the head
	inc	rdx			; the next position
	cmp	rdx, rsi		; any left?
	jb	.scan			; yes: look there
	mov	rdx, r13		; no blank line yet:
	sub	rdx, rsi		;   count = the room left
	mov	eax, st_431		; (mov keeps the flags of sub)
	jz	error			; none left: "431 Request Header Fields Too Large"
read_more:				; rdx = count
	xor	eax, eax		; SYS_read
	syscall				; read(fd, req + len, count)
	test	eax, eax		; closed (0), reset or timed out (< 0)?
	jle	close			; no one to answer
	add	rsi, rax		; len += n
	jmp	request			; look again

; ---- head_end: METHOD SP target SP HTTP/1.d CR (request_line_ok()) ----
; rdx -> CR LF CR LF. The head ends there, and each loop stops at a CR.
head_end:
	lea	r8, [rdx+4]		; r8 = the end of the head
	push	rsi			; len, kept
	push	rbx			; the buffer's start:
	pop	rsi			; p = the first byte
	xor	eax, eax		; (bt needs eax's upper bytes 0)
.method:
	lodsb				; c = *p++
	bt	[tchar_map], eax	; a tchar (RFC 9110 §5.6.2)? c >= 128 reads past
	jc	.method			;   the map: the end of the file, zero (no js)
	cmp	al, ' '			; one SP ends the method ...
	jne	err400			; ("G(T", "GET\r")
	cmp	[rbx], al		; ... which is not empty
	je	err400			; (" GET")
	cmp	[rsi], al		; the target is not empty either
	je	err400			; ("GET  /")
.target:
	lodsb				; c = *p++
	sub	al, '!'			; visible: '!' ..
	cmp	al, '~' - '!'		;   .. '~'?
	jbe	.target			; yes: next
	inc	al			; ' ' - '!' + 1 = 0: a SP ends it?
	jnz	err400			; ("GET /\r", "GET /\x01")
	lodsq				; "HTTP/1.d" ...
	xor	rax, [version]		; ... against "HTTP/1.1": 0 but for d ^ '1'
	bswap	rax			; al = d ^ '1', 0..9 only for a digit (3 bytes, not
	cmp	rax, 10			;   4 for rol); and the other 7 bytes 0?
	jae	err400			; ("FTP/1.1", "HTTP/1.x")
	lodsb				; then
	cmp	al, 13			;   CR?
	je	content_length		; the line is good

; ---- errors: the status in eax, then the errors' tail (respond_error()) ----
err400:
	mov	eax, st_400		; "400 Bad Request"
	jmp	error			; the errors' tail
err413:
	mov	eax, st_413		; "413 Content Too Large"
error:
	push	headers_len		; the headers up to "Content-Length: "
	pop	rdx			;   iov[2]'s length, for send
.tail5:
	push	error_tail_len		; then "0" CR LF CR LF
.send:
	jmp	send			; writev, then the lingering close

; ---- content_length: each "\nContent-Length:" in the head (content_length()) ----
content_length:
	xor	ebp, ebp		; the body's length: 0 if no such line
.lf:
	cmp	rsi, r8			; p < the end of the head?
	jae	.done			; no: all seen
	lodsb				; c = *p++
	cmp	al, 10			; a line's start?
	jne	.lf			; no: on
	push	rsi			; after the LF, kept
	mov	edx, cl_name + 1	; "Content-Length:", in the headers we send
	push	cl_name_len - 1		; its length
	pop	rcx			; 15 bytes, counted by loop
.cmp:
	lodsb				; the head's byte
	cmp	al, ' '			; a control byte (its | 0x20 could pass for
	jb	.next			;   '-' or ':') is no match
	mov	ah, [rdx]		; the name's
	or	ax, 0x2020		; both in lower case: letters, '-' and ':' only
	cmp	al, ah			; equal?
	jne	.next			; no: the next line
	inc	edx			; the name's next byte
	loop	.cmp			; the whole name?
	call	num_ws			; after blanks: edx = the value, ecx = its digits
	jc	err413			; too long: ERANGE
	jrcxz	err400			; no digit: EINVAL
	mov	ebp, edx		; the body's length (the last line wins)
	dec	rsi			; back to the byte after the digits
	call	num_ws			; blanks, then no digit and a CR:
	sub	al, 13 - '0'		;   al = 0 for the CR (eax's upper bytes are 0) ...
	or	eax, ecx		;   ... and ecx = 0 for no digit: all of ecx, as
	jnz	err400			;   leading zeros count too ("1 2", "0x10": EINVAL)
.next:
	pop	rsi			; after the LF again
	jmp	.lf			; the next LF
.done:
	pop	rsi			; len
	lea	rdx, [r8+rbp]		; the request's end (rbp < 2^32: no overflow)
	cmp	rdx, r13		; past the buffer?
	ja	err413			; 413
	sub	rdx, rsi		; count = what is missing of the body
	ja	read_more		; read it

; ---- answer: 200, and the body unless the method is HEAD (RFC 9110 §9.3.2) ----
answer:
	mov	eax, st_200		; "200 OK"
	push	headers_len + 1		; the headers and the "2" of "20"
	pop	rdx			;   iov[2]'s length, for send
	cmp	dword [rbx], 'HEAD'	; "HEAD" ...
	jne	.get			; (the line is valid: its method ends at a SP)
	cmp	byte [rbx+4], ' '	; ... SP?
	je	error.tail5		; then "0" CR LF CR LF, as the errors end
.get:
	push	error_tail_len + body_len ; "0" CR LF CR LF and the body
	jmp	error.send		; writev, close

; ---- num_ws, num (str.c's parse_u64) ----
; num_ws: num after any SP and HT.
num_ws:
	lodsb				; c
	cmp	al, ' '			; SP
	je	num_ws			;   skipped
	cmp	al, 9			; HT
	je	num_ws			;   skipped
	dec	rsi			; back to the first other byte
; num: the decimal digits at rsi. edx = their value, ecx = how many, al =
; the first non-digit - '0', rsi past it; CF = 1 if value * 10 passed 2^31
; (then edx, ecx are partial, and al is a digit): far beyond any port, octet
; or body this server takes.
num:
	xor	eax, eax		; (add needs eax's upper bytes 0)
	cdq				; value = 0
	xor	ecx, ecx		; digits = 0
.digit:
	lodsb				; c
	sub	al, '0'			; c - '0' ...
	cmp	al, 9			; ... 0-9?
	ja	.done			; no: the end (ja taken: CF = 0)
	imul	edx, edx, 10		; value * 10: CF = 1 past 2^31 - 1 (signed)
	jc	.done			; too long
	add	edx, eax		; + the digit
	inc	ecx			; one more digit
	jmp	.digit			; the next
.done:
	ret				; (flags as the exit left them)

; ---- fmt (str.c's fmt_u64) ----
; eax in decimal at rdi, rdi advanced; the higher digits first, by recursion.
; Clobbers eax, ecx, edx.
fmt:
	cdq				; edx = 0 (eax < 2^31)
	push	10			; the base
	pop	rcx			;   in a register, as div wants
	div	ecx			; eax = value / 10, edx = value % 10
	push	rdx			; this digit, for after the higher ones
	test	eax, eax		; higher digits?
	jz	.out			; no
	call	fmt			; yes: them first
.out:
	pop	rax			; this digit
	add	al, '0'			; in ASCII
	stosb				; stored
	ret				; to the next lower digit, or the caller

; ---- constants: the response pieces and the messages ----
; ("HTTP/1.1 ", "200 OK" and the default address are in the headers, above.)
hello_colon:	db	"hello: "		; die's message: "hello: " NAME ...
failed:		db	" failed: errno "	; ... " failed: errno " N
failed_len	equ	$ - failed
; the start-up calls: number, name (die). Each number ends the name before it.
calls:		db	SYS_rt_sigaction, "rt_sigaction"
		db	SYS_socket, "socket"
		db	SYS_setsockopt, "setsockopt"
		db	SYS_bind, "bind"
		db	SYS_listen, "listen"
		db	SYS_getsockname, "getsockname"
		db	SYS_write, "write"	; ended by the CR below
headers:	db	13, 10, "Content-Type: text/html; charset=utf-8", 13, 10
		db	"Connection: close", 13
cl_name:	db	10, "Content-Length:"	; also the name content_length() looks for
cl_name_len	equ	$ - cl_name
		db	" "
headers_len	equ	$ - headers
		db	"2"			; a 200's headers piece ends here: "20"
error_tail:	db	"0", 13, 10, 13, 10	; every tail starts here
error_tail_len	equ	$ - error_tail
hello_body:	db	"<h1>hello world</h1>"
body_len	equ	$ - hello_body
; each status after its length byte (send)
		db	st_400_len
st_400:		db	"400 Bad Request"
st_400_len	equ	$ - st_400
		db	st_413_len
st_413:		db	"413 Content Too Large"
st_413_len	equ	$ - st_413
		db	st_431_len
st_431:		db	"431 Request Header Fields Too Large"
st_431_len	equ	$ - st_431
listening:	db	"listening on http://"
listening_len	equ	$ - listening
usage_msg:	db	"usage: hello [--addr IPv4] [--port N]", 10
usage_len	equ	$ - usage_msg
; tchar: bit c of the map is set (str.c's tchar_map). Last in the file: the
; kernel maps the whole page, and the bytes after the file's end read as 0,
; so c >= 128 finds its bit clear without a check.
tchar_map:	dd	0x00000000, 0x03ff6cfa, 0xc7fffffe, 0x57ffffff

file_size	equ	$ - ehdr
