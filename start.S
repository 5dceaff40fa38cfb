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
 * return value to exit_group(2). One block per architecture.
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

#else
#error "scratchd: unsupported architecture (add a block to start.S and syscall.h)"
#endif

/* No executable stack: without this note, ld gives the stack PROT_EXEC. */
	.section .note.GNU-stack, "", %progbits
