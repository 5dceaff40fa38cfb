/* entry.h - the C entry point that start.S calls; its return value becomes
 * the process exit status (exit_group(2)). */
#ifndef SCRATCHD_ENTRY_H
#define SCRATCHD_ENTRY_H

int main(int argc, char **argv, char **envp);

#endif
