/*
 * ckdrop.c -- dropping the WiredTiger checkpoints of freed checkpoint records.
 *
 * A drop is a WiredTiger checkpoint of its own (a metadata update and a synced log record), as
 * costly as the checkpoint that made the name. So __lt_maintain queues the (name, table) pairs of
 * the records it frees, and the next checkpoint of a table drops its queued names in the same
 * WiredTiger call. A queue that grows long (no leader checkpoints for a while) is dropped table
 * by table, each table's names in one call. A name WiredTiger refuses to drop (EBUSY: still open
 * in a cursor) stays queued. What is queued when the cluster closes goes with the connection.
 */
#include "lt_ckdrop.h"
#include "lt_wtfault.h"

#define LT_CKDROP_FLUSH 32

/* Queue one (checkpoint, table); false when out of memory (cluster.ckpt_lock held). */
bool
__lt_ckdrop_add_locked(lt_cluster *cl, const char *wt_name, const char *uri)
{
    struct lt_ckpt_drop *d, *p;
    int cap;

    assert(__lt_mutex_held(&cl->ckpt_lock));
    if (cl->nckdrops == cl->ckdrops_cap) {
        cap = cl->ckdrops_cap == 0 ? 16 : cl->ckdrops_cap * 2;
        if ((p = realloc(cl->ckdrops, (size_t)cap * sizeof(*p))) == NULL)
            return (false);
        cl->ckdrops = p;
        cl->ckdrops_cap = cap;
    }
    d = &cl->ckdrops[cl->nckdrops++];
    (void)snprintf(d->wt_name, sizeof(d->wt_name), "%s", wt_name);
    (void)snprintf(d->uri, sizeof(d->uri), "%s", uri);
    return (true);
}

/*
 * lt_ckdrop_take --
 *     Move the queued drops of the given tables (all tables: NULL) out of the queue into a
 *     "drop=(...)," configuration fragment (malloc'd, NULL when there are none). The entries are
 *     returned in *takenp so that a failed checkpoint can queue them again.
 */
static char *
lt_ckdrop_take(lt_cluster *cl, const char *const *uris, int nuris, struct lt_ckpt_drop **takenp,
  int *ntakenp)
{
    struct lt_ckpt_drop *d, *taken;
    size_t len, off;
    char *frag;
    int i, j, k, n;
    bool mine, seen;

    *takenp = NULL;
    *ntakenp = 0;
    frag = NULL;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    if (cl->nckdrops == 0 || (taken = calloc((size_t)cl->nckdrops, sizeof(*taken))) == NULL)
        goto done;
    for (i = n = k = 0; i < cl->nckdrops; i++) {
        d = &cl->ckdrops[i];
        for (mine = (uris == NULL), j = 0; !mine && j < nuris; j++)
            mine = strcmp(d->uri, uris[j]) == 0;
        if (mine)
            taken[n++] = *d;
        else
            cl->ckdrops[k++] = *d;
    }
    cl->nckdrops = k;
    len = 16;
    for (i = 0; i < n; i++)
        len += strlen(taken[i].wt_name) + 1;
    if (n == 0 || (frag = malloc(len)) == NULL) {
        for (i = 0; i < n; i++) /* nothing to take, or out of memory: leave them queued */
            cl->ckdrops[cl->nckdrops++] = taken[i];
        free(taken);
        goto done;
    }
    off = (size_t)snprintf(frag, len, "drop=(");
    for (i = 0; i < n; i++) { /* a name once: the call drops it from every target */
        for (seen = false, j = 0; !seen && j < i; j++)
            seen = strcmp(taken[j].wt_name, taken[i].wt_name) == 0;
        if (!seen)
            off +=
              (size_t)snprintf(frag + off, len - off, "%s%s", off > 6 ? "," : "", taken[i].wt_name);
    }
    (void)snprintf(frag + off, len - off, "),");
    *takenp = taken;
    *ntakenp = n;
done:
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (frag);
}

/* Queue again the drops a failed checkpoint did not do (a name still open: EBUSY). */
static void
lt_ckdrop_return(lt_cluster *cl, struct lt_ckpt_drop *taken, int n)
{
    int i;

    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    for (i = 0; i < n; i++)
        (void)__lt_ckdrop_add_locked(cl, taken[i].wt_name, taken[i].uri);
    __lt_mutex_unlock(&cl->ckpt_lock);
    free(taken);
}

/* Drop a long queue now, table by table, every queued name of a table in one call. */
void
__lt_ckdrop_flush(lt_cluster *cl, WT_SESSION *wt)
{
    struct lt_ckpt_drop *taken;
    char uri[LT_URI_MAX], *frag, *cfg;
    const char *u = uri;
    size_t len;
    int n, rc;

    for (;;) {
        __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
        n = cl->nckdrops;
        if (n >= LT_CKDROP_FLUSH)
            (void)snprintf(uri, sizeof(uri), "%s", cl->ckdrops[0].uri);
        __lt_mutex_unlock(&cl->ckpt_lock);
        if (n < LT_CKDROP_FLUSH || (frag = lt_ckdrop_take(cl, &u, 1, &taken, &n)) == NULL)
            return;
        len = strlen(frag) + strlen(uri) + 16;
        rc = ENOMEM;
        if ((cfg = malloc(len)) != NULL) {
            (void)snprintf(cfg, len, "%starget=(\"%s\")", frag, uri);
            rc = LT_WT(cl, "checkpoint.drop_old", wt->checkpoint(wt, cfg));
            free(cfg);
        }
        free(frag);
        if (rc == 0 || rc == ENOENT) { /* ENOENT: the table is gone, and its checkpoints */
            free(taken);
            continue;
        }
        lt_ckdrop_return(cl, taken, n); /* busy: a later checkpoint drops them */
        return;
    }
}

/*
 * __lt_ckdrop_checkpoint --
 *     The WiredTiger checkpoint of record ck, which also drops the queued checkpoints of its
 *     tables; if that fails (a queued name still open), the checkpoint alone, the drops queued
 *     again.
 */
int
__lt_ckdrop_checkpoint(lt_cluster *cl, WT_SESSION *wt, lt_ckpt *ck)
{
    struct lt_ckpt_drop *taken;
    const char **uris;
    char *frag, *cfg;
    size_t len, off;
    int i, ntaken, rc;

    if ((uris = calloc((size_t)ck->ntables, sizeof(*uris))) == NULL)
        return (ENOMEM);
    len = 64 + strlen(ck->wt_name);
    for (i = 0; i < ck->ntables; i++) {
        uris[i] = ck->tables[i].stable->uri;
        len += strlen(uris[i]) + 4;
    }
    frag = lt_ckdrop_take(cl, uris, ck->ntables, &taken, &ntaken);
    free(uris);
    len += frag == NULL ? 0 : strlen(frag);
    rc = ENOMEM;
    if ((cfg = malloc(len)) != NULL)
        for (;;) {
            off = (size_t)snprintf(cfg, len, "name=%s,%starget=(", ck->wt_name,
              frag == NULL ? "" : frag);
            for (i = 0; i < ck->ntables; i++)
                off += (size_t)snprintf(cfg + off, len - off, "%s\"%s\"", i ? "," : "",
                  ck->tables[i].stable->uri);
            (void)snprintf(cfg + off, len - off, ")");
            if ((rc = LT_WT(cl, "checkpoint.wt", wt->checkpoint(wt, cfg))) == 0 || frag == NULL ||
              rc == lt_wtfault_last())
                break;
            free(frag);
            frag = NULL;
            lt_ckdrop_return(cl, taken, ntaken);
            taken = NULL;
            ntaken = 0;
        }
    free(cfg);
    free(frag);
    if (rc == 0)
        free(taken);
    else if (taken != NULL)
        lt_ckdrop_return(cl, taken, ntaken);
    return (rc);
}

/* Forget the queue at cluster close (cluster.ckpt_lock held). */
void
__lt_ckdrop_free_locked(lt_cluster *cl)
{
    assert(__lt_mutex_held(&cl->ckpt_lock));
    free(cl->ckdrops);
    cl->ckdrops = NULL;
    cl->nckdrops = cl->ckdrops_cap = 0;
}
