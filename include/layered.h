/*
 * layered.h -- public API of liblayered, a model of WiredTiger's layered (disaggregated) tables
 * and role transitions, built on WiredTiger 3.2.1.
 *
 * A cluster is one WiredTiger connection (the shared page store) and N logical nodes. Each node
 * is a leader or a follower. A layered table NAME has one shared stable constituent, written only
 * by the leader and read by followers through published checkpoints, and one ingest constituent
 * per node. docs/CONTRACT.md states the contract and its invariants; layered/DESIGN.md, the model.
 *
 * Conventions:
 *   - Every function that returns an int, unless its comment says otherwise, returns 0 or an
 *     error: an errno value (EINVAL, EBUSY, ENOENT, EEXIST, ETIMEDOUT, ...) or a WiredTiger code
 *     (WT_NOTFOUND, WT_ROLLBACK, WT_DUPLICATE_KEY, WT_PREPARE_CONFLICT). Each such call clears
 *     the calling thread's last error when it starts; on error, lt_last_error() then returns a
 *     message that names the operation, the node and the table. The name functions, the cursor
 *     setters and the queries that return no error code leave it as it is.
 *   - Keys are NUL-terminated strings of at most LT_KEY_MAX bytes; values are byte strings of at
 *     most LT_VALUE_MAX bytes.
 *   - Layered writes need an explicit transaction with a commit timestamp set before the write
 *     (lt_txn_begin with commit_ts, or lt_txn_set_commit_ts).
 *   - Sessions, cursors and transactions belong to one thread at a time, like WiredTiger's.
 *
 * Every public name starts with lt_ / LT_; internal cross-file names start with __lt_.
 */
#ifndef LAYERED_H
#define LAYERED_H

#include <stddef.h>
#include <stdint.h>

#include <wiredtiger.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LT_VERSION_STRING "0.1.0"

#define LT_NAME_MAX 64             /* longest layered table name, bytes */
#define LT_KEY_MAX 1024            /* longest key, bytes, without the NUL */
#define LT_VALUE_MAX (1024 * 1024) /* longest value, bytes */
#define LT_NODES_MAX 16

typedef struct lt_cluster lt_cluster;
typedef struct lt_session lt_session;
typedef struct lt_cursor lt_cursor;

/* Roles and transition states of a node. */
typedef enum { LT_FOLLOWER = 0, LT_LEADER = 1 } lt_role;
typedef enum {
    LT_TR_NONE = 0,
    LT_TR_STEP_UP = 1,
    LT_TR_STEP_DOWN = 2,
    LT_TR_RESTART = 3 /* lt_node_restart: the node is losing its state */
} lt_transition;

/* Role Transition Isolation policies (docs/CONTRACT.md#policies). */
typedef enum {
    LT_POLICY_REJECT = 0, /* a schema op that meets a transition fails with EBUSY */
    LT_POLICY_WAIT = 1,   /* it blocks until the transition ends (ETIMEDOUT past the bound) */
    LT_POLICY_ASSERT = 2, /* the process aborts with a diagnostic naming both parties */
    LT_POLICY_OFF = 3,    /* no enforcement: upstream's behaviour, to reproduce the races */
    /* Lock-based, per operation kind (docs/CONTRACT.md#policy-table): */
    LT_POLICY_UPSTREAM = 4, /* upstream's 2026 rules: step-up asserts, step-down serialises */
    LT_POLICY_BOUNDARY = 5  /* asynchronous step-down: schema ops land on one side of it */
} lt_policy;

/* ---------------------------------------------------------------------------------------------
 * Events for an observer (docs/CONTRACT.md#events).
 */
typedef enum {
    LT_EV_SCHEMA_BEGIN = 1, /* a schema op entered the library */
    LT_EV_ADMIT,            /* the hook admitted it (also sent with policy off) */
    LT_EV_REJECT,           /* the hook rejected it (EBUSY) */
    LT_EV_WAIT_BEGIN,       /* it started waiting for a transition to end */
    LT_EV_WAIT_END,         /* it stopped waiting (rc 0 or ETIMEDOUT) */
    LT_EV_SCHEMA_EFFECT,    /* its effect became visible: catalogue changed, rows removed */
    LT_EV_SCHEMA_END,       /* it returned (rc) */
    LT_EV_TRANSITION_BEGIN, /* a step-up or step-down entered the hook exclusively */
    LT_EV_TRANSITION_FLIP,  /* the role flipped and the generation was bumped */
    LT_EV_TRANSITION_END,   /* the transition finished (rc) */
    LT_EV_DRAIN_TABLE,      /* the step-up drained one table (count = rows moved) */
    LT_EV_CHECKPOINT,       /* a checkpoint was published (id, ts) */
    LT_EV_PICKUP,           /* a node picked up a checkpoint (id, ts) */
    LT_EV_GC,               /* ingest GC ran on a node (count = rows removed) */
    LT_EV_STABLE_WRITE,     /* a transaction committed writes to stable (ts = commit ts) */
    LT_EV_BOUNDARY          /* a step-down set its boundary (id = new schema epoch, ts) */
} lt_event_type;

typedef enum {
    LT_OP_NONE = 0,
    LT_OP_CREATE,
    LT_OP_DROP,
    LT_OP_TRUNCATE,
    LT_OP_STEP_UP,
    LT_OP_STEP_DOWN,
    LT_OP_CHECKPOINT,
    LT_OP_PICKUP,
    LT_OP_GC,
    LT_OP_COMMIT,
    /* Schema operation kinds beyond create, drop and truncate (docs/CONTRACT.md#op-kinds). */
    LT_OP_DROP_NOWAIT, /* drop that does not wait for the schema lock (EBUSY) */
    LT_OP_DROP_CKPT,   /* drop that waits for the checkpoint lock first */
    LT_OP_VERIFY,      /* lt_verify */
    LT_OP_PUBLISH,     /* lt_publish */
    /* Non-schema work the hook must never see (I9); named for the events of a defective hook. */
    LT_OP_CURSOR_OPEN,
    LT_OP_INFO,   /* node information and statistics calls */
    LT_OP_RESTART /* lt_node_restart (its transition events) */
} lt_op;

typedef struct {
    uint64_t seq; /* global sequence number, from one atomic counter */
    lt_event_type type;
    lt_op op;
    int node;
    lt_role role;        /* the node's role as seen by the operation */
    uint64_t generation; /* the node's role generation as seen by the operation */
    const char *table;   /* table name or NULL; valid during the callback only */
    int rc;              /* result code where the event carries one */
    uint64_t id;         /* checkpoint id, or the schema op's unique id */
    uint64_t ts;         /* checkpoint or commit timestamp */
    uint64_t count;      /* rows drained or removed */
} lt_event;

/*
 * The observer runs inside the library call that caused the event, sometimes with library locks
 * held: it must not call the library (but for lt_last_error and the name functions).
 */
typedef void (*lt_observer_fn)(void *arg, const lt_event *ev);

/*
 * Yield points (docs/CONTRACT.md#yield-points): the library calls the installed function at each
 * named site (for example "drain.entry", "drop.before_free", "stepup.after_flip"; lt_yield_sites()
 * lists them all). A stress scheduler may sleep there; a test may block there to hold a transition
 * open. Without one, a site costs one predictable branch. Like the observer, it must not call the
 * library.
 */
typedef void (*lt_yield_fn)(void *arg, const char *site, int node);

/*
 * Blocking waits inside the library (the hook's wait policy, transition waits) go through these
 * functions when installed, so that a controlled scheduler can see and run around them. The
 * default implementation uses pthread mutexes and condition variables.
 */
typedef struct {
    void *arg;
    /* Called before a thread blocks on a library wait named what, and after it wakes. */
    void (*before_block)(void *arg, const char *what, int node);
    void (*after_block)(void *arg, const char *what, int node);
} lt_wait_hooks;

/* Test-only fault injections: upstream defects put back (LT_FAULTS builds only, see races/). */
#define LT_FAULT_DROP_NOT_ATOMIC 0x01u   /* drop removes ingest, then fails on a busy stable */
#define LT_FAULT_COMMIT_NO_GATE 0x02u    /* commit does not re-check the role generation */
#define LT_FAULT_WRITE_ROLE_REREAD 0x04u /* a write re-reads the role after its check */
#define LT_FAULT_TXN_STRAND 0x08u        /* step-up does not roll back follower txns */
/* Cursor-merge defects, found by `layerace cursor` (docs/CONTRACT.md#cursor-defects). */
#define LT_FAULT_PREV_ORDER 0x10u          /* follower prev picks the larger candidate */
#define LT_FAULT_SEARCH_NEXT_RESTART 0x20u /* next after search restarts at the smallest key */
#define LT_FAULT_REMOVE_OTHER_KEY 0x40u    /* positioned remove deletes the following key */
#define LT_FAULT_MODIFY_STABLE 0x80u       /* modify of a key only stable holds fails */
#define LT_FAULT_POINT_NO_INGEST 0x100u    /* leader point reads ignore ingest (step-up) */
#define LT_FAULT_CKPT_NOTFOUND 0x200u /* a positioned cursor's first op after pickup: NOTFOUND */
/* Policy defects (docs/CONTRACT.md#policy-table). */
#define LT_FAULT_STEPDOWN_LEAK 0x400u /* create takes the schema lock after reading the role */
#define LT_FAULT_HOOK_AT_LOCK 0x800u  /* cursor open and info calls meet the hook */
/* A waiting schema op keeps its read-side section and has no deadline, so the transition's grace
 * period waits for it while it waits for the transition: a deadlock no lock rank can see. */
#define LT_FAULT_WAIT_IN_SECTION 0x1000u
/* Race classes 11-13, 15, 16 (docs/CONTRACT.md#races). */
#define LT_FAULT_PICKUP_STALE_BIND 0x40000u /* pickup binds a dropped incarnation by its name */
#define LT_FAULT_DROP_LOCK_INVERT 0x80000u  /* drop takes transition_lock under catalog_lock */
#define LT_FAULT_GC_NO_REF 0x100000u        /* GC walks entry pointers without references */
#define LT_FAULT_BG_NO_RECHECK 0x200000u    /* background checkpoint trusts a stale role read */
#define LT_FAULT_FLAG_PLAIN_READ 0x400000u  /* background thread reads its role flag plainly */
/* An injected WiredTiger error is ignored: a failed checkpoint is published all the same. */
#define LT_FAULT_WTF_IGNORED 0x40000000u
/* Race-catalogue defects, classes 4, 7, 8, 9, 10 (docs/CONTRACT.md#races). */
#define LT_FAULT_DRAIN_OPEN_ONLY 0x2000u /* step-up drains only tables with an open cursor */
#define LT_FAULT_CKPT_UNLOCKED 0x4000u   /* checkpoint drops the transition lock after its check */
#define LT_FAULT_PICKUP_RESEARCH \
    0x8000u /* a positioned cursor follows a pickup, searches its key */
#define LT_FAULT_UNBOUND_NO_PIN 0x10000u /* a view without stable pins no checkpoint, stays so */
#define LT_FAULT_ROLE_KEEP_VIEW \
    0x20000u /* a positioned cursor keeps its view across a role change */
/* Role-transition defects of upstream's 2026 tickets (docs/CONTRACT.md#class-17 to #class-20). */
#define LT_FAULT_STABLE_NO_CONFIG 0x800000u      /* step-up rebuilds a stable without its config */
#define LT_FAULT_DRAIN_CONFLICT 0x1000000u       /* the drain's emptying fails on a conflict */
#define LT_FAULT_TXN_ROLE_ONLY 0x2000000u        /* a txn's check compares roles, not generations */
#define LT_FAULT_COMMIT_PAST_BOUNDARY 0x4000000u /* a stable commit runs during a step-down */
/* Restart defects (test-only). The restarted node publishes the newest checkpoint as its own (what
 * lt_node_get_info reports and the application replays above) but keeps reading the checkpoint it
 * had picked up before: rows between the two are served by neither. */
#define LT_FAULT_RESTART_STALE_VIEW 0x10000000u
/* Recovery defect (test-only): a checkpoint publication is acknowledged while its durable record
 * is only queued (every odd one is never synced): a kill loses what the application trimmed. */
#define LT_FAULT_ACK_BEFORE_DURABLE 0x8000000u

typedef struct {
    const char *home;         /* database directory; created if missing; fresh unless recover */
    int nodes;                /* number of nodes, 1..LT_NODES_MAX [3] */
    lt_policy policy;         /* initial RTI policy of every node [reject] */
    uint32_t wait_timeout_ms; /* bound of the wait policy [10000] */
    const char *wt_config;    /* extra wiredtiger_open configuration [none] */
    int verbose;              /* also print error messages on stderr [0] */
    lt_observer_fn observer;  /* event observer [none] */
    void *observer_arg;
    lt_yield_fn yield; /* yield-point function [none] */
    void *yield_arg;
    lt_wait_hooks wait_hooks; /* optional */
    unsigned faults;          /* LT_FAULT_* mask; nonzero is EINVAL unless built with LT_FAULTS */
    /* 1: a node's oldest timestamp moves only by lt_node_set_timestamp (upstream's: history is
     * kept until the application moves it); 0: it follows the node's stable timestamp, held
     * back by open readers [0] */
    int app_oldest;
    /* Each node's background thread publishes a checkpoint every bg_checkpoint_ms while its node
     * leads (upstream's checkpoint server; layered/DESIGN.md); 0: no background thread [0] */
    int bg_checkpoint_ms;
    /* Injected WiredTiger errors (docs/CONTRACT.md#injected-faults), e.g. "seed=7,rate=0.01" or
     * "checkpoint.wt@2=eio"; lt_wtfault_check describes the syntax [NULL: off] */
    const char *wt_faults;
    /* 1: reopen the home a previous cluster left (closed, or killed at any instant) and recover
     * it: every node a follower at the newest checkpoint whose publication was acknowledged, with
     * that checkpoint's tables; the application replays its log above the checkpoint's timestamp
     * (layered/DESIGN.md, "Recovery after a kill"). A home without a cluster is EINVAL, one
     * without a database ENOENT. 0: home must be fresh [0] */
    int recover;
} lt_cluster_config;

/* Fill a configuration with defaults (home must still be set). */
void lt_cluster_config_init(lt_cluster_config *cfg);

/* ---------------------------------------------------------------------------------------------
 * Cluster, nodes, roles.
 */
int lt_cluster_open(const lt_cluster_config *cfg, lt_cluster **clusterp);
/* Closes every session and cursor still open. Safe on NULL. */
int lt_cluster_close(lt_cluster *cluster);
/* The number of nodes; 0 if cluster is not an open cluster (no error code). */
int lt_cluster_nodes(lt_cluster *cluster);
/* The WiredTiger connection, for oracle tables beside the layered ones. */
WT_CONNECTION *lt_cluster_connection(lt_cluster *cluster);

typedef struct {
    lt_role role;
    lt_transition transition;
    uint64_t generation;    /* bumped by every role flip */
    uint64_t checkpoint_id; /* picked-up (follower) or last published (leader) checkpoint, 0 none */
    uint64_t checkpoint_ts;
    int tables;            /* layered tables in the node's catalogue */
    int queued;            /* metadata entries queued for lt_publish */
    uint64_t schema_epoch; /* bumped by every step-down's boundary */
} lt_node_info;
int lt_node_get_info(lt_cluster *cluster, int node, lt_node_info *info);
/* The current leader's index, or -1 if there is none or cluster is not open (no error code). */
int lt_cluster_leader(lt_cluster *cluster);

/*
 * Step-up (follower to leader): pick up the newest checkpoint, flip, bump the generation, create
 * missing stable constituents, drain every table's ingest into stable, empty the ingest. EBUSY if
 * another node is leader or in transition; EINVAL if the node already leads.
 */
int lt_step_up(lt_cluster *cluster, int node);
/* Step-down (leader to follower): flip and bump the generation. EINVAL if not leader. */
int lt_step_down(lt_cluster *cluster, int node);
/*
 * Start (checkpoint_ms > 0) or stop (0) each node's background thread, which publishes a
 * checkpoint every checkpoint_ms while its node leads and something new was committed
 * (lt_cluster_config.bg_checkpoint_ms starts them at open). Returns once the old threads ended.
 */
int lt_cluster_set_background(lt_cluster *cluster, int checkpoint_ms);
/*
 * One round of the node's background work on the calling thread, as its background thread makes
 * one every interval: read the node's role flag and, if it leads and a commit is newer than the
 * last checkpoint, publish a checkpoint at ts (0: the newest commit). For an application that
 * runs the background work on its own threads. 0: published (*idp its id, idp may be NULL);
 * EAGAIN: nothing to do; EINVAL: the node stepped down since the flag read (nothing published).
 */
int lt_node_background_round(lt_cluster *cluster, int node, uint64_t ts, uint64_t *idp);
/*
 * Restart a node as a process restart would (layered/DESIGN.md, "Node restart"): the node loses
 * its ingest (writes no checkpoint holds), its picked-up state, its catalogue and drop marks, and
 * every session and cursor opened on it before; it comes back as a follower at the newest
 * published checkpoint (lt_node_get_info's checkpoint_ts), whose tables it holds again. A leader
 * comes back as a follower: the cluster has no leader until a step-up. The application replays its
 * operations above that checkpoint's timestamp. A handle from before the restart is stale: every
 * call on it that reaches the node (reads, writes, cursor opens, transactions, schema operations,
 * lt_debug_key) fails with ESTALE, and lt_txn_rollback rolls its transaction back and says ESTALE
 * too; closing, lt_cursor_reset and a cursor's key and value accessors touch only the handle's
 * own memory and work. The restart waits for a transition of the node in
 * progress (it takes the node's transition lock) and enters the hook as a transition does: schema
 * operations meet it as they meet a step-down (policy off: they are not kept out). The node's own
 * oldest and stable timestamps stay. A leader's committed writes are in the shared stable table and
 * stay (the model's page store); its uncommitted ones roll back when their session is closed.
 */
int lt_node_restart(lt_cluster *cluster, int node);

/*
 * Publish a checkpoint of every stable constituent as of timestamp ts (0: the newest commit
 * timestamp seen). Leader only. Sets the stable timestamp. Returns the new checkpoint id.
 */
int lt_checkpoint(lt_cluster *cluster, int node, uint64_t ts, uint64_t *idp);
/* Follower: move the node's view of stable to checkpoint id (0: newest). Never backwards. */
int lt_pickup(lt_cluster *cluster, int node, uint64_t id);
/*
 * A node's own timestamps, as WiredTiger's WT_CONNECTION::set_timestamp sets a connection's:
 * config "oldest_timestamp=X", "stable_timestamp=X" or both, comma-separated, X hexadecimal as in
 * WiredTiger. A read timestamp below the node's oldest is EINVAL; so is a commit timestamp below
 * the node's oldest or stable (a prepared transaction's durable timestamp below its stable);
 * other nodes' timestamps never count. A timestamp moved backwards is ignored, as WiredTiger
 * does; an oldest above the stable is EINVAL. lt_checkpoint raises the leader's stable timestamp
 * to the checkpoint's, lt_pickup a follower's.
 */
int lt_node_set_timestamp(lt_cluster *cluster, int node, const char *config);
/* The node's oldest and stable timestamps (0: not set); either pointer may be NULL. */
int lt_node_get_timestamps(lt_cluster *cluster, int node, uint64_t *oldestp, uint64_t *stablep);
/* The newest published checkpoint (0 if none) and its timestamp. */
int lt_checkpoint_newest(lt_cluster *cluster, uint64_t *idp, uint64_t *tsp);
/*
 * Ingest GC on a node ("evict the ingest table"): remove ingest versions that every reader can
 * get from a checkpoint instead; drop old checkpoints nothing pins. removedp may be NULL.
 */
int lt_gc(lt_cluster *cluster, int node, uint64_t *removedp);

/* ---------------------------------------------------------------------------------------------
 * The Role Transition Isolation hook.
 */
int lt_set_policy(lt_cluster *cluster, int node, lt_policy policy); /* node -1: every node */
int lt_get_policy(lt_cluster *cluster, int node, lt_policy *policyp);
typedef struct {
    uint64_t admitted;          /* schema ops admitted (including after a wait) */
    uint64_t rejected;          /* schema ops rejected with EBUSY */
    uint64_t waited;            /* schema ops that waited for a transition */
    uint64_t timed_out;         /* waits that ended with ETIMEDOUT */
    uint64_t wait_ns;           /* total time spent waiting */
    uint64_t transitions;       /* transitions completed */
    uint64_t transition_max_ns; /* longest transition */
    uint64_t overlapped;        /* schema ops that ran during a transition (policy off only) */
} lt_hook_stats;
int lt_hook_get_stats(lt_cluster *cluster, int node, lt_hook_stats *stats); /* node -1: sum */

/* The yield-point site names, NULL-terminated. */
const char *const *lt_yield_sites(void);

/* ---------------------------------------------------------------------------------------------
 * Controlled scheduling: a test scheduler that runs threads one at a time (layerace's
 * --sched). A thread attaches the scheduler's operations with lt_sched_attach; from then on the
 * library's blocking primitives in that thread (mutex, condition wait, grace period, back-off
 * sleep) and its clock go through them instead of the kernel. Threads that did not attach use the
 * plain primitives: one predictable branch. Every thread that shares the library's locks with a
 * controlled thread must itself be controlled while it does.
 */
typedef struct {
    void *arg;
    /* A scheduling point before the lock obj (name, node) is tried: another thread may run. */
    void (*lock_point)(void *arg, const void *obj, const char *name, int node);
    /* obj is held by another thread: block until it is released (the library then retries). */
    void (*lock_block)(void *arg, const void *obj, const char *name, int node);
    /* obj (a lock) was released or (a condition) broadcast: its blocked threads may run again. */
    void (*wake)(void *arg, const void *obj);
    /* mutex was released (and woken): block until cond is broadcast or the deadline (the
     * library's clock, 0: none) passes; the library then takes mutex again. 0 or ETIMEDOUT. */
    int (*cond_wait)(void *arg, const void *cond, const void *mutex, uint64_t deadline_ns,
      const char *what, int node);
    /* Block until every read-side section that began before the call has ended. */
    void (*grace)(void *arg, int node);
    /* A back-off of ns nanoseconds (virtual time). */
    void (*sleep)(void *arg, uint64_t ns, const char *what);
    /* The library's clock for this thread: the scheduler's virtual time. */
    uint64_t (*now_ns)(void *arg);
} lt_sched_ops;

/* Route the calling thread's blocking through ops (NULL: back to the plain primitives). */
void lt_sched_attach(const lt_sched_ops *ops);
/*
 * The calling thread's held ranked locks, as a handle another thread may describe later with
 * lt_held_names (a watchdog's report of a stuck run: the read is racy, for diagnostics only).
 */
const void *lt_held_state(void);
void lt_held_names(const void *state, char *buf, size_t len);
/*
 * The calling thread's read-side state, for a scheduler's grace period: *depthp is its current
 * read-side nesting depth, *exitsp counts the outermost sections it has left. The pointers stay
 * valid until the thread exits; read them only while the thread is parked.
 */
void lt_sched_read_state(const int **depthp, const uint64_t **exitsp);

/* ---------------------------------------------------------------------------------------------
 * Sessions and transactions. A session belongs to one node.
 */
int lt_session_open(lt_cluster *cluster, int node, lt_session **sessionp);
/* Closes the session's cursors and rolls back an open transaction. Safe on NULL. */
int lt_session_close(lt_session *session);
int lt_session_node(lt_session *session); /* the session's node, -1 for NULL (no error code) */
/*
 * The session's WiredTiger session, for plain tables written in the same transaction as the
 * layered ones (an oracle that commits or rolls back with them). Do not begin, commit or roll
 * back through it; use lt_txn_*.
 */
WT_SESSION *lt_session_wt(lt_session *session);

typedef enum { LT_ISO_SNAPSHOT = 0, LT_ISO_READ_COMMITTED, LT_ISO_READ_UNCOMMITTED } lt_isolation;
typedef struct {
    lt_isolation isolation; /* [snapshot] */
    uint64_t read_ts;       /* 0: none */
    uint64_t commit_ts;     /* 0: set later with lt_txn_set_commit_ts */
} lt_txn_config;
/* On a follower, a read at a read timestamp below every checkpoint still kept (older ones were
 * published and dropped) is EINVAL at its first cursor operation. */

int lt_txn_begin(lt_session *session, const lt_txn_config *cfg); /* cfg NULL: defaults */
int lt_txn_set_commit_ts(lt_session *session, uint64_t ts);
int lt_txn_prepare(lt_session *session, uint64_t prepare_ts);
/* For a prepared transaction, set commit_ts first; durable_ts 0 means commit_ts. */
int lt_txn_commit(lt_session *session, uint64_t durable_ts);
int lt_txn_rollback(lt_session *session);
int lt_txn_active(lt_session *session); /* 1 if a transaction is active, else 0 (no error code) */

/* ---------------------------------------------------------------------------------------------
 * Schema operations, on the session's node, through the RTI hook.
 */
/* Upstream's create: a table that exists is left as it is (0), unless config is "exclusive=true"
 * (EEXIST then). Either way a schema operation through the hook. config may be NULL, or a
 * comma-separated list of "exclusive[=true|false]" and "app_metadata=TEXT" (TEXT: at most
 * LT_NAME_MAX bytes, no comma): the table's configuration, which every node must agree on; a
 * pickup of a checkpoint whose table has another one than the node's is refused (EINVAL). */
int lt_create_cfg(lt_session *session, const char *name, const char *config);
int lt_create(lt_session *session, const char *name); /* lt_create_cfg(session, name, NULL) */
int lt_drop(lt_session *session, const char *name);
/*
 * Drop with upstream's options (they matter under the policies upstream and boundary): NOWAIT
 * gives EBUSY rather than waiting for the node's schema lock; CKPT_WAIT takes the node's
 * checkpoint lock (node.transition_lock) first. lt_drop is lt_drop_ex(session, name, 0).
 */
#define LT_DROP_NOWAIT 0x1u
#define LT_DROP_CKPT_WAIT 0x2u
int lt_drop_ex(lt_session *session, const char *name, unsigned flags);
/*
 * Verify a layered table on the session's node: every ingest row decodes, and a leader's entry
 * has its stable constituent. EINVAL (with the reason) when it does not hold; ENOENT no table.
 */
int lt_verify(lt_session *session, const char *name);
/*
 * Publish the table's metadata entry, queued by the leader's create, in the node's current schema
 * epoch. EINVAL on a follower, past a step-down's boundary, or for an entry of an older epoch;
 * ENOENT when nothing is queued for the table.
 */
int lt_publish(lt_session *session, const char *name);
/* Remove every row, in the session's transaction (which needs a commit timestamp). */
int lt_truncate(lt_session *session, const char *name);
/*
 * Whether the node's catalogue holds the table: *existsp = 1 or 0. EINVAL for a NULL session or
 * pointer or a bad table name (*existsp = 0 then).
 */
int lt_table_exists(lt_session *session, const char *name, int *existsp);
/*
 * Forensics: a one-line description of where key of table name lives on the session's node
 * (catalogue entry, binding, checkpoint, cut, live and checkpointed stable row, ingest versions).
 * For checkers and debugging, with the cluster quiescent.
 */
int lt_debug_key(lt_session *session, const char *name, const char *key, char *buf, size_t len);

/* ---------------------------------------------------------------------------------------------
 * The layered cursor: a merge of the ingest and stable constituents.
 * Configuration: NULL, or "overwrite=false" (insert fails on an existing key, update on an absent
 * one). As upstream's layered cursor, a remove by key of an absent key is WT_NOTFOUND either way; a
 * failed search keeps the key; a step that returns WT_PREPARE_CONFLICT keeps the cursor's place.
 */
int lt_cursor_open(lt_session *session, const char *table, const char *config, lt_cursor **cp);
int lt_cursor_close(lt_cursor *cursor); /* safe on NULL */
/* Setters remember a bad argument; the next operation then fails with EINVAL. */
void lt_cursor_set_key(lt_cursor *cursor, const char *key);
void lt_cursor_set_value(lt_cursor *cursor, const void *data, size_t size);
int lt_cursor_get_key(lt_cursor *cursor, const char **keyp);
int lt_cursor_get_value(lt_cursor *cursor, const void **datap, size_t *sizep);
int lt_cursor_next(lt_cursor *cursor);
int lt_cursor_prev(lt_cursor *cursor);
/* Unposition; the cursor pins no checkpoint until its next operation (GC is not held back). */
int lt_cursor_reset(lt_cursor *cursor);
int lt_cursor_search(lt_cursor *cursor);
int lt_cursor_search_near(lt_cursor *cursor, int *exactp);
int lt_cursor_largest_key(lt_cursor *cursor);
int lt_cursor_insert(lt_cursor *cursor);
int lt_cursor_update(lt_cursor *cursor);
int lt_cursor_remove(lt_cursor *cursor);
/* Apply WiredTiger modify entries to the current value (as value_format=u: pads with NUL). */
int lt_cursor_modify(lt_cursor *cursor, WT_MODIFY *entries, int nentries);

/* ---------------------------------------------------------------------------------------------
 * Injected WiredTiger errors (lt_cluster_config.wt_faults; docs/CONTRACT.md#injected-faults).
 */
typedef enum { LT_WTF_ENOSPC, LT_WTF_EIO, LT_WTF_EBUSY, LT_WTF_ROLLBACK, LT_WTF_PANIC } lt_wtf_kind;
#define LT_WTF_KINDS 5
typedef struct {
    uint64_t calls;                  /* WiredTiger calls that went through the injector */
    uint64_t injected[LT_WTF_KINDS]; /* failures injected, by lt_wtf_kind */
    int panicked;                    /* an injected WT_PANIC latched: the cluster refuses work */
} lt_wtfault_stats;
/* EINVAL, with the reason in err and lt_last_error, if spec is not a valid wt_faults. */
int lt_wtfault_check(const char *spec, char *err, size_t len);
/* 1 if spec can inject kind (lt_wtf_kind: a random draw at a rate above 0, or a SITE@N item),
 * 0 if not, -1 if spec is not valid. */
int lt_wtfault_spec_has(const char *spec, int kind);
int lt_wtfault_get_stats(lt_cluster *cluster, lt_wtfault_stats *stats);
/* Suspend (1) or resume (0) injection, e.g. around a checker's reads; a panic stays latched. */
int lt_wtfault_pause(lt_cluster *cluster, int paused);
/* The code injected into the calling thread's last call that returns an error code, 0 none. */
int lt_wtfault_last(void);
/* How many injected errors the calling thread's calls met, ever (compare two readings). */
uint64_t lt_wtfault_thread_count(void);
const char *lt_wtfault_kind_name(int kind); /* "enospc", "eio", "ebusy", "rollback", "panic" */

/* ---------------------------------------------------------------------------------------------
 * Errors.
 */
/* The message of the calling thread's last call that failed, "" if its last call succeeded. */
const char *lt_last_error(void);
/*
 * A name for an error code: the symbol of a code the library returns ("EBUSY", "WT_ROLLBACK"),
 * the symbol and description of any other errno ("EMFILE (Too many open files)"), WiredTiger's
 * description of its other codes ("WT_RUN_RECOVERY: ..."), "unknown error N" otherwise. The text
 * stays valid for the calling thread's next three calls.
 */
const char *lt_strerror(int rc);
/*
 * The environment's failures: out of disk (ENOSPC, EDQUOT), of file descriptors (EMFILE,
 * ENFILE) or of memory (ENOMEM), a read-only or failing device (EROFS, EIO). lt_env_failure
 * returns the first such code that the library returned or WiredTiger reported (a panic's
 * cause) in this process since lt_env_reset, 0 if none, and if buf is not NULL a message saying
 * where. A caller uses it to tell a failing machine from a failing contract. lt_env_errno says
 * whether a code is of this kind.
 */
int lt_env_failure(char *buf, size_t len);
void lt_env_reset(void);
bool lt_env_errno(int rc);
const char *lt_policy_name(lt_policy policy);
int lt_policy_parse(const char *name, lt_policy *policyp);
const char *lt_event_name(lt_event_type type);
const char *lt_op_name(lt_op op);
const char *lt_role_name(lt_role role);

#ifdef __cplusplus
}
#endif
#endif /* LAYERED_H */
