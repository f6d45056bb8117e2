/*
 * vmatch.h -- a regular expression over a violation's line "INVARIANT: what", compiled once: what
 * `explore --match` looks for and `stress --stop-on` stops at.
 */
#ifndef LR_VMATCH_H
#define LR_VMATCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* Immutable once compiled: any thread may match against it. */
typedef struct {
    regex_t re;
    bool set; /* false: no pattern, every violation matches */
} lr_vmatch;

/* Compile pattern (NULL or "": match all). On a bad pattern, 1 with "FLAG 'PATTERN': why" in err.
 */
int lr_vmatch_compile(lr_vmatch *m, const char *pattern, const char *flag, char *err, size_t len);
/* Does the violation "invariant: what" match? */
bool lr_vmatch_line(const lr_vmatch *m, const char *invariant, const char *what);
void lr_vmatch_free(lr_vmatch *m);

#endif
