/*
 * node.c -- the helpers every other file stands on: the open-cluster registry and node lookup,
 * table name validation, events and yield points, publication of a node's state, and
 * WiredTiger sessions with the library's event handler.
 */
#include "lt_wtfault.h"

/* The yield sites; docs/CONTRACT.md#yield-points lists them too, with what each holds. */
static const char *const lt_sites[] =
  {"hook.after_read",            /* a schema op read the node's state, before it is admitted */
    "hook.admitted",             /* a schema op was admitted (registered in flight) */
    "transition.after_mark",     /* a transition marked the node, before its grace period */
    "state.after_publish",       /* a new state snapshot is visible, before the grace period */
    "state.before_free",         /* the grace period ended, before the old snapshot is freed */
    "create.after_role_read",    /* create read the role, before it creates constituents */
    "create.before_link",        /* create made its constituents, before the catalogue link */
    "drop.after_unlink",         /* drop took the entry out of the catalogue */
    "drop.before_free",          /* drop is about to free the entry */
    "truncate.after_admit",      /* truncate was admitted, before it removes rows */
    "stepup.begin",              /* step-up entered the hook exclusively */
    "stepup.after_flip",         /* step-up flipped the role, before creating stables */
    "stepup.create_stable",      /* step-up is about to create one missing stable constituent */
    "drain.entry",               /* the drain is about to read one catalogue entry */
    "drain.before_write",        /* the drain read an entry's ingest, before writing stable */
    "drain.empty_conflict",      /* emptying the ingest met a conflict, before the swap */
    "stepup.end",                /* step-up drained everything, before it ends */
    "stepdown.begin",            /* step-down entered the hook exclusively */
    "stepdown.after_boundary",   /* step-down set its boundary, before its flip */
    "stepdown.after_flip",       /* step-down flipped the role */
    "write.after_role_check",    /* a write checked the role (fault builds may re-read it) */
    "commit.before",             /* a commit passed its generation check */
    "checkpoint.begin",          /* a checkpoint is about to run */
    "checkpoint.before_publish", /* the checkpoint is taken, before it joins the list */
    "checkpoint.after_publish",  /* the checkpoint is listed, before the leader's view moves */
    "pickup.begin",              /* a pickup is about to move the view */
    "pickup.after_bind",         /* a pickup bound the checkpoint's tables, before the view moves */
    "gc.entry",                  /* GC is about to clean one entry */
    "gc.after_pins",             /* GC read the entry's pins and bound, before it removes */
    "bg.after_role_read",        /* a background round read its node's role flag as leader */
    NULL};

const char *const *
lt_yield_sites(void)
{
    return (lt_sites);
}

void
__lt_yield(lt_cluster *cl, const char *site, int node)
{
    cl->cfg.yield(cl->cfg.yield_arg, site, node);
}

void
__lt_event(lt_cluster *cl, lt_event *ev)
{
    /* Relaxed: one counter's modification order agrees with happens-before (lt_cluster). */
    ev->seq = atomic_fetch_add_explicit(&cl->seq, 1, memory_order_relaxed) + 1;
    if (cl->cfg.observer != NULL)
        cl->cfg.observer(cl->cfg.observer_arg, ev);
}

/*
 * __lt_node_event --
 *     Report an event about node n, with the role and generation it has now.
 */
void
__lt_node_event(lt_node *n, lt_event_type type, lt_op op, const char *table, uint64_t id,
  uint64_t ts, uint64_t count, int rc)
{
    const lt_state *st;
    lt_event ev;

    memset(&ev, 0, sizeof(ev));
    __lt_rcu_read_lock();
    st = __lt_state_read(n);
    ev.role = st->role;
    ev.generation = st->generation;
    __lt_rcu_read_unlock();
    ev.type = type;
    ev.op = op;
    ev.node = n->id;
    ev.table = table;
    ev.id = id;
    ev.ts = ts;
    ev.count = count;
    ev.rc = rc;
    __lt_event(n->cl, &ev);
}

/*
 * __lt_ts_max --
 *     Raise *p to v if below. The store is a release (a reader that loads the new maximum with
 *     acquire also sees what this thread did before: the commit at that timestamp); the first
 *     load and a failed exchange are relaxed, as the exchange re-checks the value.
 */
void
__lt_ts_max(_Atomic uint64_t *p, uint64_t v)
{
    uint64_t cur = atomic_load_explicit(p, memory_order_relaxed);

    while (cur < v &&
      !atomic_compare_exchange_weak_explicit(p, &cur, v, memory_order_release,
        memory_order_relaxed))
        ;
}

bool
__lt_valid_name(const char *name)
{
    size_t i;

    if (name == NULL || name[0] == '\0')
        return (false);
    for (i = 0; name[i] != '\0'; i++) {
        if (i >= LT_NAME_MAX)
            return (false);
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
              (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-'))
            return (false);
    }
    return (true);
}

/*
 * The open clusters. Admin calls check membership so that a call on a closed cluster is an
 * error, not a use after free. lt_open is protected by lt_open_lock, a leaf outside the ranks:
 * nothing else is locked while it is held.
 */
static pthread_mutex_t lt_open_lock = PTHREAD_MUTEX_INITIALIZER;
static lt_cluster *lt_open[LT_OPEN_MAX];

/* Add a cluster to the registry (false: full) or take it out. */
bool
__lt_cluster_register(lt_cluster *cl, bool add)
{
    bool done = false;
    int i;

    (void)pthread_mutex_lock(&lt_open_lock);
    for (i = 0; i < LT_OPEN_MAX && !done; i++)
        if (add && lt_open[i] == NULL) {
            lt_open[i] = cl;
            done = true;
        } else if (!add && lt_open[i] == cl) {
            lt_open[i] = NULL;
            done = true;
        }
    (void)pthread_mutex_unlock(&lt_open_lock);
    return (done);
}

bool
__lt_cluster_is_open(lt_cluster *cl)
{
    bool found = false;
    int i;

    if (cl == NULL)
        return (false);
    (void)pthread_mutex_lock(&lt_open_lock);
    for (i = 0; i < LT_OPEN_MAX; i++)
        if (lt_open[i] == cl)
            found = true;
    (void)pthread_mutex_unlock(&lt_open_lock);
    /* Relaxed: a call racing with lt_cluster_close breaks the API's contract anyway. */
    return (found && !atomic_load_explicit(&cl->closing, memory_order_relaxed));
}

lt_node *
__lt_node(lt_cluster *cl, int node)
{
    if (!__lt_cluster_is_open(cl) || node < 0 || node >= cl->nnodes)
        return (NULL);
    return (&cl->nodes[node]);
}

/*
 * __lt_state_publish --
 *     Publish a new state snapshot for a node (node.transition_lock held), wait a grace period
 *     and free the old one.
 */
void
__lt_state_publish(lt_cluster *cl, lt_node *n, const lt_state *st)
{
    lt_state *nst, *old;

    assert(__lt_mutex_held(&n->transition_lock));
    nst = malloc(sizeof(*nst));
    if (nst == NULL)
        abort(); /* a half-published role change cannot be undone */
    *nst = *st;
    /* Relaxed load: this thread holds the only writers' lock. */
    old = atomic_load_explicit(&n->state, memory_order_relaxed);
    /* Release: a reader's acquire load of the pointer sees the snapshot's fields filled in. */
    atomic_store_explicit(&n->state, nst, memory_order_release);
    LT_YIELD(cl, "state.after_publish", n->id);
    __lt_grace_wait(cl, n->id);
    LT_YIELD(cl, "state.before_free", n->id);
    free(old);
}

static int
lt_wt_handle_error(WT_EVENT_HANDLER *h, WT_SESSION *s, int error, const char *message)
{
    (void)h;
    (void)s;
    const char *p;

    /* WiredTiger's message names the file and the call: the best "where" there is. Its
     * "[time][pid:thread], " prefix is left out. */
    p = message[0] == '[' && (p = strstr(message, "], ")) != NULL ? p + 3 : message;
    __lt_env_note(error, p);
    if (getenv("LT_WT_VERBOSE") != NULL)
        fprintf(stderr, "wiredtiger: %s\n", message);
    return (0);
}

static int
lt_wt_handle_message(WT_EVENT_HANDLER *h, WT_SESSION *s, const char *message)
{
    (void)h;
    (void)s;
    if (getenv("LT_WT_VERBOSE") != NULL)
        fprintf(stderr, "wiredtiger: %s\n", message);
    return (0);
}

static WT_EVENT_HANDLER lt_wt_handler = {lt_wt_handle_error, lt_wt_handle_message, NULL, NULL};

/*
 * __lt_wt_open_session --
 *     Internal sessions run snapshot transactions (commit timestamps need them). A user session's
 *     operations outside a transaction read committed data afresh at each call, as a positioned
 *     cursor of a snapshot session would otherwise pin one snapshot for the whole session.
 */
int
__lt_wt_open_session_iso(lt_cluster *cl, const char *isolation, WT_SESSION **sp)
{
    char cfg[64];
    int rc;

    (void)snprintf(cfg, sizeof(cfg), "isolation=%s", isolation);
    rc = LT_WT(cl, "session.open", cl->conn->open_session(cl->conn, &lt_wt_handler, cfg, sp));
    if (rc != 0)
        return (__lt_err(cl, rc, "cannot open a WiredTiger session"));
    return (0);
}

int
__lt_wt_open_session(lt_cluster *cl, WT_SESSION **sp)
{
    return (__lt_wt_open_session_iso(cl, "snapshot", sp));
}

/* Open the WiredTiger connection with the library's event handler. */
int
__lt_wt_open_conn(const char *home, const char *config, WT_CONNECTION **connp)
{
    return (wiredtiger_open(home, &lt_wt_handler, config, connp));
}
