/*
 * vmatch.c -- a compiled pattern over violation lines (vmatch.h).
 */
#include <stdio.h>
#include <string.h>

#include "common/vmatch.h"

int
lr_vmatch_compile(lr_vmatch *m, const char *pattern, const char *flag, char *err, size_t len)
{
    char why[256];
    int rc;

    memset(m, 0, sizeof(*m));
    if (pattern == NULL || pattern[0] == '\0')
        return (0);
    if ((rc = regcomp(&m->re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
        (void)regerror(rc, &m->re, why, sizeof(why));
        (void)snprintf(err, len, "%s '%s': %s", flag, pattern, why);
        return (1);
    }
    m->set = true;
    return (0);
}

bool
lr_vmatch_line(const lr_vmatch *m, const char *invariant, const char *what)
{
    char line[1024];

    if (!m->set)
        return (true);
    (void)snprintf(line, sizeof(line), "%s: %s", invariant, what);
    return (regexec(&m->re, line, 0, NULL, 0) == 0);
}

void
lr_vmatch_free(lr_vmatch *m)
{
    if (m->set)
        regfree(&m->re);
    m->set = false;
}
