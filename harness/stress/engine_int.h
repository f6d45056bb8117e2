/*
 * engine_int.h -- the stress engine's private state, shared by engine.c (lifecycle, final check),
 * workers.c (schema workers), data.c and reads.c (data workers), controller.c (role changes,
 * perturbation), maintain.c (checkpoints, pickups, GC), quiesce.c (parking the threads, settling,
 * quiescent checks), run.c (the stop condition and the online violations every thread reports) and
 * oracle.c. Calls go down that list, never up: engine.c starts the others; run.c, oracle.c and the
 * checker call none of them.
 *
 * Locks: run.name_lock[i] (one per table name) serialises the logical operations on that name:
 * a schema worker applies its create, drop or truncate to every node in turn under it, and a data
 * worker its write (the node that leads, with the oracle; then every node's copy) and its judged
 * reads. Nothing keeps a data operation away from a transition: racing them is the point, as it
 * is for schema operations. The run's counters are atomics.
 *
 * Threads: the controller (role changes), one maintenance thread per node (checkpoints on a
 * leader, pickups on a follower, GC), the schema and data workers, and with --restart-every the
 * restarter (replay.c): it restarts a node, replays the operation log (oplog.c) above the
 * checkpoint the node came back at and checks the node. oplog[t] is under name_lock[t].
 */
#ifndef LR_ENGINE_INT_H
#define LR_ENGINE_INT_H

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>

#include "stress/checker.h"
#include "stress/engine.h"
#include "stress/history.h"
#include "sched/sched_order.h"
#include "common/clock.h"
#include "common/rng.h"
#include "common/vmatch.h"

#define LR_KEYS 64 /* key space of the data workers: small, so operations collide */

/* A maintenance thread's argument (maintain.c). */
typedef struct {
    struct lr_run *run;
    int node;
} lr_maint;

struct lr_run {
    lr_config cfg;
    lt_cluster *cl;
    lr_history *h;
    int ntables;
    char (*names)[16];
    pthread_mutex_t *name_lock;
    uint64_t *schema_ts; /* per table, under name_lock: run->ts after its last schema op */
    /* History windows (quiesce.c; the driver's thread, threads parked): the hook events of the
     * windows already checked and cut. */
    uint64_t cut_hook[3];
    uint64_t cut_seq, cut_windows; /* the history's count at the last cut; cuts */
    lr_check_carry carry;          /* the event checks' state across cuts (checker.h) */
    /* [node][table][key]: 1 + the node's role generation in which it took the newest write of
     * the key as a follower (in its ingest); 0 unknown. name_lock[table]. */
    uint64_t *rgen;
    /* Policy upstream: the application's side of its contract, user schema operations (shared)
     * kept out of step-ups (exclusive). Order: name_lock -> stepup_app. */
    pthread_rwlock_t stepup_app;
    /* With an operation log: a logical create or drop (shared, from its stamp to its last node)
     * against a checkpoint (exclusive, lr_checkpoint_fenced), so that a checkpoint holds exactly
     * the creates and drops stamped at or below its timestamp (replay.c). Order: name_lock ->
     * ckpt_fence -> stepup_app. schema_done: the newest such stamp completed (atomic max). */
    pthread_rwlock_t ckpt_fence;
    _Atomic uint64_t schema_done;
    pthread_t *threads;
    int nthreads;
    lr_sched *sched;            /* NULL: the threads run free */
    lr_order *order;            /* free mode with cfg.order_out: the recorded order */
    struct lr_worker **workers; /* owned; sessions closed after the join */
    int nworkers;
    lr_maint maint[LT_NODES_MAX];
    _Atomic int stop;
    _Atomic int halted; /* stop was a failure (a stopping violation, the environment): see data.c */
    _Atomic int capped; /* threads that used their rounds (cfg.thread_ops) */
    uint64_t start_ns, deadline_ns;
    _Atomic uint64_t ts; /* the operation log's commit timestamps */

    /* Counters. */
    _Atomic uint64_t ops, schema_ops, schema_ok, data_ops, data_ok, retries, redelivered;
    _Atomic uint64_t lagged, lag_late, lag_covered; /* held-back copies (lag.c) */
    _Atomic uint64_t step_ups, step_downs, checkpoints, pickups, gcs, history_reads;
    _Atomic uint64_t bg_checkpoints; /* of checkpoints: by the background round (maintain.c) */
    _Atomic uint64_t wtf_handled;    /* operations that failed with an injected error (run.c) */

    lr_vmatch stop_re;     /* cfg.stop_on compiled (immutable once started) */
    pthread_mutex_t vlock; /* online violations */
    lr_result online;
    uint64_t first_violation_ns; /* vlock */
    /* Online I5: nodes whose transition began and has not ended, as the events say. */
    _Atomic int tr_open[LT_NODES_MAX];
    _Atomic uint64_t first_drain_drop_ns; /* race class 1 seen (docs/CONTRACT.md#class-1) */

    /* Quiescent checks (quiesce.c): the driver parks the threads between two operations. */
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    _Atomic int qpause;     /* a check wants the threads parked */
    int qparked, qexited;   /* qlock: threads parked now; threads out of their loops */
    uint64_t next_check_ns; /* the driver's */
    _Atomic uint64_t checks;

    /* Restarts (replay.c). A worker renews its session on a node whose count moved. */
    struct lr_lag *lag;                           /* lag.c (its own locking); NULL: no --lag */
    struct lr_oplog *oplog;                       /* [table], name_lock[table]; NULL: no restarts */
    _Atomic uint64_t restarts, replayed;          /* counters */
    _Atomic uint64_t node_restarts[LT_NODES_MAX]; /* restarts of each node so far */
    _Atomic int replaying[LT_NODES_MAX]; /* no pickup, no step-up until its log is replayed */
    pthread_mutex_t elect_lock; /* a step-up's or pickup's check of replaying[] against its set */

    /* --crash-every (durlog.c, crash.c): the durable log's descriptor (-1 none), immutable while
     * the threads run; a life after a kill loads it before they start (durlog_loading). */
    int durfd;
    bool durlog_nosync, durlog_loading;
    _Atomic uint64_t rows_checked; /* rows compared after this life's recovery */
};

/* Per worker: its thread id, random stream and one session per node. */
typedef struct lr_worker {
    lr_run *run;
    int id;
    lr_rng rng;
    lt_session *s[LT_NODES_MAX];
    /* A data worker's logical write not yet on every node: its commit timestamp (or a bound
     * below it); 0 none. The maintenance threads read it (lr_safe_ts). */
    _Atomic uint64_t inflight_ts;
    uint64_t seen[LT_NODES_MAX]; /* run.node_restarts[node] when s[node] was opened */
    char err[256]; /* the worker's own: the message of its last failed schema operation */
} lr_worker;

/* run.c */
bool lr_should_stop(lr_run *run);
/* A stopping violation or an environment failure has been recorded (not a normal end). */
bool lr_run_failed(lr_run *run);
/* Publish a checkpoint on node at lr_safe_ts (fenced against creates and drops, see ckpt_fence):
 * lt_checkpoint's code, or EAGAIN (nothing published) when a completed create or drop is stamped
 * above what the checkpoint's timestamp could be now. */
int lr_checkpoint_fenced(lr_run *run, int node, uint64_t *idp,
  bool bg); /* bg: the background round */
/* Thread id may start another round of its loop (cfg.thread_ops); counts it in *rounds. */
bool lr_thread_round(lr_run *run, int id, uint32_t *rounds);
void lr_count_op(lr_run *run);
void lr_online_violation(lr_run *run, const char *invariant, int node, const char *table,
  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
uint64_t lr_next_ts(lr_run *run);
/* True if the calling thread met an injected WiredTiger error since its count was before
 * (lt_wtfault_thread_count): the failed operation is counted as handled, not a violation. */
bool lr_injected(lr_run *run, uint64_t before);
/* fn(arg) again while an injected error failed it, as an application retries a transient
 * storage error (at most 100 times); its last result */
int lr_call_retrying(lr_run *run, int (*fn)(void *), void *arg);
/* A search strategy's run (controlled, not following a free run): its seeded pauses are longer or
 * come more often, as 1 ms of virtual time is one scheduling point; a followed run takes the free
 * run's (the same draws). */
static inline bool
lr_searching(const lr_run *run)
{
    return (run->sched != NULL && run->cfg.sched.kind != LR_SCHED_FOLLOW);
}
/* How long an operation may be retried before it is a liveness violation (cfg.liveness_ms). */
static inline uint64_t
lr_liveness_ns(const lr_run *run)
{
    return ((run->cfg.liveness_ms != 0 ? run->cfg.liveness_ms : 60000u) * 1000000u);
}
static inline double
lr_liveness_s(const lr_run *run)
{
    uint64_t ns = lr_liveness_ns(run);

    return ((double)ns / 1e9);
}
/* If an injected WT_PANIC latched in a --crash-every life that found no violation yet: end the
 * life at once, without closing anything, as a process whose WiredTiger panicked ends; its
 * parent recovers the home in a new life (harness/cli/crash_parent.c). Otherwise nothing: the
 * options refuse a panic without the crash mode. */
void lr_panic_check(lr_run *run);
void lr_online_violation_at(lr_run *run, uint64_t seq, const char *invariant, int node,
  const char *table, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void lr_online_violation_before(lr_run *run, uint64_t before, const char *invariant, int node,
  const char *table, const char *what);
/* A window's violations past the LR_VIOL_MAX it kept (re-reported one by one): counted, by
 * invariant, in the run's report. */
void lr_online_count_rest(lr_run *run, const lr_result *r);

/* engine.c */
void lr_engine_observe(void *arg, const lt_event *ev);

/* quiesce.c: every worker and the controller call these at the top of, and after, their loop. */
void lr_quiesce_point(lr_run *run);
void lr_quiesce_exit(lr_run *run);
/* A leader, and a checkpoint that every follower picks up (quiescent checks, end of run). */
void lr_settle(lr_run *run, lr_result *res);

/* envfail.c: if the environment failed (lt_env_failure), res->error says so in one line, the
 * violations that followed are dropped, and it returns true: the run ends with exit 2. */
bool lr_env_verdict(const char *dir, lr_result *res);

/* workers.c */
void *lr_schema_worker(void *arg);
int lr_worker_open(lr_worker *w);
int lr_create_table(lt_session *s, const char *name);
int lr_truncate_table(lt_session *s, const char *name, uint64_t stamp, char *err, size_t errlen);
void lr_worker_close(lr_worker *w);
/* Reopen the sessions of nodes restarted since they were opened (node -1: check every node, or
 * that node's at once: a call on it failed with ESTALE). */
void lr_worker_renew(lr_worker *w, int node);

/* data.c, reads.c */
void *lr_data_worker(void *arg);
void lr_data_read(lr_worker *w, int t);
void lr_data_check(lr_worker *w, int t, int node, const char *key);
/* Apply a committed write to one node at ts, retrying what it refuses, or hold it back (lag.c;
 * name_lock[t] held). lr_replica_apply: now; gen a held-back copy's generation or LR_ANY_GEN. */
void lr_replica_write(lr_worker *w, int t, int node, uint64_t ts, const char *key,
  const char *value);
#define LR_ANY_GEN UINT64_MAX
void lr_replica_apply(lr_worker *w, int t, int node, uint64_t ts, const char *key,
  const char *value, uint64_t gen);

/* lag.c: a follower's log that lags (--lag); the calls on table t hold name_lock[t]. */
int lr_lag_new(lr_run *run); /* -1: out of memory; none without --lag or with restarts */
void lr_lag_free(lr_run *run);
/* Hold the copy back (true), or let it be applied now; a held copy of the key is dropped. */
bool lr_lag_defer(lr_worker *w, int t, int node, uint64_t ts, const char *key, const char *value);
void lr_lag_delivered(lr_run *run, int t, int node, const char *key); /* a copy committed */
void lr_lag_schema(lr_run *run, int t); /* after a logical schema op on t */
typedef struct {
    int node;
    uint64_t ts, gen;
    bool remove;
    char key[16], value[48];
} lr_lag_copy;
/* Whether node has copies held back (it is not elected then); the controller's check and
 * step-up under lr_lag_elect(run, true), released with false. */
bool lr_lag_behind(lr_run *run, int node);
void lr_lag_elect(lr_run *run, bool lock);
/* The next held copy of table t that is due and still wanted (false: none), no longer held. */
bool lr_lag_next_due(lr_run *run, int t, lr_lag_copy *c);
/* node's held copy of key in t, no longer held, if it is still wanted (false: none). */
bool lr_lag_take(lr_run *run, int t, int node, const char *key, lr_lag_copy *c);
bool lr_node_view(lr_run *run, int node, lt_node_info *info);

/* controller.c: role changes; maintain.c: one thread per node (arg: lr_maint) */
void *lr_controller(void *arg);
void lr_perturb(void *arg, const char *site, int node);
int lr_transition(lr_run *run, bool up, int node);
void *lr_maintain(void *arg);
/* run.c: the newest timestamp a checkpoint may take: below every logical write still in flight. */
uint64_t lr_safe_ts(lr_run *run);

/* oplog.c: the operation log, kept only with --restart-every (replay.c); name_lock[t] held */
typedef enum {
    LR_LOG_WRITE,
    LR_LOG_REMOVE,
    LR_LOG_CREATE,
    LR_LOG_DROP,
    LR_LOG_TRUNCATE
} lr_log_kind;
typedef struct {
    uint64_t ts; /* a write's commit timestamp; a schema operation's stamp, taken as it starts */
    lr_log_kind kind;
    char key[8];
    char value[48];
} lr_logrec;
int lr_oplog_new(lr_run *run);
void lr_oplog_free(lr_run *run);
void lr_oplog_add(lr_run *run, int t, lr_log_kind kind, uint64_t ts, const char *key,
  const char *value);
/* Forget the records at or below ts (restarts never come back below it again); the rest. */
size_t lr_oplog_above(lr_run *run, int t, uint64_t ts, const lr_logrec **recsp);
/* The records of table t kept so far, in order (none forgotten). */
size_t lr_oplog_records(lr_run *run, int t, const lr_logrec **recsp);
/* Whether table t exists after every logical operation so far. */
bool lr_oplog_exists(lr_run *run, int t);
/* A create or drop no restart replays again (a recovery's, at or below its checkpoint). */
void lr_oplog_note_schema(lr_run *run, int t, lr_log_kind kind);
/*
 * durlog.c: the durable operation log (--crash-every); kind LR_DURLOG_CKPT: a publication;
 * LR_DURLOG_ROW: a row of the oracle and LR_DURLOG_LOGGED: an operation-log record the oracle
 * already holds, both written only by a compaction.
 */
#define LR_DURLOG_CKPT 9
#define LR_DURLOG_ROW 10
typedef struct {
    int kind, table;
    bool logged; /* LR_DURLOG_LOGGED: for the operation log only */
    lr_logrec rec;
} lr_durrec;
int lr_durlog_open(lr_run *run);
void lr_durlog_close(lr_run *run);
/*
 * Rewrite the log with what fill writes (lr_durlog_put records), so it does not grow with the
 * run: the old log stays whole until the new one is durable and renamed over it. 0 or an errno.
 */
int lr_durlog_rewrite(lr_run *run, int (*fill)(void *arg, FILE *fp), void *arg);
/* One record into a rewrite; kind may carry LR_DURLOG_LOGGED. 0 or an errno. */
int lr_durlog_put(FILE *fp, unsigned kind, int t, uint64_t ts, const char *key, const char *value);
#define LR_DURLOG_LOGGED 0x100u /* a kind flag: see lr_durrec */
/* Append and sync before the caller acknowledges (t -1: no table); a failure is a violation. */
void lr_durlog_append(lr_run *run, int kind, int t, uint64_t ts, const char *key,
  const char *value);
/* Call fn on each record in order, up to the first torn one (0 at the end, an errno, or fn's
 * nonzero result): one record in memory at a time, however long the run. */
int lr_durlog_scan(const char *path, int (*fn)(void *arg, const lr_durrec *r), void *arg);
/* replay.c: the restarter thread; the replay above ts of nodes first..last, record by record
 * across them, and their check (rows compared; why the nodes lost what is replayed, for the
 * messages) */
void *lr_restarter(void *arg);
uint64_t lr_replay_nodes(lr_worker *w, int first, int last, uint64_t above, const char *why);
/* crash.c: a life after a kill (cfg.recover), before the threads start */
int lr_crash_recover(lr_run *run);
/* run.c: a line to the parent of a run with --crash-every ("r ROWS": running; "b": a transition
 * began; "v": a violation was found); nothing otherwise */
void lr_crash_note(const lr_run *run, const char *line);
/* Take (lock) or release run.elect_lock when the run has restarts; nothing otherwise. */
void lr_replay_guard(lr_run *run, bool lock);

/* oracle.c: one plain WiredTiger table per name ("table:oracle.NAME") */
int lr_oracle_create(lr_run *run);
int lr_oracle_apply(lr_run *run, WT_SESSION *wt, const char *name, const char *key,
  const char *value, bool remove);
int lr_oracle_clear(lr_run *run, const char *name);
int lr_oracle_get(lr_run *run, WT_SESSION *wt, const char *name, const char *key, char *buf,
  size_t len);
int lr_oracle_keys(WT_SESSION *wt, const char *name, bool *present, char (*val)[48]);
/* Print (stderr) where key of table name lives on the session's node (lt_debug_key). */
void lr_where_key(lt_session *s, const char *name, const char *key);
int lr_oracle_keys_at(WT_SESSION *wt, const char *name, uint64_t ts, bool *present,
  char (*val)[48]);
/* Compare every table on every node with the oracle once settled (I1, I7: docs/CONTRACT.md). */
void lr_oracle_verify(lr_run *run, lr_result *res);

#endif /* LR_ENGINE_INT_H */
