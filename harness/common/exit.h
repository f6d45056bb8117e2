/*
 * exit.h -- how every layerace command ends: its exit status, and the program's name in its
 * messages and printed commands.
 */
#ifndef LR_EXIT_H
#define LR_EXIT_H

/* Exit codes of every command. FOUND: a violation, a divergence or a failed check, or the run
 * crashed. ENV: a usage or environment error. */
#define LR_EXIT_CLEAN 0
#define LR_EXIT_FOUND 1
#define LR_EXIT_ENV 2
/* Only between a --crash-every life and its parent: an injected panic ended the life. */
#define LR_EXIT_PANICKED 3

/* The same sources build both binaries; the test-only one can put faults back (LT_FAULTS). */
#ifdef LT_FAULTS
#define LR_PROG "layerace-faults"
#define LR_HAVE_FAULTS 1
#else
#define LR_PROG "layerace"
#define LR_HAVE_FAULTS 0
#endif

#endif /* LR_EXIT_H */
