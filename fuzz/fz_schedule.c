/*
 * fz_schedule.c -- a recorded schedule file, as `--schedule FILE` replays it (lr_sched_new reads
 * it before any thread runs; lr_sched_end then frees the scheduler).
 *
 * Properties: a rejected file is -1 with a message; in an accepted one, every choice read is one
 * whole line of the file exactly as the recorder writes it ("STEP THREAD VERB POINT INDEX"), in
 * order, and every other line is blank, a comment or the end line ("end STEPS HASH"): nothing is
 * read from half a line, from a line with more on it, or from a number that does not fit.
 */
#include <inttypes.h>
#include <string.h>

#include "fz.h"
#include "sched/sched_int.h"

/* __other_line -- a line the reader may skip: blank, a comment, or the end line. */
static bool
__other_line(const char *line, size_t n)
{
    return (n == 0 || line[0] == '#' || (n > 4 && strncmp(line, "end ", 4) == 0));
}

/* __check_choices -- each choice of s is the next line of data that is not skipped. */
static void
__check_choices(const lr_sched *s, const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *line, *nl;
    char want[256];
    size_t i, n;
    int off;

    for (i = 0; i < s->nreplay; i++) {
        const lr_choice *c = &s->replay[i];

        off = snprintf(want, sizeof(want), "%" PRIu64 " %d %s %s %d", c->step, c->tid, c->verb,
          c->name, c->idx);
        /* A line of the current format also has the mark, from and from_steps fields. */
        if (c->from != -2 && off > 0 && (size_t)off < sizeof(want))
            snprintf(want + off, sizeof(want) - (size_t)off, " %c %d %" PRIu64, c->mark, c->from,
              c->from_steps);
        for (;;) {
            FZ_CHECK(p < end, "choice %zu (%s) is on no line of its own", i, want);
            if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
                nl = end;
            line = p;
            n = (size_t)(nl - p);
            p = nl + 1;
            if (n == strlen(want) && memcmp(line, want, n) == 0)
                break;
            FZ_CHECK(__other_line(line, n), "choice %zu (%s) was read from the line '%.*s'", i,
              want, (int)(n > 200 ? 200 : n), line);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lr_sched_config cfg;
    lr_sched *s = NULL;
    char path[600], err[1024], summary[512];
    int rc;

    fz_path(path, sizeof(path), "schedule.txt");
    fz_write(path, data, size);
    memset(&cfg, 0, sizeof(cfg));
    cfg.kind = LR_SCHED_RANDOM;
    cfg.depth = 3;
    cfg.seed = 1;
    cfg.replay = path;
    err[0] = '\0';
    rc = lr_sched_new(&cfg, &s, err, sizeof(err));
    if (rc != 0) {
        FZ_CHECK(rc == -1 && s == NULL, "lr_sched_new returned %d", rc);
        FZ_CHECK(strncmp(err, path, strlen(path)) == 0,
          "a rejected schedule's message does not name the file: '%s'", err);
        return (0);
    }
    FZ_CHECK(s != NULL, "lr_sched_new returned no scheduler");
    __check_choices(s, data, size);
    rc = lr_sched_end(s, summary, sizeof(summary));
    FZ_CHECK(rc == 0, "lr_sched_end of a run that never started returned %d", rc);
    return (0);
}
