; hello.asm - hello.c's twin in x86-64 assembly: the same server, the same
; bytes on the wire and the same calls under strace, in a file small enough
; to read whole in a hex dump. `nasm -f bin` writes every byte of the file,
; ELF header included: no linker, no sections, nothing to strip.
;
;	socket -> setsockopt(SO_REUSEADDR) -> bind -> listen -> getsockname
;	loop { accept4 -> setsockopt(SO_RCVTIMEO) -> read the request
;	       -> writev the response [-> shutdown -> read, on errors] -> close }
;
; Top to bottom, beside hello.c:
;
;	ELF header, program headers	what linker.ld and ld make for hello.c
;	_start				main()'s variables: the frame on the stack
;	sys, die			die(), and the check after each start-up call
;	args, usage, fail, addr		main()'s argv loop, parse_u64, parse_ipv4
;	start				main(): rt_sigaction ... getsockname, the
;					  listening line, write
;	accept				main()'s loop; serve(): accept4, SO_RCVTIMEO
;	read_more, request		serve(): read until CR LF CR LF (else 431),
;	  request line			  request_line_ok() (else 400),
;	  errors			  respond_error()'s statuses,
;	  content_length		  content_length() (else 400, 413), then
;					  read until the body is whole
;	answer, send			serve()'s 200 (HEAD: no body); respond()
;	  after an error		respond_error(): shutdown, read and discard
;	close				main()'s close, then the next accept4
;	num, skip_ws, fmt		str.c's parse_u64 and fmt_u64; blanks
;	constants			the response pieces and the messages
;
; As in hello.c: every call is checked; the request line is validated (400);
; a head or body that does not fit the 4096-byte buffer is refused (431,
; 413); a body announced by Content-Length is read before answering; a
; client that stalls costs at most RECV_TIMEOUT seconds per read; after an
; error the connection is half-closed and drained before close. One
; difference: a Content-Length of 2^63 or more is refused at once (413), as
; hello.c refuses one past 2^64; between the two, hello.c goes on to the
; next Content-Length line, where a malformed one would make it 400.
;
; No memory but the stack: the request buffer is the 4096 bytes below the
; arguments; at start-up its first bytes hold the socket address, the
; sigaction and the listening line. Registers are the variables:
;
;	rbx  the request buffer: req		r12  the listening socket
;	rbp  the connection (start-up: sys)	r14  start-up: the next `calls` entry
;	rsi  where the next read goes: req + len
;	r8   the end of the head		r9   the Content-Length value
;
; Where it saves bytes it says so: push imm8 / pop reg loads a small number
; in 3 bytes, not 5; `enter` allocates the frame; `call rbp` is 2 bytes; the
; start-up calls' numbers and names share one table (`calls`), walked by
; `sys`; the errors' tail, the Content-Length name and " HTTP/1." are pieces
; of other constants.
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

	org	BASE

; ---- ELF header (System V gABI, "ELF Header"; elf(5)) ----
ehdr:
	db	0x7f, "ELF"		; e_ident: the magic number
	db	2			;   ELFCLASS64
	db	1			;   ELFDATA2LSB: little-endian
	db	1			;   EV_CURRENT
	db	0			;   ELFOSABI_NONE (System V)
	times 8	db 0			;   ABI version 0, padding
	dw	2			; e_type: ET_EXEC, loaded at its own addresses
	dw	62			; e_machine: EM_X86_64
	dd	1			; e_version: EV_CURRENT
	dq	_start			; e_entry: the first instruction
	dq	phdr - ehdr		; e_phoff: the program headers follow
	dq	0			; e_shoff: no section headers
	dd	0			; e_flags: none for x86-64
	dw	ehdr_size		; e_ehsize
	dw	phdr_size		; e_phentsize
	dw	2			; e_phnum: LOAD, GNU_STACK
	dw	64			; e_shentsize: a section header's size, though none follow
	dw	0			; e_shnum: no sections
	dw	0			; e_shstrndx: no section name table
ehdr_size	equ	$ - ehdr

; ---- program headers: what execve(2) maps (gABI, "Program Header") ----
phdr:
	dd	1			; p_type: PT_LOAD
	dd	5			; p_flags: PF_R | PF_X, never writable
	dq	0			; p_offset: the whole file ...
	dq	BASE			; p_vaddr: ... at BASE
	dq	BASE			; p_paddr: (unused)
	dq	file_size		; p_filesz
	dq	file_size		; p_memsz: no .bss: the variables live on the stack
	dq	0x1000			; p_align: the page size
phdr_size	equ	$ - phdr
	dd	0x6474e551		; p_type: PT_GNU_STACK
	dd	6			; p_flags: PF_R | PF_W: the stack is not executable
	dq	0, 0, 0, 0, 0		; p_offset, p_vaddr, p_paddr, p_filesz, p_memsz
	dq	16			; p_align (as ld writes it)

; ---- _start: the frame, then the options (main()'s argv loop) ----
; The kernel enters with rsp -> argc, argv[0..argc-1], NULL, envp ...
; (start.S), rsp 16-byte aligned, the other registers 0.
_start:
	pop	rax			; argc: the NULL after argv ends the loop instead
	pop	rax			; argv[0]: the program's name, unused
	push	rsp			;
	pop	rsi			; rsi -> argv[1], for lodsq
	enter	REQ_MAX - 64, 0		; push rbp (8 bytes), then 4032 more: with the
					;   56 pushed next, the 4096-byte request buffer
	push	rdx			; [rbx+48] act.sa_mask = {} (rdx is 0 at entry)
	push	rdx			; [rbx+40] act.sa_restorer = NULL
	push	rdx			; [rbx+32] act.sa_flags = 0
	push	SIG_IGN			; [rbx+24] act.sa_handler = SIG_IGN; also the int 1
	push	16			; [rbx+16] getsockname's addrlen, in and out
	push	rdx			; [rbx+8]  sin_zero
	mov	rax, 0x0100007f901f0002	; AF_INET, port 8080, 127.0.0.1 (network byte order)
	push	rax			; [rbx]    struct sockaddr_in
	push	rsp			;
	pop	rbx			; rbx = the frame
	jmp	args			; the options

; ---- sys: the next start-up call of `calls`, checked (main(), die()) ----
; r14 -> its entry: the call's number, then its name, which ends where the
; next entry's number (below '_') begins. The arguments are in place.
sys:
	movzx	eax, byte [r14]		; the number
	inc	r14d			; r14 -> the name, for die
	syscall				;
	test	eax, eax		; -4095..-1: an error?
	js	die			; report it
.skip:
	inc	r14d			; past the name, ...
	cmp	byte [r14], '_'		; ... all of whose bytes are >= '_'
	jae	.skip			;
	ret				; r14 -> the next entry

; die: "hello: NAME failed: errno N" on stderr, exit 1. eax = -errno,
; r14 -> NAME. The message is built inside the request buffer.
die:
	neg	eax			; errno
	xchg	eax, ebp		; kept in rbp
	lea	rdi, [rbx+64]		; the message
	mov	esi, hello_colon	; "hello: "
	push	hello_colon_len		;
	pop	rcx			;
	rep	movsb			; rsi -> " failed: errno ", which follows it
	xchg	rsi, r14		; rsi -> the name, r14 -> " failed: errno "
.name:
	lodsb				; c
	cmp	al, '_'			; the next entry's number?
	jb	.rest			; the name has ended
	stosb				; copied
	jmp	.name			;
.rest:
	mov	rsi, r14		; " failed: errno "
	push	failed_len		;
	pop	rcx			;
	rep	movsb			;
	xchg	eax, ebp		; errno
	call	fmt			; in decimal
	mov	al, 10			;
	stosb				; '\n'
	lea	rsi, [rbx+64]		; buf
	mov	rdx, rdi		;
	sub	rdx, rsi		; count
	jmp	fail			; write it, exit 1

; ---- the options: "--port N", "--addr IPv4" (main()'s argv loop) ----
args:					; each "--opt value" pair:
	lodsq				; the option
	xchg	rax, rdx		; in rdx
	test	rdx, rdx		; the NULL after the last?
	jz	start			; yes: the start-up calls
	lodsq				; its value
	xchg	rax, rdi		; in rdi
	test	rdi, rdi		; none: the option was the last word
	jz	usage			; refused
	cmp	word [rdx], '--'	; "--" ...
	jne	usage			;
	cmp	byte [rdx+6], 0		; ... four letters, the end
	jne	usage			;
	mov	eax, [rdx+2]		; the four letters
	cmp	eax, 'addr'		; "--addr"?
	je	addr			;
	cmp	eax, 'port'		; "--port"?
	jne	usage			; neither
	call	num			; rax = the value, rcx = its digits, CF = too long
	jc	usage			; 2^63 or more
	jrcxz	usage			; no digit
	cmp	byte [rdi], 0		; and nothing after the digits
	jne	usage			;
	xchg	al, ah			; htons
	mov	[rbx+2], ax		; sin_port
	shr	rax, 16			; was it <= 65535?
	jz	args			; yes: next pair
					; no such port
; usage: a bad or incomplete option.
usage:
	mov	esi, usage_msg		; "usage: hello [--addr IPv4] [--port N]\n"
	push	usage_len		;
	pop	rdx			; its length
fail:					; write(2, rsi, rdx), then exit_group(1)
	push	2			;
	pop	rdi			; fd = stderr
	push	SYS_write		;
	pop	rax			;
	syscall				; write(2, buf, count)
	dec	edi			; status = 1
	mov	eax, SYS_exit_group	;
	syscall				; exit_group(1): does not return

addr:
	lea	rdx, [rbx+4]		; rdx -> sin_addr: the first octet is stored first
.octet:					; parse_ipv4: four of 1-3 digits <= 255, dots between
	push	rdx			; num uses rdx
	call	num			; rax = the octet, rcx = its digits
	pop	rdx			;
	jrcxz	usage			; no digit
	cmp	ecx, 3			; at most three ("0001" is refused too) ...
	ja	usage			;
	test	ah, ah			; ... so at most 999: <= 255 if ah is 0
	jnz	usage			;
	mov	[rdx], al		; the octet
	inc	rdx			; the next one's place
	test	dl, 7			; rbx+8 (all four done) is a multiple of 8
	jz	.last			;
	mov	al, '.'			; else a dot must follow:
	scasb				;   compare, and step past it
	je	.octet			; next octet
	jmp	usage			; "1.2.3", "1-2.3.4"
.last:
	cmp	byte [rdi], 0		; the end of the value?
	je	args			; yes: next pair
	jmp	usage			; "1.2.3.4x", "1.2.3.4.5": refused

; ---- start: the start-up calls, in the order of `calls` (main()) ----
start:
	mov	r14d, calls		; r14 -> the first entry of `calls`
	mov	ebp, sys		; call rbp: 2 bytes, not 5, seven times
	push	SIGPIPE			; a write to a client that has gone must fail
	pop	rdi			;   with EPIPE, not kill us: signum = SIGPIPE
	lea	rsi, [rbx+24]		; act = {SIG_IGN}
	xor	edx, edx		; oldact = NULL
	push	8			;
	pop	r10			; sigsetsize = 8
	call	rbp			; rt_sigaction(SIGPIPE, &act, NULL, 8)
	push	AF_INET			;
	pop	rdi			; domain
	mov	esi, SOCK_STREAM | SOCK_CLOEXEC ; type; protocol = 0 (rdx)
	call	rbp			; socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)
	xchg	eax, edi		; rdi = the socket, for the next four calls
	push	SOL_SOCKET		; restart at once even while old connections
	pop	rsi			;   sit in TIME_WAIT: level = SOL_SOCKET
	push	SO_REUSEADDR		;
	pop	rdx			; optname
	lea	r10, [rbx+24]		; optval -> 1 (act.sa_handler)
	push	4			;
	pop	r8			; optlen = sizeof(int)
	call	rbp			; setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &1, 4)
	mov	rsi, rbx		; addr
	push	16			;
	pop	rdx			; addrlen
	call	rbp			; bind(fd, &addr, 16)
	mov	esi, 128		; backlog
	call	rbp			; listen(fd, 128)
	mov	rsi, rbx		; with --port 0 the kernel chose the port: ask which
	lea	rdx, [rbx+16]		; &addrlen
	call	rbp			; getsockname(fd, &addr, &addrlen)
	mov	r12d, edi		; r12 = the listening socket
	lea	rdi, [rbx+24]		; the line, 48 bytes at most, from rbx+24
	push	rdi			; its start, for write
	mov	esi, listening		;
	push	listening_len		;
	pop	rcx			;
	rep	movsb			; "listening on http://"
	lea	rsi, [rbx+4]		; rsi -> the address's four bytes
.ip:
	xor	eax, eax		; eax = ...
	lodsb				; ... the next octet
	call	fmt			; in decimal
	mov	al, '.'			; then a dot
	stosb				;
	test	sil, 7			; past the fourth (rbx+8, a multiple of 8)?
	jnz	.ip			; no: next
	mov	byte [rdi-1], ':'	; the last dot becomes the colon
	movzx	eax, word [rbx+2]	; sin_port
	xchg	al, ah			; ntohs
	call	fmt			; in decimal
	mov	al, 10			;
	stosb				; '\n'
	pop	rsi			; buf = the line's start
	mov	rdx, rdi		;
	sub	rdx, rsi		; count
	push	1			;
	pop	rdi			; fd = stdout
	call	rbp			; write(1, line, count)


; ---- accept: one connection at a time (main()'s loop, serve()) ----
accept:
	mov	rsp, rbx		; a fresh stack below the buffer for each client
	mov	edi, r12d		; the listening socket
	xor	esi, esi		; addr = NULL
	xor	edx, edx		; addrlen = NULL
	mov	r10d, SOCK_CLOEXEC	; flags
	mov	eax, SYS_accept4	;
	syscall				; accept4(lfd, NULL, NULL, SOCK_CLOEXEC)
	test	eax, eax		; ECONNABORTED, EINTR...?
	js	accept			; that client is gone: the next one
	xchg	eax, edi		; rdi = the connection, for the calls that follow
	mov	ebp, edi		; and rbp
	push	0			; struct timeval: tv_usec = 0
	push	RECV_TIMEOUT		;   tv_sec: then read fails with EAGAIN (socket(7))
	push	rsp			;
	pop	r10			; optval -> the timeval
	inc	esi			; level = SOL_SOCKET (rsi was NULL for accept4)
	mov	dl, SO_RCVTIMEO		; optname (rdx was NULL)
	push	16			;
	pop	r8			; optlen
	push	SYS_setsockopt		;
	pop	rax			;
	syscall				; setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, 16)
	test	eax, eax		; failed?
	js	close			; then close, unanswered
	mov	rsi, rbx		; len = 0
	jmp	request			; nothing read yet
read_more:
	mov	edi, ebp		; fd
	xor	eax, eax		; SYS_read
	syscall				; read(fd, req + len, count)
	test	eax, eax		; closed (0), reset or timed out (< 0)?
	jle	close			; no one to answer
	add	rsi, rax		; len += n


; ---- the request: read until the head is whole, then the body (serve()) ----
; After each read the head is looked for, from the start (RFC 9112 §2.1:
; it ends at CR LF CR LF); once there, it is checked and its Content-Length
; gives the request's end, and reads go on until that end. Checking again
; after each read of the body finds the same answers: no state to keep.
request:
	mov	rdx, rbx		; scan the request from its start
.scan:
	lea	rax, [rdx+4]		; are four bytes from rdx ...
	cmp	rax, rsi		; ... all read?
	ja	.partial		; no: no blank line yet
	cmp	dword [rdx], 0x0a0d0a0d	; CR LF CR LF?
	je	head_end		; the end of the head
	inc	rdx			; the next position
	jmp	.scan			;
.partial:
	lea	rdx, [rbx+REQ_MAX]	; the buffer's end
	sub	rdx, rsi		; count = the room left
	jnz	read_more		; read more of the head
err431:
	mov	eax, st_431		; none left: "431 Request Header Fields Too Large"
	jmp	error			;
head_end:
	mov	r8, rax			; r8 = the end of the head

; ---- request line: METHOD SP target SP HTTP/1.d CR (request_line_ok()) ----
; The head ends in CR LF CR LF, and each loop stops at a CR.
	push	rsi			; len, kept
	mov	rsi, rbx		; p = the first byte
	xor	eax, eax		; (bt needs eax's upper bytes 0)
.method:
	lodsb				; c = *p++
	test	al, al			; >= 128: not a tchar
	js	.method_end		;
	bt	[tchar_map], eax	; a tchar (RFC 9110 §5.6.2)?
	jc	.method			; yes: next
.method_end:
	cmp	al, ' '			; one SP ends the method ...
	jne	err400			;
	cmp	byte [rbx], ' '		; ... which is not empty
	je	err400			;
.target:
	lodsb				; c = *p++
	sub	al, '!'			; visible: '!' ..
	cmp	al, '~' - '!'		;   .. '~'?
	jbe	.target			; yes: next
	cmp	byte [rsi-2], ' '	; an empty target (SP SP)?
	je	err400			;
	mov	rax, [version-1]	; " HTTP/1." (the SP before "HTTP/1.1 ")
	cmp	[rsi-1], rax		; next?
	jne	err400			;
	movzx	eax, word [rsi+7]	; then a digit and CR: the word from
	sub	eax, 0x0d30		;   0x0d30 ('0' CR) to 0x0d39 ('9' CR)
	cmp	eax, 9			;   less 0x0d30 is 0..9
	pop	rsi			; len
	jbe	content_length		; the line is good

; ---- errors: the status in eax, then the errors' tail (respond_error()) ----
err400:
	mov	eax, st_400		; "400 Bad Request"
	jmp	error			;
err413:
	mov	eax, st_413		; "413 Content Too Large"
error:
	mov	edx, error_tail		; "0" CR LF CR LF
	push	error_tail_len		;
	pop	rcx			;
	jmp	send			; writev, then the lingering close

; ---- Content-Length: each "\ncontent-length:" in the head (content_length()) ----
content_length:
	xor	r9d, r9d		; the body's length: 0 if no such line
	mov	r10, rbx		; p = the head's start
.at:
	cmp	r10, r8			; p < the end of the head?
	jae	.done			; no: all seen
	xor	ecx, ecx		; i = 0
.match:
	mov	al, [r10+rcx]		; the head's byte
	mov	ah, [rcx+cl_name]	; the name's
	test	ah, 0x40		; a letter? ('\n', '-', ':' are below 0x40)
	jz	.same			; no: compare as is
	or	ax, 0x2020		; yes: both in lower case
.same:
	cmp	al, ah			; equal?
	jne	.next			; no: the next position
	inc	ecx			; i++
	cmp	cl, cl_name_len		; the whole name?
	jb	.match			; not yet
	lea	rdi, [r10+cl_name_len]	; the value
	call	skip_ws			; after blanks
	call	num			; rax = its value, rcx = its digits
	jc	err413			; too long: ERANGE
	jrcxz	err400			; no digit: EINVAL
	mov	r9, rax			; the body's length (the last line wins)
	call	skip_ws			; blanks after it
	cmp	byte [rdi], 13		; then the line ends?
	jne	err400			; "1 2", "0x10": EINVAL
.next:
	inc	r10			; p++
	jmp	.at			;
.done:
	lea	rdx, [r8+r9]		; the request's end (r9 < 2^63: no overflow)
	lea	rax, [rbx+REQ_MAX]	; past the buffer?
	cmp	rdx, rax		;
	ja	err413			; 413
	sub	rdx, rsi		; count = what is missing of the body
	ja	read_more		; read it
; ---- answer: 200, and the body unless the method is HEAD (RFC 9110 §9.3.2) ----
answer:
	mov	eax, st_200		; "200 OK"
	mov	edx, ok_tail		; "20" CR LF CR LF "<h1>hello world</h1>"
	push	ok_tail_len		;
	pop	rcx			; the tail with the body
	cmp	dword [rbx], 'HEAD'	; "HEAD" ...
	jne	send			;
	cmp	byte [rbx+4], ' '	; ... SP?
	jne	send			;
	mov	cl, ok_tail_len - body_len ; then the tail without it

; ---- send: "HTTP/1.1 ", status, headers, tail in one writev (respond()) ----
; eax -> the status (its length in the byte before it), edx -> the tail,
; ecx = the tail's length. On a blocking socket writev returns when all is
; sent, or fails (the client has gone: we close next anyway).
send:
	push	rcx			; iov[3].iov_len
	push	rdx			; iov[3].iov_base: the tail
	push	headers_len		; iov[2].iov_len
	push	headers			; iov[2].iov_base: the fixed header fields
	movzx	ecx, byte [rax-1]	; the status's length
	push	rcx			; iov[1].iov_len
	push	rax			; iov[1].iov_base: the status
	push	version_len		; iov[0].iov_len
	push	version			; iov[0].iov_base: "HTTP/1.1 "
	push	rsp			;
	pop	rsi			; iov
	mov	edi, ebp		; fd
	push	4			;
	pop	rdx			; iovcnt
	push	SYS_writev		;
	pop	rax			;
	syscall				; writev(fd, iov, 4)
	cmp	byte [rsi+56], error_tail_len ; iov[3].iov_len: the errors' tail?
	jne	close			; no: a 200, close now
; After an error, close gently: close() with unread data makes the kernel
; send a reset that can destroy the answer before the client reads it; so
; half-close, and read and discard what is in flight until the client
; closes too (RFC 9112 §9.6).
	push	SHUT_WR			;
	pop	rsi			; how
	push	SYS_shutdown		;
	pop	rax			;
	syscall				; shutdown(fd, SHUT_WR)
	test	eax, eax		; failed?
	js	close			; then just close
	push	LINGER_READS		;
	pop	r8			; at most 16 reads
.linger:
	mov	rsi, rbx		; into the request buffer
	mov	edx, REQ_MAX		; count
	xor	eax, eax		; SYS_read
	syscall				; read(fd, req, REQ_MAX)
	test	eax, eax		; the client closed (or timed out)?
	jle	close			; done
	dec	r8d			; another read?
	jnz	.linger			; yes: enough after 16
close:
	mov	edi, ebp		; the connection
	push	SYS_close		;
	pop	rax			;
	syscall				; close(fd)
	jmp	accept			; the next client

; ---- num, skip_ws, fmt (str.c's parse_u64, fmt_u64) ----
; num: the decimal digits at rdi. rax = their value, rcx = how many, rdi ->
; the first non-digit; CF = 1 if the value reached 2^63 (then rax, rcx are
; partial): far beyond any port, octet or body this server takes.
num:
	xor	eax, eax		; value = 0
	xor	ecx, ecx		; digits = 0
.digit:
	movzx	edx, byte [rdi]		; c
	sub	edx, '0'		; c - '0' ...
	cmp	edx, 9			; ... 0-9?
	ja	.done			; no: the end (ja taken: CF = 0)
	imul	rax, rax, 10		; value * 10: CF = 1 past 2^63
	jc	.done			; too long
	add	rax, rdx		; + the digit
	inc	rdi			; next
	inc	ecx			; one more digit
	jmp	.digit			;
.done:
	ret				;

; skip_ws: rdi past any SP and HT.
skip_ws:
	mov	al, [rdi]		; c
	inc	rdi			; past it ...
	cmp	al, ' '			; SP
	je	skip_ws			;
	cmp	al, 9			; HT
	je	skip_ws			;
	dec	rdi			; ... unless it was neither
	ret				;

; fmt: eax in decimal at rdi, rdi advanced; the higher digits first, by
; recursion. Clobbers eax, ecx, edx.
fmt:
	xor	edx, edx		;
	push	10			;
	pop	rcx			;
	div	ecx			; eax = value / 10, edx = value % 10
	push	rdx			; this digit, for after the higher ones
	test	eax, eax		; higher digits?
	jz	.out			; no
	call	fmt			; yes: them first
.out:
	pop	rax			; this digit
	add	al, '0'			; in ASCII
	stosb				;
	ret				;

; ---- constants: the response pieces and the messages ----
hello_colon:	db	"hello: "		; die's message: "hello: " NAME ...
hello_colon_len	equ	$ - hello_colon
failed:		db	" failed: errno "	; ... " failed: errno " N; its last SP
failed_len	equ	$ - failed		; also starts the request line's " HTTP/1."
version:	db	"HTTP/1.1 "
version_len	equ	$ - version
headers:	db	13, 10, "Content-Type: text/html; charset=utf-8", 13, 10
		db	"Connection: close", 13
cl_name:	db	10, "Content-Length:"	; also the name content_length() looks for
cl_name_len	equ	$ - cl_name
		db	" "
headers_len	equ	$ - headers
ok_tail:	db	"2"			; the 200 tail: "20" CR LF CR LF, the body
error_tail:	db	"0", 13, 10, 13, 10	; ... whose end is the errors' tail
error_tail_len	equ	$ - error_tail
hello_body:	db	"<h1>hello world</h1>"
body_len	equ	$ - hello_body
ok_tail_len	equ	$ - ok_tail
; each status after its length byte (respond)
		db	st_200_len
st_200:		db	"200 OK"
st_200_len	equ	$ - st_200
		db	st_400_len
st_400:		db	"400 Bad Request"
st_400_len	equ	$ - st_400
		db	st_413_len
st_413:		db	"413 Content Too Large"
st_413_len	equ	$ - st_413
		db	st_431_len
st_431:		db	"431 Request Header Fields Too Large"
st_431_len	equ	$ - st_431
; tchar: bit (c & 31) of dword (c >> 5) is set (str.c's tchar_map)
tchar_map:	dd	0x00000000, 0x03ff6cfa, 0xc7fffffe, 0x57ffffff
listening:	db	"listening on http://"
listening_len	equ	$ - listening
usage_msg:	db	"usage: hello [--addr IPv4] [--port N]", 10
usage_len	equ	$ - usage_msg
; the start-up calls in their order: number, name (sys, die)
calls:		db	SYS_rt_sigaction, "rt_sigaction"
		db	SYS_socket, "socket"
		db	SYS_setsockopt, "setsockopt"
		db	SYS_bind, "bind"
		db	SYS_listen, "listen"
		db	SYS_getsockname, "getsockname"
		db	SYS_write, "write"
		db	0			; the end of the last name

file_size	equ	$ - ehdr
