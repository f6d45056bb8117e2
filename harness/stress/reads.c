/*
 * reads.c -- the data workers' point reads and scans, on leaders and followers while the run
 * goes on, and their comparison with the oracle as of the node's view (data.c says which keys a
 * view must show). Scans must also be ordered and terminate (I2).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

/* A table's rows by key index (cppcheck does not see the members used through pointers). */
typedef struct {
    // cppcheck-suppress unusedStructMember
    bool present[LR_KEYS];
    // cppcheck-suppress unusedStructMember
    char val[LR_KEYS][48];
} lr_keyset;

/* A node's role, generation and transition, read before and after an operation. */
bool
lr_node_view(lr_run *run, int node, lt_node_info *info)
{
    bool ok = lt_node_get_info(run->cl, node, info) == 0 && info->transition == LT_TR_NONE;

    lr_sched_mark("view.after_info", node);
    return (ok);
}

static int
__key_index(const char *k)
{
    int i;

    if (k[0] != 'k' || (i = atoi(k + 1)) < 0 || i >= LR_KEYS)
        return (-1);
    return (i);
}

/* True if the node's view must show the oracle's value of key k (see data.c). */
static bool
__judged(lr_run *run, int node, int t, int k, const lt_node_info *v)
{
    return (v->role == LT_LEADER ||
      run->rgen[((size_t)node * (size_t)run->ntables + (size_t)t) * LR_KEYS + (size_t)k] ==
        v->generation + 1);
}

/* A read outcome the data gate documents: found, not found, rolled back by a role change, a
 * session from before a restart of the node (renewed at the worker's next operation). */
static bool
__read_documented(lr_run *run, int rc, int node, const char *name, const char *what,
  const char *err, uint64_t before)
{
    if (rc == 0 || rc == WT_NOTFOUND || rc == WT_ROLLBACK || rc == ESTALE)
        return (true);
    if (lr_injected(run, before))
        return (false); /* handled: nothing to judge */
    lr_online_violation(run, "contract", node, name,
      "%s of table %s on node %d failed with %s, which the data gate does not document: %s", what,
      name, node, lt_strerror(rc), err);
    return (false);
}

/* True if the node was in a transition, or changed role, around a read that began at a. */
static bool
__moving(lr_run *run, int node, bool ok, const lt_node_info *a, lt_node_info *b)
{
    return (
      !ok || !lr_node_view(run, node, b) || a->role != b->role || a->generation != b->generation);
}

static void
__mismatch(lr_worker *w, int node, const char *name, const lt_node_info *v, const char *what,
  const char *key, bool got, const char *gval, bool want, const char *wval)
{
    lr_run *run = w->run;

    lr_where_key(w->s[node], name, key); /* the name's lock is held: the key stays put */
    lr_online_violation(run, "I1", node, name,
      "%s of \"%s\" in table %s on node %d (%s, generation %" PRIu64 ", checkpoint %" PRIu64
      "): %s%s%s, the oracle as of that view: %s%s%s",
      what, key, name, node, lt_role_name(v->role), v->generation, v->checkpoint_id,
      got ? "\"" : "", got ? gval : "not found", got ? "\"" : "", want ? "\"" : "",
      want ? wval : "not found", want ? "\"" : "");
}

/* A point read of key on node; compared with the oracle if judge (the name's lock is held). */
static void
__point(lr_worker *w, int t, int node, const char *key, bool judge)
{
    lr_run *run = w->run;
    const char *name = run->names[t];
    lt_node_info a, b;
    lt_cursor *c;
    const void *v;
    char got[48], want[48], err[256];
    size_t vlen;
    int rc, orc, k = __key_index(key);
    bool ok, moving;
    uint64_t before = lt_wtfault_thread_count();

    ok = lr_node_view(run, node, &a);
    if ((rc = lt_cursor_open(w->s[node], name, NULL, &c)) != 0)
        return; /* dropped */
    lt_cursor_set_key(c, key);
    if ((rc = lt_cursor_search(c)) == 0 && (rc = lt_cursor_get_value(c, &v, &vlen)) == 0)
        (void)snprintf(got, sizeof(got), "%.*s", (int)vlen, (const char *)v);
    (void)snprintf(err, sizeof(err), "%s", rc == 0 ? "" : lt_last_error());
    (void)lt_cursor_close(c);
    moving = __moving(run, node, ok, &a, &b);
    if (!__read_documented(run, rc, node, name, "a point read", err, before) ||
      (rc != 0 && rc != WT_NOTFOUND) || !judge || moving || !__judged(run, node, t, k, &a))
        return;
    orc = lr_oracle_get(run, lt_session_wt(w->s[node]), name, key, want, sizeof(want));
    if (orc != 0 && orc != WT_NOTFOUND)
        return;
    if (rc != orc || (rc == 0 && strcmp(got, want) != 0))
        __mismatch(w, node, name, &a, "point read", key, rc == 0, got, orc == 0, want);
}

/*
 * One step of a judged scan (without rts) that began and ended with its node settled in view v:
 * a positioned cursor moves from its key in the node's current view, so the step may not pass
 * over a row v must show (between prev and k, or past prev when k is NULL: the scan ended), and
 * a row it returns that v must show has the oracle's value. This judges a scan that spans
 * pickups, GC and role changes, step by step. False once a difference is reported.
 */
static bool
__step_ok(lr_worker *w, int t, int node, const lt_node_info *v, int dir, const char *prev,
  const char *k, const char *val, const lr_keyset *want)
{
    char key[16], what[64];
    int lo, j, g;
    bool skipped = false;

    g = k == NULL ? (dir > 0 ? LR_KEYS : -1) : __key_index(k);
    lo = prev[0] == '\0' ? (dir > 0 ? -1 : LR_KEYS) : __key_index(prev);
    if (g < -1 || lo < -1 || (k != NULL && g < 0))
        return (true); /* a key outside the workers' key space: ordering alone (I2) */
    for (j = lo + dir; j != g && j >= 0 && j < LR_KEYS && !skipped; j += dir)
        skipped = want->present[j] && __judged(w->run, node, t, j, v);
    if (!skipped &&
      (k == NULL || !__judged(w->run, node, t, g, v) ||
        (want->present[g] && strcmp(val, want->val[g]) == 0)))
        return (true);
    (void)snprintf(what, sizeof(what), "%s step from %s%s%s", dir > 0 ? "next" : "prev",
      prev[0] == '\0' ? "the start" : "\"", prev, prev[0] == '\0' ? "" : "\"");
    if (skipped) { /* j went one past the row passed over */
        (void)snprintf(key, sizeof(key), "k%03d", j - dir);
        __mismatch(w, node, w->run->names[t], v, what, key, false, "", true, want->val[j - dir]);
    } else
        __mismatch(w, node, w->run->names[t], v, what, k, true, val, want->present[g],
          want->val[g]);
    return (false);
}

/*
 * A full scan of table t on node in a random direction: ordered, ends (I2); compared if judge:
 * each step made in one settled view (__step_ok), and the whole scan if the node's view did not
 * change. With rts (a history read on a leader, judged), in a transaction at that read timestamp,
 * compared with the oracle as of it.
 */
static void
__scan(lr_worker *w, int t, int node, bool judge, uint64_t rts)
{
    static _Thread_local lr_keyset got, want;
    lr_run *run = w->run;
    const char *name = run->names[t];
    lt_node_info a, b;
    lt_cursor *c;
    const char *k;
    const void *v;
    lt_txn_config tc;
    lt_node_info sa, sb;
    char prev[32] = "", err[256], what[64], val[48];
    size_t vlen;
    int dir, rc, steps, i;
    bool ok, moving, stepwise;
    uint64_t before = lt_wtfault_thread_count();

    memset(&got, 0, sizeof(got));
    /* The name's lock holds the oracle's rows of t still for the whole scan. */
    stepwise = judge && rts == 0 &&
      lr_oracle_keys(lt_session_wt(w->s[node]), name, want.present, want.val) == 0;
    ok = lr_node_view(run, node, &a);
    memset(&tc, 0, sizeof(tc));
    tc.read_ts = rts;
    /* EINVAL: the node's oldest timestamp passed rts since it was read. */
    if (rts != 0 && lt_txn_begin(w->s[node], &tc) != 0)
        return;
    if ((rc = lt_cursor_open(w->s[node], name, NULL, &c)) != 0) {
        if (rts != 0)
            (void)lt_txn_rollback(w->s[node]);
        return; /* dropped */
    }
    dir = lr_chance(&w->rng, 50) ? 1 : -1;
    for (steps = 0;; steps++) {
        bool settled = stepwise && lr_node_view(run, node, &sa);

        if ((rc = dir > 0 ? lt_cursor_next(c) : lt_cursor_prev(c)) == 0 &&
          (rc = lt_cursor_get_key(c, &k)) == 0)
            rc = lt_cursor_get_value(c, &v, &vlen);
        settled = settled && (rc == 0 || rc == WT_NOTFOUND) && lr_node_view(run, node, &sb) &&
          sa.role == sb.role && sa.generation == sb.generation;
        if (rc == 0 &&
          ((steps > 0 && (dir > 0 ? strcmp(k, prev) <= 0 : strcmp(k, prev) >= 0)) ||
            steps > LR_KEYS * 4)) {
            lr_online_violation(run, "I2", node, name,
              "%s scan of table %s on node %d: \"%s\" after \"%s\" at step %d",
              dir > 0 ? "next" : "prev", name, node, k, prev, steps);
            judge = false;
            break;
        }
        if (rc == 0)
            (void)snprintf(val, sizeof(val), "%.*s", (int)vlen, (const char *)v);
        if (settled && !__step_ok(w, t, node, &sa, dir, prev, rc == 0 ? k : NULL, val, &want))
            judge = stepwise = false;
        if (rc != 0)
            break;
        (void)snprintf(prev, sizeof(prev), "%s", k);
        if ((i = __key_index(k)) >= 0) {
            got.present[i] = true;
            (void)snprintf(got.val[i], sizeof(got.val[i]), "%s", val);
        }
        /* Another thread may run here: a pickup, GC or role change under the positioned cursor;
         * now and then the reader pauses, past a whole step-up (milliseconds): more often under
         * a search strategy, as often as in free mode when following a free run (the same
         * draws, so the same pauses). */
        if (run->cfg.perturb_pct > 0 && lr_chance(&w->rng, lr_searching(run) ? 10 : 1))
            lr_sched_sleep_us(1 + lr_below(&w->rng, 20000), "scan.step_late");
        else
            lr_sched_point("scan.step", node);
    }
    (void)snprintf(err, sizeof(err), "%s", rc == WT_NOTFOUND ? "" : lt_last_error());
    (void)lt_cursor_close(c);
    if (rts != 0)
        (void)lt_txn_rollback(w->s[node]);
    moving = __moving(run, node, ok, &a, &b);
    /* A history read whose leader stepped down meanwhile reads as a follower: below every
     * checkpoint the cluster still keeps, EINVAL (include/layered.h). */
    if (rts != 0 && rc == EINVAL && (moving || a.role != LT_LEADER))
        return;
    if (!__read_documented(run, rc, node, name, "a scan", err, before) || rc != WT_NOTFOUND ||
      !judge || moving || (rts != 0 && a.role != LT_LEADER))
        return;
    if (rts != 0 ?
        lr_oracle_keys_at(lt_session_wt(w->s[node]), name, rts, want.present, want.val) != 0 :
        !stepwise)
        return;
    if (rts != 0) {
        atomic_fetch_add(&run->history_reads, 1);
        (void)snprintf(what, sizeof(what), "%s scan at read timestamp %" PRIu64,
          dir > 0 ? "next" : "prev", rts);
    } else
        (void)snprintf(what, sizeof(what), "%s scan", dir > 0 ? "next" : "prev");
    for (i = 0; i < LR_KEYS; i++) {
        if (!__judged(run, node, t, i, &a) ||
          (got.present[i] == want.present[i] &&
            (!got.present[i] || strcmp(got.val[i], want.val[i]) == 0)))
            continue;
        (void)snprintf(prev, sizeof(prev), "k%03d", i);
        __mismatch(w, node, name, &a, what, prev, got.present[i], got.val[i], want.present[i],
          want.val[i]);
        break;
    }
}

/*
 * A read timestamp for a history scan of table t on the leader (the name's lock held, so every
 * write to t at or below the newest timestamp has committed): above the table's last schema
 * operation (the oracle forgets a dropped or truncated table's history) and at or above the
 * node's oldest timestamp. 0 if there is none.
 */
static uint64_t
__history_ts(lr_worker *w, int t, int node)
{
    lr_run *run = w->run;
    uint64_t lo, hi, oldest;

    if (lt_node_get_timestamps(run->cl, node, &oldest, NULL) != 0)
        return (0);
    lo = run->schema_ts[t] + 1;
    if (oldest > lo)
        lo = oldest;
    hi = atomic_load(&run->ts);
    return (lo > hi ? 0 : lo + lr_below(&w->rng, hi - lo + 1));
}

/* A point read or a scan on a random node; half of them judged under the name's lock. */
void
lr_data_read(lr_worker *w, int t)
{
    lr_run *run = w->run;
    int node = (int)lr_below(&w->rng, (uint64_t)run->cfg.nodes);
    char key[16];
    bool judge = lr_chance(&w->rng, 50);
    uint64_t rts = 0;
    int leader;

    lr_count_op(run);
    (void)snprintf(key, sizeof(key), "k%03d", (int)lr_below(&w->rng, LR_KEYS));
    if (judge)
        lr_sched_mutex_lock(&run->name_lock[t], "name_lock", t);
    /* A history read goes to the leader; without one, the read stays on its random node. */
    if (judge && lr_chance(&w->rng, run->cfg.history_pct) &&
      (leader = lt_cluster_leader(run->cl)) >= 0 && (rts = __history_ts(w, t, leader)) != 0)
        node = leader;
    if (rts == 0 && lr_chance(&w->rng, 50))
        __point(w, t, node, key, judge);
    else
        __scan(w, t, node, judge, rts);
    if (judge)
        lr_sched_mutex_unlock(&run->name_lock[t]);
}

/* The written key read back on node right after its write (the name's lock held). */
void
lr_data_check(lr_worker *w, int t, int node, const char *key)
{
    __point(w, t, node, key, true);
}
