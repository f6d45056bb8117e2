/*
 * sched_follow.c -- the follow strategy: a controlled run that takes a free run's recorded order
 * (sched_order.h) as its guide.
 *
 * Each thread has a cursor into its recorded items. A controlled thread notes the same points a
 * free one records (the harness's wrappers and library events; the library's own lock, condition
 * and grace points are not recorded in free mode and are not noted). A note that matches the item
 * at the cursor moves it on; one that does not is a divergence: the cursor skips ahead to a match
 * among the next LR_FOLLOW_RESYNC items, or stays (a point the free run did not take). At a
 * choice, the runnable thread whose next item has the lowest global number runs: the one that
 * reached its next point first in the free run (or, cfg.follow_by, the one that went on from its
 * current point first, or whose segment between the two has the earliest middle: the free run's
 * segments between two points overlapped, and which part of one mattered is not known). A point
 * where the free thread slept or was delayed has two numbers: when it arrived and when it went
 * on; the segment after it starts at the second. A thread
 * past its items (its recording ended, or it went further than the free run) comes last; among
 * those the running thread goes on, else the lowest id. A runnable thread passed over
 * LR_FOLLOW_AGE choices in a row runs: after a divergence a thread can stay on an item its loop
 * never reaches (a drop retried while a cursor stays open), keep the lowest number and starve
 * the very thread it waits for (the one that would close that cursor).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched_int.h"
#include "sched/sched_order.h"

#define LR_FOLLOW_RESYNC 64
#define LR_FOLLOW_AGE 1000
#define LR_FOLLOW_NAMES 4096

typedef struct {
    uint64_t seq, leave, detail;
    int32_t idx;
    uint16_t name; /* into names */
    uint8_t verb;
} __fitem;

typedef struct {
    __fitem *v;
    size_t n, cap, pos;
} __ftrack;

struct lr_follow {
    __ftrack t[LR_ORDER_THREADS];
    char *names[LR_FOLLOW_NAMES];
    int nnames;
    uint64_t items, matched, divergences, skipped;
    uint64_t first_step; /* the first divergence's step, 0 none */
    char first[256];     /* and what it was */
};

static int
__intern(lr_follow *f, const char *name)
{
    int i;

    for (i = 0; i < f->nnames; i++)
        if (strcmp(f->names[i], name) == 0)
            return (i);
    if (f->nnames == LR_FOLLOW_NAMES || (f->names[f->nnames] = strdup(name)) == NULL)
        return (-1);
    return (f->nnames++);
}

static int
__verb_parse(const char *s)
{
    int v;

    for (v = 1; lr_order_verb_name(v) != NULL; v++)
        if (strcmp(lr_order_verb_name(v), s) == 0)
            return (v);
    return (-1);
}

/* __item -- one item line into track tr. Returns 0 or -1. */
static int
__item(lr_follow *f, __ftrack *tr, const char *line)
{
    char verb[16], name[128], again[300];
    uint64_t seq, leave, detail;
    __fitem *nv;
    int idx, v, ni;

    if (sscanf(line, "%" SCNu64 " %15s %127s %d %" SCNx64 " %" SCNu64, &seq, verb, name, &idx,
          &detail, &leave) != 6)
        return (-1);
    snprintf(again, sizeof(again), "%" PRIu64 " %s %s %d %" PRIx64 " %" PRIu64, seq, verb, name,
      idx, detail, leave);
    if (strcmp(again, line) != 0 || (v = __verb_parse(verb)) < 0 || (ni = __intern(f, name)) < 0)
        return (-1);
    if (tr->n == tr->cap) {
        tr->cap = tr->cap == 0 ? 1024 : 2 * tr->cap;
        if ((nv = realloc(tr->v, tr->cap * sizeof(*nv))) == NULL)
            return (-1);
        tr->v = nv;
    }
    tr->v[tr->n].seq = seq;
    tr->v[tr->n].leave = leave;
    tr->v[tr->n].detail = detail;
    tr->v[tr->n].idx = idx;
    tr->v[tr->n].name = (uint16_t)ni;
    tr->v[tr->n].verb = (uint8_t)v;
    tr->n++;
    f->items++;
    return (0);
}

int
__lr_follow_open(lr_sched *s, char *err, size_t errlen)
{
    lr_follow *f;
    __ftrack *tr = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    FILE *fp;
    int id, lineno, ret = 0;
    unsigned long long total;

    if (s->cfg.follow == NULL) {
        snprintf(err, errlen, "--sched follow needs the order a free run recorded (--follow FILE)");
        return (-1);
    }
    if ((fp = fopen(s->cfg.follow, "r")) == NULL) {
        snprintf(err, errlen, "cannot open the order %s: %s", s->cfg.follow, strerror(errno));
        return (-1);
    }
    if ((f = s->follow = calloc(1, sizeof(*f))) == NULL) {
        fclose(fp);
        snprintf(err, errlen, "out of memory");
        return (-1);
    }
    for (lineno = 1; ret == 0 && (len = getline(&line, &lcap, fp)) != -1; lineno++) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0' || sscanf(line, "end %llu", &total) == 1)
            continue;
        if (sscanf(line, "thread %d", &id) == 1) {
            if (id < 0 || id >= LR_ORDER_THREADS)
                ret = -1;
            else
                tr = &f->t[id];
        } else if (tr == NULL || __item(f, tr, line) != 0)
            ret = -1;
        if (ret != 0)
            snprintf(err, errlen,
              "%s:%d: expected 'thread ID ITEMS', 'SEQ VERB NAME IDX DETAIL LEAVE' or 'end TOTAL'",
              s->cfg.follow, lineno);
    }
    free(line);
    fclose(fp);
    return (ret);
}

void
__lr_follow_free(lr_sched *s)
{
    lr_follow *f = s->follow;
    int i;

    if (f == NULL)
        return;
    for (i = 0; i < LR_ORDER_THREADS; i++)
        free(f->t[i].v);
    for (i = 0; i < f->nnames; i++)
        free(f->names[i]);
    free(f);
    s->follow = NULL;
}

static bool
__match(const lr_follow *f, const __fitem *it, int verb, const char *name, int idx, uint64_t detail)
{
    return (it->verb == verb && it->idx == idx && it->detail == detail &&
      strcmp(f->names[it->name], name) == 0);
}

/* __lr_follow_note -- self reached a recorded kind of point (lk held): move its cursor. */
void
__lr_follow_note(lr_sched *s, lr_sthread *self, int verb, const char *name, int idx,
  uint64_t detail)
{
    lr_follow *f = s->follow;
    __ftrack *tr;
    const __fitem *it;
    size_t j;

    if (f == NULL || self->id >= LR_ORDER_THREADS)
        return;
    tr = &f->t[self->id];
    if (tr->pos < tr->n && __match(f, &tr->v[tr->pos], verb, name, idx, detail)) {
        tr->pos++;
        f->matched++;
        return;
    }
    if (tr->pos == tr->n) /* further than the free run went: nothing to follow */
        return;
    f->divergences++;
    if (f->first_step == 0) {
        it = &tr->v[tr->pos];
        f->first_step = s->step + 1;
        snprintf(f->first, sizeof(f->first),
          "thread %d expected %s %s@%d (free item %" PRIu64 "), found %s %s@%d", self->id,
          lr_order_verb_name(it->verb), f->names[it->name], it->idx, it->seq,
          lr_order_verb_name(verb), name, idx);
    }
    for (j = tr->pos + 1; j < tr->n && j <= tr->pos + LR_FOLLOW_RESYNC; j++)
        if (__match(f, &tr->v[j], verb, name, idx, detail)) {
            f->skipped += j - tr->pos;
            tr->pos = j + 1;
            return;
        }
}

/* __key -- a thread's place in the free run's order (its cursor is not past its items). */
static uint64_t
__key(int by, const __ftrack *tr)
{
    uint64_t cur = tr->pos > 0 ? tr->v[tr->pos - 1].leave : 0, next = tr->v[tr->pos].seq;

    return (by == LR_FOLLOW_CURRENT ? cur : by == LR_FOLLOW_MIDDLE ? cur + (next - cur) / 2 : next);
}

/* __lr_follow_choose -- the runnable thread whose next recorded item came first (lk held). */
lr_sthread *
__lr_follow_choose(lr_sched *s, lr_sthread **r, int nr, const lr_sthread *self)
{
    lr_follow *f = s->follow;
    lr_sthread *best = NULL;
    uint64_t key, best_key = UINT64_MAX;
    const __ftrack *tr;
    int i;

    for (i = 0; i < nr; i++) {
        key = UINT64_MAX;
        if (f != NULL && r[i]->id < LR_ORDER_THREADS) {
            tr = &f->t[r[i]->id];
            if (tr->pos < tr->n)
                key = __key(s->cfg.follow_by, tr);
        }
        if (best == NULL || key < best_key || (key == best_key && r[i] == self)) {
            best = r[i];
            best_key = key;
        }
    }
    for (i = 0; i < nr; i++) /* the longest starved, if one starved too long */
        if (r[i]->passed >= LR_FOLLOW_AGE && r[i]->passed > best->passed)
            best = r[i];
    for (i = 0; i < nr; i++)
        if (r[i] != best)
            r[i]->passed++; /* the one that runs starts again at 0 (sched.c) */
    return (best);
}

/* __lr_follow_summary -- the follow strategy's part of the summary line (lk held). */
void
__lr_follow_summary(lr_sched *s, char *buf, size_t len)
{
    const lr_follow *f = s->follow;

    if (f == NULL)
        return;
    if (f->divergences == 0)
        snprintf(buf, len, ", followed %" PRIu64 " of %" PRIu64 " recorded items, no divergence",
          f->matched, f->items);
    else
        snprintf(buf, len,
          ", followed %" PRIu64 " of %" PRIu64 " recorded items, %" PRIu64 " divergences (%" PRIu64
          " items skipped); diverged at step %" PRIu64 ": %s",
          f->matched, f->items, f->divergences, f->skipped, f->first_step, f->first);
}
