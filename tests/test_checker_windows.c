/*
 * test_checker_windows.c -- the event checks over a history cut into windows (a long stress
 * run checks and drops its history at quiescent checks): what lasts across a cut (a node's role
 * generation, its step-down boundary and schema epoch) is carried, so a window judges the same
 * as the whole history. Each case also shows that without the carry the window misses it.
 */
#include <string.h>

#include "stress/checker.h"
#include "util.h"

static lr_rec
rec(uint64_t seq, int kind, int op, int node, int role, uint32_t gen)
{
    lr_rec r;

    memset(&r, 0, sizeof(r));
    r.seq = seq;
    r.kind = (uint8_t)kind;
    r.op = (uint8_t)op;
    r.node = (int8_t)node;
    r.role = (uint8_t)role;
    r.generation = gen;
    r.thread = 1;
    (void)snprintf(r.table, sizeof(r.table), "t1");
    return (r);
}

typedef void (*check_fn)(const lr_rec *, size_t, int, lr_check_carry *, lr_result *);

/*
 * Window w1 then w2 through check with the state carried: w1 finds nothing and w2 finds want
 * violations, each of invariant inv; w2 alone (no carry) finds none. carry is left filled.
 */
static void
two_windows(check_fn check, const lr_rec *w1, size_t n1, const lr_rec *w2, size_t n2, int want,
  const char *inv, lr_check_carry *carry)
{
    static lr_result res;
    int i;

    memset(carry, 0, sizeof(*carry));
    memset(&res, 0, sizeof(res));
    check(w1, n1, 3, carry, &res);
    CHECK_EQ(res.nviolations, 0);
    check(w2, n2, 3, carry, &res);
    CHECK_EQ(res.nviolations, want);
    for (i = 0; i < want && i < res.nviolations; i++)
        CHECK_EQ_STR(res.v[i].invariant, inv);
    memset(&res, 0, sizeof(res)); /* the window alone, as before the carry: missed */
    check(w2, n2, 3, NULL, &res);
    CHECK_EQ(res.nviolations, 0);
}

/* I4: a leader's transaction of generation 4 commits stable writes after its node stepped down
 * and up again (generation 6); the flips are in the window before the commit's. */
static void
test_generation_carried(void)
{
    lr_rec w1[2], w2[1];
    lr_check_carry carry;

    w1[0] = rec(1, LT_EV_TRANSITION_FLIP, LT_OP_STEP_DOWN, 0, LT_FOLLOWER, 5);
    w1[1] = rec(2, LT_EV_TRANSITION_FLIP, LT_OP_STEP_UP, 0, LT_LEADER, 6);
    w2[0] = rec(3, LT_EV_STABLE_WRITE, LT_OP_COMMIT, 0, LT_LEADER, 4);
    two_windows(lr_check_history, w1, 2, w2, 1, 1, "I4", &carry);
}

/* The boundary verdict: a publish on a node past its step-down boundary, the boundary in the
 * window before; and a stable write there. */
static void
test_boundary_carried(void)
{
    lr_rec w1[1], w2[3];
    lr_check_carry carry;
    static lr_result res;

    w1[0] = rec(10, LT_EV_BOUNDARY, LT_OP_STEP_DOWN, 1, LT_LEADER, 3);
    w1[0].id = 7; /* the new schema epoch */
    w2[0] = rec(11, LT_EV_ADMIT, LT_OP_PUBLISH, 1, LT_LEADER, 3);
    w2[0].id = 99;
    w2[1] = rec(12, LT_EV_SCHEMA_EFFECT, LT_OP_PUBLISH, 1, LT_LEADER, 3);
    w2[1].id = 99;
    w2[1].count = 7;
    w2[2] = rec(13, LT_EV_STABLE_WRITE, LT_OP_COMMIT, 1, LT_LEADER, 3);

    two_windows(lr_check_boundary, w1, 1, w2, 3, 2, "boundary", &carry);

    /* After the node's next step-up flip, a publish is fine again. */
    w1[0] = rec(14, LT_EV_TRANSITION_FLIP, LT_OP_STEP_UP, 1, LT_LEADER, 5);
    memset(&res, 0, sizeof(res));
    lr_check_boundary(w1, 1, 3, &carry, &res);
    w2[0].seq = 15;
    w2[1].seq = 16;
    w2[2].seq = 17;
    lr_check_boundary(w2, 3, 3, &carry, &res);
    CHECK_EQ(res.nviolations, 0);
}

int
main(void)
{
    TU_RUN(test_generation_carried);
    TU_RUN(test_boundary_carried);
    return tu_finish();
}
