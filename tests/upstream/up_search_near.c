/*
 * up_search_near.c -- upstream's search_near tests of a layered cursor over data split between
 * the stable constituent (leader writes, checkpoint, pickup) and the ingest constituent (writes
 * on the node under test), on the leader and on a follower.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered05.py at commit
 * 04fe04f5da093397fd1de924156688d8d2108b10. Keys are "%06d", values "val_%06d"; every write is
 * its own transaction at the next timestamp; "stable" keys are written by the leader and
 * checkpointed at the last timestamp, then picked up by the follower; "ingest" keys are written
 * on the node under test (on the leader they simply go to its table).
 */
#include "up_util.h"

typedef up_env env;

static int
env_open(env *e, const void *arg)
{
    return up_env_open(e, arg != NULL);
}

#define stable(e, lo, hi, step, prefix) up_stable((e), (lo), (hi), (step), (prefix))
#define ingest(e, lo, hi, step, prefix, rm) up_ingest((e), (lo), (hi), (step), (prefix), (rm))

/* search_near(key) on a fresh cursor lands on expect (NULL: WT_NOTFOUND) with exact; value. */
static void
sn_check(env *e, const char *key, const char *expect, int exact, const char *value)
{
    lt_cursor *cur;
    char got[64];
    int ex = 99, rc;

    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, key);
    rc = lt_cursor_search_near(cur, &ex);
    if (expect == NULL)
        CHECK_RC(rc, WT_NOTFOUND);
    else if (CHECK_CUR_KEY(rc, cur, expect)) {
        CHECK_EQ(ex, exact);
        if (value != NULL)
            CHECK_EQ_STR(up_val(cur, got, sizeof(got)), value);
    }
    lt_cursor_close(cur);
}

#define K(i) up_k(i)

/* After search_near(key), n steps in direction dir are strictly ordered (the key included). */
static void
sn_then_ordered(env *e, const char *key, int dir, int n)
{
    lt_cursor *cur;
    char prev[LT_KEY_MAX + 1], cur_key[LT_KEY_MAX + 1];
    const char *k;
    int ex;

    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, key);
    if (CHECK_OK(lt_cursor_search_near(cur, &ex)) && CHECK_OK(lt_cursor_get_key(cur, &k))) {
        snprintf(prev, sizeof(prev), "%s", k);
        for (int i = 0; i < n || n < 0; i++) {
            int rc = up_step(cur, dir, cur_key);
            if (n < 0 && rc == WT_NOTFOUND)
                break;
            if (!CHECK_OK(rc) ||
              !CHECK(dir > 0 ? strcmp(prev, cur_key) < 0 : strcmp(prev, cur_key) > 0))
                break;
            strcpy(prev, cur_key);
        }
    }
    lt_cursor_close(cur);
}

#define ENV                 \
    env e;                  \
    if (!env_open(&e, arg)) \
        return;             \
    (void)e

static void
empty(const void *arg)
{
    ENV;
    sn_check(&e, "anything", NULL, 0, NULL);
    REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    sn_check(&e, "anything", NULL, 0, NULL);
}

static void
ingest_only(const void *arg)
{
    ENV;
    REQUIRE(ingest(&e, 1, 1000, 2, NULL, 0));
    sn_check(&e, K(501), K(501), 0, "val_000501");
    sn_check(&e, K(0), K(1), 1, NULL);
    sn_check(&e, K(1000), K(999), -1, NULL);
    sn_check(&e, K(500), K(501), 1, NULL);
    sn_check(&e, K(100), K(101), 1, NULL);
}

static void
stable_only(const void *arg)
{
    lt_cursor *cur;
    const char *k;
    int ex = 99;
    ENV;
    REQUIRE(stable(&e, 0, 1000, 2, NULL));
    sn_check(&e, K(500), K(500), 0, "val_000500");
    sn_check(&e, K(0), K(0), 0, "val_000000");
    sn_check(&e, K(998), K(998), 0, "val_000998");
    sn_check(&e, "", K(0), 1, NULL);
    sn_check(&e, K(1000), K(998), -1, NULL);
    REQUIRE_OK(lt_cursor_open(e.sut, UP_T, NULL, &cur));
    lt_cursor_set_key(cur, K(501));
    if (CHECK_OK(lt_cursor_search_near(cur, &ex)) && CHECK_OK(lt_cursor_get_key(cur, &k)))
        CHECK(strcmp(k, K(500)) == 0 ? ex == -1 : strcmp(k, K(502)) == 0 && ex == 1);
    lt_cursor_close(cur);
}

static void
split_data(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 2, NULL) && ingest(&e, 1, 1000, 2, NULL, 0));
    sn_check(&e, K(501), K(501), 0, "val_000501");
    sn_check(&e, K(500), K(500), 0, "val_000500");
    sn_check(&e, "", K(0), 1, NULL);
    sn_check(&e, K(1100), K(999), -1, NULL);
    sn_then_ordered(&e, "000500x", 1, 5);
}

static void
opposite_sides(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 500, 1, NULL) && ingest(&e, 500, 1000, 1, NULL, 0));
    sn_check(&e, K(500), K(500), 0, NULL);
    sn_then_ordered(&e, "000499x", 1, 5);
}

/* Upstream's expected answers differ by role for the cursors-on-opposite-sides cases. */
typedef struct {
    int stable[4], ningest, ingest[8];
    const char *search;
    int leader_key, leader_exact, follower_key, follower_exact;
} sides;

static void
sides_case(const void *arg, const sides *sd)
{
    ENV;
    for (int i = 0; i < 4 && sd->stable[i] >= 0; i++)
        REQUIRE_OK(up_put_range(e.s0, UP_T, sd->stable[i], sd->stable[i] + 1, 1, NULL, 0, &e.k));
    REQUIRE(tu_checkpoint(e.c, 0, e.k.ts) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    for (int i = 0; i < sd->ningest; i++)
        REQUIRE(ingest(&e, sd->ingest[i], sd->ingest[i] + 1, 1, NULL, 0));
    if (e.follower)
        sn_check(&e, sd->search, K(sd->follower_key), sd->follower_exact, NULL);
    else
        sn_check(&e, sd->search, K(sd->leader_key), sd->leader_exact, NULL);
}

#define SIDES(fn, st, n, in, key, lk, le, fk, fe)                 \
    static void fn(const void *arg)                               \
    {                                                             \
        static const sides sd = {st, n, in, key, lk, le, fk, fe}; \
        sides_case(arg, &sd);                                     \
    }
#define L(...)      \
    {               \
        __VA_ARGS__ \
    }
SIDES(opposite_sides_farther, L(498, -1), 1, L(900), "000500", 900, 1, 498, -1)
SIDES(xor_prev_ingest_between, L(200, -1), 2, L(300, 900), "000500", 900, 1, 300, -1)
SIDES(xor_prev_ingest_before_stable, L(200, -1), 2, L(100, 900), "000500", 900, 1, 200, -1)
SIDES(xor_prev_notfound, L(200, -1), 1, L(900), "000500", 900, 1, 200, -1)
SIDES(xor_prev_still_larger, L(200, -1), 3, L(300, 600, 900), "000500", 600, 1, 300, -1)
SIDES(xor_prev_exact_in_ingest, L(200, -1), 6, L(400, 450, 500, 550, 600, 900), "000500", 500, 0,
  500, 0)
SIDES(xor_next_notfound, L(800, -1), 2, L(100, 300), "000500", 800, 1, 800, 1)
SIDES(xor_next_closer, L(800, -1), 3, L(100, 300, 600), "000500", 600, 1, 600, 1)
SIDES(both_larger, L(800, -1), 1, L(600), "000500", 600, 1, 600, 1)
SIDES(both_smaller, L(100, -1), 1, L(400), "000500", 400, -1, 400, -1)
SIDES(before_min, L(500, -1), 1, L(800), "", 500, 1, 500, 1)

static void
xor_prev_boundary(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 500, 1, NULL) && ingest(&e, 500, 1000, 1, NULL, 0));
    if (e.follower)
        sn_check(&e, "000499x", K(499), -1, NULL);
    else
        sn_check(&e, "000499x", K(500), 1, NULL);
}

/* Stable keys st (up to 3, -1 ends), then ingest removes rm (up to 3, -1 ends). */
static int
st_rm(env *e, const int *st, const int *rm)
{
    for (int i = 0; i < 3 && st[i] >= 0; i++)
        if (!CHECK_OK(up_put_range(e->s0, UP_T, st[i], st[i] + 1, 1, NULL, 0, &e->k)))
            return 0;
    if (tu_checkpoint(e->c, 0, e->k.ts) == 0 || !CHECK_OK(lt_pickup(e->c, 1, 0)))
        return 0;
    for (int i = 0; i < 3 && rm[i] >= 0; i++)
        if (!ingest(e, rm[i], rm[i] + 1, 1, NULL, 1))
            return 0;
    return 1;
}

static void
ingest_exact_deleted(const void *arg) /* also tombstone_exact */
{
    ENV;
    REQUIRE(st_rm(&e, (int[]){200, 500, 700}, (int[]){500, -1}));
    sn_check(&e, K(500), K(700), 1, NULL);
}

static void
ingest_exact_deleted_walk_backward(const void *arg) /* also tombstone_walk_backward */
{
    ENV;
    REQUIRE(st_rm(&e, (int[]){200, 500, -1}, (int[]){500, -1}));
    sn_check(&e, K(500), K(200), -1, NULL);
}

static void
ingest_exact_deleted_stable_no_match(const void *arg)
{
    ENV;
    REQUIRE(st_rm(&e, (int[]){300, 700, -1}, (int[]){-1}));
    REQUIRE(ingest(&e, 500, 501, 1, NULL, 0) && ingest(&e, 500, 501, 1, NULL, 1));
    sn_check(&e, K(500), K(700), 1, NULL);
}

static void
ingest_exact_deleted_all_tombstoned(const void *arg)
{
    ENV;
    REQUIRE(st_rm(&e, (int[]){300, 500, 700}, (int[]){300, 500, 700}));
    sn_check(&e, K(500), NULL, 0, NULL);
}

static void
all_deleted(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 1, NULL) && ingest(&e, 0, 1000, 1, NULL, 1));
    sn_check(&e, K(500), NULL, 0, NULL);
}

static void
tombstone_cross_table(const void *arg)
{
    ENV;
    REQUIRE(st_rm(&e, (int[]){200, 700, -1}, (int[]){-1}));
    REQUIRE_OK(up_put(e.sut, UP_T, K(200), "updated_000200", up_tick(&e.k)));
    REQUIRE(ingest(&e, 700, 701, 1, NULL, 1));
    sn_check(&e, K(500), K(200), -1, NULL);
}

/* search_near(key) then the given steps land on the given keys (dir +1/-1 per step). */
static void
sn_walk(env *e, const char *key, int exact, const char *first, const int *dirs, const int *keys,
  int n)
{
    lt_cursor *cur;
    char got[LT_KEY_MAX + 1];
    int ex = 99;

    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, key);
    if (CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, first) && CHECK_EQ(ex, exact))
        for (int i = 0; i < n; i++)
            if (!CHECK_OK(up_step(cur, dirs[i], got)) || !CHECK_EQ_STR(got, K(keys[i])))
                break;
    lt_cursor_close(cur);
}

static void
then_iterate(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 2, NULL) && ingest(&e, 1, 1000, 2, NULL, 0));
    sn_walk(&e, K(500), 0, K(500), (int[]){1, 1, 1}, (int[]){501, 502, 503}, 3);
    sn_walk(&e, K(500), 0, K(500), (int[]){-1, -1, -1}, (int[]){499, 498, 497}, 3);
}

static void
nonexact_then_iterate(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 2, NULL) && ingest(&e, 1, 1000, 2, NULL, 0));
    sn_then_ordered(&e, "000500x", 1, 5);
    sn_then_ordered(&e, "000500x", -1, 5);
}

static void
tombstone_then_iterate(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 1, NULL) && ingest(&e, 500, 501, 1, NULL, 1));
    sn_walk(&e, K(500), 1, K(501), (int[]){-1}, (int[]){499}, 1);
}

static void
consecutive_tombstones(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 1, NULL) && ingest(&e, 400, 601, 1, NULL, 1));
    sn_check(&e, K(500), K(601), 1, NULL);
    sn_check(&e, K(400), K(601), 1, NULL);
    sn_check(&e, K(600), K(601), 1, NULL);
}

static void
full_scan_interleaved(const void *arg)
{
    int fwd[999], bwd[999], d1[999], dm1[999];
    ENV;
    REQUIRE(stable(&e, 0, 1000, 2, NULL) && ingest(&e, 1, 1000, 2, NULL, 0));
    for (int i = 0; i < 999; i++) {
        fwd[i] = i + 1;
        bwd[i] = 998 - i;
        d1[i] = 1;
        dm1[i] = -1;
    }
    sn_walk(&e, K(0), 0, K(0), d1, fwd, 999);
    sn_walk(&e, K(999), 0, K(999), dm1, bwd, 999);
}

static void
ingest_overrides_stable(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 1000, 1, "old_") && ingest(&e, 0, 1000, 1, "new_", 0));
    sn_check(&e, K(500), K(500), 0, "new_000500");
}

static void
beyond_max(const void *arg)
{
    ENV;
    REQUIRE(stable(&e, 0, 500, 1, NULL) && ingest(&e, 700, 701, 1, NULL, 0));
    sn_check(&e, K(1100), K(700), -1, NULL);
}

/* A next() before search_near must not leave next() after it out of order (and its mirror). */
static void
stale_iterate_flag_out_of_order(const void *arg)
{
    lt_cursor *cur;
    char key[LT_KEY_MAX + 1];
    ENV;
    REQUIRE(stable(&e, 0, 699, 1, NULL) && ingest(&e, 700, 1000, 1, NULL, 0));
    REQUIRE_OK(lt_cursor_open(e.sut, UP_T, NULL, &cur));
    for (int i = 0; i < 499; i++)
        REQUIRE_OK(up_step(cur, 1, key));
    CHECK_EQ_STR(key, K(498));
    lt_cursor_close(cur);
    sn_then_ordered(&e, K(701), 1, -1);
}

static void
stale_iterate_prev_ordering(const void *arg)
{
    lt_cursor *cur;
    char key[LT_KEY_MAX + 1];
    ENV;
    REQUIRE(stable(&e, 502, 1000, 1, NULL) && ingest(&e, 490, 500, 1, NULL, 0));
    REQUIRE_OK(lt_cursor_open(e.sut, UP_T, NULL, &cur));
    lt_cursor_set_key(cur, K(502));
    CHECK_OK(lt_cursor_search(cur));
    CHECK_OK(up_step(cur, -1, key));
    CHECK_EQ_STR(key, K(499));
    lt_cursor_close(cur);
    sn_then_ordered(&e, K(500), -1, -1);
}

static const int F = 1;
#define BOTH(name, fn)                                                   \
    {"test_layered05.py::test_search_near_" name "[leader]", fn, NULL},  \
    {                                                                    \
        "test_layered05.py::test_search_near_" name "[follower]", fn, &F \
    }

static const up_case cases[] = {
  BOTH("empty", empty),
  BOTH("ingest_only", ingest_only),
  BOTH("stable_only", stable_only),
  BOTH("split_data", split_data),
  BOTH("opposite_sides", opposite_sides),
  BOTH("opposite_sides_farther", opposite_sides_farther),
  BOTH("xor_prev_ingest_between", xor_prev_ingest_between),
  BOTH("xor_prev_ingest_before_stable", xor_prev_ingest_before_stable),
  BOTH("xor_prev_notfound", xor_prev_notfound),
  BOTH("xor_prev_still_larger", xor_prev_still_larger),
  BOTH("xor_prev_boundary", xor_prev_boundary),
  BOTH("xor_prev_exact_in_ingest", xor_prev_exact_in_ingest),
  BOTH("xor_next_notfound", xor_next_notfound),
  BOTH("xor_next_closer", xor_next_closer),
  BOTH("both_larger", both_larger),
  BOTH("both_smaller", both_smaller),
  BOTH("ingest_exact_deleted", ingest_exact_deleted),
  BOTH("ingest_exact_deleted_walk_backward", ingest_exact_deleted_walk_backward),
  BOTH("ingest_exact_deleted_stable_no_match", ingest_exact_deleted_stable_no_match),
  BOTH("ingest_exact_deleted_all_tombstoned", ingest_exact_deleted_all_tombstoned),
  BOTH("tombstone_exact", ingest_exact_deleted),
  BOTH("tombstone_walk_backward", ingest_exact_deleted_walk_backward),
  BOTH("all_deleted", all_deleted),
  BOTH("tombstone_cross_table", tombstone_cross_table),
  BOTH("then_iterate", then_iterate),
  BOTH("nonexact_then_iterate", nonexact_then_iterate),
  BOTH("tombstone_then_iterate", tombstone_then_iterate),
  BOTH("consecutive_tombstones", consecutive_tombstones),
  BOTH("full_scan_interleaved", full_scan_interleaved),
  BOTH("ingest_overrides_stable", ingest_overrides_stable),
  BOTH("beyond_max", beyond_max),
  BOTH("before_min", before_min),
  BOTH("stale_iterate_flag_out_of_order", stale_iterate_flag_out_of_order),
  BOTH("stale_iterate_prev_ordering", stale_iterate_prev_ordering),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_search_near", argc, argv);
}
