/*
 * selftest.c -- `layerace selftest`: drive liblayered end to end through its public API and
 * compare every read with an in-memory model of what was committed.
 *
 * The script, one step per line of the steps[] table: open a 3-node cluster; step node 0 up;
 * create table A on the leader and B on follower 1; the leader writes A and publishes a
 * checkpoint; the followers pick it up; follower 1 updates, removes and inserts rows of A and
 * fills B; every node reads back what it must see; node 0 steps down and node 1 steps up (its
 * ingest drains into stable); a new checkpoint reaches every node; ingest GC; every node reads
 * back again; both tables are dropped everywhere; the cluster closes.
 *
 * Single-threaded. The first failing step stops the script; the cluster is still closed and the
 * database directory is kept for inspection.
 *
 * The helpers the steps use (the sticky failure, the observer, the model, writes, read-backs and
 * role checks) are in selftest_util.c; selftest_int.h declares what the two files share.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "layered.h"
#include "selftest/selftest.h"
#include "selftest/selftest_int.h"

/* ---------------------------------------------------------------------------------------------
 * The steps.
 */

/*
 * __step_open --
 *     Open the cluster with the observer, check it has no leader yet, open a session per node.
 */
static int
__step_open(selftest *st)
{
    lt_cluster_config cfg;
    int node, ret;

    ret = 0;
    lt_cluster_config_init(&cfg);
    cfg.home = st->home;
    cfg.nodes = ST_NODES;
    cfg.verbose = st->verbose;
    cfg.observer = lr_st_observer;
    cfg.observer_arg = &st->ev;
    CALL(st, lt_cluster_open(&cfg, &st->cluster));
    CHECK(st, lt_cluster_nodes(st->cluster) == ST_NODES, "the cluster has %d nodes, expected %d",
      lt_cluster_nodes(st->cluster), ST_NODES);
    if ((ret = lr_st_expect_leader(st, -1)) != 0)
        goto err;
    for (node = 0; node < ST_NODES; node++)
        CALL(st, lt_session_open(st->cluster, node, &st->session[node]));
err:
    return (ret);
}

/*
 * __step_up_first --
 *     Step node 0 up: it must lead, settled, at a new generation.
 */
static int
__step_up_first(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_step_up(st->cluster, 0));
    if ((ret = lr_st_expect_leader(st, 0)) != 0)
        goto err;
    ret = lr_st_expect_role(st, 0, LT_LEADER);
err:
    return (ret);
}

/* Whether the session's node has the table: 1 or 0, -1 when lt_table_exists fails. */
static int
__exists(lt_session *s, const char *name)
{
    int exists;

    return (lt_table_exists(s, name, &exists) == 0 ? exists : -1);
}

/*
 * __step_create --
 *     Create A on the leader and B on follower 1; B must not show on node 0.
 */
static int
__step_create(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_create(st->session[0], ST_TABLE_A));
    CALL(st, lt_create(st->session[1], ST_TABLE_B));
    CHECK(st, __exists(st->session[0], ST_TABLE_A) == 1, "node 0 lacks %s", ST_TABLE_A);
    CHECK(st, __exists(st->session[1], ST_TABLE_B) == 1, "node 1 lacks %s", ST_TABLE_B);
    CHECK(st, __exists(st->session[0], ST_TABLE_B) == 0, "node 0 has %s, created on node 1 only",
      ST_TABLE_B);
err:
    return (ret);
}

/*
 * __step_leader_writes --
 *     The leader writes 200 rows of A in 4 transactions, then reads them back.
 */
static int
__step_leader_writes(selftest *st)
{
    st_model *models[] = {&st->a_base, &st->a_node1};
    char tag[8];
    int batch, ret;

    /* 200 rows in 4 transactions. */
    for (batch = 0; batch < 4; batch++) {
        snprintf(tag, sizeof(tag), "L%d", batch);
        if ((ret = lr_st_write(st, 0, models, 2, batch * 50, 50, 1, tag, false)) != 0)
            return (ret);
    }
    return (lr_st_verify(st, 0, &st->a_base));
}

/*
 * __step_checkpoint_first --
 *     The leader publishes a checkpoint: it must be the newest, at the last commit timestamp.
 */
static int
__step_checkpoint_first(selftest *st)
{
    lt_node_info info;
    uint64_t id, ts;
    int ret;

    ret = 0;
    CALL(st, lt_checkpoint(st->cluster, 0, st->ts, &st->ckpt_first));
    CALL(st, lt_checkpoint_newest(st->cluster, &id, &ts));
    CHECK(st, id == st->ckpt_first && ts == st->ts,
      "newest checkpoint is %" PRIu64 " at ts %" PRIu64 ", expected %" PRIu64 " at %" PRIu64, id,
      ts, st->ckpt_first, st->ts);
    CALL(st, lt_node_get_info(st->cluster, 0, &info));
    CHECK(st, info.checkpoint_id == id, "leader's checkpoint id is %" PRIu64 ", expected %" PRIu64,
      info.checkpoint_id, id);
err:
    return (ret);
}

/*
 * __step_pickup_first --
 *     Followers 1 and 2 pick up the first checkpoint and must then have A.
 */
static int
__step_pickup_first(selftest *st)
{
    int ret;

    ret = 0;
    if ((ret = lr_st_pickup(st, 1, st->ckpt_first)) != 0 ||
      (ret = lr_st_pickup(st, 2, st->ckpt_first)) != 0)
        return (ret);
    CHECK(st, __exists(st->session[1], ST_TABLE_A) == 1, "node 1 lacks %s after pickup",
      ST_TABLE_A);
    CHECK(st, __exists(st->session[2], ST_TABLE_A) == 1, "node 2 lacks %s after pickup",
      ST_TABLE_A);
err:
    return (ret);
}

/*
 * __step_follower_writes --
 *     Follower 1 writes its own changes to A and fills B.
 */
static int
__step_follower_writes(selftest *st)
{
    st_model *a[] = {&st->a_node1}, *b[] = {&st->b};
    int ret;

    /* In A: update every other key of the first 100, remove 10, add 20 new ones. In B: 50 rows. */
    if ((ret = lr_st_write(st, 1, a, 1, 0, 50, 2, "F1", false)) != 0 ||
      (ret = lr_st_write(st, 1, a, 1, 100, 10, 1, "", true)) != 0 ||
      (ret = lr_st_write(st, 1, a, 1, 200, 20, 1, "F1", false)) != 0 ||
      (ret = lr_st_write(st, 1, b, 1, 0, 50, 1, "B1", false)) != 0)
        return (ret);
    return (0);
}

/*
 * __step_read_all_first --
 *     Every node reads back its own view: nodes 0 and 2 the leader's A, node 1 its A and B.
 */
static int
__step_read_all_first(selftest *st)
{
    int ret;

    if ((ret = lr_st_verify(st, 0, &st->a_base)) != 0 ||
      (ret = lr_st_verify(st, 1, &st->a_node1)) != 0 ||
      (ret = lr_st_verify(st, 2, &st->a_base)) != 0 || (ret = lr_st_verify(st, 1, &st->b)) != 0)
        return (ret);
    return (0);
}

/*
 * __step_down_first --
 *     Step node 0 down: no leader, and node 0 a settled follower.
 */
static int
__step_down_first(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_step_down(st->cluster, 0));
    if ((ret = lr_st_expect_leader(st, -1)) != 0)
        goto err;
    ret = lr_st_expect_role(st, 0, LT_FOLLOWER);
err:
    return (ret);
}

/*
 * __step_up_second --
 *     Step node 1 up: it must lead, keep both tables, and drain both into stable.
 */
static int
__step_up_second(selftest *st)
{
    lt_node_info info;
    uint64_t drains;
    int ret;

    ret = 0;
    drains = st->ev.events[LT_EV_DRAIN_TABLE];
    CALL(st, lt_step_up(st->cluster, 1));
    if ((ret = lr_st_expect_leader(st, 1)) != 0 || (ret = lr_st_expect_role(st, 1, LT_LEADER)) != 0)
        goto err;
    CALL(st, lt_node_get_info(st->cluster, 1, &info));
    CHECK(st, info.tables == 2, "node 1 has %d tables, expected 2", info.tables);
    CHECK(st, st->ev.events[LT_EV_DRAIN_TABLE] - drains >= 2,
      "step-up drained %" PRIu64 " tables, expected both",
      st->ev.events[LT_EV_DRAIN_TABLE] - drains);
err:
    return (ret);
}

/*
 * __step_read_new_leader --
 *     The new leader still reads its A and B.
 */
static int
__step_read_new_leader(selftest *st)
{
    int ret;

    if ((ret = lr_st_verify(st, 1, &st->a_node1)) != 0 || (ret = lr_st_verify(st, 1, &st->b)) != 0)
        return (ret);
    return (0);
}

/*
 * __step_checkpoint_second --
 *     The new leader publishes a checkpoint with a higher id; nodes 0 and 2 pick it up.
 */
static int
__step_checkpoint_second(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_checkpoint(st->cluster, 1, st->ts, &st->ckpt_second));
    CHECK(st, st->ckpt_second > st->ckpt_first,
      "the second checkpoint id %" PRIu64 " is not above the first, %" PRIu64, st->ckpt_second,
      st->ckpt_first);
    if ((ret = lr_st_pickup(st, 0, st->ckpt_second)) != 0 ||
      (ret = lr_st_pickup(st, 2, st->ckpt_second)) != 0)
        goto err;
err:
    return (ret);
}

/*
 * __step_gc --
 *     Run ingest GC on every node.
 */
static int
__step_gc(selftest *st)
{
    uint64_t removed;
    int node, ret;

    ret = 0;
    for (node = 0; node < ST_NODES; node++)
        CALL(st, lt_gc(st->cluster, node, &removed));
err:
    return (ret);
}

/*
 * __step_read_all_second --
 *     Every node now reads node 1's A and B.
 */
static int
__step_read_all_second(selftest *st)
{
    int node, ret;

    for (node = 0; node < ST_NODES; node++)
        if ((ret = lr_st_verify(st, node, &st->a_node1)) != 0 ||
          (ret = lr_st_verify(st, node, &st->b)) != 0)
            return (ret);
    return (0);
}

/*
 * __step_drop --
 *     Drop both tables on every node, followers first; none may be left.
 */
static int
__step_drop(selftest *st)
{
    lt_node_info info;
    static const int order[] = {0, 2, 1}; /* the followers first, then the leader */
    int i, node, ret;

    ret = 0;
    for (i = 0; i < ST_NODES; i++) {
        node = order[i];
        CALL(st, lt_drop(st->session[node], ST_TABLE_A));
        CALL(st, lt_drop(st->session[node], ST_TABLE_B));
        CHECK(st,
          __exists(st->session[node], ST_TABLE_A) == 0 &&
            __exists(st->session[node], ST_TABLE_B) == 0,
          "node %d still has a dropped table", node);
        CALL(st, lt_node_get_info(st->cluster, node, &info));
        CHECK(st, info.tables == 0, "node %d has %d tables after the drops, expected 0", node,
          info.tables);
    }
err:
    return (ret);
}

/*
 * __step_close --
 *     Close every session and the cluster, clearing the handles first so nothing closes twice.
 */
static int
__step_close(selftest *st)
{
    lt_cluster *cluster;
    int node, ret;

    ret = 0;
    for (node = 0; node < ST_NODES; node++) {
        lt_session *s = st->session[node];

        st->session[node] = NULL;
        CALL(st, lt_session_close(s));
    }
    cluster = st->cluster;
    st->cluster = NULL;
    CALL(st, lt_cluster_close(cluster));
err:
    return (ret);
}

static const struct {
    const char *what;
    int (*fn)(selftest *);
} steps[] = {
  {"open a 3-node cluster, one session per node", __step_open},
  {"step up node 0", __step_up_first},
  {"create " ST_TABLE_A " on the leader, " ST_TABLE_B " on follower 1", __step_create},
  {"leader writes 200 rows of " ST_TABLE_A " in 4 transactions", __step_leader_writes},
  {"leader publishes a checkpoint", __step_checkpoint_first},
  {"followers 1 and 2 pick it up", __step_pickup_first},
  {"follower 1 updates, removes and inserts rows; fills " ST_TABLE_B, __step_follower_writes},
  {"every node reads back its view", __step_read_all_first},
  {"step down node 0", __step_down_first},
  {"step up node 1 (drains its ingest into stable)", __step_up_second},
  {"the new leader lost nothing", __step_read_new_leader},
  {"new leader publishes a checkpoint; nodes 0 and 2 pick it up", __step_checkpoint_second},
  {"ingest GC on every node", __step_gc},
  {"every node reads the same rows", __step_read_all_second},
  {"drop both tables on every node", __step_drop},
  {"close the cluster", __step_close},
};

/* ---------------------------------------------------------------------------------------------
 * Set-up and the command.
 */

/*
 * __st_make_home --
 *     Make the database directory: a fresh temporary directory under --dir, $TMPDIR or /tmp.
 */
static int
__st_make_home(selftest *st)
{
    int rc;

    if ((rc = lr_temp_dir(st->parent, "layerace-selftest", st->home, sizeof(st->home))) != 0) {
        fprintf(stderr, "layerace selftest: cannot create a directory in %s: %s\n",
          st->parent != NULL ? st->parent : lr_tmp_root(), strerror(rc));
        return (LR_EXIT_ENV);
    }
    return (0);
}

/*
 * __st_usage --
 *     Print the command's usage to fp.
 */
static void
__st_usage(FILE *fp)
{
    fprintf(fp,
      "usage: layerace selftest [--dir DIR] [--keep] [--verbose]\n"
      "  --dir DIR   make the database directory in DIR [$TMPDIR or /tmp]\n"
      "  --keep      keep the database directory after a pass (always kept after a failure)\n"
      "  --verbose   let the library print its error messages too\n");
}

/*
 * __st_parse --
 *     Parse the options into st. Returns 0, -1 after --help, or LR_EXIT_ENV.
 */
static int
__st_parse(selftest *st, int argc, char **argv)
{
    static const struct option options[] = {
      {"dir", required_argument, NULL, 'd'},
      {"keep", no_argument, NULL, 'k'},
      {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
    };
    int ch;

    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":d:kvh", options, NULL)) != -1) {
        switch (ch) {
        case 'd':
            st->parent = optarg;
            break;
        case 'k':
            st->keep = true;
            break;
        case 'v':
            st->verbose = true;
            break;
        case 'h':
            __st_usage(stdout);
            return (-1);
        case ':':
            fprintf(stderr, "layerace %s: option '%s' needs an argument\n", argv[0],
              argv[optind - 1]);
            __st_usage(stderr);
            return (LR_EXIT_ENV);
        default:
            fprintf(stderr, "layerace %s: unknown option '%s'\n", argv[0], argv[optind - 1]);
            __st_usage(stderr);
            return (LR_EXIT_ENV);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "layerace %s: unexpected argument '%s'\n", argv[0], argv[optind]);
        __st_usage(stderr);
        return (LR_EXIT_ENV);
    }
    return (0);
}

/*
 * lr_selftest_main --
 *     Run the steps in order, stopping at the first failure; report and clean up.
 */
int
lr_selftest_main(int argc, char **argv)
{
    selftest *st;
    double start, step_start;
    size_t i, nsteps;
    int rc, ret;

    if ((st = calloc(1, sizeof(*st))) == NULL) {
        fprintf(stderr, "layerace selftest: out of memory\n");
        return (LR_EXIT_ENV);
    }
    if ((ret = __st_parse(st, argc, argv)) != 0) {
        ret = ret < 0 ? 0 : ret; /* --help */
        goto done;
    }
    if ((ret = __st_make_home(st)) != 0)
        goto done;
    lr_st_model_init(&st->a_base, ST_TABLE_A, 'a');
    lr_st_model_init(&st->a_node1, ST_TABLE_A, 'a');
    lr_st_model_init(&st->b, ST_TABLE_B, 'b');

    nsteps = sizeof(steps) / sizeof(steps[0]);
    printf("layerace selftest: liblayered %s on %s\n", LT_VERSION_STRING,
      wiredtiger_version(NULL, NULL, NULL));
    printf("layerace selftest: database in %s\n", st->home);
    fflush(stdout);

    start = lr_now_s();
    for (i = 0; i < nsteps; i++) {
        printf("[%2zu/%zu] %-66s ", i + 1, nsteps, steps[i].what);
        fflush(stdout);
        step_start = lr_now_s();
        ret = steps[i].fn(st);
        if (ret != 0) {
            printf("FAIL\n        %s\n", st->why[0] != '\0' ? st->why : "(no message)");
            break;
        }
        printf("ok %6.0f ms\n", (lr_now_s() - step_start) * 1e3);
        fflush(stdout);
    }

    /* After a failure, still release everything; the first failure is what is reported. */
    for (int node = 0; node < ST_NODES; node++)
        (void)lt_session_close(st->session[node]);
    (void)lt_cluster_close(st->cluster);

    if (ret == 0) {
        printf("events: %" PRIu64 " transitions, %" PRIu64 " tables drained (%" PRIu64
               " rows), %" PRIu64 " checkpoints, %" PRIu64 " pickups, %" PRIu64 " GC runs\n",
          st->ev.events[LT_EV_TRANSITION_END], st->ev.events[LT_EV_DRAIN_TABLE],
          st->ev.drained_rows, st->ev.events[LT_EV_CHECKPOINT], st->ev.events[LT_EV_PICKUP],
          st->ev.events[LT_EV_GC]);
        printf("selftest: PASS (%zu steps, %.2f s)\n", nsteps, lr_now_s() - start);
        if (st->keep)
            printf("selftest: database kept in %s\n", st->home);
        else if ((rc = lr_rm_rf(st->home)) != 0)
            fprintf(stderr, "layerace selftest: cannot remove %s: %s\n", st->home, strerror(rc));
    } else {
        printf("selftest: FAIL at step %zu of %zu; database kept in %s\n", i + 1, nsteps, st->home);
        ret = LR_EXIT_FOUND;
    }

done:
    fflush(stdout);
    free(st);
    return (ret);
}
