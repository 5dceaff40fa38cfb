/*
 * auxv.c - reading the auxiliary vector. The kernel lays out the initial
 * stack as argc, argv[], NULL, envp[], NULL, then (type, value) pairs up to
 * AT_NULL (System V ABI, "Process Initialization"; see start.S).
 */
#include "../syscall.h"
#include "auxv.h"

unsigned long auxv_value(char **envp, unsigned long type)
{
	while (*envp)
		envp++;
	for (unsigned long *a = (unsigned long *)(envp + 1); a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
