/*
 * up_txn.c -- upstream's tests of a follower cursor used across transactions (different read
 * timestamps, writes in between, a step-up in between), and of follower writes on keys that only
 * the checkpoint holds.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered88.py 0be44b947545f571931cafc05978705199f8dae5
 *   test_layered96.py f9a6d09ab8458caceba3780fcecda2a8a8faaab3
 *   test_layered98.py 03321bd4ee86f6ad3dc393de3c7a1c62b68a0488 (test_layered99.py f49cd8a7...:
 *     the same test)
 *   test_layered79.py 4a3807c1f857ead0003d6f1045da7012ec88aaf6 (test_layered94.py 222e5090...:
 *     the same test)
 *   test_layered89.py 1a4361875ef75a658134080d0546a39de5f31da6
 *   test_layered91.py 24186fdd669a6ae343b67d847ad1e057f64f3c3e
 * Upstream's untimestamped writes get the next timestamps here.
 */
#include "up_util.h"

/* One cursor step in its own transaction (read_ts 0: none; txn 0: no transaction at all). */
static void
step_in_txn(lt_session *s, lt_cursor *cur, int dir, const char *key, const char *val, int txn,
  uint64_t read_ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    char got[LT_KEY_MAX + 1], v[32];

    tc.read_ts = read_ts;
    if (txn && !CHECK_OK(lt_txn_begin(s, &tc)))
        return;
    if (CHECK_OK(up_step(cur, dir, got)) && CHECK_EQ_STR(got, key))
        CHECK_EQ_STR(up_val(cur, v, sizeof(v)), val);
    if (txn)
        CHECK_OK(lt_txn_commit(s, 0));
}

/* The read-timestamp scenarios of test_layered88/96. */
typedef struct {
    const char *lk, *lv1, *lv2; /* leader key, values at 1 and (if lv2) 2 */
    const char *fk, *fv1, *fv2; /* follower key, values at 2 and (if fv2) 3 */
    int dir;
    const char *k1, *v1, *k2, *v2;
    uint64_t r1, r2;
} rts_spec;

static void
read_ts_case(const void *arg)
{
    const rts_spec *sp = arg;
    up_env e;
    lt_cursor *cur;
    uint64_t ck = sp->lv2 != NULL ? 2 : 1;

    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(up_put(e.s0, UP_T, sp->lk, sp->lv1, 1));
    if (sp->lv2 != NULL)
        REQUIRE_OK(up_put(e.s0, UP_T, sp->lk, sp->lv2, 2));
    REQUIRE(tu_checkpoint(e.c, 0, ck) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(up_put(e.s1, UP_T, sp->fk, sp->fv1, ck + 1));
    if (sp->fv2 != NULL)
        REQUIRE_OK(up_put(e.s1, UP_T, sp->fk, sp->fv2, ck + 2));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    step_in_txn(e.s1, cur, sp->dir, sp->k1, sp->v1, 1, sp->r1);
    step_in_txn(e.s1, cur, sp->dir, sp->k2, sp->v2, 1, sp->r2);
    lt_cursor_close(cur);
}

static const rts_spec stable_next = {"2", "1", "2", "1", "3", NULL, 1, "1", "3", "2", "1", 3, 1};
static const rts_spec stable_prev = {"1", "1", "2", "2", "3", NULL, -1, "2", "3", "1", "1", 3, 1};
static const rts_spec ingest_next = {"1", "1", NULL, "2", "2", "3", 1, "1", "1", "2", "3", 2, 3};
static const rts_spec ingest_prev = {"2", "1", NULL, "1", "2", "3", -1, "2", "1", "1", "3", 2, 3};

/*
 * The snapshot scenarios: a follower write lands between two steps of one cursor; the second
 * step sees it unless both steps run without a transaction (one consistent scan). test_layered88
 * runs both steps in transactions.
 */
typedef struct {
    int dir, txn1, txn2;
} snap_spec;

static void
snapshot_case(const void *arg)
{
    const snap_spec *sp = arg;
    const char *lk = sp->dir > 0 ? "1" : "2", *fk = sp->dir > 0 ? "2" : "1";
    char newer[8];
    up_env e;
    lt_cursor *cur;

    snprintf(newer, sizeof(newer), "%s%s", fk, fk);
    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(up_put(e.s0, UP_T, lk, lk, 1));
    REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(up_put(e.s1, UP_T, fk, fk, 2));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    step_in_txn(e.s1, cur, sp->dir, lk, lk, sp->txn1, 0);
    REQUIRE_OK(up_put(e.s1, UP_T, fk, newer, 3));
    step_in_txn(e.s1, cur, sp->dir, fk, sp->txn1 || sp->txn2 ? newer : fk, sp->txn2, 0);
    lt_cursor_close(cur);
}

static const snap_spec next_tt = {1, 1, 1}, next_ta = {1, 1, 0}, next_at = {1, 0, 1},
                       next_aa = {1, 0, 0}, prev_tt = {-1, 1, 1}, prev_ta = {-1, 1, 0},
                       prev_at = {-1, 0, 1}, prev_aa = {-1, 0, 0};

/*
 * test_layered98.py::test_cursor_reset_then_stepup: a follower cursor primed and reset, two
 * checkpoints picked up, the leader leaves and the follower steps up; one operation then sees
 * the second checkpoint (or the first, at read timestamp 1).
 */
typedef struct {
    int op;       /* 0 next, 1 prev, 2 search, 3 search_near */
    int txn;      /* run the operation in a transaction */
    uint64_t rts; /* its read timestamp */
} reset_spec;

static void
reset_stepup_case(const void *arg)
{
    const reset_spec *sp = arg;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    int ck1 = sp->rts == 1, ex = 99;
    up_env e;
    lt_cursor *cur;

    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(tu_write(e.s0, UP_T, 1, "1=ckpt1_val1 3=ckpt1_val3 5=ckpt1_val5"));
    REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    CHECK_OK(lt_cursor_next(cur));
    CHECK_OK(lt_cursor_reset(cur));
    REQUIRE_OK(tu_write(e.s0, UP_T, 2, "1=ckpt2_val1 7=ckpt2_val7 9=ckpt2_val9"));
    REQUIRE(tu_checkpoint(e.c, 0, 2) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_step_down(e.c, 0));
    REQUIRE_OK(lt_step_up(e.c, 1));
    tc.read_ts = sp->rts;
    if (sp->txn)
        REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    switch (sp->op) {
    case 0:
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "1");
        CHECK_CUR_VAL(cur, ck1 ? "ckpt1_val1" : "ckpt2_val1");
        break;
    case 1:
        CHECK_CUR_KEY(lt_cursor_prev(cur), cur, ck1 ? "5" : "9");
        CHECK_CUR_VAL(cur, ck1 ? "ckpt1_val5" : "ckpt2_val9");
        break;
    case 2:
        lt_cursor_set_key(cur, "7");
        if (ck1)
            CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
        else if (CHECK_OK(lt_cursor_search(cur)))
            CHECK_CUR_VAL(cur, "ckpt2_val7");
        break;
    default:
        lt_cursor_set_key(cur, "7");
        CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, ck1 ? "5" : "7");
        CHECK_EQ(ex, ck1 ? -1 : 0);
        break;
    }
    if (sp->txn)
        CHECK_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
}

#define RS(op)                          \
    {op, 0, 0}, {op, 1, 0}, {op, 1, 1}, \
    {                                   \
        op, 1, 2                        \
    }
static const reset_spec rs[16] = {RS(0), RS(1), RS(2), RS(3)};

/*
 * test_layered79.py (= test_layered94.py): follower writes on keys the checkpoint holds: plain
 * inserts and updates, and with overwrite=false (which skips the key check on a follower).
 */
typedef struct {
    int kind; /* 0 insert new, 1 insert existing no-overwrite, 2 update, 3 update no-overwrite,
                 4 insert then update */
} fw_spec;

static void
follower_write_case(const void *arg)
{
    const fw_spec *sp = arg;
    const int n = 50;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    up_env e;
    lt_cursor *cur;
    char val[32];
    int lo = sp->kind == 0 || sp->kind == 4 ? n : 0;

    REQUIRE(up_env_open(&e, 1));
    for (int i = 0; i < n; i++) {
        snprintf(val, sizeof(val), "initial_%d", i);
        REQUIRE_OK(up_put(e.s0, UP_T, up_k(i), val, (uint64_t)i + 1));
    }
    REQUIRE(tu_checkpoint(e.c, 0, n) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(
      lt_cursor_open(e.s1, UP_T, sp->kind == 1 || sp->kind == 3 ? "overwrite=false" : NULL, &cur));
    for (int round = 0; round < (sp->kind == 4 ? 2 : 1); round++)
        for (int i = lo; i < lo + n; i++) {
            tc.commit_ts = (uint64_t)(n + i + 1 + round * 2 * n);
            snprintf(val, sizeof(val), "%s_%d", round ? "update" : "follower", i);
            REQUIRE_OK(lt_txn_begin(e.s1, &tc));
            lt_cursor_set_key(cur, up_k(i));
            lt_cursor_set_value(cur, val, strlen(val));
            if (!CHECK_OK(
                  sp->kind == 2 || sp->kind == 3 ? lt_cursor_update(cur) : lt_cursor_insert(cur))) {
                lt_txn_rollback(e.s1);
                lt_cursor_close(cur);
                return; /* the first failure says it */
            }
            REQUIRE_OK(lt_txn_commit(e.s1, 0));
        }
    lt_cursor_close(cur);
    for (int i = lo; i < lo + n; i++) {
        snprintf(val, sizeof(val), "%s_%d", sp->kind == 4 ? "update" : "follower", i);
        if (!CHECK_GET(e.s1, UP_T, up_k(i), val))
            break;
    }
}

static const fw_spec fw[5] = {{0}, {1}, {2}, {3}, {4}};

/* test_layered89.py::test_follower_ops_on_stable_table: one operation on a checkpoint-only key. */
static void
stable_op_case(const void *arg)
{
    const int *op = arg;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 20};
    WT_MODIFY m;
    up_env e;
    lt_cursor *cur;
    char val[16];
    int ex;

    REQUIRE(up_env_open(&e, 1));
    for (int i = 1; i <= 10; i++) {
        snprintf(val, sizeof(val), "value%d", i);
        REQUIRE_OK(up_put(e.s0, UP_T, up_k(i), val, (uint64_t)i));
    }
    REQUIRE(tu_checkpoint(e.c, 0, 10) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    lt_cursor_set_key(cur, up_k(5));
    memset(&m, 0, sizeof(m));
    m.data.data = "X";
    m.data.size = 1;
    m.size = 1;
    switch (*op) {
    case 0:
        CHECK_OK(lt_cursor_search(cur));
        break;
    case 1:
        CHECK_OK(lt_cursor_search_near(cur, &ex));
        break;
    case 2:
        lt_cursor_set_value(cur, "updated_value", 13);
        CHECK_OK(lt_cursor_update(cur));
        break;
    case 3:
        CHECK_OK(lt_cursor_remove(cur));
        break;
    default:
        CHECK_OK(lt_cursor_modify(cur, &m, 1));
        break;
    }
    CHECK_OK(lt_txn_rollback(e.s1));
    lt_cursor_close(cur);
}

static const int ops[5] = {0, 1, 2, 3, 4};

/*
 * test_layered91.py: a follower's insert, remove and re-insert of one key across the ingest
 * "chunks" that upstream retires by timestamp; here the follower picks up checkpoints and runs
 * ingest GC, and the key reads as upstream expects at each step.
 */
static void
chunks_case(const void *arg)
{
    const int *variant = arg; /* 0 insert dropped, 1 tombstone dropped too, 2 re-insert */
    up_env e;
    char key[16];

    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(up_put(e.s0, UP_T, "seed", "leader", 1));
    REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(up_put(e.s1, UP_T, "K", "v1", 10));
    for (int i = 0; i < 4; i++)
        REQUIRE_OK(
          up_put(e.s1, UP_T, (snprintf(key, sizeof(key), "a%d", i), key), "v", 11 + (uint64_t)i));
    REQUIRE_OK(up_put(e.s1, UP_T, "K", NULL, 50));
    for (int i = 0; i < 4; i++)
        REQUIRE_OK(
          up_put(e.s1, UP_T, (snprintf(key, sizeof(key), "b%d", i), key), "v", 51 + (uint64_t)i));
    if (*variant == 2) {
        REQUIRE_OK(up_put(e.s1, UP_T, "K", "v2", 100));
        CHECK_GET_AT(e.s1, UP_T, "K", 200, "v2");
    }
    REQUIRE_OK(up_put(e.s1, UP_T, "z", "primary", 1000));
    if (*variant != 2)
        CHECK_GET_AT(e.s1, UP_T, "K", 60, NULL);
    for (int round = 0; round < (*variant == 1 ? 2 : 1); round++) {
        uint64_t ts = round == 0 ? 30 : 100;
        REQUIRE_OK(up_put(e.s0, UP_T, round == 0 ? "bump-30" : "bump-100", "leader", ts));
        REQUIRE(tu_checkpoint(e.c, 0, ts) != 0);
        REQUIRE_OK(lt_pickup(e.c, 1, 0));
        CHECK_OK(lt_gc(e.c, 1, NULL));
    }
    if (*variant == 1)
        CHECK_GET_AT(e.s1, UP_T, "K", 200, NULL);
    else if (*variant == 2) {
        CHECK_GET_AT(e.s1, UP_T, "K", 200, "v2");
        CHECK_GET_AT(e.s1, UP_T, "K", 60, NULL);
    } else
        CHECK_GET_AT(e.s1, UP_T, "K", 60, NULL);
}

static const int v0 = 0, v1 = 1, v2 = 2;

#define T88(n) "test_layered88.py::test_talbe_scan_with_" n
#define T96(n) "test_layered96.py::test_" n
#define T98(o, t) "test_layered98.py::test_cursor_reset_then_stepup[" o "," t "]"
#define RS4(o, i)                                                                                  \
    {T98(o, "no_txn"), reset_stepup_case, &rs[i]}, {T98(o, "txn"), reset_stepup_case, &rs[i + 1]}, \
      {T98(o, "txn_read_ts_ckpt1"), reset_stepup_case, &rs[i + 2]},                                \
    {                                                                                              \
        T98(o, "txn_read_ts_ckpt2"), reset_stepup_case, &rs[i + 3]                                 \
    }
#define T79(n) "test_layered79.py::test_follower_" n

static const up_case cases[] = {
  {T88("different_read_ts_stable_next"), read_ts_case, &stable_next},
  {T88("different_read_ts_stable_prev"), read_ts_case, &stable_prev},
  {T88("different_read_ts_ingest_next"), read_ts_case, &ingest_next},
  {T88("different_read_ts_ingest_prev"), read_ts_case, &ingest_prev},
  {T88("snapshot_gen_ingest_next"), snapshot_case, &next_tt},
  {T88("snapshot_gen_ingest_prev"), snapshot_case, &prev_tt},
  {T96("talbe_scan_with_different_read_ts_stable_next"), read_ts_case, &stable_next},
  {T96("talbe_scan_with_different_read_ts_stable_prev"), read_ts_case, &stable_prev},
  {T96("talbe_scan_with_different_read_ts_ingest_next"), read_ts_case, &ingest_next},
  {T96("talbe_scan_with_different_read_ts_ingest_prev"), read_ts_case, &ingest_prev},
  {T96("snapshot_gen_ingest_next_txn_txn"), snapshot_case, &next_tt},
  {T96("snapshot_gen_ingest_next_txn_auto"), snapshot_case, &next_ta},
  {T96("snapshot_gen_ingest_next_auto_txn"), snapshot_case, &next_at},
  {T96("snapshot_gen_ingest_next_auto_auto"), snapshot_case, &next_aa},
  {T96("snapshot_gen_ingest_prev_txn_txn"), snapshot_case, &prev_tt},
  {T96("snapshot_gen_ingest_prev_txn_auto"), snapshot_case, &prev_ta},
  {T96("snapshot_gen_ingest_prev_auto_txn"), snapshot_case, &prev_at},
  {T96("snapshot_gen_ingest_prev_auto_auto"), snapshot_case, &prev_aa},
  RS4("next", 0),
  RS4("prev", 4),
  RS4("search", 8),
  RS4("search_near", 12),
  {T79("insert_overwrite"), follower_write_case, &fw[0]},
  {T79("insert_non_overwrite_skips_duplicate_check"), follower_write_case, &fw[1]},
  {T79("update_overwrite"), follower_write_case, &fw[2]},
  {T79("update_non_overwrite_skips_key_existence_check"), follower_write_case, &fw[3]},
  {T79("insert_then_update"), follower_write_case, &fw[4]},
  {"test_layered89.py::test_follower_ops_on_stable_table[search]", stable_op_case, &ops[0]},
  {"test_layered89.py::test_follower_ops_on_stable_table[search_near]", stable_op_case, &ops[1]},
  {"test_layered89.py::test_follower_ops_on_stable_table[update]", stable_op_case, &ops[2]},
  {"test_layered89.py::test_follower_ops_on_stable_table[remove]", stable_op_case, &ops[3]},
  {"test_layered89.py::test_follower_ops_on_stable_table[modify]", stable_op_case, &ops[4]},
  {"test_layered91.py::test_tombstone_across_chunks_insert_dropped", chunks_case, &v0},
  {"test_layered91.py::test_tombstone_chunk_drops_once_prune_passes", chunks_case, &v1},
  {"test_layered91.py::test_reinsert_after_tombstone_across_chunks", chunks_case, &v2},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_txn", argc, argv);
}
