/*
 * stepup12 -- upstream's test_layered_stepup12 re-expressed: 2 transitions x 6 schema operation
 * kinds (create; drop waiting and not waiting for the schema lock; drop waiting for the
 * checkpoint lock; truncate; verify), one scenario each (up_KIND, down_KIND). Invariant I5 and
 * the policy table (docs/CONTRACT.md#policy-table); upstream WT-17656, WT-18121, WT-17880.
 *
 * Forced interleaving: the transition is held in its middle (a step-up of node 1 after its flip;
 * a step-down of node 0 after its boundary). The operation starts on that node, with a hold at
 * "hook.admitted": the script sees whether it was admitted during the transition (it parks
 * there), ended during it (refused), or neither (it waits behind the transition). Then the
 * transition is released and both end. The outcome must be the one the policy promises:
 *   reject   refused with EBUSY, nothing changed;           wait     admitted after the end;
 *   assert   the process aborts (the runner's child);        off      must-detect: it overlaps;
 *   upstream step-up: create and both plain drops abort, the other three are serialised;
 *            step-down: all wait but the drop not waiting, which gets EBUSY;
 *   boundary step-up: as upstream's step-down; step-down: create and the plain drops run, past
 *            the boundary (a create makes a follower's table), the other three are serialised.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>

#include "race.h"

typedef enum { K_CREATE, K_DROP, K_DROP_NOWAIT, K_DROP_CKPT, K_TRUNCATE, K_VERIFY } s12_kind;
static const char *const s12_names[] = {"create", "drop", "drop (no wait)",
  "drop (checkpoint wait)", "truncate", "verify"};

/* What the policy promises: the operation's fate while the transition is held. */
typedef enum { O_REFUSED, O_SERIALISED, O_ABORT, O_RUNS } s12_outcome;

typedef struct {
    lt_session *s;
    s12_kind kind;
    _Atomic int done;
    int rc;
} s12_op;

static s12_outcome
s12_promise(lt_policy policy, bool up, s12_kind k)
{
    bool ckpt = k == K_DROP_CKPT || k == K_TRUNCATE || k == K_VERIFY;

    switch (policy) {
    case LT_POLICY_REJECT:
        return (O_REFUSED);
    case LT_POLICY_WAIT:
        return (O_SERIALISED);
    case LT_POLICY_ASSERT:
        return (O_ABORT);
    case LT_POLICY_UPSTREAM:
        if (up)
            return (ckpt ? O_SERIALISED : O_ABORT);
        return (k == K_DROP_NOWAIT ? O_REFUSED : O_SERIALISED);
    case LT_POLICY_BOUNDARY:
        if (up)
            return (k == K_DROP_NOWAIT ? O_REFUSED : O_SERIALISED);
        return (ckpt ? O_SERIALISED : O_RUNS);
    case LT_POLICY_OFF:
    default:
        return (O_RUNS);
    }
}

static int
s12_op_fn(lr_sc *sc, void *arg)
{
    s12_op *op = arg;
    lt_txn_config tc = {0};
    int rc;

    (void)sc;
    switch (op->kind) {
    case K_CREATE:
        rc = lt_create(op->s, "n");
        break;
    case K_DROP:
        rc = lt_drop_ex(op->s, "t", 0);
        break;
    case K_DROP_NOWAIT:
        rc = lt_drop_ex(op->s, "t", LT_DROP_NOWAIT);
        break;
    case K_DROP_CKPT:
        rc = lt_drop_ex(op->s, "t", LT_DROP_CKPT_WAIT);
        break;
    case K_TRUNCATE:
        tc.commit_ts = 50;
        if ((rc = lt_txn_begin(op->s, &tc)) != 0)
            break;
        if ((rc = lt_truncate(op->s, "t")) == 0)
            rc = lt_txn_commit(op->s, 0);
        else
            (void)lt_txn_rollback(op->s);
        break;
    case K_VERIFY:
    default:
        rc = lt_verify(op->s, "t");
        break;
    }
    op->rc = rc;
    atomic_store(&op->done, 1);
    return (0);
}

/* After the run: the table the operation touched is as its result says. */
static void
s12_check_effect(lr_sc *sc, rr_script *x, lt_session *s, const s12_op *op)
{
    int exists;

    if (op->kind == K_TRUNCATE || op->kind == K_VERIFY)
        return;
    if (RR(x, lt_table_exists(s, op->kind == K_CREATE ? "n" : "t", &exists)) != 0)
        return;
    if ((op->kind == K_CREATE) != (exists == (op->rc == 0 ? 1 : 0)))
        lr_sc_violation(sc, "I5", "%s returned %s but the table %s", s12_names[op->kind],
          rr_rc(op->rc), exists ? "exists" : "does not exist");
}

static int
s12_run(lr_sc *sc, bool up, s12_kind kind)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_policy policy = lr_sc_policy(sc);
    s12_outcome promise = s12_promise(policy, up, kind), seen;
    const char *site = up ? "stepup.after_flip" : "stepdown.after_boundary";
    int node = up ? 1 : 0;
    lr_sc_thread *tr = NULL, *th = NULL;
    lt_node_info info;
    lt_session *s = NULL;
    s12_op op = {0};
    rr_script x;
    char what[160];

    rr_begin(&x, sc);
    RR(&x, rr_setup(sc, "t", rr_rows(sc)));
    RR(&x, lt_session_open(cl, node, &s));
    if (up)
        RR(&x, lt_step_down(cl, 0));
    if (x.rc != 0)
        goto done;

    lr_sc_log(sc, "hold node %d's %s at %s", node, up ? "step-up" : "step-down", site);
    lr_sc_hold(sc, site, node);
    tr = lr_sc_spawn(sc, up ? rr_step_up_fn : rr_step_down_fn, (void *)(intptr_t)node);
    if (RR_TRUE(&x, lr_sc_wait_held(sc, site, 5000), "the transition never reached %s", site))
        goto done;

    (void)snprintf(what, sizeof(what), "policy %s: %s on node %d during its %s",
      lt_policy_name(policy), s12_names[kind], node, up ? "step-up" : "step-down");
    if (promise == O_ABORT)
        lr_sc_expect_abort(sc, what);
    lr_sc_log(sc, "%s, held once admitted", s12_names[kind]);
    lr_sc_hold(sc, "hook.admitted", node);
    op.s = s;
    op.kind = kind;
    th = lr_sc_spawn(sc, s12_op_fn, &op);
    if (lr_sc_wait_held(sc, "hook.admitted", 2000)) {
        seen = O_RUNS;
        lr_sc_log(sc, "admitted during the transition");
        lr_sc_release(sc, "hook.admitted");
        RR(&x, lr_sc_join(th, 5000));
        lr_sc_release(sc, site);
    } else {
        seen = atomic_load(&op.done) ? O_REFUSED : O_SERIALISED;
        lr_sc_log(sc,
          seen == O_REFUSED ? "it ended during the transition: %s" :
                              "it waits behind the transition%s",
          seen == O_REFUSED ? rr_rc(op.rc) : "");
        lr_sc_release(sc, site);
        if (seen == O_SERIALISED && !lr_sc_wait_held(sc, "hook.admitted", 5000))
            RR_TRUE(&x, atomic_load(&op.done), "%s neither ended nor was admitted", what);
        lr_sc_release(sc, "hook.admitted");
        RR(&x, lr_sc_join(th, 5000));
    }
    RR(&x, lr_sc_join(tr, 5000));
    if (x.rc != 0)
        goto done;
    lr_sc_log(sc, "%s returned %s", s12_names[kind], rr_said(op.rc));

    if (promise == O_ABORT)
        lr_sc_violation(sc, "I5", "%s: promised an abort, but the process lives on", what);
    else if (seen == O_RUNS && promise != O_RUNS)
        lr_sc_violation(sc, "I5", "%s: admitted while the transition was in progress", what);
    else if (seen == O_REFUSED && op.rc != EBUSY)
        lr_sc_violation(sc, "I5", "%s: ended during the transition with %s", what, rr_rc(op.rc));
    else if (seen != promise)
        lr_sc_violation(sc, "I5", "%s: %s, where the policy promises it %s", what,
          seen == O_REFUSED ? "refused" :
            seen == O_RUNS  ? "ran" :
                              "waited",
          promise == O_REFUSED ? "be refused" :
            promise == O_RUNS  ? "run" :
                                 "wait");
    else if (seen != O_REFUSED && op.rc != 0)
        lr_sc_violation(sc, "I5", "%s: failed with %s", what, rr_said(op.rc));
    s12_check_effect(sc, &x, s, &op);
    /* The step-down emptied the leader's metadata queue: nothing of its era may come after. */
    if (!up && RR(&x, lt_node_get_info(cl, 0, &info)) == 0 && info.queued != 0)
        lr_sc_violation(sc, "boundary",
          "%s: %d leader-era metadata entries queued on node 0 as "
          "follower",
          what, info.queued);
    lr_sc_check_events(sc);

done:
    lr_sc_release(sc, site);
    lr_sc_release(sc, "hook.admitted");
    (void)lr_sc_join(th, 8000);
    (void)lr_sc_join(tr, 8000);
    (void)lt_session_close(s);
    return (rr_end(&x));
}

#define S12(name, up, kind)             \
    int lr_race_##name(lr_sc *sc);      \
    int lr_race_##name(lr_sc *sc)       \
    {                                   \
        return (s12_run(sc, up, kind)); \
    }
S12(up_create, true, K_CREATE)
S12(up_drop, true, K_DROP)
S12(up_drop_nowait, true, K_DROP_NOWAIT)
S12(up_drop_ckpt, true, K_DROP_CKPT)
S12(up_truncate, true, K_TRUNCATE)
S12(up_verify, true, K_VERIFY)
S12(down_create, false, K_CREATE)
S12(down_drop, false, K_DROP)
S12(down_drop_nowait, false, K_DROP_NOWAIT)
S12(down_drop_ckpt, false, K_DROP_CKPT)
S12(down_truncate, false, K_TRUNCATE)
S12(down_verify, false, K_VERIFY)
