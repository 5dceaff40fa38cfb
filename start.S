/*
 * start.S - the process entry point. No libc runs before us: the kernel jumps
 * to _start with the initial stack laid out as (System V ABI, "Process
 * Initialization"; execve(2)):
 *
 *	sp ->	argc
 *		argv[0] ... argv[argc-1], NULL
 *		envp[0] ... NULL
 *		auxv (type, value) pairs ... AT_NULL
 *
 * _start derives argc/argv/envp, aligns the stack as the calling convention
 * requires, calls int main(int argc, char **argv, char **envp), and passes its
 * return value to exit_group(2). One block per architecture; x86-64's also has
 * the return path of signal handlers.
 */

#if defined(__x86_64__)
	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* mark the outermost frame for debuggers */
	mov	(%rsp), %edi		/* arg1: argc */
	lea	8(%rsp), %rsi		/* arg2: argv = sp + 8 */
	lea	16(%rsp,%rdi,8), %rdx	/* arg3: envp = argv + argc + 1 */
	and	$-16, %rsp		/* ABI: rsp is 16-byte aligned at the call */
	call	main
	mov	%eax, %edi		/* exit status = main's return value */
	mov	$231, %eax		/* __NR_exit_group */
	syscall
	hlt				/* not reached: exit_group does not return */
	.size	_start, . - _start

	/* Where a signal handler returns (sa_restorer, syscall.h): the kernel
	 * put the interrupted state on the stack; rt_sigreturn(2) restores it. */
	.globl	sys_restore_rt
	.type	sys_restore_rt, @function
sys_restore_rt:
	mov	$15, %eax		/* __NR_rt_sigreturn */
	syscall
	hlt				/* not reached */
	.size	sys_restore_rt, . - sys_restore_rt

#elif defined(__aarch64__)
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0			/* outermost frame: no caller */
	mov	x30, #0			/* and no return address */
	ldr	x0, [sp]		/* arg1: argc */
	add	x1, sp, #8		/* arg2: argv = sp + 8 */
	add	x2, x1, x0, lsl #3	/* argv + argc ... */
	add	x2, x2, #8		/* arg3: envp = argv + argc + 1 */
	/* sp is already 16-byte aligned at entry (AAPCS64 requires it always) */
	bl	main
	mov	x8, #94			/* __NR_exit_group; x0 = main's return value */
	svc	#0
	brk	#0			/* not reached */
	.size	_start, . - _start

#elif defined(__riscv) && __riscv_xlen == 64
	.text
	.globl	_start
	.type	_start, @function
_start:
	/* No gp set-up: the Makefile links with --no-relax, so no code is
	 * relaxed into gp-relative form and __global_pointer$ is not needed. */
	li	s0, 0			/* outermost frame: no caller */
	li	ra, 0
	ld	a0, 0(sp)		/* arg1: argc */
	addi	a1, sp, 8		/* arg2: argv = sp + 8 */
	slli	t0, a0, 3		/* argc * 8 */
	add	a2, a1, t0
	addi	a2, a2, 8		/* arg3: envp = argv + argc + 1 */
	andi	sp, sp, -16		/* psABI: sp is 16-byte aligned at a call */
	call	main
	li	a7, 94			/* __NR_exit_group; a0 = main's return value */
	ecall
	ebreak				/* not reached */
	.size	_start, . - _start

#else
#error "scratchd: unsupported architecture (add a block to start.S and syscall.h)"
#endif

/* No executable stack: without this note, ld gives the stack PROT_EXEC. */
	.section .note.GNU-stack, "", %progbits
