/*
 * up_upgrade.c -- upstream's tests of follower cursors when a newer checkpoint is picked up:
 * between operations (the cursor "upgrades" to the new checkpoint) and in the middle of a scan
 * inside a read-timestamp transaction.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered81.py 0c418b25910ba535b0f759168e9a8b94f3102f96
 *   test_layered85.py 22eec969f21dc4e6f7116f654e18c0d4b5140a06
 * Keys are "%06d", values "val_%06d"; each write is its own transaction at the next timestamp;
 * a checkpoint is published at the newest timestamp and picked up by the follower at once.
 * Cursor bounds (two methods of each file) have no counterpart in the API.
 */
#include "up_util.h"

#define K(i) up_k(i)

#define SETUP                \
    up_env e;                \
    lt_cursor *cur = NULL;   \
    (void)arg;               \
    if (!up_env_open(&e, 1)) \
        return;              \
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur))

/* Leader writes (or removes) keys lo, lo+step, ... < hi; then checkpoint and pickup. */
static int
__leader_writes(up_env *e, int lo, int hi, int step, const char *prefix, int rm)
{
    return CHECK_OK(up_put_range(e->s0, UP_T, lo, hi, step, prefix, rm, &e->k));
}

static int
ckpt(up_env *e)
{
    return tu_checkpoint(e->c, 0, e->k.ts) != 0 && CHECK_OK(lt_pickup(e->c, 1, 0));
}

static int
__found_key(lt_cursor *cur, int i, const char *prefix)
{
    char val[32], got[32];
    snprintf(val, sizeof(val), "%s%06d", prefix, i);
    lt_cursor_set_key(cur, K(i));
    return CHECK_OK(lt_cursor_search(cur)) && CHECK_EQ_STR(up_val(cur, got, sizeof(got)), val);
}

/* A full next scan of the follower's table is exactly the keys keep(i) accepts, i < n. */
static void
scan_is(up_env *e, int n, int (*keep)(int))
{
    tu_rows r;
    int j = 0, rc = tu_scan(e->s1, UP_T, 1, &r);

    CHECK_OK(rc);
    for (int i = 0; i < n && rc == 0; i++)
        if (keep(i) && (!CHECK(j < r.n) || !CHECK_EQ_STR(r.keys[j++], K(i))))
            break;
    CHECK_EQ(r.n, j);
    tu_rows_free(&r);
}

static int
even(int i)
{
    return i % 2 == 0;
}
static int
all(int i)
{
    (void)i;
    return 1;
}
static int
not3(int i)
{
    return i % 3 != 0;
}
static int
odd200(int i)
{
    return i % 2 == 0 || i < 200;
}
static int
hole400(int i)
{
    return i < 400 || i >= 600;
}

static void
upgrade_unpositioned_sees_new_data(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 0, "val_"));
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE(__leader_writes(&e, 1, 1000, 2, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 1, "val_"));
    CHECK(__found_key(cur, 999, "val_"));
    lt_cursor_close(cur);
}

static void
upgrade_full_scan(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e));
    scan_is(&e, 1000, even);
    REQUIRE(__leader_writes(&e, 1, 1000, 2, NULL, 0) && ckpt(&e));
    scan_is(&e, 1000, all);
    lt_cursor_close(cur);
}

static void
upgrade_updated_value(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 1, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 0, "val_"));
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE(__leader_writes(&e, 0, 1000, 10, "updated_", 0) && ckpt(&e));
    for (int i = 0; i < 1000; i += 10) {
        if (!CHECK(__found_key(cur, i, "updated_")))
            break;
        CHECK_OK(lt_cursor_reset(cur));
    }
    CHECK(__found_key(cur, 1, "val_"));
    lt_cursor_close(cur);
}

static void
upgrade_deleted_key(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 1, NULL, 0) && ckpt(&e));
    scan_is(&e, 1000, all);
    REQUIRE(__leader_writes(&e, 0, 1000, 3, NULL, 1) && ckpt(&e));
    scan_is(&e, 1000, not3);
    for (int i = 0; i < 1000; i += 3) {
        lt_cursor_set_key(cur, K(i));
        if (!CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND))
            break;
    }
    lt_cursor_close(cur);
}

static void
upgrade_positioned_on_ingest(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 500, 1, NULL, 0) && ckpt(&e));
    REQUIRE(up_ingest(&e, 500, 1000, 1, NULL, 0));
    CHECK(__found_key(cur, 750, "val_"));
    REQUIRE(__leader_writes(&e, 1000, 1001, 1, NULL, 0) && ckpt(&e));
    CHECK_OK(lt_cursor_reset(cur));
    CHECK(__found_key(cur, 1000, "val_"));
    lt_cursor_close(cur);
}

static void
upgrade_multiple_checkpoints(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 333, 1, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 0, "val_"));
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE(__leader_writes(&e, 333, 666, 1, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 500, "val_"));
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE(__leader_writes(&e, 666, 1000, 1, NULL, 0) && ckpt(&e));
    CHECK(__found_key(cur, 999, "val_"));
    lt_cursor_close(cur);
    scan_is(&e, 1000, all);
}

static void
upgrade_interleaved(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e));
    REQUIRE(up_ingest(&e, 1, 200, 2, NULL, 0));
    scan_is(&e, 1000, odd200);
    REQUIRE(__leader_writes(&e, 1, 1000, 2, NULL, 0) && ckpt(&e));
    scan_is(&e, 1000, all);
    lt_cursor_close(cur);
}

static void
upgrade_search_near(const void *arg)
{
    int ex = 99;
    const char *k;
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 500, 1, NULL, 0) && __leader_writes(&e, 501, 1000, 1, NULL, 0) &&
      ckpt(&e));
    lt_cursor_set_key(cur, K(500));
    if (CHECK_OK(lt_cursor_search_near(cur, &ex)) && CHECK_OK(lt_cursor_get_key(cur, &k)))
        CHECK(strcmp(k, K(499)) == 0 ? ex == -1 : strcmp(k, K(501)) == 0 && ex == 1);
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE(__leader_writes(&e, 500, 501, 1, NULL, 0) && ckpt(&e));
    lt_cursor_set_key(cur, K(500));
    CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, K(500));
    CHECK_EQ(ex, 0);
    CHECK_CUR_VAL(cur, "val_000500");
    lt_cursor_close(cur);
}

static void
upgrade_with_read_timestamp_iteration(const void *arg)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    char key[LT_KEY_MAX + 1];
    int n = 0;
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 500, 1, NULL, 0) && ckpt(&e));
    tc.read_ts = e.k.ts;
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    while (up_step(cur, 1, key) == 0)
        n++;
    CHECK_EQ(n, 500);
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_OK(lt_txn_commit(e.s1, 0));
    REQUIRE(__leader_writes(&e, 500, 1000, 1, NULL, 0) && ckpt(&e));
    tc.read_ts = e.k.ts;
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    for (n = 0; up_step(cur, 1, key) == 0; n++)
        if (!CHECK_EQ_STR(key, K(n)))
            break;
    CHECK_EQ(n, 1000);
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

static void
upgrade_tombstone_persists(const void *arg)
{
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 1000, 1, NULL, 0) && ckpt(&e));
    REQUIRE(up_ingest(&e, 400, 600, 1, NULL, 1));
    scan_is(&e, 1000, hole400);
    REQUIRE(__leader_writes(&e, 1000, 1100, 1, NULL, 0) && ckpt(&e));
    scan_is(&e, 1100, hole400);
    lt_cursor_close(cur);
}

static void
leader_unaffected_by_checkpoint(const void *arg)
{
    lt_cursor *lc;
    SETUP;
    REQUIRE(__leader_writes(&e, 0, 500, 1, NULL, 0) && ckpt(&e));
    REQUIRE_OK(lt_cursor_open(e.s0, UP_T, NULL, &lc));
    CHECK(__found_key(lc, 0, "val_"));
    CHECK_OK(lt_cursor_reset(lc));
    REQUIRE(__leader_writes(&e, 500, 1000, 1, NULL, 0) && ckpt(&e));
    CHECK(__found_key(lc, 999, "val_"));
    lt_cursor_close(lc);
    lt_cursor_close(cur);
}

/* test_layered85: steps in direction dir; every key strictly after prev (updated). */
static int
__step_n(lt_cursor *cur, int dir, int n, char *prev, int (*bad)(const char *))
{
    char key[LT_KEY_MAX + 1];
    int i, rc = 0;

    for (i = 0; n < 0 || i < n; i++) {
        if ((rc = up_step(cur, dir, key)) != 0)
            break;
        if ((prev[0] != '\0' && !CHECK(dir > 0 ? strcmp(prev, key) < 0 : strcmp(prev, key) > 0)) ||
          (bad != NULL && !CHECK(!bad(key))))
            return 0;
        strcpy(prev, key);
    }
    return n < 0 ? CHECK_RC(rc, WT_NOTFOUND) : CHECK_OK(rc);
}

static void
begin_read(up_env *e)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    tc.read_ts = e->k.ts;
    CHECK_OK(lt_txn_begin(e->s1, &tc));
}

static void
advance_stable_during_scan_positioned_on_follower(const void *arg)
{
    char prev[LT_KEY_MAX + 1] = "";
    SETUP;
    REQUIRE(
      __leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e) && up_ingest(&e, 1, 1000, 2, NULL, 0));
    begin_read(&e);
    REQUIRE(__step_n(cur, 1, 100, prev, NULL));
    REQUIRE(__leader_writes(&e, 1000, 1100, 1, NULL, 0) && ckpt(&e));
    REQUIRE(__step_n(cur, 1, -1, prev, NULL));
    CHECK_OK(lt_cursor_reset(cur));
    prev[0] = '\0';
    REQUIRE(__step_n(cur, -1, 100, prev, NULL));
    REQUIRE(__leader_writes(&e, 1100, 1200, 1, NULL, 0) && ckpt(&e));
    REQUIRE(__step_n(cur, -1, -1, prev, NULL));
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

static int
in_hole(const char *key)
{
    int i = atoi(key);
    return i >= 400 && i <= 600 && i % 2 == 0;
}

static void
advance_stable_during_scan_with_tombstones_on_follower(const void *arg)
{
    char prev[LT_KEY_MAX + 1] = "";
    SETUP;
    REQUIRE(
      __leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e) && up_ingest(&e, 1, 1000, 2, NULL, 0));
    REQUIRE(up_ingest(&e, 400, 601, 2, NULL, 1));
    begin_read(&e);
    REQUIRE(__step_n(cur, 1, 250, prev, in_hole));
    REQUIRE(__leader_writes(&e, 1000, 1100, 1, NULL, 0) && ckpt(&e));
    REQUIRE(__step_n(cur, 1, -1, prev, in_hole));
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

static void
multiple_advance_stable_during_scan_on_follower(const void *arg)
{
    char prev[LT_KEY_MAX + 1] = "";
    SETUP;
    REQUIRE(
      __leader_writes(&e, 0, 300, 1, NULL, 0) && ckpt(&e) && up_ingest(&e, 301, 1000, 2, NULL, 0));
    begin_read(&e);
    REQUIRE(__step_n(cur, 1, 150, prev, NULL));
    REQUIRE(__leader_writes(&e, 300, 600, 1, NULL, 0) && ckpt(&e));
    REQUIRE(__step_n(cur, 1, 200, prev, NULL));
    REQUIRE(__leader_writes(&e, 600, 1000, 1, NULL, 0) && ckpt(&e));
    REQUIRE(__step_n(cur, 1, -1, prev, NULL));
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

static void
scan_completeness_after_checkpoint_removes_key_mid_scan(const void *arg)
{
    char prev[LT_KEY_MAX + 1] = "", key[LT_KEY_MAX + 1];
    int removed, next_even;
    SETUP;
    REQUIRE(
      __leader_writes(&e, 0, 1000, 2, NULL, 0) && ckpt(&e) && up_ingest(&e, 1, 1000, 2, NULL, 0));
    begin_read(&e);
    REQUIRE(__step_n(cur, 1, 502, prev, NULL));
    removed = atoi(prev) % 2 == 1 ? atoi(prev) + 1 : atoi(prev);
    CHECK_OK(lt_txn_commit(e.s1, 0));
    REQUIRE(__leader_writes(&e, removed, removed + 1, 1, NULL, 1) && ckpt(&e));
    begin_read(&e);
    next_even = removed + 2;
    while (up_step(cur, 1, key) == 0) {
        if (!CHECK(strcmp(prev, key) < 0))
            break;
        strcpy(prev, key);
        if (atoi(key) % 2 == 0 && atoi(key) >= removed + 2) {
            if (!CHECK_EQ(atoi(key), next_even))
                break;
            next_even += 2;
        }
    }
    CHECK_EQ(next_even, 1000);
    CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

#define C81(name)                                    \
    {                                                \
        "test_layered81.py::test_" #name, name, NULL \
    }
#define C85(name)                                    \
    {                                                \
        "test_layered85.py::test_" #name, name, NULL \
    }

static const up_case cases[] = {
  C81(upgrade_unpositioned_sees_new_data),
  C81(upgrade_full_scan),
  C81(upgrade_updated_value),
  C81(upgrade_deleted_key),
  C81(upgrade_positioned_on_ingest),
  C81(upgrade_multiple_checkpoints),
  C81(upgrade_interleaved),
  C81(upgrade_search_near),
  C81(upgrade_with_read_timestamp_iteration),
  C81(upgrade_tombstone_persists),
  C81(leader_unaffected_by_checkpoint),
  C85(advance_stable_during_scan_positioned_on_follower),
  C85(advance_stable_during_scan_with_tombstones_on_follower),
  C85(multiple_advance_stable_during_scan_on_follower),
  C85(scan_completeness_after_checkpoint_removes_key_mid_scan),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_upgrade", argc, argv);
}
