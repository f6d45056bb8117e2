/*
 * up_iterate.c -- upstream's iteration tests of a follower's layered cursor: full scans, scans
 * over removed keys, direction switches, iteration after search and search_near.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered83.py at commit
 * 0c418b25910ba535b0f759168e9a8b94f3102f96. The session under test is the follower's; keys are
 * "%06d" for 0..999. "Interleaved" data: even keys in stable (leader writes, checkpoint,
 * pickup), odd keys written on the follower.
 */
#include "up_util.h"

#define N 1000
#define K(i) up_k(i)

static lt_cursor *
open_env(up_env *e, int layout)
{
    lt_cursor *cur = NULL;

    if (!up_env_open(e, 1))
        return NULL;
    if (layout == 1 && !(up_stable(e, 0, N, 2, NULL) && up_ingest(e, 1, N, 2, NULL, 0)))
        return NULL;
    if (layout == 2 && !up_stable(e, 0, N, 1, NULL))
        return NULL;
    CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur));
    return cur;
}
#define INTERLEAVED 1
#define ALL_STABLE 2
#define EMPTY 0

#define SETUP(layout)                        \
    up_env e;                                \
    lt_cursor *cur = open_env(&e, (layout)); \
    (void)arg;                               \
    if (cur == NULL)                         \
    return

/* n steps in direction dir land on first, first+dir*stride, ... */
static int
walk(lt_cursor *cur, int dir, int n, int first, int stride)
{
    char key[LT_KEY_MAX + 1];
    for (int i = 0; i < n; i++)
        if (!CHECK_OK(up_step(cur, dir, key)) || !CHECK_EQ_STR(key, K(first + dir * i * stride)))
            return 0;
    return 1;
}

/* A full scan in direction dir from an unpositioned cursor: exactly the keys keep(i) accepts. */
static void
scan_keys(lt_cursor *cur, int dir, int (*keep)(int))
{
    char key[LT_KEY_MAX + 1];
    int i = dir > 0 ? 0 : N - 1, rc;

    for (;; i += dir) {
        while (i >= 0 && i < N && !keep(i))
            i += dir;
        if ((rc = up_step(cur, dir, key)) != 0)
            break;
        if (!CHECK(i >= 0 && i < N) || !CHECK_EQ_STR(key, K(i)))
            return;
    }
    CHECK_RC(rc, WT_NOTFOUND);
    CHECK(i < 0 || i >= N);
}

static int
keep_all(int i)
{
    (void)i;
    return 1;
}

static int
keep_not3(int i)
{
    return i % 3 != 0;
}

static int
srch(lt_cursor *cur, int i)
{
    lt_cursor_set_key(cur, K(i));
    return CHECK_OK(lt_cursor_search(cur));
}

static int
sn(lt_cursor *cur, const char *key, int expect, int exact)
{
    int ex = 99;
    lt_cursor_set_key(cur, key);
    return CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, K(expect)) && CHECK_EQ(ex, exact);
}

static void
next_full_scan(const void *arg)
{
    SETUP(INTERLEAVED);
    scan_keys(cur, 1, keep_all);
}

static void
prev_full_scan(const void *arg)
{
    SETUP(INTERLEAVED);
    scan_keys(cur, -1, keep_all);
}

static void
next_duplicate_keys(const void *arg)
{
    char key[LT_KEY_MAX + 1], val[32], got[32];
    int n = 0;
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 0, N, 10, "ingest_", 0));
    while (up_step(cur, 1, key) == 0) {
        int i = atoi(key);
        snprintf(val, sizeof(val), "%s%06d", i % 10 == 0 ? "ingest_" : "val_", i);
        if (!CHECK_EQ_STR(up_val(cur, got, sizeof(got)), val))
            break;
        n++;
    }
    CHECK_EQ(n, N);
}

static void
next_skips_tombstones(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 0, N, 3, NULL, 1));
    scan_keys(cur, 1, keep_not3);
}

static void
prev_skips_tombstones(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 0, N, 3, NULL, 1));
    scan_keys(cur, -1, keep_not3);
}

static void
next_all_tombstoned(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 0, N, 1, NULL, 1));
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
}

static void
prev_all_tombstoned(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 0, N, 1, NULL, 1));
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
}

static void
direction_switch_next_to_prev(const void *arg)
{
    SETUP(INTERLEAVED);
    if (walk(cur, 1, 501, 0, 1))
        walk(cur, -1, 10, 499, 1);
}

static void
direction_switch_prev_to_next(const void *arg)
{
    SETUP(INTERLEAVED);
    if (walk(cur, -1, 501, 999, 1))
        walk(cur, 1, 10, 500, 1);
}

static void
direction_zigzag(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 500));
    for (int i = 0; i < 20; i++)
        if (!walk(cur, 1, 1, 501, 1) || !walk(cur, -1, 1, 500, 1))
            break;
}

static void
next_after_search_stable_key(const void *arg)
{
    char got[32];
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 400));
    CHECK_EQ_STR(up_val(cur, got, sizeof(got)), "val_000400");
    walk(cur, 1, 10, 401, 1);
}

static void
next_after_search_ingest_key(const void *arg)
{
    char got[32];
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 401));
    CHECK_EQ_STR(up_val(cur, got, sizeof(got)), "val_000401");
    walk(cur, 1, 10, 402, 1);
}

static void
prev_after_search(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 500));
    walk(cur, -1, 10, 499, 1);
}

static void
prev_after_search_at_start(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 0));
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
}

static void
next_after_search_at_end(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, N - 1));
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
}

static void
search_then_direction_switch(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 500));
    if (walk(cur, 1, 5, 501, 1))
        walk(cur, -1, 10, 504, 1);
}

static void
next_after_search_near_exact(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, K(600), 600, 0));
    walk(cur, 1, 10, 601, 1);
}

static void
prev_after_search_near_exact(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, K(600), 600, 0));
    walk(cur, -1, 10, 599, 1);
}

static void
next_after_search_near_larger(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, " before_all", 0, 1));
    walk(cur, 1, 1, 1, 1);
}

static void
prev_after_search_near_smaller(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, "999999_after", N - 1, -1));
    walk(cur, -1, 1, N - 2, 1);
}

static void
search_near_then_direction_switch(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, K(700), 700, 0));
    if (walk(cur, 1, 5, 701, 1))
        walk(cur, -1, 1, 704, 1);
}

static void
next_after_search_with_tombstones(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 501, 510, 1, NULL, 1));
    REQUIRE(srch(cur, 500));
    walk(cur, 1, 1, 510, 1);
}

static void
prev_after_search_with_tombstones(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 491, 500, 1, NULL, 1));
    REQUIRE(srch(cur, 500));
    walk(cur, -1, 1, 490, 1);
}

static void
iterate_after_search_near_tombstone(const void *arg)
{
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 500, 501, 1, NULL, 1));
    REQUIRE(sn(cur, K(500), 501, 1));
    walk(cur, -1, 1, 499, 1);
}

static void
repeated_search_iterate(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 100) && walk(cur, 1, 5, 101, 1));
    REQUIRE(srch(cur, 800) && walk(cur, 1, 5, 801, 1));
    REQUIRE(srch(cur, 300) && walk(cur, -1, 5, 299, 1));
}

static void
mixed_search_near_and_search(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(sn(cur, K(200), 200, 0) && walk(cur, 1, 1, 201, 1));
    REQUIRE(srch(cur, 600) && walk(cur, -1, 1, 599, 1));
}

static void
reset_between_search_iterate(const void *arg)
{
    SETUP(INTERLEAVED);
    REQUIRE(srch(cur, 500) && walk(cur, 1, 1, 501, 1));
    CHECK_OK(lt_cursor_reset(cur));
    walk(cur, 1, 1, 0, 1);
}

static void
next_empty(const void *arg)
{
    SETUP(EMPTY);
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
}

static void
prev_empty(const void *arg)
{
    SETUP(EMPTY);
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
}

static void
next_after_end_then_rescan(const void *arg)
{
    SETUP(INTERLEAVED);
    scan_keys(cur, 1, keep_all);
    CHECK_OK(lt_cursor_reset(cur));
    scan_keys(cur, 1, keep_all);
}

static void
next_ingest_only(const void *arg)
{
    SETUP(EMPTY);
    REQUIRE(up_ingest(&e, 0, N, 1, NULL, 0));
    scan_keys(cur, 1, keep_all);
}

static void
next_stable_only(const void *arg)
{
    SETUP(ALL_STABLE);
    scan_keys(cur, 1, keep_all);
}

/*
 * Stable keys st[], follower keys in[] (-1 ends each); search_near(search) lands on expect with
 * exact, and the rest of the walk in direction dir is strictly ordered.
 */
static void
sn_ordered(const void *arg, const int *st, const int *in, int search, int expect, int exact,
  int dir)
{
    char prev[LT_KEY_MAX + 1], key[LT_KEY_MAX + 1];
    int rc;
    SETUP(EMPTY);
    for (int i = 0; st[i] >= 0; i++)
        REQUIRE_OK(up_put_range(e.s0, UP_T, st[i], st[i] + 1, 1, NULL, 0, &e.k));
    REQUIRE(tu_checkpoint(e.c, 0, e.k.ts) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    for (int i = 0; in[i] >= 0; i++)
        REQUIRE(up_ingest(&e, in[i], in[i] + 1, 1, NULL, 0));
    REQUIRE(sn(cur, K(search), expect, exact));
    strcpy(prev, K(expect));
    while ((rc = up_step(cur, dir, key)) == 0) {
        if (!CHECK(dir > 0 ? strcmp(prev, key) < 0 : strcmp(prev, key) > 0))
            break;
        strcpy(prev, key);
    }
}

static void
next_after_search_near_xor_alternate_behind(const void *arg)
{
    sn_ordered(arg, (int[]){200, -1}, (int[]){300, 600, -1}, 500, 300, -1, 1);
}

static void
prev_after_search_near_xor_alternate_ahead(const void *arg)
{
    sn_ordered(arg, (int[]){800, -1}, (int[]){400, 700, -1}, 500, 700, 1, -1);
}

static void
next_after_search_near_both_smaller(const void *arg)
{
    sn_ordered(arg, (int[]){300, -1}, (int[]){400, -1}, 500, 400, -1, 1);
}

static void
prev_after_search_near_both_larger(const void *arg)
{
    sn_ordered(arg, (int[]){700, -1}, (int[]){600, -1}, 500, 600, 1, -1);
}

/* Stable lo..hi step 2 and follower keys; sn(search) lands on expect; ordered walk in dir. */
static void
sn_many(const void *arg, int slo, int shi, int ilo, int ihi, int search, int expect, int exact,
  int dir)
{
    char prev[LT_KEY_MAX + 1], key[LT_KEY_MAX + 1];
    SETUP(EMPTY);
    REQUIRE(up_stable(&e, slo, shi, 2, NULL) && up_ingest(&e, ilo, ihi, 2, NULL, 0));
    REQUIRE(sn(cur, K(search), expect, exact));
    strcpy(prev, K(expect));
    while (up_step(cur, dir, key) == 0) {
        if (!CHECK(dir > 0 ? strcmp(prev, key) < 0 : strcmp(prev, key) > 0))
            break;
        strcpy(prev, key);
    }
}

static void
next_after_search_near_xor_many_keys(const void *arg)
{
    sn_many(arg, 0, 401, 501, N, 450, 400, -1, 1);
}

static void
prev_after_search_near_xor_many_keys(const void *arg)
{
    sn_many(arg, 600, N, 1, 500, 550, 600, 1, -1);
}

static void
next_after_search_near_xor_with_tombstones(const void *arg)
{
    char key[LT_KEY_MAX + 1];
    SETUP(ALL_STABLE);
    REQUIRE(up_ingest(&e, 400, 601, 1, NULL, 1));
    REQUIRE(sn(cur, K(500), 601, 1));
    walk(cur, 1, N - 602, 602, 1);
    CHECK_RC(up_step(cur, 1, key), WT_NOTFOUND);
}

static void
search_near_full_coverage(const void *arg, int dir)
{
    static const int pos[] = {0, 100, 250, 500, 750, 999};
    char key[LT_KEY_MAX + 1];
    SETUP(INTERLEAVED);
    for (size_t p = 0; p < UP_NELEM(pos); p++) {
        int n = dir > 0 ? N - 1 - pos[p] : pos[p];
        REQUIRE(sn(cur, K(pos[p]), pos[p], 0));
        REQUIRE(walk(cur, dir, n, pos[p] + dir, 1));
        CHECK_RC(up_step(cur, dir, key), WT_NOTFOUND);
    }
}

static void
next_after_search_near_interleaved_full_coverage(const void *arg)
{
    search_near_full_coverage(arg, 1);
}

static void
prev_after_search_near_interleaved_full_coverage(const void *arg)
{
    search_near_full_coverage(arg, -1);
}

#define C(name)                                      \
    {                                                \
        "test_layered83.py::test_" #name, name, NULL \
    }

static const up_case cases[] = {
  C(next_full_scan),
  C(prev_full_scan),
  C(next_duplicate_keys),
  C(next_skips_tombstones),
  C(prev_skips_tombstones),
  C(next_all_tombstoned),
  C(prev_all_tombstoned),
  C(direction_switch_next_to_prev),
  C(direction_switch_prev_to_next),
  C(direction_zigzag),
  C(next_after_search_stable_key),
  C(next_after_search_ingest_key),
  C(prev_after_search),
  C(prev_after_search_at_start),
  C(next_after_search_at_end),
  C(search_then_direction_switch),
  C(next_after_search_near_exact),
  C(prev_after_search_near_exact),
  C(next_after_search_near_larger),
  C(prev_after_search_near_smaller),
  C(search_near_then_direction_switch),
  C(next_after_search_with_tombstones),
  C(prev_after_search_with_tombstones),
  C(iterate_after_search_near_tombstone),
  C(repeated_search_iterate),
  C(mixed_search_near_and_search),
  C(reset_between_search_iterate),
  C(next_empty),
  C(prev_empty),
  C(next_after_end_then_rescan),
  C(next_ingest_only),
  C(next_stable_only),
  C(next_after_search_near_xor_alternate_behind),
  C(prev_after_search_near_xor_alternate_ahead),
  C(next_after_search_near_both_smaller),
  C(prev_after_search_near_both_larger),
  C(next_after_search_near_xor_many_keys),
  C(prev_after_search_near_xor_many_keys),
  C(next_after_search_near_xor_with_tombstones),
  C(next_after_search_near_interleaved_full_coverage),
  C(prev_after_search_near_interleaved_full_coverage),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_iterate", argc, argv);
}
