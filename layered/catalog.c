/*
 * catalog.c -- per-node catalogues (entries and drop marks) and the shared stable objects with
 * their reference counts and queued WiredTiger drops.
 */
#include "lt_life.h"
#include "lt_wtfault.h"

/* Every table the library creates: raw keys and values, not logged (timestamps need that). */
const char *
__lt_table_config(void)
{
    return ("key_format=u,value_format=u,log=(enabled=false),exclusive=true");
}

/* The node's entry for name, or NULL (node.catalog_lock held). */
lt_entry *
__lt_entry_find_locked(lt_node *n, const char *name)
{
    lt_entry *e;

    assert(__lt_mutex_held(&n->catalog_lock));
    for (e = n->entries; e != NULL; e = e->next)
        if (strcmp(e->name, name) == 0)
            return (e);
    return (NULL);
}

/*
 * __lt_drop_mark_locked --
 *     The node's drop mark for a name (node.catalog_lock held): ids up to it are of dropped
 *     incarnations (0: never dropped).
 */
uint64_t
__lt_drop_mark_locked(lt_node *n, const char *name)
{
    int i;

    assert(__lt_mutex_held(&n->catalog_lock));
    for (i = 0; i < n->ndrops; i++)
        if (strcmp(n->drops[i].name, name) == 0)
            return (n->drops[i].upto);
    return (0);
}

/*
 * Every node's recent drops of each name (cluster.stable_lock): the drop marks of one logical
 * drop agree however late a node runs its share. A node's drop covers the life its entry holds
 * and every older one: every id allocated before the first drop, on any node, of a life at least
 * as new that came after the entry's life began (the logical drop's first step), else every id
 * so far.
 * A restarted node that replays a drop after the next life began elsewhere then marks the life
 * it held, not that one (layered/DESIGN.md, "Drop marks and replays").
 */
#define LT_DROPLOG_PER_NAME 256 /* a replay reaches back this many drops of a name at most */

struct lt_droplog {
    struct lt_droplog *next;
    char name[LT_NAME_MAX + 1];
    struct lt_drop_rec {
        uint64_t at;   /* the id counter at the drop */
        uint64_t from; /* the oldest born the drop covered */
    } recs[LT_DROPLOG_PER_NAME];
    int first, n; /* a ring, oldest at first */
};

/*
 * The mark for a drop at now of a life born at from or later (0: unknown), matching only drops
 * at after or later; if record, records it for later drops to match.
 */
static uint64_t
lt_droplog_mark(lt_cluster *cl, const char *name, uint64_t from, uint64_t after, uint64_t now,
  bool record)
{
    struct lt_droplog *d;
    struct lt_drop_rec *r;
    int i;

    assert(__lt_mutex_held(&cl->stable_lock));
    for (d = cl->droplog; d != NULL && strcmp(d->name, name) != 0; d = d->next)
        ;
    if (d == NULL) {
        if ((d = calloc(1, sizeof(*d))) == NULL)
            return (now);
        (void)snprintf(d->name, sizeof(d->name), "%s", name);
        d->next = cl->droplog;
        cl->droplog = d;
    }
    /* from 0 covers every life born so far (never one too few), and is recorded all the same:
     * __lt_life_binds asks whether any drop of the name ran after a life began. */
    for (i = 0; from != 0 && i < d->n; i++) {
        r = &d->recs[(d->first + i) % LT_DROPLOG_PER_NAME];
        /* Its own moment, not the mark it chose: that could be an older drop's. */
        if (r->at >= from && r->at >= after && r->from >= from)
            return (r->at);
    }
    if (!record)
        return (now);
    if (d->n == LT_DROPLOG_PER_NAME)
        d->first = (d->first + 1) % LT_DROPLOG_PER_NAME;
    else
        d->n++;
    r = &d->recs[(d->first + d->n - 1) % LT_DROPLOG_PER_NAME];
    r->at = now;
    r->from = from;
    return (now);
}

void
__lt_droplog_free(lt_cluster *cl)
{
    struct lt_droplog *d, *next;

    for (d = cl->droplog; d != NULL; d = next) {
        next = d->next;
        free(d);
    }
    cl->droplog = NULL;
}

/*
 * __lt_drop_mark_set_locked --
 *     Record the node's drop of entry e (node.catalog_lock held), before it is unlinked: the
 *     mark lt_droplog_mark gives, never below the previous one. A bound entry's life is its
 *     stable's. An unbound entry's is unknown but born above its min_id, and its logical drop
 *     came after the entry's create; not so for an entry the node created replaying its log
 *     after a restart: the life may be older than the node's last (replayed) mark, and its
 *     logical drop ran elsewhere before. Such a drop matches any drop from min_id on and is
 *     not recorded, and with no drop before it (min_id 0) covers every id so far. Relaxed load:
 *     every allocation that happened before the drop is in inc_next's modification order
 *     before this load (lt_cluster).
 */
void
__lt_drop_mark_set_locked(lt_node *n, const lt_entry *e)
{
    lt_cluster *cl = n->cl;
    struct lt_drop_mark *p;
    uint64_t now = atomic_load_explicit(&cl->inc_next, memory_order_relaxed);
    uint64_t from = 0, after = 0, upto;
    int i, cap;

    assert(__lt_mutex_held(&n->catalog_lock));
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    if (e->stable != NULL)
        from = e->stable->born; /* immutable */
    else if (e->min_id != 0) {
        from = e->min_id + 1;
        after = e->replayed ? 0 : e->born;
    }
    upto = lt_droplog_mark(cl, e->name, from, after, now, e->stable != NULL || !e->replayed);
    __lt_mutex_unlock(&cl->stable_lock);
    for (i = 0; i < n->ndrops; i++)
        if (strcmp(n->drops[i].name, e->name) == 0) {
            if (upto > n->drops[i].upto)
                n->drops[i].upto = upto;
            return;
        }
    if (n->ndrops == n->drops_cap) {
        cap = n->drops_cap == 0 ? 16 : n->drops_cap * 2;
        if ((p = realloc(n->drops, (size_t)cap * sizeof(*p))) == NULL)
            abort(); /* forgetting a drop could resurrect the table at the next pickup */
        n->drops = p;
        n->drops_cap = cap;
    }
    (void)snprintf(n->drops[n->ndrops].name, sizeof(n->drops[0].name), "%s", e->name);
    n->drops[n->ndrops++].upto = upto;
}

void
__lt_stable_ref(lt_cluster *cl, lt_stable *st)
{
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    st->refs++;
    __lt_mutex_unlock(&cl->stable_lock);
}

/* Queue a WiredTiger table for dropping (cluster.stable_lock held). */
static void
lt_pending_add_locked(lt_cluster *cl, const char *uri)
{
    char **p;
    int cap;

    assert(__lt_mutex_held(&cl->stable_lock));
    if (cl->npending == cl->pending_cap) {
        cap = cl->pending_cap == 0 ? 16 : cl->pending_cap * 2;
        if ((p = realloc(cl->pending_drops, (size_t)cap * sizeof(*p))) == NULL)
            return; /* the table outlives the cluster: harmless garbage in the directory */
        cl->pending_drops = p;
        cl->pending_cap = cap;
    }
    if ((cl->pending_drops[cl->npending] = strdup(uri)) != NULL)
        cl->npending++;
}

/*
 * __lt_stable_unref --
 *     Release a reference; the last one unlinks the object and queues its WiredTiger table for
 *     dropping (done by __lt_process_drops outside every lock).
 */
void
__lt_stable_unref(lt_cluster *cl, lt_stable *st)
{
    lt_stable **pp;

    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    if (--st->refs > 0) {
        __lt_mutex_unlock(&cl->stable_lock);
        return;
    }
    for (pp = &cl->stables; *pp != NULL; pp = &(*pp)->next)
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    /* Relaxed: set by this thread when lt_cluster_close releases the last references. */
    if (!atomic_load_explicit(&cl->closing, memory_order_relaxed))
        lt_pending_add_locked(cl, st->uri);
    __lt_mutex_unlock(&cl->stable_lock);
    free(st);
}

/*
 * __lt_drop_uri --
 *     Drop a WiredTiger table now, or queue it if WiredTiger says it is busy (a cursor or a
 *     checkpoint cursor is still open on it).
 */
void
__lt_drop_uri(lt_cluster *cl, WT_SESSION *wt, const char *uri)
{
    char queued[LT_URI_MAX + 1];
    bool unforced = uri[0] == '?';
    int rc;

    /* "?uri" (lt_restart.h): a forced drop would free a live transaction's uncommitted updates
     * under its rollback; unforced, WiredTiger says EBUSY until that transaction is gone. */
    rc =
      LT_WT(cl, "drop.wt", wt->drop(wt, unforced ? uri + 1 : uri, unforced ? NULL : "force=true"));
    if (rc != 0 && rc != ENOENT) { /* busy or failed: a later retry drops it */
        (void)snprintf(queued, sizeof(queued), "%s", uri);
        __lt_mutex_lock(cl, &cl->stable_lock, -1);
        lt_pending_add_locked(cl, queued);
        __lt_mutex_unlock(&cl->stable_lock);
    }
}

/*
 * __lt_process_drops --
 *     Retry the queued drops; what is still busy stays queued.
 */
void
__lt_process_drops(lt_cluster *cl, WT_SESSION *wt)
{
    char **list;
    int i, n;

    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    list = cl->pending_drops;
    n = cl->npending;
    cl->pending_drops = NULL;
    cl->npending = cl->pending_cap = 0;
    __lt_mutex_unlock(&cl->stable_lock);
    for (i = 0; i < n; i++) {
        __lt_drop_uri(cl, wt, list[i]);
        free(list[i]);
    }
    free(list);
}

/* Whether a drop of name, on any node, ran after id born was taken and by id upto (recorded in
 * cluster.droplog: the last LT_DROPLOG_PER_NAME of the name; cluster.stable_lock held). */
static bool
lt_dropped_since(lt_cluster *cl, const char *name, uint64_t born, uint64_t upto)
{
    struct lt_droplog *d;
    const struct lt_drop_rec *r;
    int i;

    assert(__lt_mutex_held(&cl->stable_lock));
    for (d = cl->droplog; d != NULL && strcmp(d->name, name) != 0; d = d->next)
        ;
    for (i = 0; d != NULL && i < d->n; i++) {
        r = &d->recs[(d->first + i) % LT_DROPLOG_PER_NAME];
        if (r->at >= born && r->at <= upto)
            return (true);
        if (i == 0 && d->n == LT_DROPLOG_PER_NAME && r->at > born)
            return (true); /* older drops forgotten: one may have ended that life */
    }
    return (false);
}

/* A life born after the node's last drop of the name (I7: never the dropped one or older). */
static bool
lt_born_after(const lt_entry *e, const lt_stable *st)
{
    return (st->born > e->min_id);
}

/*
 * lt_life_binds_locked --
 *     Whether entry e may bind stable life st (cluster.stable_lock held): a life born after the
 *     node's last drop of the name (min_id). A replayed create's min_id is inferred: its
 *     checkpoint's id counter, every life begun before and not among its tables taken as dropped.
 *     Not so for a life a follower began that no leader held then: its stable object is younger
 *     than the checkpoint (a step-up made it). Such a life binds unless a drop of the name ran
 *     between its birth and the checkpoint.
 */
static bool
lt_life_binds_locked(lt_cluster *cl, const lt_entry *e, const lt_stable *st)
{
    assert(__lt_mutex_held(&cl->stable_lock));
    if (lt_born_after(e, st))
        return (true);
    return (
      e->inferred && st->id > e->min_id && !lt_dropped_since(cl, e->name, st->born, e->min_id));
}

/* lt_life_binds_locked, taking cluster.stable_lock only when the drops must be read. */
bool
__lt_life_binds(lt_cluster *cl, const lt_entry *e, const lt_stable *st)
{
    bool ok;

    if (!e->inferred)
        return (lt_born_after(e, st));
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    ok = lt_life_binds_locked(cl, e, st);
    __lt_mutex_unlock(&cl->stable_lock);
    return (ok);
}

/*
 * __lt_stable_adopt --
 *     The newest live stable incarnation of e's name that e may bind (lt_life_binds_locked) and
 *     not dropped on any node, with a reference; NULL if none. A step-up binds the life another
 *     leader already began rather than beginning a second one beside it: rows that leader
 *     committed, and removes of them, would otherwise land in two tables.
 */
lt_stable *
__lt_stable_adopt(lt_cluster *cl, const lt_entry *e)
{
    lt_stable *st, *best = NULL;

    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    for (st = cl->stables; st != NULL; st = st->next)
        if (st->refs > 0 && !st->dead && strcmp(st->name, e->name) == 0 &&
          lt_life_binds_locked(cl, e, st) && (best == NULL || st->id > best->id))
            best = st;
    if (best != NULL)
        best->refs++;
    __lt_mutex_unlock(&cl->stable_lock);
    return (best);
}

int
__lt_stable_create(lt_cluster *cl, WT_SESSION *wt, const char *name, uint64_t born, const char *cfg,
  lt_stable **stp)
{
    lt_stable *st;
    int rc;

    *stp = NULL;
    if ((st = calloc(1, sizeof(*st))) == NULL)
        return (__lt_err(cl, ENOMEM, "out of memory creating the stable constituent of %s", name));
    st->id = __lt_next_id(cl);
    st->born = born != 0 ? born : st->id;
    (void)snprintf(st->name, sizeof(st->name), "%s", name);
    (void)snprintf(st->uri, sizeof(st->uri), "table:layered.%s.s%" PRIu64, name, st->id);
    (void)snprintf(st->cfg, sizeof(st->cfg), "%s", cfg != NULL ? cfg : "");
    if ((rc = LT_WT(cl, "create.stable", wt->create(wt, st->uri, __lt_table_config()))) != 0) {
        free(st);
        return (__lt_err(cl, rc, "cannot create the stable constituent of table %s: %s", name,
          wiredtiger_strerror(rc)));
    }
    st->refs = 1;
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    st->next = cl->stables;
    cl->stables = st;
    __lt_mutex_unlock(&cl->stable_lock);
    *stp = st;
    return (0);
}

/*
 * __lt_entry_add_locked --
 *     Create the node's ingest constituent and link a catalogue entry (node.catalog_lock held);
 *     the entry takes over the caller's reference on stable (which may be NULL) and its
 *     configuration (a follower's create sets its own).
 */
int
__lt_entry_add_locked(lt_node *n, WT_SESSION *wt, const char *name, lt_stable *stable,
  uint64_t min_id, lt_entry **ep)
{
    lt_cluster *cl = n->cl;
    lt_entry *e;
    int rc;

    assert(__lt_mutex_held(&n->catalog_lock));
    if ((e = calloc(1, sizeof(*e))) == NULL)
        return (__lt_err(cl, ENOMEM, "out of memory adding table %s to node %d", name, n->id));
    (void)snprintf(e->name, sizeof(e->name), "%s", name);
    e->inc = __lt_next_id(cl);
    (void)snprintf(e->ingest_uri, sizeof(e->ingest_uri), "table:layered.%s.n%d.i%" PRIu64, name,
      n->id, e->inc);
    if ((rc = LT_WT(cl, "create.ingest", wt->create(wt, e->ingest_uri, __lt_table_config()))) !=
      0) {
        free(e);
        return (__lt_err(cl, rc, "cannot create the ingest constituent of table %s on node %d: %s",
          name, n->id, wiredtiger_strerror(rc)));
    }
    e->stable = stable;
    if (stable != NULL)
        (void)snprintf(e->cfg, sizeof(e->cfg), "%s", stable->cfg);
    e->min_id = min_id;
    e->born = stable != NULL ? stable->born : e->inc;
    e->replayed = n->replaying;
    e->refs = 1;
    e->next = n->entries;
    n->entries = e;
    if (ep != NULL)
        *ep = e;
    return (0);
}

/* Release a reference on an entry, freeing it with the last (node.catalog_lock held). */
void
__lt_entry_unref_locked(lt_node *n, lt_entry *e)
{
    assert(__lt_mutex_held(&n->catalog_lock));
    if (--e->refs == 0)
        free(e);
}
