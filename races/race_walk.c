/*
 * race_walk.c -- what the cursor scenarios of races/ share: walking a positioned cursor against
 * the rows its view must serve, and the maintenance calls a scenario runs on its own thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "race.h"

int
rr_walk(lr_sc *sc, lt_cursor *c, int dir, const char *after, const char *expect, bool to_end,
  const char *what)
{
    const char *move = dir > 0 ? "next" : "prev", *key, *want;
    char buf[1024], prev[64], *save = NULL;
    int rc, steps;

    (void)snprintf(buf, sizeof(buf), "%s", expect);
    want = strtok_r(buf, " ", &save);
    (void)snprintf(prev, sizeof(prev), "%s", after != NULL ? after : "");
    for (steps = 0; want != NULL || to_end; steps++) {
        if ((rc = dir > 0 ? lt_cursor_next(c) : lt_cursor_prev(c)) == WT_NOTFOUND) {
            if (want != NULL)
                lr_sc_violation(sc, "I1",
                  "%s: %s after %s returned WT_NOTFOUND, but row %s is committed and in the "
                  "cursor's view",
                  what, move, prev[0] != '\0' ? prev : "the start", want);
            return (0);
        }
        if (rc != 0 || (rc = lt_cursor_get_key(c, &key)) != 0) {
            lr_sc_log(sc, "%s: %s failed: %s", what, move, rr_said(rc));
            return (rc);
        }
        if (prev[0] != '\0' && strcmp(key, prev) * dir <= 0) {
            lr_sc_violation(sc, "I2", "%s: %s after %s returned %s: out of order", what, move, prev,
              key);
            return (0);
        }
        if (want == NULL || strcmp(key, want) != 0) {
            lr_sc_violation(sc, "I1", "%s: %s after %s returned %s where the view holds %s", what,
              move, prev[0] != '\0' ? prev : "the start", key,
              want != NULL ? want : "no more rows");
            return (0);
        }
        if (steps > 1000) { /* the expected list is far shorter: the walk does not end */
            lr_sc_violation(sc, "I2", "%s: %s does not reach the end", what, move);
            return (0);
        }
        (void)snprintf(prev, sizeof(prev), "%s", key);
        want = strtok_r(NULL, " ", &save);
    }
    lr_sc_log(sc, "%s: %s served %s as the view holds", what, move, expect);
    return (0);
}

void
rr_keys(char *buf, size_t len, char prefix, int from, int to, int skip)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = from; i < to && used < len; i++)
        if (i != skip)
            used +=
              (size_t)snprintf(buf + used, len - used, "%s%c%d", used == 0 ? "" : " ", prefix, i);
}
