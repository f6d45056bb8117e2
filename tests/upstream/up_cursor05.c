/*
 * up_cursor05.c -- upstream's newer search_near tests of a follower's layered cursor, which
 * accept either neighbour where both are equally valid, and check the iteration that follows.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered_cursor05.py at commit
 * 9db7ecba4da7a8cf6fa20df43993b456a3015fe0. Keys "%06d", values "val_%06d"; "stable" keys are
 * written by the leader, checkpointed and picked up; "ingest" keys are written on the follower,
 * the session under test. The bounded-cursor method has no counterpart (no bounds in the API).
 */
#include "up_util.h"

#define K(i) up_k(i)

/* search_near(key) lands on lo (exact -1) or hi (exact 1); lo < 0: hi only; hi < 0: lo only. */
static int
either(up_env *e, const char *key, int lo, int hi, lt_cursor **keep)
{
    lt_cursor *cur;
    const char *k;
    int ex = 99, ok = 0;

    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return 0;
    lt_cursor_set_key(cur, key);
    if (CHECK_OK(lt_cursor_search_near(cur, &ex)) && CHECK_OK(lt_cursor_get_key(cur, &k)))
        ok = CHECK((lo >= 0 && strcmp(k, K(lo)) == 0 && ex == -1) ||
          (hi >= 0 && strcmp(k, K(hi)) == 0 && ex == 1) ||
          (lo == hi && ex == 0 && strcmp(k, K(lo)) == 0));
    if (keep != NULL && ok)
        *keep = cur;
    else
        lt_cursor_close(cur);
    return ok;
}

static void
notfound(up_env *e, const char *key)
{
    lt_cursor *cur;
    int ex;
    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, key);
    CHECK_RC(lt_cursor_search_near(cur, &ex), WT_NOTFOUND);
    lt_cursor_close(cur);
}

/* From search_near(key), n steps (n < 0: to the end) in dir are strictly ordered, not in hole. */
static void
ordered(up_env *e, const char *key, int dir, int n, int hole_lo, int hole_hi)
{
    lt_cursor *cur;
    char prev[LT_KEY_MAX + 1], k[LT_KEY_MAX + 1];
    const char *first;
    int ex, rc;

    if (!CHECK_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, key);
    if (CHECK_OK(lt_cursor_search_near(cur, &ex)) && CHECK_OK(lt_cursor_get_key(cur, &first))) {
        snprintf(prev, sizeof(prev), "%s", first);
        for (int i = 0; n < 0 || i < n; i++) {
            if ((rc = up_step(cur, dir, k)) == WT_NOTFOUND && n < 0)
                break;
            if (!CHECK_OK(rc) || !CHECK(dir > 0 ? strcmp(prev, k) < 0 : strcmp(prev, k) > 0) ||
              !CHECK(atoi(k) < hole_lo || atoi(k) > hole_hi))
                break;
            strcpy(prev, k);
        }
    }
    lt_cursor_close(cur);
}

/*
 * One case: stable keys, ingest keys and ingest removes as ranges {lo, hi, step}; a zero step
 * ends each list, and the layouts below leave the unused ranges zero.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
typedef struct {
    int st[3][3], in[3][3], rm[2][3];
} layout;

static int
setup(up_env *e, const layout *l)
{
    if (!up_env_open(e, 1))
        return 0;
    for (int i = 0; i < 3 && l->st[i][2] > 0; i++)
        if (!CHECK_OK(
              up_put_range(e->s0, UP_T, l->st[i][0], l->st[i][1], l->st[i][2], NULL, 0, &e->k)))
            return 0;
    if (tu_checkpoint(e->c, 0, e->k.ts) == 0 || !CHECK_OK(lt_pickup(e->c, 1, 0)))
        return 0;
    for (int i = 0; i < 3 && l->in[i][2] > 0; i++)
        if (!up_ingest(e, l->in[i][0], l->in[i][1], l->in[i][2], NULL, 0))
            return 0;
    for (int i = 0; i < 2 && l->rm[i][2] > 0; i++)
        if (!up_ingest(e, l->rm[i][0], l->rm[i][1], l->rm[i][2], NULL, 1))
            return 0;
    return 1;
}

#define ONE(k)        \
    {                 \
        k, (k) + 1, 1 \
    }
#define EVEN       \
    {              \
        0, 1000, 2 \
    }
#define ODD        \
    {              \
        1, 1000, 2 \
    }
#define ALL        \
    {              \
        0, 1000, 1 \
    }
#define CASE(name, ...)                      \
    static void name(const void *arg)        \
    {                                        \
        static const layout l = __VA_ARGS__; \
        up_env e;                            \
        (void)arg;                           \
        if (!setup(&e, &l))                  \
            return;
#define END }

CASE(empty, {{{0}}})
notfound(&e, "anything");
REQUIRE(tu_checkpoint(e.c, 0, e.k.ts) != 0);
REQUIRE_OK(lt_pickup(e.c, 1, 0));
notfound(&e, "anything");
END CASE(ingest_only, {{{0}}, {ODD}}) either(&e, K(501), 501, 501, NULL);
either(&e, K(0), -1, 1, NULL);
either(&e, K(1000), 999, -1, NULL);
either(&e, K(500), 499, 501, NULL);
either(&e, K(100), 99, 101, NULL);
END CASE(stable_only, {{EVEN}}) either(&e, K(500), 500, 500, NULL);
either(&e, K(0), 0, 0, NULL);
either(&e, K(998), 998, 998, NULL);
either(&e, "", -1, 0, NULL);
either(&e, K(1000), 998, -1, NULL);
either(&e, K(501), 500, 502, NULL);
END CASE(split_data, {{EVEN}, {ODD}}) either(&e, K(501), 501, 501, NULL);
either(&e, K(500), 500, 500, NULL);
either(&e, "", -1, 0, NULL);
either(&e, K(1100), 999, -1, NULL);
either(&e, "000500x", 500, 501, NULL);
ordered(&e, "000500x", 1, 5, 1, 0);
ordered(&e, "000500x", -1, 5, 1, 0);
END CASE(opposite_sides, {{{0, 500, 1}}, {{500, 1000, 1}}}) either(&e, K(500), 500, 500, NULL);
either(&e, "000499x", 499, 500, NULL);
ordered(&e, "000499x", 1, 5, 1, 0);
END CASE(opposite_sides_farther, {{ONE(498)}, {ONE(900)}}) either(&e, K(500), 498, 900, NULL);
END CASE(neighbors_local_on_both_sides, {{ONE(200)}, {ONE(300), ONE(900)}})
  either(&e, K(500), 300, 900, NULL);
END CASE(neighbors_lower_from_checkpoint, {{ONE(200)}, {ONE(100), ONE(900)}})
  either(&e, K(500), 200, 900, NULL);
END CASE(neighbors_nearest_upper_is_local, {{ONE(200)}, {ONE(300), ONE(600), ONE(900)}})
  either(&e, K(500), 300, 600, NULL);
END CASE(neighbors_upper_from_checkpoint, {{ONE(800)}, {ONE(100), ONE(300)}})
  either(&e, K(500), 300, 800, NULL);
END CASE(neighbors_nearest_lower_is_local, {{ONE(800)}, {ONE(100), ONE(300), ONE(600)}})
  either(&e, K(500), 300, 600, NULL);
END CASE(both_larger, {{ONE(800)}, {ONE(600)}}) either(&e, K(500), -1, 600, NULL);
END CASE(both_smaller, {{ONE(100)}, {ONE(400)}}) either(&e, K(500), 400, -1, NULL);
END CASE(ingest_exact_deleted, {{ONE(200), ONE(500), ONE(700)}, {{0}}, {ONE(500)}})
  either(&e, K(500), 200, 700, NULL);
END CASE(ingest_exact_deleted_walk_backward, {{{200, 501, 300}}, {{0}}, {ONE(500)}})
  either(&e, K(500), 200, -1, NULL);
END CASE(ingest_exact_deleted_stable_no_match, {{{300, 701, 400}}, {ONE(500)}, {ONE(500)}})
  either(&e, K(500), 300, 700, NULL);
END CASE(ingest_exact_deleted_all_tombstoned, {{{300, 701, 200}}, {{0}}, {{300, 701, 200}}})
  notfound(&e, K(500));
END CASE(all_deleted, {{ALL}, {{0}}, {ALL}}) notfound(&e, K(500));
END CASE(tombstone_cross_table, {{{200, 701, 500}}, {ONE(200)}, {ONE(700)}})
  either(&e, K(500), 200, -1, NULL);
END CASE(then_iterate, {{EVEN}, {ODD}}) lt_cursor *cur = NULL;
char k[LT_KEY_MAX + 1];
for (int dir = 1; dir >= -1; dir -= 2) {
    REQUIRE(either(&e, K(500), 500, 500, &cur));
    for (int i = 1; i <= 3; i++)
        if (!CHECK_OK(up_step(cur, dir, k)) || !CHECK_EQ_STR(k, K(500 + dir * i)))
            break;
    lt_cursor_close(cur);
}
END CASE(tombstone_then_iterate, {{ALL}, {{0}}, {ONE(500)}}) lt_cursor *cur = NULL;
const char *k;
char next[LT_KEY_MAX + 1];
REQUIRE(either(&e, K(500), 499, 501, &cur));
REQUIRE_OK(lt_cursor_get_key(cur, &k));
int below = strcmp(k, K(499)) == 0;
if (CHECK_OK(up_step(cur, below ? 1 : -1, next)))
    CHECK_EQ_STR(next, K(below ? 501 : 499));
lt_cursor_close(cur);
END CASE(consecutive_tombstones, {{ALL}, {{0}}, {{400, 601, 1}}}) lt_cursor *cur = NULL;
char k[LT_KEY_MAX + 1];
either(&e, K(400), 399, 601, NULL);
either(&e, K(500), 399, 601, NULL);
either(&e, K(600), -1, 601, NULL);
ordered(&e, K(500), 1, -1, 400, 600);
REQUIRE(either(&e, K(600), -1, 601, &cur));
for (int i = 602; i < 1000; i++)
    if (!CHECK_OK(up_step(cur, 1, k)) || !CHECK_EQ_STR(k, K(i)))
        break;
lt_cursor_close(cur);
END CASE(full_scan_interleaved, {{EVEN}, {ODD}}) lt_cursor *cur = NULL;
char k[LT_KEY_MAX + 1];
for (int dir = 1; dir >= -1; dir -= 2) {
    int start = dir > 0 ? 0 : 999;
    REQUIRE(either(&e, K(start), start, start, &cur));
    for (int i = start + dir; i >= 0 && i < 1000; i += dir)
        if (!CHECK_OK(up_step(cur, dir, k)) || !CHECK_EQ_STR(k, K(i)))
            break;
    CHECK_RC(up_step(cur, dir, k), WT_NOTFOUND);
    lt_cursor_close(cur);
}
END CASE(ingest_overrides_stable, {{ALL}, {ALL}}) either(&e, K(500), 500, 500, NULL);
END CASE(beyond_max, {{{0, 500, 1}}, {ONE(700)}}) either(&e, K(1100), 700, -1, NULL);
END CASE(ingest_tombstone_no_stable_forward, {{{0}}, {ONE(100), ONE(500), ONE(700)}, {ONE(500)}})
  either(&e, K(500), 100, 700, NULL);
END CASE(ingest_tombstone_no_stable_backward, {{{0}}, {ONE(100), ONE(500)}, {ONE(500)}})
  either(&e, K(500), 100, -1, NULL);
END CASE(ingest_tombstone_no_stable_notfound, {{{0}}, {ONE(500)}, {ONE(500)}}) notfound(&e, K(500));
END CASE(tombstone_walk_then_prev, {{ALL}, {{0}}, {{500, 1000, 1}}}) lt_cursor *cur = NULL;
const char *k;
REQUIRE(either(&e, K(700), 499, -1, &cur));
REQUIRE_OK(lt_cursor_get_key(cur, &k));
lt_cursor_close(cur);
ordered(&e, K(700), -1, -1, 500, 999);
END

#define C(name)                                                         \
    {                                                                   \
        "test_layered_cursor05.py::test_search_near_" #name, name, NULL \
    }

  static const up_case cases[] = {
    C(empty),
    C(ingest_only),
    C(stable_only),
    C(split_data),
    C(opposite_sides),
    C(opposite_sides_farther),
    C(neighbors_local_on_both_sides),
    C(neighbors_lower_from_checkpoint),
    C(neighbors_nearest_upper_is_local),
    C(neighbors_upper_from_checkpoint),
    C(neighbors_nearest_lower_is_local),
    C(both_larger),
    C(both_smaller),
    C(ingest_exact_deleted),
    C(ingest_exact_deleted_walk_backward),
    C(ingest_exact_deleted_stable_no_match),
    C(ingest_exact_deleted_all_tombstoned),
    C(all_deleted),
    C(tombstone_cross_table),
    C(then_iterate),
    C(tombstone_then_iterate),
    C(consecutive_tombstones),
    C(full_scan_interleaved),
    C(ingest_overrides_stable),
    C(beyond_max),
    C(ingest_tombstone_no_stable_forward),
    C(ingest_tombstone_no_stable_backward),
    C(ingest_tombstone_no_stable_notfound),
    C(tombstone_walk_then_prev),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_cursor05", argc, argv);
}
