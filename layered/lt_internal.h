/*
 * lt_internal.h -- liblayered's private structures and cross-file functions (prefix __lt_). Each
 * shared structure states its protocol next to its fields (who changes it, under which lock or
 * grace period, what an unlocked reader re-checks); a field says what protects it: a lock,
 * "atomic" (ordering at its accessors), "immutable" (set before sharing) or "owner" (the
 * session's thread). Locks and their order (I8, docs/CONTRACT.md#i8): lt_rank below.
 */
#ifndef LT_INTERNAL_H
#define LT_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layered.h"

#define LT_URI_MAX (LT_NAME_MAX + 64)
#define LT_ERRMSG_MAX 512

/* ---------------------------------------------------------------------------------------------
 * Synchronisation primitives (sync.c). All blocking goes through them so a controlled scheduler
 * can see it (lt_wait_hooks), and every build checks the lock order.
 *
 * Lock ranks (I8): a thread takes locks in increasing rank only; sync.c aborts on an inversion.
 * A grace period (__lt_grace_wait) is never waited for while holding a lock of rank
 * LT_RANK_NO_GRACE or above: RCU read-side sections (schema and data operations) take those.
 */
typedef enum {
    LT_RANK_TRANSITION = 10, /* node.transition_lock: one transition, pickup, GC... per node */
    LT_RANK_ROLE = 20,       /* cluster.role_lock: one role change in the cluster at a time */
    LT_RANK_SCHEMA = 25,     /* node.sx.lock: upstream's schema lock (lt_policy.h) */
    LT_RANK_WINDOW = 27,     /* cluster.window_lock: a checkpoint's WiredTiger stable window */
    LT_RANK_CATALOG = 30,    /* node.catalog_lock: the node's catalogue and drop marks */
    LT_RANK_META = 35,       /* node.sx.meta_lock: the metadata queue and boundary */
    LT_RANK_CKPT = 40,       /* cluster.ckpt_lock: checkpoint records, stable/oldest timestamps */
    LT_RANK_STABLE = 50,     /* cluster.stable_lock: stable objects' refs, queued drops */
    LT_RANK_HOOK = 60,       /* node.hook_lock: the hook's waiters */
    LT_RANK_SESSIONS = 70    /* cluster.sessions_lock: the cluster's session list */
} lt_rank;
#define LT_RANK_NO_GRACE LT_RANK_CATALOG

typedef struct {
    pthread_mutex_t m;
    lt_rank rank;     /* immutable */
    const char *name; /* immutable */
} lt_mutex;

typedef struct {
    pthread_cond_t c;
} lt_cond;

void __lt_mutex_init(lt_mutex *m, lt_rank rank, const char *name);
void __lt_mutex_destroy(lt_mutex *m);
void __lt_mutex_lock(lt_cluster *cl, lt_mutex *m, int node);
void __lt_mutex_unlock(lt_mutex *m);
/* Whether the calling thread holds m: for assert(), at the top of every _locked function. */
bool __lt_mutex_held(const lt_mutex *m);
void __lt_cond_init(lt_cond *c);
void __lt_cond_destroy(lt_cond *c);
void __lt_cond_broadcast(lt_cond *c);
/* Wait on c (m held) until woken or the absolute CLOCK_MONOTONIC deadline in ns (0: none). */
int __lt_cond_wait(lt_cluster *cl, lt_cond *c, lt_mutex *m, uint64_t deadline_ns, const char *what,
  int node);
uint64_t __lt_now_ns(void);

/* RCU (liburcu-memb) with ThreadSanitizer annotations; every API entry registers the thread. */
void __lt_thread_enter(void);
void __lt_rcu_read_lock(void);
void __lt_rcu_read_unlock(void);
/* Wait for every read-side section that started before the call to end. See LT_RANK_NO_GRACE. */
void __lt_grace_wait(lt_cluster *cl, int node);
/* sync.c: a controlled thread's blocking goes through its scheduler (NULL: plain). */
extern _Thread_local const lt_sched_ops *__lt_tsched;
void __lt_sched_lock(lt_mutex *m, int node);
int __lt_sched_cond_wait(lt_cond *c, lt_mutex *m, uint64_t deadline_ns, const char *what, int node);
void __lt_sleep_ns(uint64_t ns, const char *what);

/* Errors (error.c): __lt_err sets the thread's message, records an environment failure, returns rc.
 */
int __lt_err(lt_cluster *cl, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void __lt_env_note(int rc, const char *msg);
/* Every public call that returns an error code starts here: registers, clears the last error. */
void __lt_api_enter(void);

/* ---------------------------------------------------------------------------------------------
 * Stable objects: the shared stable constituent of one table incarnation.
 *
 * Protocol: created by a leader's create or by step-up; immutable fields (id, born, name, uri) are
 * written before the object is published under stable_lock and never change. refs counts every
 * holder (catalogue entries bound to it, checkpoint records, open cursors, transactions that
 * wrote it) and changes only under cluster.stable_lock. When refs reaches 0 the WiredTiger
 * table is queued for dropping.
 */
typedef struct lt_stable {
    uint64_t id; /* immutable */
    /* The incarnation number of the create that began this table's life (a leader create's own
     * id; a step-up's: the entry's born). Drop marks and bindings compare it, not id: a stable
     * made at step-up for a table created before a node's drop belongs to the dropped life. */
    uint64_t born;
    char name[LT_NAME_MAX + 1]; /* immutable */
    char uri[LT_URI_MAX];       /* immutable */
    char cfg[LT_NAME_MAX + 1];  /* immutable: the create-time configuration (app_metadata) */
    int refs, dead;             /* stable_lock; dead: a drop of its life took effect on a node */
    /* Atomic (__lt_ts_max): hw, the newest commit ts written to it (a drain's floor too); held,
     * the newest ingest ts it holds (a leader commit's, a drained version's own): the cut. */
    _Atomic uint64_t hw, held;
    struct lt_stable *next; /* cluster.stables, stable_lock */
} lt_stable;

/*
 * A node's catalogue entry for one layered table.
 *
 * Protocol: linked into node.entries and unlinked only under node.catalog_lock; name, min_id and
 * born are immutable after linking. inc and ingest_uri change only when a step-up replaces a
 * large drained ingest table by an empty one (node.transition_lock and catalog_lock both held);
 * a reader holds either lock, or is an admitted schema operation (the hook keeps transitions
 * out). stable changes under catalog_lock (binding at pickup or view set-up, step-up's create of
 * missing stables); readers take catalog_lock. cursors counts open layered cursors and GC's
 * walk (catalog_lock): drop refuses while it is nonzero. refs counts the catalogue link plus
 * transient holders (GC, cursors); the entry is freed when it drops to 0 (catalog_lock). The
 * step-up drain holds a raw pointer without a reference, relying on the Role Transition
 * Isolation contract exactly as upstream does: with policy off a concurrent drop can free the
 * entry under it.
 */
typedef struct lt_entry {
    char name[LT_NAME_MAX + 1];  /* immutable */
    uint64_t inc;                /* transition_lock + catalog_lock to write, either to read */
    char ingest_uri[LT_URI_MAX]; /* as inc */
    lt_stable *stable;           /* catalog_lock */
    uint64_t bind_ts;            /* catalog_lock: checkpoint ts of its last binding (cut) */
    char cfg[LT_NAME_MAX + 1];   /* immutable: the configuration the node's table has */
    uint64_t min_id; /* immutable: binds only to stable lives born after the node's last drop */
    uint64_t born;   /* immutable: the life it belongs to (lt_stable.born) */
    bool replayed, inferred; /* immutable: a replay's create; its min_id inferred (lt_life.h) */
    int cursors;             /* catalog_lock */
    int refs;                /* catalog_lock */
    struct lt_entry *next;   /* catalog_lock */
} lt_entry;

/*
 * A published checkpoint record.
 *
 * Protocol: built by the leader (no other thread sees it yet) and appended to cluster.ckpts
 * under ckpt_lock; its fields but pins and next are immutable once appended. pins counts node
 * views, transaction views and open cursors (ckpt_lock). A record is removed (and its WiredTiger
 * named checkpoint dropped) only when unpinned and older than the newest record at or below the
 * oldest timestamp.
 */
typedef struct lt_ckpt {
    uint64_t id;      /* immutable */
    uint64_t ts;      /* immutable */
    uint64_t at;      /* immutable: the id counter when its tables were taken */
    char wt_name[32]; /* immutable */
    int ntables;      /* immutable */
    struct {
        char name[LT_NAME_MAX + 1];
        lt_stable *stable; /* a reference */
    } * tables;            /* immutable */
    int pins;              /* ckpt_lock */
    struct lt_ckpt *next;  /* ckpt_lock */
} lt_ckpt;

/*
 * A node's published state, read lock-free by every operation.
 *
 * Protocol: an immutable snapshot. Writers (transitions, pickup, checkpoint: all under the node's
 * transition_lock) allocate a new copy, publish it with a release store, wait a grace period
 * (readers that saw the old copy have finished) and free the old copy (__lt_state_publish).
 * Readers load it with acquire inside an RCU read-side section and must not keep it past the
 * section (__lt_state_read); the transition_lock holder reads it directly (__lt_state_owned).
 */
typedef struct {
    lt_role role;
    lt_transition transition;
    uint64_t generation;
    uint64_t ckpt_id, ckpt_ts; /* picked up (follower) or published (leader) */
    uint64_t incarnation;      /* bumped by lt_node_restart: older handles are stale (restart.c) */
} lt_state;

#include "lt_policy.h"
typedef struct lt_node {
    lt_cluster *cl;            /* immutable */
    int id;                    /* immutable */
    _Atomic(lt_state *) state; /* RCU-published, see lt_state */
    lt_mutex transition_lock;
    lt_mutex catalog_lock;
    lt_entry *entries; /* catalog_lock */
    /* Per name, the ids allocated when the node last dropped it: never to be bound or re-added. */
    struct lt_drop_mark {
        char name[LT_NAME_MAX + 1];
        uint64_t upto;
    } * drops;             /* catalog_lock */
    int ndrops, drops_cap; /* catalog_lock */
    bool replaying;        /* restarted, not picked up or stepped up since: catalog_lock */
    /* The pinned record of state.ckpt_id: ckpt_lock (written with transition_lock held too). */
    lt_ckpt *view;
    uint64_t stable_ts, oldest_ts; /* the node's own timestamps (timestamp.c), ckpt_lock */
    int bare_views; /* follower cursors holding a view with no checkpoint: GC waits; ckpt_lock */

    /* The RTI hook. tr_active mirrors state.transition for waiters. */
    _Atomic int policy; /* atomic, relaxed: a lone value, nothing is published with it */
    lt_mutex hook_lock;
    lt_cond hook_cond; /* signalled under hook_lock when tr_active clears */
    bool tr_active;    /* hook_lock */
    /* Admitted schema ops not yet exited: atomic, relaxed (only the assert diagnostic reads it). */
    _Atomic int schema_inflight;
    char last_admitted[LT_NAME_MAX + 32]; /* the last admitted op, for assert (hook_lock) */
    lt_schema_state sx; /* the lock-based policies' state and locks (lt_policy.h) */

    /* Counters read by lt_hook_get_stats: atomic, relaxed (statistics order nothing). */
    _Atomic uint64_t st_admitted, st_rejected, st_waited, st_timed_out, st_wait_ns;
    _Atomic uint64_t st_transitions, st_transition_max_ns, st_overlapped;

    /* Bumped by every write, commit, GC and drain on the node; cursors re-seek when it moved. */
    _Atomic uint64_t epoch;  /* atomic: __lt_epoch_bump (release), __lt_epoch_read (acquire) */
    _Atomic uint64_t vepoch; /* as epoch: bumps that change more than rows (__lt_epoch_bump_view) */
} lt_node;

struct lt_cluster {
    /* Immutable from lt_cluster_open to lt_cluster_close. */
    WT_CONNECTION *conn;
    char *home;
    int nnodes;
    lt_node nodes[LT_NODES_MAX];
    lt_cluster_config cfg;
    unsigned faults;
    struct lt_wtf *wtf; /* injected WiredTiger errors (lt_wtfault.h), NULL off */

    lt_mutex role_lock;
    int leader; /* role_lock */

    lt_mutex ckpt_lock;
    lt_ckpt *ckpts;              /* ascending id, ckpt_lock */
    uint64_t ckpt_next;          /* ckpt_lock */
    uint64_t ckpt_ts, wt_oldest; /* newest checkpoint's ts; WiredTiger's oldest: ckpt_lock */
    lt_mutex window_lock;        /* held while WiredTiger's stable is a checkpoint's (lt_ts.h) */
    _Atomic uint64_t window_ts;  /* that checkpoint's ts, 0 none: release/acquire (timestamp.c) */

    lt_mutex stable_lock;
    lt_stable *stables;         /* stable_lock */
    char **pending_drops;       /* URIs whose WiredTiger drop was refused (busy), stable_lock */
    int npending, pending_cap;  /* stable_lock */
    struct lt_droplog *droplog; /* every node's recent drops by name (catalog.c), stable_lock */

    /*
     * WiredTiger checkpoints of records already freed (ckpt_lock): each is dropped by the next
     * checkpoint of its table, in the same WiredTiger call (see ckdrop.c).
     */
    struct lt_ckpt_drop {
        char wt_name[32];
        char uri[LT_URI_MAX];
    } * ckdrops;               /* ckpt_lock */
    int nckdrops, ckdrops_cap; /* ckpt_lock */

    lt_mutex sessions_lock;
    lt_session *sessions; /* sessions_lock */
    /*
     * Atomic, relaxed: each is a lone counter or maximum; the modification order of one atomic
     * agrees with happens-before, which is all their readers rely on (an event's sequence number
     * follows every event that happened before it; a drop mark covers every id allocated before
     * the drop). max_commit_ts goes through __lt_ts_max (release) and is read with acquire.
     */
    _Atomic uint64_t seq;                     /* event sequence numbers */
    _Atomic uint64_t inc_next, max_commit_ts; /* incarnation and op ids; the newest commit */
    struct lt_bg *bg; /* the background threads (lt_bg.h): immutable from open to close */
    /* Set by lt_cluster_close before it tears down; read by that thread (stable_unref) and by
     * __lt_cluster_is_open under the registry lock. */
    _Atomic int closing;
};

/*
 * A session's transaction: owner (the session's thread), like the whole session.
 */
typedef struct {
    bool active, prepared;
    bool doomed; /* a generation change rolled the WiredTiger transaction back */
    bool wrote, wrote_stable;
    lt_isolation isolation;
    uint64_t read_ts, commit_ts;
    uint64_t generation;  /* generation at the first layered operation, 0 before it */
    lt_role role;         /* the role at that operation (LT_FAULT_TXN_ROLE_ONLY compares it) */
    uint64_t began_gen;   /* the node's generation at begin; 0: begun during a transition */
    char wtcfg[128];      /* the WiredTiger begin configuration, for a restart (__lt_op_enter) */
    bool view_chosen;     /* a snapshot transaction chose its checkpoint (view may be NULL) */
    lt_stable **wrote_st; /* stable objects written (references), for their high-water marks */
    int nwrote, wrote_cap;
    lt_ckpt *view; /* pinned checkpoint of a snapshot transaction on a follower */
} lt_txn;

/* A session: owner (one thread at a time, the API's contract) but for next. */
struct lt_session {
    lt_cluster *cl;
    lt_node *node;
    WT_SESSION *wt;
    WT_SESSION *wt_schema; /* schema operations run outside the caller's transaction */
    lt_txn txn;
    lt_cursor *cursors;
    uint64_t epoch_seen;  /* the node's epoch at the last snapshot release */
    uint64_t incarnation; /* immutable: the node's at open; another one is stale (lt_restart.h) */
    lt_session *next;     /* cluster.sessions, sessions_lock */
};

#include "lt_cursor.h" /* the cursor, its candidates and its position helpers */

/* ---------------------------------------------------------------------------------------------
 * Atomic accessors: each says its memory order and why.
 */
/*
 * __lt_state_read --
 *     The node's state, inside an RCU read-side section. Acquire, paired with the release store
 *     in __lt_state_publish: the snapshot's fields are seen as the publisher wrote them.
 */
static inline const lt_state *
__lt_state_read(lt_node *n)
{
    return (atomic_load_explicit(&n->state, memory_order_acquire));
}

/*
 * __lt_state_owned --
 *     The node's state, for the holder of node.transition_lock: every writer holds that lock, so
 *     relaxed suffices (the lock orders the store before this load). Valid until the holder
 *     publishes another.
 */
static inline const lt_state *
__lt_state_owned(lt_node *n)
{
    assert(__lt_mutex_held(&n->transition_lock));
    return (atomic_load_explicit(&n->state, memory_order_relaxed));
}

/*
 * __lt_epoch_bump --
 *     Data moved on the node (a write, commit or rollback; see also __lt_epoch_bump_view). Release,
 *     paired with __lt_epoch_read's acquire: a cursor that sees the new epoch re-seeks, and also
 *     sees in memory what this thread did before the bump (not only through WiredTiger's own
 *     barriers).
 */
static inline void
__lt_epoch_bump(lt_node *n)
{
    (void)atomic_fetch_add_explicit(&n->epoch, 1, memory_order_release);
}

static inline uint64_t
__lt_epoch_read(lt_node *n)
{
    return (atomic_load_explicit(&n->epoch, memory_order_acquire));
}

/*
 * __lt_epoch_bump_view --
 *     More than rows moved (a pickup, GC, a role change, a drop, a restart): a parked
 *     candidate is dropped too. The view epoch is bumped first, so a cursor that sees the new
 *     epoch sees the new view epoch as well.
 */
static inline void
__lt_epoch_bump_view(lt_node *n)
{
    (void)atomic_fetch_add_explicit(&n->vepoch, 1, memory_order_release);
    __lt_epoch_bump(n);
}

static inline uint64_t
__lt_vepoch_read(lt_node *n)
{
    return (atomic_load_explicit(&n->vepoch, memory_order_acquire));
}

/* Add to or read a statistics counter: relaxed, statistics order nothing. */
static inline void
__lt_stat_add(_Atomic uint64_t *p, uint64_t v)
{
    (void)atomic_fetch_add_explicit(p, v, memory_order_relaxed);
}

static inline uint64_t
__lt_stat_read(_Atomic uint64_t *p)
{
    return (atomic_load_explicit(p, memory_order_relaxed));
}

/* A new incarnation or schema operation id, unique in the cluster: relaxed (see lt_cluster). */
static inline uint64_t
__lt_next_id(lt_cluster *cl)
{
    return (atomic_fetch_add_explicit(&cl->inc_next, 1, memory_order_relaxed) + 1);
}

/* ---------------------------------------------------------------------------------------------
 * Cross-file functions, by file, bottom up: a file calls only files listed above it (sync.c and
 * error.c, the very bottom, are declared above). DESIGN.md has the map.
 */
/* ingest.c: version rows */
int __lt_buf_reserve(char **bufp, size_t *capp, size_t need);
int __lt_ing_encode_key(char **bufp, size_t *capp, const char *key, size_t klen, uint64_t ts,
  WT_ITEM *out);
bool __lt_ing_decode_key(const WT_ITEM *k, size_t *klenp, uint64_t *tsp);

/* node.c: registry, lookup, names, events, yield points, state publication, WiredTiger */
#define LT_OPEN_MAX 64 /* clusters open at once in a process */
bool __lt_cluster_register(lt_cluster *cl, bool add);
bool __lt_cluster_is_open(lt_cluster *cl);
lt_node *__lt_node(lt_cluster *cl, int node); /* NULL if out of range or cluster not open */
bool __lt_valid_name(const char *name);
void __lt_event(lt_cluster *cl, lt_event *ev);
void __lt_node_event(lt_node *n, lt_event_type type, lt_op op, const char *table, uint64_t id,
  uint64_t ts, uint64_t count, int rc);
void __lt_yield(lt_cluster *cl, const char *site, int node);
#define LT_YIELD(cl, site, node)                          \
    do {                                                  \
        if (__builtin_expect((cl)->cfg.yield != NULL, 0)) \
            __lt_yield((cl), (site), (node));             \
    } while (0)
/* Upstream defects put back (test-only): the product build compiles every such path out. */
#ifdef LT_FAULTS
#define LT_FAULT(cl, f) (__builtin_expect(((cl)->faults & (f)) != 0, 0))
#else
#define LT_FAULT(cl, f) ((void)(cl), 0)
#endif
void __lt_state_publish(lt_cluster *cl, lt_node *n, const lt_state *st);
void __lt_ts_max(_Atomic uint64_t *p, uint64_t v);
int __lt_wt_open_conn(const char *home, const char *config, WT_CONNECTION **connp);
int __lt_wt_open_session(lt_cluster *cl, WT_SESSION **sp);
int __lt_wt_open_session_iso(lt_cluster *cl, const char *isolation, WT_SESSION **sp);

/* catalog.c: catalogue entries, drop marks, stable objects (_locked: node.catalog_lock held) */
const char *__lt_table_config(void);
lt_entry *__lt_entry_find_locked(lt_node *n, const char *name);
int __lt_entry_add_locked(lt_node *n, WT_SESSION *wt, const char *name, lt_stable *stable,
  uint64_t min_id, lt_entry **ep);
void __lt_entry_unref_locked(lt_node *n, lt_entry *e);
uint64_t __lt_drop_mark_locked(lt_node *n, const char *name);
void __lt_drop_mark_set_locked(lt_node *n, const lt_entry *e);
void __lt_droplog_free(lt_cluster *cl); /* stable_lock held */
int __lt_stable_create(lt_cluster *cl, WT_SESSION *wt, const char *name, uint64_t born,
  const char *cfg, lt_stable **stp);
void __lt_stable_ref(lt_cluster *cl, lt_stable *st);
lt_stable *__lt_stable_adopt(lt_cluster *cl, const lt_entry *e); /* referenced */
void __lt_stable_unref(lt_cluster *cl, lt_stable *st);
void __lt_drop_uri(lt_cluster *cl, WT_SESSION *wt, const char *uri);
void __lt_process_drops(lt_cluster *cl, WT_SESSION *wt);

/* checkpoint.c: records, pins, pickup, the oldest timestamp */
lt_ckpt *__lt_ckpt_pin(lt_cluster *cl, uint64_t id); /* NULL if no such record */
lt_ckpt *__lt_ckpt_pin_for_ts(lt_cluster *cl, uint64_t max_id, uint64_t ts, int *rcp);
void __lt_ckpt_unpin(lt_cluster *cl, lt_ckpt *ck);
lt_stable *__lt_ckpt_stable_for(lt_ckpt *ck, const char *name);
bool __lt_ckpt_has(const lt_ckpt *ck, const lt_stable *st);
uint64_t __lt_entry_cut(lt_stable *st);
int __lt_pickup_locked(lt_node *n, WT_SESSION *wt, uint64_t id, bool internal);
void __lt_maintain(lt_cluster *cl, WT_SESSION *wt);
uint64_t __lt_extra_pins_min_locked(lt_cluster *cl); /* timestamp.c */
void __lt_ckpt_free_all(lt_cluster *cl);

/* hook.c: the Role Transition Isolation hook */
typedef struct lt_ticket {
    bool held; /* inside the read-side section */
    lt_op op;  /* the operation's kind */
    uint64_t opid;
    const char *table;
    unsigned locks; /* LT_HOLD_*: what a lock-based admission took (lt_policy.h) */
} lt_ticket;
int __lt_hook_enter(lt_node *n, lt_ticket *t);
void __lt_hook_exit(lt_node *n, lt_ticket *t);
void __lt_transition_begin(lt_node *n, lt_transition tr, lt_op op);
void __lt_transition_end(lt_node *n, lt_op op, int rc, uint64_t started_ns);
/* The benchmark's probe of the uncontended admission cost (declared by harness/bench too). */
int __lt_bench_admission(lt_cluster *cl, int node, uint64_t n, uint64_t *nsp);

/* schema.c: the schema operations' shared prologue and epilogue */
int __lt_schema_begin(lt_session *s, const char *name, lt_op op, lt_ticket *t, bool *begunp);
void __lt_schema_end(lt_session *s, lt_ticket *t, int rc);

/*
 * __lt_cmp --
 *     Compare two keys as byte strings (memcmp order, then length). Inline, 8 bytes at a time:
 *     the merge compares on every step.
 */
static inline int
__lt_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    size_t i, n = al < bl ? al : bl;
    uint64_t x, y;

    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
            x = __builtin_bswap64(x);
            y = __builtin_bswap64(y);
            return (x < y ? -1 : 1);
        }
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return ((unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1);
    return (al < bl ? -1 : al > bl ? 1 : 0);
}

/* merge.c: constituent seeks and the merge (the view is set up) */
int __lt_point_read(lt_cursor *c, const char *key, size_t klen, const void **valp, size_t *vlenp);
int __lt_merge_seek(lt_cursor *c, const char *key, size_t klen, int dir, bool incl);
int __lt_merge_move(lt_cursor *c, int dir);

/* gate.c: the data gate (I4) and a transaction's bookkeeping */
int __lt_op_enter(lt_session *s, const lt_state **stp, bool write, const char *what,
  const char *table);
void __lt_op_exit(void);
int __lt_txn_doom(lt_session *s, const lt_state *st, const char *what);
void __lt_txn_clear(lt_session *s);
void __lt_txn_wrote_stable(lt_session *s, lt_stable *st);

/* cursor.c: the view, open and close, the read operations */
int __lt_cursor_view(lt_cursor *c, const lt_state *st);
int __lt_cursor_ic(lt_cursor *c);
int __lt_cursor_enter(lt_cursor *c, const lt_state **stp, bool write, bool need_key,
  bool need_value, const char *what);
int __lt_cursor_close_int(lt_cursor *c);

/* cursor_write.c */
int __lt_cursor_write(lt_cursor *c, const lt_state *st, const char *key, size_t klen,
  const void *val, size_t vlen, bool tomb);

int __lt_drain_entry(lt_node *n, WT_SESSION *wt, lt_entry *e, uint64_t *movedp); /* transition.c */
/* The rest (session.c, truncate.c, gc.c, debug.c, cluster.c) are called by no file above. */

#endif /* LT_INTERNAL_H */
