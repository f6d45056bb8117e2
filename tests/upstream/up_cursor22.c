/*
 * up_cursor22.c -- upstream's positional follower cursor operations across a transaction
 * boundary: a cursor positioned by an auto-commit search removes, updates or modifies its key in
 * a later transaction (a positioned remove of a key another cursor already removed is a no-op
 * success), and next/prev with direction changes, one step per transaction. Each case runs with
 * the key in the follower's ingest, in stable (a picked-up checkpoint), or in both.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered_cursor22.py at commit
 * 38aea1ed20a05bd2a2e5304942b00c415f3d46cc. cursor reserve() has no counterpart (test_reserve).
 */
#include "up_util.h"

enum { P_INGEST = 1, P_STABLE = 2, P_BOTH = 3 };

/* Keys 1..n with value "v": on the leader at 1 and picked up, and/or on the follower at 2. */
static int
seed(up_env *e, int place, int n)
{
    for (int i = 1; i <= n; i++)
        if ((place & P_STABLE) && up_put(e->s0, UP_T, up_k(i), "v", 1) != 0)
            return 0;
    if ((place & P_STABLE) && (tu_checkpoint(e->c, 0, 1) == 0 || lt_pickup(e->c, 1, 0) != 0))
        return 0;
    for (int i = 1; i <= n; i++)
        if ((place & P_INGEST) && up_put(e->s1, UP_T, up_k(i), "v", 2) != 0)
            return 0;
    return 1;
}

/* A follower cursor positioned on key 1 by a search outside any transaction. */
static lt_cursor *
positioned(up_env *e)
{
    lt_cursor *cur = NULL;

    if (!CHECK_OK(lt_cursor_open(e->s1, UP_T, NULL, &cur)))
        return NULL;
    lt_cursor_set_key(cur, up_k(1));
    CHECK_OK(lt_cursor_search(cur));
    return cur;
}

/* Key 1's value on the follower at read timestamp 50 through a fresh cursor ("" if absent). */
static void
check_value(up_env *e, const char *want)
{
    char *v = NULL;
    int rc = up_get_at(e->s1, UP_T, up_k(1), 50, &v);

    if (*want == '\0')
        CHECK_RC(rc, WT_NOTFOUND);
    else if (CHECK_OK(rc))
        CHECK_EQ_STR(v, want);
    free(v);
}

typedef enum { OP_REMOVE, OP_REMOVE_DELETED, OP_UPDATE, OP_MODIFY } op22;

typedef struct {
    op22 op;
    int place;
} c22;

/* test_remove, test_remove_already_deleted, test_update, test_modify. */
static void
positional(const void *arg)
{
    const c22 *sp = arg;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 3};
    const char *k;
    lt_cursor *cur;
    WT_MODIFY m;
    up_env e;

    REQUIRE(up_env_open(&e, 1));
    REQUIRE(seed(&e, sp->place, 1));
    REQUIRE((cur = positioned(&e)) != NULL);
    if (sp->op == OP_REMOVE_DELETED) {
        /* Another cursor removes the key first; the positioned remove is then a no-op. */
        REQUIRE_OK(up_put(e.s1, UP_T, up_k(1), NULL, 3));
        tc.read_ts = 10;
        tc.commit_ts = 11;
    }
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    switch (sp->op) {
    case OP_REMOVE:
        CHECK_OK(lt_cursor_remove(cur));
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, up_k(1));
        break;
    case OP_REMOVE_DELETED:
        CHECK_OK(lt_cursor_remove(cur));
        break;
    case OP_UPDATE:
        lt_cursor_set_value(cur, "w", 1);
        CHECK_OK(lt_cursor_update(cur));
        break;
    case OP_MODIFY:
        memset(&m, 0, sizeof(m));
        m.data.data = "X";
        m.data.size = 1;
        m.size = 1;
        CHECK_OK(lt_cursor_modify(cur, &m, 1));
        break;
    }
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
    check_value(&e, sp->op == OP_UPDATE ? "w" : sp->op == OP_MODIFY ? "X" : "");
}

/* test_iterate: one step per read-timestamp transaction, changing direction. */
static void
iterate(const void *arg)
{
    static const struct {
        int dir, key; /* key 0: WT_NOTFOUND */
    } steps[] = {{1, 1}, {1, 2}, {-1, 1}, {1, 2}, {1, 3}, {1, 0}, {-1, 3}, {-1, 2}, {-1, 1},
      {-1, 0}};
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 5, 0};
    const int *place = arg;
    lt_cursor *cur;
    up_env e;
    int rc;

    REQUIRE(up_env_open(&e, 1));
    REQUIRE(seed(&e, *place, 3));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    for (size_t i = 0; i < UP_NELEM(steps); i++) {
        REQUIRE_OK(lt_txn_begin(e.s1, &tc));
        rc = steps[i].dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur);
        if (steps[i].key == 0)
            CHECK_RC(rc, WT_NOTFOUND);
        else
            CHECK_CUR_KEY(rc, cur, up_k(steps[i].key));
        CHECK_OK(lt_txn_commit(e.s1, 0));
    }
    lt_cursor_close(cur);
}

#define SCEN(name, op) \
    static const c22 name##_i = {op, P_INGEST}, name##_s = {op, P_STABLE}, name##_b = {op, P_BOTH}
SCEN(rm, OP_REMOVE);
SCEN(rmd, OP_REMOVE_DELETED);
SCEN(upd, OP_UPDATE);
SCEN(mod, OP_MODIFY);
static const int it_i = P_INGEST, it_s = P_STABLE, it_b = P_BOTH;

#define T3(m, fn, v)                                                \
    {"test_layered_cursor22.py::test_" m "[ingest]", fn, &v##_i},   \
      {"test_layered_cursor22.py::test_" m "[stable]", fn, &v##_s}, \
    {                                                               \
        "test_layered_cursor22.py::test_" m "[both]", fn, &v##_b    \
    }

static const up_case cases[] = {
  T3("remove", positional, rm),
  T3("remove_already_deleted", positional, rmd),
  T3("update", positional, upd),
  T3("modify", positional, mod),
  T3("iterate", iterate, it),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_cursor22", argc, argv);
}
