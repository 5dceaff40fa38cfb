/* auxv.h - the auxiliary vector the kernel puts after envp (getauxval(3)). */
#ifndef SCRATCHD_AUXV_H
#define SCRATCHD_AUXV_H

/* The value of entry type (AT_HWCAP ...) of the auxiliary vector that
 * follows envp's NULL on the initial stack, or 0 if there is none. */
unsigned long auxv_value(char **envp, unsigned long type);

#endif
