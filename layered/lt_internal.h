/*
 * lt_internal.h -- liblayered's private structures and cross-file functions (prefix __lt_).
 *
 * Each shared structure states its protocol next to its fields: who changes it, under which lock
 * or grace period, and what an unlocked reader must re-check. Lock order (I8), outermost first:
 *
 *     node.transition_lock (10) -> cluster.role_lock (20) -> node.catalog_lock (30)
 *         -> cluster.ckpt_lock (40) -> cluster.stable_lock (50) -> node.hook_lock (60)
 *         -> cluster.sessions_lock (70)
 *
 * A grace period (__lt_grace_wait) is never waited for while holding a lock of rank >= 30: RCU
 * read-side sections (schema and data operations) take those locks.
 */
#ifndef LT_INTERNAL_H
#define LT_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

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
 * can see it (lt_wait_hooks), and debug builds check the lock order.
 */
typedef struct {
    pthread_mutex_t m;
    int rank;
    const char *name;
} lt_mutex;

typedef struct {
    pthread_cond_t c;
} lt_cond;

void __lt_mutex_init(lt_mutex *m, int rank, const char *name);
void __lt_mutex_destroy(lt_mutex *m);
void __lt_mutex_lock(lt_cluster *cl, lt_mutex *m, int node);
void __lt_mutex_unlock(lt_mutex *m);
/* Abort unless the calling thread holds m (debug builds). */
void __lt_mutex_assert_held(lt_mutex *m);
void __lt_cond_init(lt_cond *c);
void __lt_cond_destroy(lt_cond *c);
void __lt_cond_broadcast(lt_cond *c);
/* Wait on c (m held) until woken or the absolute CLOCK_MONOTONIC deadline in ns (0: none). */
int __lt_cond_wait(lt_cluster *cl, lt_cond *c, lt_mutex *m, uint64_t deadline_ns,
  const char *what, int node);

uint64_t __lt_now_ns(void);

/* RCU (liburcu-memb) with ThreadSanitizer annotations; every API entry registers the thread. */
void __lt_thread_enter(void);
void __lt_rcu_read_lock(void);
void __lt_rcu_read_unlock(void);
/* Wait for every read-side section that started before the call to end. No locks >= 30 held. */
void __lt_grace_wait(lt_cluster *cl, int node);
/* sched.c: a controlled thread's blocking goes through its scheduler (NULL: plain). */
extern _Thread_local const lt_sched_ops *__lt_tsched;
void __lt_sched_lock(lt_mutex *m, int node);
int __lt_sched_cond_wait(lt_cond *c, lt_mutex *m, uint64_t deadline_ns, const char *what,
  int node);
void __lt_sleep_ns(uint64_t ns, const char *what);
#define __lt_rcu_load(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define __lt_rcu_store(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

/* ---------------------------------------------------------------------------------------------
 * Errors (error.c): a per-thread message; __lt_err formats it and returns rc.
 */
int __lt_err(lt_cluster *cl, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void __lt_clear_error(void);

/* ---------------------------------------------------------------------------------------------
 * Stable objects: the shared stable constituent of one table incarnation.
 *
 * Protocol: created by a leader's create or by step-up; immutable fields (id, name, uri) are
 * written before the object is published under stable_lock and never change. refs counts every
 * holder (catalogue entries bound to it, checkpoint records, open cursors) and changes only under
 * cluster.stable_lock. When refs reaches 0 the WiredTiger table is queued for dropping.
 */
typedef struct lt_stable {
    uint64_t id;
    /*
     * The incarnation number of the create that began this table's life: a leader create's
     * stable has its own id; one a step-up makes for an entry has the entry's born. Drop marks
     * and bindings compare it, not id: a stable made at step-up for a table created before a
     * node's drop belongs to the dropped life however new its id.
     */
    uint64_t born;
    char name[LT_NAME_MAX + 1];
    char uri[LT_URI_MAX];
    int refs; /* stable_lock */
    _Atomic uint64_t hw; /* newest commit timestamp written to it (leader commits, drains) */
    struct lt_stable *next; /* cluster.stables, stable_lock */
} lt_stable;

/*
 * A node's catalogue entry for one layered table.
 *
 * Protocol: linked into node.entries and unlinked only under node.catalog_lock; name is
 * immutable after linking. inc and ingest_uri change only when a step-up replaces a large
 * drained ingest table by an empty one (node.transition_lock and catalog_lock both held); a
 * reader holds either lock. stable changes under catalog_lock (binding at
 * pickup or view set-up, step-up's create of missing stables); readers take catalog_lock.
 * cursors counts open layered cursors (catalog_lock): drop refuses while it is nonzero. refs
 * counts the catalogue link plus transient holders (GC, cursors); the entry is freed when it
 * drops to 0 (catalog_lock). The step-up drain holds a raw pointer without a reference, relying
 * on the Role Transition Isolation contract exactly as upstream does: with policy off a
 * concurrent drop can free the entry under it.
 */
typedef struct lt_entry {
    char name[LT_NAME_MAX + 1];
    uint64_t inc;
    char ingest_uri[LT_URI_MAX];
    lt_stable *stable; /* catalog_lock */
    uint64_t min_id;   /* binds only to stable lives born after the node's last drop */
    uint64_t born;     /* the life it belongs to (lt_stable.born); never changes */
    int cursors;       /* catalog_lock */
    int refs;          /* catalog_lock */
    struct lt_entry *next;
} lt_entry;

/*
 * A published checkpoint record.
 *
 * Protocol: built by the leader and appended to cluster.ckpts under ckpt_lock; its fields are
 * immutable once appended. pins counts node views, transaction views and open cursors (ckpt_lock).
 * A record is removed (and its WiredTiger named checkpoint dropped) only when unpinned and older
 * than the newest record at or below the oldest timestamp.
 */
typedef struct lt_ckpt {
    uint64_t id;
    uint64_t ts;
    char wt_name[32];
    int ntables;
    struct {
        char name[LT_NAME_MAX + 1];
        lt_stable *stable; /* a reference */
    } * tables;
    int pins; /* ckpt_lock */
    struct lt_ckpt *next;
} lt_ckpt;

/*
 * A node's published state, read lock-free by every operation.
 *
 * Protocol: an immutable snapshot. Writers (transitions, pickup, checkpoint: all under the node's
 * transition_lock) allocate a new copy, publish it with a release store, wait a grace period
 * (readers that saw the old copy have finished) and free the old copy. Readers load it with
 * acquire inside an RCU read-side section and must not keep it past the section.
 */
typedef struct {
    lt_role role;
    lt_transition transition;
    uint64_t generation;
    uint64_t ckpt_id; /* picked up (follower) or published (leader) */
    uint64_t ckpt_ts;
} lt_state;

typedef struct lt_node {
    lt_cluster *cl;
    int id;
    lt_state *state; /* RCU-published, see lt_state */
    lt_mutex transition_lock;
    lt_mutex catalog_lock;
    lt_entry *entries;         /* catalog_lock */
    /*
     * Per name, every incarnation id allocated when the node last dropped that name (catalog_lock):
     * incarnations up to it are the dropped table's or older, never to be bound or re-added.
     */
    struct lt_drop_mark {
        char name[LT_NAME_MAX + 1];
        uint64_t upto;
    } * drops;
    int ndrops, drops_cap;
    lt_ckpt *view;             /* the pinned record of state.ckpt_id, ckpt_lock */

    /* The RTI hook. policy: atomic. tr_active mirrors state.transition for waiters (hook_lock). */
    _Atomic int policy;
    lt_mutex hook_lock;
    lt_cond hook_cond;
    bool tr_active;           /* hook_lock */
    _Atomic int schema_inflight;
    /* For the assert policy's diagnostic: the last admitted schema op (hook_lock). */
    char last_admitted[LT_NAME_MAX + 32];

    /* Counters: atomics, read by lt_hook_get_stats. */
    _Atomic uint64_t st_admitted, st_rejected, st_waited, st_timed_out, st_wait_ns;
    _Atomic uint64_t st_transitions, st_transition_max_ns, st_overlapped;

    /* Bumped by every write, commit, GC and drain on the node; cursors re-seek when it moved. */
    _Atomic uint64_t epoch;
} lt_node;

struct lt_cluster {
    WT_CONNECTION *conn;
    char *home;
    int nnodes;
    lt_node nodes[LT_NODES_MAX];
    lt_cluster_config cfg;
    unsigned faults;

    lt_mutex role_lock;
    int leader;          /* role_lock; also read racily for messages only */

    lt_mutex ckpt_lock;
    lt_ckpt *ckpts;      /* ascending id, ckpt_lock */
    uint64_t ckpt_next;  /* ckpt_lock */
    uint64_t stable_ts;  /* ckpt_lock */
    uint64_t oldest_ts;  /* ckpt_lock */

    lt_mutex stable_lock;
    lt_stable *stables;  /* stable_lock */
    char **pending_drops; /* URIs whose WiredTiger drop was refused (busy), stable_lock */
    int npending, pending_cap;

    /*
     * WiredTiger checkpoints of records already freed (ckpt_lock): each is dropped by the next
     * checkpoint of its table, in the same WiredTiger call (see ckdrop.c).
     */
    struct lt_ckpt_drop {
        char wt_name[32];
        char uri[LT_URI_MAX];
    } * ckdrops;
    int nckdrops, ckdrops_cap;

    lt_mutex sessions_lock;
    lt_session *sessions; /* sessions_lock */

    _Atomic uint64_t seq;        /* event sequence numbers */
    _Atomic uint64_t inc_next;   /* table incarnations and schema op ids */
    _Atomic uint64_t max_commit_ts;
    _Atomic int closing;
};

/*
 * A session's transaction, owned by the session's thread.
 */
typedef struct {
    bool active;
    bool doomed;   /* a generation change rolled the WiredTiger transaction back */
    bool prepared;
    bool wrote, wrote_stable;
    lt_isolation isolation;
    uint64_t read_ts, commit_ts;
    uint64_t generation; /* generation at the first layered operation, 0 before it */
    uint64_t began_gen;  /* the node's generation at begin; 0: begun during a transition */
    char wtcfg[128];     /* the WiredTiger begin configuration, for a restart (__lt_op_enter) */
    bool view_chosen;    /* a snapshot transaction chose its checkpoint (view may be NULL) */
    lt_stable **wrote_st; /* stable objects written (references), for their high-water marks */
    int nwrote, wrote_cap;
    lt_ckpt *view;       /* pinned checkpoint of a snapshot transaction on a follower */
} lt_txn;

struct lt_session {
    lt_cluster *cl;
    lt_node *node;
    WT_SESSION *wt;
    WT_SESSION *wt_schema; /* schema operations run outside the caller's transaction */
    lt_txn txn;
    lt_cursor *cursors;
    uint64_t epoch_seen; /* the node's epoch at the last snapshot release */
    lt_session *next; /* cluster.sessions */
};

#define LT_FROM_INGEST 0x1
#define LT_FROM_STABLE 0x2

/* A constituent candidate of a merge: the next key in the current direction. */
typedef struct {
    bool valid; /* computed for the current position, direction and epoch */
    bool eof;   /* no key in this direction */
    bool pending; /* ingest: not settled yet; no visible key before `key` (see merge.c) */
    bool ahead;   /* ingest, backwards: a copy; the cursor already made the next step */
    int ahead_rc; /* that step's result */
    bool tomb;
    const char *key; /* points into the constituent cursor's memory */
    size_t klen;
    const void *val;
    size_t vlen;
} lt_cand;

struct lt_cursor {
    lt_session *session;
    lt_entry *entry;
    bool overwrite;

    /* The view: which constituents, and through which checkpoint. */
    bool view_set;
    uint64_t view_generation;
    lt_role view_role;
    bool use_ingest;
    uint64_t cut;
    lt_ckpt *ckpt;          /* pinned, follower views */
    lt_stable *stable;      /* referenced while the stable cursor is open */
    WT_CURSOR *ic, *sc;     /* ingest and stable WiredTiger cursors (sc NULL: empty stable) */

    /* Position. */
    bool positioned;
    int dir;                /* +1 after next, -1 after prev, 0 otherwise */
    uint64_t epoch;
    lt_cand ci, cs;
    char *pkey;             /* the position's key, owned */
    size_t pklen, pkcap;
    char *kbuf;             /* storage of a key set by the caller */
    size_t kcap;
    const char *key;        /* the operation's key: kbuf or pkey */
    size_t klen;
    bool key_set;
    int from;               /* which candidates produced the position: LT_FROM_* */
    bool key_in_wt;         /* key and value point into a constituent cursor's memory */
    char *pvbuf;            /* the position's value once the key is owned */
    size_t pvcap;
    const void *val;        /* current or set value */
    size_t vlen;
    char *vbuf;             /* owned copy of a set value, or a modify result */
    size_t vcap;
    bool val_set;
    int arg_error;          /* a bad argument to a setter */
    bool arg_toolong;

    char *wbuf;             /* scratch for encoded ingest keys */
    size_t wcap;
    char *tbuf;             /* scratch for tagged ingest values and modify results */
    size_t tcap;
    char *cbuf;             /* an ingest candidate copied before a backward step (merge.c) */
    size_t ccap;
    lt_cursor *next;        /* session.cursors */
};

/* ---------------------------------------------------------------------------------------------
 * Cross-file functions.
 */
/* cluster.c */
lt_node *__lt_node(lt_cluster *cl, int node); /* NULL if out of range or cluster not open */
bool __lt_cluster_is_open(lt_cluster *cl);
void __lt_event(lt_cluster *cl, lt_event *ev);
void __lt_node_event(lt_node *n, lt_event_type type, lt_op op, const char *table, uint64_t id,
  uint64_t ts, uint64_t count, int rc);
void __lt_yield(lt_cluster *cl, const char *site, int node);
#define LT_YIELD(cl, site, node)                               \
    do {                                                       \
        if (__builtin_expect((cl)->cfg.yield != NULL, 0))      \
            __lt_yield((cl), (site), (node));                  \
    } while (0)
/* Upstream defects put back (test-only): the product build compiles every such path out. */
#ifdef LT_FAULTS
#define LT_FAULT(cl, f) (__builtin_expect(((cl)->faults & (f)) != 0, 0))
#else
#define LT_FAULT(cl, f) ((void)(cl), 0)
#endif
void __lt_state_publish(lt_cluster *cl, lt_node *n, const lt_state *st);
int __lt_wt_open_session(lt_cluster *cl, WT_SESSION **sp);
int __lt_wt_open_session_iso(lt_cluster *cl, const char *isolation, WT_SESSION **sp);
bool __lt_valid_name(const char *name);
void __lt_ts_max(_Atomic uint64_t *p, uint64_t v);

/* hook.c */
typedef struct {
    bool held;     /* inside the read-side section */
    lt_op op;
    uint64_t opid;
    const char *table;
} lt_ticket;
int __lt_hook_enter(lt_node *n, lt_ticket *t);
void __lt_hook_exit(lt_node *n, lt_ticket *t);
void __lt_transition_begin(lt_node *n, lt_transition tr, lt_op op);
void __lt_transition_end(lt_node *n, lt_op op, int rc, uint64_t started_ns);
/* The benchmark's probe of the uncontended admission cost (declared by harness/bench too). */
int __lt_bench_admission(lt_cluster *cl, int node, uint64_t n, uint64_t *nsp);

/* catalog.c (caller holds node.catalog_lock where the name says _locked) */
lt_entry *__lt_entry_find_locked(lt_node *n, const char *name);
void __lt_entry_unref_locked(lt_node *n, lt_entry *e);
int __lt_entry_add_locked(lt_node *n, WT_SESSION *wt, const char *name, lt_stable *stable,
  uint64_t min_id, lt_entry **ep);
int __lt_stable_create(lt_cluster *cl, WT_SESSION *wt, const char *name, uint64_t born,
  lt_stable **stp);
void __lt_stable_ref(lt_cluster *cl, lt_stable *st);
void __lt_stable_unref(lt_cluster *cl, lt_stable *st);
void __lt_drop_uri(lt_cluster *cl, WT_SESSION *wt, const char *uri);
void __lt_process_drops(lt_cluster *cl, WT_SESSION *wt);
uint64_t __lt_drop_mark_locked(lt_node *n, const char *name);
uint64_t __lt_entry_cut(lt_stable *st);
bool __lt_ckpt_has(lt_ckpt *ck, lt_stable *st);
const char *__lt_table_config(void);
int __lt_schema_begin(lt_session *s, const char *name, lt_op op, lt_ticket *t, bool *begunp);
void __lt_schema_end(lt_session *s, lt_ticket *t, int rc);

/* checkpoint.c */
lt_ckpt *__lt_ckpt_pin(lt_cluster *cl, uint64_t id);   /* NULL if no such record */
lt_ckpt *__lt_ckpt_pin_for_ts(lt_cluster *cl, uint64_t max_id, uint64_t ts, int *rcp);
void __lt_ckpt_unpin(lt_cluster *cl, lt_ckpt *ck);
lt_stable *__lt_ckpt_stable_for(lt_ckpt *ck, const char *name);
int __lt_pickup_locked(lt_node *n, WT_SESSION *wt, uint64_t id, bool internal);
void __lt_maintain(lt_cluster *cl, WT_SESSION *wt);
uint64_t __lt_extra_pins_min_locked(lt_cluster *cl);
void __lt_ckpt_free_all(lt_cluster *cl);

/* ckdrop.c: the WiredTiger checkpoints of freed records, dropped with a later checkpoint */
bool __lt_ckdrop_add_locked(lt_cluster *cl, const char *wt_name, const char *uri);
int __lt_ckdrop_checkpoint(lt_cluster *cl, WT_SESSION *wt, lt_ckpt *ck);
void __lt_ckdrop_flush(lt_cluster *cl, WT_SESSION *wt);
void __lt_ckdrop_free_locked(lt_cluster *cl);

/* ingest.c: version rows */
int __lt_ing_encode_key(char **bufp, size_t *capp, const char *key, size_t klen, uint64_t ts,
  WT_ITEM *out);
bool __lt_ing_decode_key(const WT_ITEM *k, size_t *klenp, uint64_t *tsp);
int __lt_buf_reserve(char **bufp, size_t *capp, size_t need);

/* session.c */
int __lt_op_enter(lt_session *s, const lt_state **stp, bool write, const char *what,
  const char *table);
void __lt_op_exit(void);
int __lt_txn_doom(lt_session *s, const lt_state *st, const char *what);
void __lt_txn_clear(lt_session *s);
void __lt_txn_wrote_stable(lt_session *s, lt_stable *st);

/* cursor.c */
int __lt_cursor_close_int(lt_cursor *c);
int __lt_cursor_view(lt_cursor *c, const lt_state *st);
int __lt_cursor_ic(lt_cursor *c);
int __lt_cursor_pos_at_key(lt_cursor *c);
void __lt_cursor_unposition(lt_cursor *c);
int __lt_cursor_write(lt_cursor *c, const lt_state *st, const char *key, size_t klen,
  const void *val, size_t vlen, bool tomb);
int __lt_cursor_enter(lt_cursor *c, const lt_state **stp, bool write, bool need_key,
  bool need_value, const char *what);

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
void __lt_merge_invalidate(lt_cursor *c);
int __lt_point_read(lt_cursor *c, const char *key, size_t klen, const void **valp,
  size_t *vlenp);
int __lt_merge_seek(lt_cursor *c, const char *key, size_t klen, int dir, bool incl);
int __lt_merge_move(lt_cursor *c, int dir);
int __lt_key_own(lt_cursor *c);
void __lt_session_release_snapshot(lt_session *s);

/* transition.c */
int __lt_drain_entry(lt_node *n, WT_SESSION *wt, lt_entry *e, uint64_t *movedp);

#endif /* LT_INTERNAL_H */
