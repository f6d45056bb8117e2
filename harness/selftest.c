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
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "layered.h"
#include "selftest.h"

#define ST_NODES 3
#define ST_KEYS 300       /* key space of each table: "<prefix>000" .. "<prefix>299" */
#define ST_VALUE_MAX 32
#define ST_FAIL (-1)      /* a check failed: the message says what differed */
#define ST_EXIT_USAGE 2

#define ST_TABLE_A "selftest_a"
#define ST_TABLE_B "selftest_b"

/* What a table must show on one node: for each key, absent or its value. */
typedef struct {
    const char *table;
    char prefix;
    bool present[ST_KEYS];
    char value[ST_KEYS][ST_VALUE_MAX];
} st_model;

/* Counts of observer events, by type. */
typedef struct {
    uint64_t events[LT_EV_STABLE_WRITE + 1];
    uint64_t drained_rows;
} st_events;

typedef struct {
    /* Options. */
    const char *parent; /* directory in which the database directory is made */
    bool keep;
    bool verbose;

    char home[PATH_MAX];
    lt_cluster *cluster;
    lt_session *session[ST_NODES];
    uint64_t ts;           /* the last commit timestamp handed out */
    uint64_t ckpt_first;   /* checkpoint ids published by node 0, then by node 1 */
    uint64_t ckpt_second;
    uint64_t generation[ST_NODES];

    st_model a_base;       /* A as the leader wrote it: what nodes 0 and 2 see first */
    st_model a_node1;      /* A with follower 1's own writes on top */
    st_model b;            /* B, written by follower 1 only */
    st_events ev;

    char why[1024];        /* the first failure */
} selftest;

/*
 * st_error --
 *     Record a failed library call (the first one only) and return its code.
 */
static int
st_error(selftest *st, int rc, const char *call, int line)
{
    if (st->why[0] == '\0')
        snprintf(st->why, sizeof(st->why), "%s at selftest.c:%d returned %s (%d): %s", call, line,
            lt_strerror(rc), rc, lt_last_error());
    return (rc);
}

/*
 * st_fail --
 *     Record a failed check (the first one only) and return ST_FAIL.
 */
static int
st_fail(selftest *st, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int
st_fail(selftest *st, int line, const char *fmt, ...)
{
    va_list ap;
    int len;

    if (st->why[0] == '\0') {
        len = snprintf(st->why, sizeof(st->why), "selftest.c:%d: ", line);
        va_start(ap, fmt);
        vsnprintf(st->why + len, sizeof(st->why) - (size_t)len, fmt, ap);
        va_end(ap);
    }
    return (ST_FAIL);
}

/* Call a library function; on error record it and leave through err. Needs "int ret". */
#define CALL(st, call)                                            \
    do {                                                          \
        int rc_ = (call);                                        \
        if (rc_ != 0) {                                          \
            ret = st_error((st), rc_, #call, __LINE__);          \
            goto err;                                             \
        }                                                         \
    } while (0)

/* A library call's code already in rc: the same as CALL. */
#define CALLED(st, rc, call)                                      \
    do {                                                          \
        if ((rc) != 0) {                                          \
            ret = st_error((st), (rc), (call), __LINE__);         \
            goto err;                                             \
        }                                                         \
    } while (0)

/* Check a condition; on failure record the message and leave through err. */
#define CHECK(st, cond, ...)                                      \
    do {                                                          \
        if (!(cond)) {                                            \
            ret = st_fail((st), __LINE__, __VA_ARGS__);           \
            goto err;                                             \
        }                                                         \
    } while (0)

static void
st_observer(void *arg, const lt_event *ev)
{
    st_events *events;

    events = arg;
    if (ev->type >= LT_EV_SCHEMA_BEGIN && ev->type <= LT_EV_STABLE_WRITE)
        __atomic_fetch_add(&events->events[ev->type], 1, __ATOMIC_RELAXED);
    if (ev->type == LT_EV_DRAIN_TABLE)
        __atomic_fetch_add(&events->drained_rows, ev->count, __ATOMIC_RELAXED);
}

static double
st_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* ---------------------------------------------------------------------------------------------
 * The model and the two things done to tables: write a batch, read everything back.
 */
static void
st_model_init(st_model *m, const char *table, char prefix)
{
    memset(m, 0, sizeof(*m));
    m->table = table;
    m->prefix = prefix;
}

static void
st_key(const st_model *m, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%c%03d", m->prefix, i);
}

/*
 * st_write --
 *     In one transaction on node's session, with the next commit timestamp: for count keys from
 *     first by stride, write "<tag>-<i>", or remove the key. Every model in models[] gets the same
 *     change.
 */
static int
st_write(selftest *st, int node, st_model **models, int nmodels, int first, int count, int stride,
    const char *tag, bool remove)
{
    lt_cursor *c;
    lt_session *s;
    lt_txn_config txn;
    char key[16], value[ST_VALUE_MAX];
    int i, k, m, ret;

    c = NULL;
    ret = 0;
    s = st->session[node];

    memset(&txn, 0, sizeof(txn));
    txn.isolation = LT_ISO_SNAPSHOT;
    txn.commit_ts = ++st->ts;
    CALL(st, lt_cursor_open(s, models[0]->table, NULL, &c));
    CALL(st, lt_txn_begin(s, &txn));
    for (i = 0; i < count; i++) {
        k = first + i * stride;
        st_key(models[0], k, key, sizeof(key));
        snprintf(value, sizeof(value), "%s-%d", tag, k);
        lt_cursor_set_key(c, key);
        if (remove)
            CALL(st, lt_cursor_remove(c));
        else {
            lt_cursor_set_value(c, value, strlen(value));
            CALL(st, lt_cursor_insert(c));
        }
        for (m = 0; m < nmodels; m++) {
            models[m]->present[k] = !remove;
            if (!remove)
                snprintf(models[m]->value[k], ST_VALUE_MAX, "%s", value);
        }
    }
    CALL(st, lt_txn_commit(s, 0));
    ret = lt_cursor_close(c);
    c = NULL;
    CALLED(st, ret, "lt_cursor_close(c)");
    return (0);

err:
    if (lt_txn_active(s))
        (void)lt_txn_rollback(s);
    (void)lt_cursor_close(c);
    return (ret);
}

/*
 * st_check_row --
 *     The cursor is on key i of the model: check the key and the value.
 */
static int
st_check_row(selftest *st, int node, const st_model *m, lt_cursor *c, int i, const char *how)
{
    const char *got;
    const void *data;
    size_t size, want_size;
    char want[16];
    int ret;

    ret = 0;
    st_key(m, i, want, sizeof(want));
    CALL(st, lt_cursor_get_key(c, &got));
    CHECK(st, strcmp(got, want) == 0, "%s of %s on node %d: got key '%s', expected '%s'", how,
        m->table, node, got, want);
    CALL(st, lt_cursor_get_value(c, &data, &size));
    want_size = strlen(m->value[i]);
    CHECK(st, size == want_size && memcmp(data, m->value[i], size) == 0,
        "%s of %s on node %d, key '%s': got value '%.*s', expected '%s'", how, m->table, node,
        want, (int)(size < ST_VALUE_MAX ? size : ST_VALUE_MAX), (const char *)data, m->value[i]);
err:
    return (ret);
}

/*
 * st_verify --
 *     Read table m on node three ways and compare with the model: a full forward scan, a full
 *     backward scan, and a point search of every key in the key space (absent keys must give
 *     WT_NOTFOUND).
 */
static int
st_verify(selftest *st, int node, const st_model *m)
{
    lt_cursor *c;
    char key[16];
    int i, rc, ret, rows, want_rows;

    c = NULL;
    ret = 0;
    for (want_rows = 0, i = 0; i < ST_KEYS; i++)
        want_rows += m->present[i];

    CALL(st, lt_cursor_open(st->session[node], m->table, NULL, &c));

    /* Forward: every present key once, in order, then WT_NOTFOUND. */
    for (rows = 0, i = 0;; i++) {
        while (i < ST_KEYS && !m->present[i])
            i++;
        rc = lt_cursor_next(c);
        if (rc == WT_NOTFOUND)
            break;
        CALLED(st, rc, "lt_cursor_next(c)");
        CHECK(st, i < ST_KEYS, "forward scan of %s on node %d: more than the %d expected rows",
            m->table, node, want_rows);
        if ((ret = st_check_row(st, node, m, c, i, "forward scan")) != 0)
            goto err;
        rows++;
    }
    CHECK(st, rows == want_rows, "forward scan of %s on node %d: %d rows, expected %d", m->table,
        node, rows, want_rows);

    /* Backward, from a reset cursor. */
    CALL(st, lt_cursor_reset(c));
    for (rows = 0, i = ST_KEYS - 1;; i--) {
        while (i >= 0 && !m->present[i])
            i--;
        rc = lt_cursor_prev(c);
        if (rc == WT_NOTFOUND)
            break;
        CALLED(st, rc, "lt_cursor_prev(c)");
        CHECK(st, i >= 0, "backward scan of %s on node %d: more than the %d expected rows",
            m->table, node, want_rows);
        if ((ret = st_check_row(st, node, m, c, i, "backward scan")) != 0)
            goto err;
        rows++;
    }
    CHECK(st, rows == want_rows, "backward scan of %s on node %d: %d rows, expected %d",
        m->table, node, rows, want_rows);

    /* Point reads of the whole key space. */
    for (i = 0; i < ST_KEYS; i++) {
        st_key(m, i, key, sizeof(key));
        lt_cursor_set_key(c, key);
        rc = lt_cursor_search(c);
        if (m->present[i]) {
            CALLED(st, rc, "lt_cursor_search(c)");
            if ((ret = st_check_row(st, node, m, c, i, "search")) != 0)
                goto err;
        } else
            CHECK(st, rc == WT_NOTFOUND,
                "search of %s on node %d, absent key '%s': got %s (%d), expected WT_NOTFOUND",
                m->table, node, key, lt_strerror(rc), rc);
    }
    ret = lt_cursor_close(c);
    c = NULL;
    CALLED(st, ret, "lt_cursor_close(c)");
    return (0);

err:
    (void)lt_cursor_close(c);
    return (ret);
}

static int
st_expect_role(selftest *st, int node, lt_role role)
{
    lt_node_info info;
    int ret;

    ret = 0;
    CALL(st, lt_node_get_info(st->cluster, node, &info));
    CHECK(st, info.role == role, "node %d is %s, expected %s", node, lt_role_name(info.role),
        lt_role_name(role));
    CHECK(st, info.transition == LT_TR_NONE, "node %d is still in transition %d", node,
        (int)info.transition);
    CHECK(st, info.generation > st->generation[node],
        "node %d: generation %" PRIu64 " did not move past %" PRIu64, node, info.generation,
        st->generation[node]);
    st->generation[node] = info.generation;
err:
    return (ret);
}

static int
st_expect_leader(selftest *st, int want)
{
    int got, ret;

    ret = 0;
    got = lt_cluster_leader(st->cluster);
    CHECK(st, got == want, "the leader is node %d, expected %d (-1: none)", got, want);
err:
    return (ret);
}

/* ---------------------------------------------------------------------------------------------
 * The steps.
 */
static int
step_open(selftest *st)
{
    lt_cluster_config cfg;
    int node, ret;

    ret = 0;
    lt_cluster_config_init(&cfg);
    cfg.home = st->home;
    cfg.nodes = ST_NODES;
    cfg.verbose = st->verbose;
    cfg.observer = st_observer;
    cfg.observer_arg = &st->ev;
    CALL(st, lt_cluster_open(&cfg, &st->cluster));
    CHECK(st, lt_cluster_nodes(st->cluster) == ST_NODES, "the cluster has %d nodes, expected %d",
        lt_cluster_nodes(st->cluster), ST_NODES);
    if ((ret = st_expect_leader(st, -1)) != 0)
        goto err;
    for (node = 0; node < ST_NODES; node++)
        CALL(st, lt_session_open(st->cluster, node, &st->session[node]));
err:
    return (ret);
}

static int
step_up_first(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_step_up(st->cluster, 0));
    if ((ret = st_expect_leader(st, 0)) != 0)
        goto err;
    ret = st_expect_role(st, 0, LT_LEADER);
err:
    return (ret);
}

static int
step_create(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_create(st->session[0], ST_TABLE_A));
    CALL(st, lt_create(st->session[1], ST_TABLE_B));
    CHECK(st, lt_table_exists(st->session[0], ST_TABLE_A) == 1, "node 0 lacks %s", ST_TABLE_A);
    CHECK(st, lt_table_exists(st->session[1], ST_TABLE_B) == 1, "node 1 lacks %s", ST_TABLE_B);
    CHECK(st, lt_table_exists(st->session[0], ST_TABLE_B) == 0,
        "node 0 has %s, created on node 1 only", ST_TABLE_B);
err:
    return (ret);
}

static int
step_leader_writes(selftest *st)
{
    st_model *models[] = {&st->a_base, &st->a_node1};
    char tag[8];
    int batch, ret;

    /* 200 rows in 4 transactions. */
    for (batch = 0; batch < 4; batch++) {
        snprintf(tag, sizeof(tag), "L%d", batch);
        if ((ret = st_write(st, 0, models, 2, batch * 50, 50, 1, tag, false)) != 0)
            return (ret);
    }
    return (st_verify(st, 0, &st->a_base));
}

static int
step_checkpoint_first(selftest *st)
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

static int
st_pickup(selftest *st, int node, uint64_t id)
{
    lt_node_info info;
    int ret;

    ret = 0;
    CALL(st, lt_pickup(st->cluster, node, id));
    CALL(st, lt_node_get_info(st->cluster, node, &info));
    CHECK(st, info.checkpoint_id == id, "node %d picked up checkpoint %" PRIu64
        ", expected %" PRIu64, node, info.checkpoint_id, id);
err:
    return (ret);
}

static int
step_pickup_first(selftest *st)
{
    int ret;

    ret = 0;
    if ((ret = st_pickup(st, 1, st->ckpt_first)) != 0 ||
      (ret = st_pickup(st, 2, st->ckpt_first)) != 0)
        return (ret);
    CHECK(st, lt_table_exists(st->session[1], ST_TABLE_A) == 1, "node 1 lacks %s after pickup",
        ST_TABLE_A);
    CHECK(st, lt_table_exists(st->session[2], ST_TABLE_A) == 1, "node 2 lacks %s after pickup",
        ST_TABLE_A);
err:
    return (ret);
}

static int
step_follower_writes(selftest *st)
{
    st_model *a[] = {&st->a_node1}, *b[] = {&st->b};
    int ret;

    /* In A: update every other key of the first 100, remove 10, add 20 new ones. In B: 50 rows. */
    if ((ret = st_write(st, 1, a, 1, 0, 50, 2, "F1", false)) != 0 ||
      (ret = st_write(st, 1, a, 1, 100, 10, 1, "", true)) != 0 ||
      (ret = st_write(st, 1, a, 1, 200, 20, 1, "F1", false)) != 0 ||
      (ret = st_write(st, 1, b, 1, 0, 50, 1, "B1", false)) != 0)
        return (ret);
    return (0);
}

static int
step_read_all_first(selftest *st)
{
    int ret;

    if ((ret = st_verify(st, 0, &st->a_base)) != 0 || (ret = st_verify(st, 1, &st->a_node1)) != 0 ||
      (ret = st_verify(st, 2, &st->a_base)) != 0 || (ret = st_verify(st, 1, &st->b)) != 0)
        return (ret);
    return (0);
}

static int
step_down_first(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_step_down(st->cluster, 0));
    if ((ret = st_expect_leader(st, -1)) != 0)
        goto err;
    ret = st_expect_role(st, 0, LT_FOLLOWER);
err:
    return (ret);
}

static int
step_up_second(selftest *st)
{
    lt_node_info info;
    uint64_t drains;
    int ret;

    ret = 0;
    drains = st->ev.events[LT_EV_DRAIN_TABLE];
    CALL(st, lt_step_up(st->cluster, 1));
    if ((ret = st_expect_leader(st, 1)) != 0 || (ret = st_expect_role(st, 1, LT_LEADER)) != 0)
        goto err;
    CALL(st, lt_node_get_info(st->cluster, 1, &info));
    CHECK(st, info.tables == 2, "node 1 has %d tables, expected 2", info.tables);
    CHECK(st, st->ev.events[LT_EV_DRAIN_TABLE] - drains >= 2,
        "step-up drained %" PRIu64 " tables, expected both",
        st->ev.events[LT_EV_DRAIN_TABLE] - drains);
err:
    return (ret);
}

static int
step_read_new_leader(selftest *st)
{
    int ret;

    if ((ret = st_verify(st, 1, &st->a_node1)) != 0 || (ret = st_verify(st, 1, &st->b)) != 0)
        return (ret);
    return (0);
}

static int
step_checkpoint_second(selftest *st)
{
    int ret;

    ret = 0;
    CALL(st, lt_checkpoint(st->cluster, 1, st->ts, &st->ckpt_second));
    CHECK(st, st->ckpt_second > st->ckpt_first,
        "the second checkpoint id %" PRIu64 " is not above the first, %" PRIu64, st->ckpt_second,
        st->ckpt_first);
    if ((ret = st_pickup(st, 0, st->ckpt_second)) != 0 ||
      (ret = st_pickup(st, 2, st->ckpt_second)) != 0)
        goto err;
err:
    return (ret);
}

static int
step_gc(selftest *st)
{
    uint64_t removed;
    int node, ret;

    ret = 0;
    for (node = 0; node < ST_NODES; node++)
        CALL(st, lt_gc(st->cluster, node, &removed));
err:
    return (ret);
}

static int
step_read_all_second(selftest *st)
{
    int node, ret;

    for (node = 0; node < ST_NODES; node++)
        if ((ret = st_verify(st, node, &st->a_node1)) != 0 ||
          (ret = st_verify(st, node, &st->b)) != 0)
            return (ret);
    return (0);
}

static int
step_drop(selftest *st)
{
    lt_node_info info;
    static const int order[] = {0, 2, 1}; /* the followers first, then the leader */
    int i, node, ret;

    ret = 0;
    for (i = 0; i < ST_NODES; i++) {
        node = order[i];
        CALL(st, lt_drop(st->session[node], ST_TABLE_A));
        CALL(st, lt_drop(st->session[node], ST_TABLE_B));
        CHECK(st, lt_table_exists(st->session[node], ST_TABLE_A) == 0 &&
            lt_table_exists(st->session[node], ST_TABLE_B) == 0,
          "node %d still has a dropped table", node);
        CALL(st, lt_node_get_info(st->cluster, node, &info));
        CHECK(st, info.tables == 0, "node %d has %d tables after the drops, expected 0", node,
            info.tables);
    }
err:
    return (ret);
}

static int
step_close(selftest *st)
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
    {"open a 3-node cluster, one session per node", step_open},
    {"step up node 0", step_up_first},
    {"create " ST_TABLE_A " on the leader, " ST_TABLE_B " on follower 1", step_create},
    {"leader writes 200 rows of " ST_TABLE_A " in 4 transactions", step_leader_writes},
    {"leader publishes a checkpoint", step_checkpoint_first},
    {"followers 1 and 2 pick it up", step_pickup_first},
    {"follower 1 updates, removes and inserts rows; fills " ST_TABLE_B, step_follower_writes},
    {"every node reads back its view", step_read_all_first},
    {"step down node 0", step_down_first},
    {"step up node 1 (drains its ingest into stable)", step_up_second},
    {"the new leader lost nothing", step_read_new_leader},
    {"new leader publishes a checkpoint; nodes 0 and 2 pick it up", step_checkpoint_second},
    {"ingest GC on every node", step_gc},
    {"every node reads the same rows", step_read_all_second},
    {"drop both tables on every node", step_drop},
    {"close the cluster", step_close},
};

/* ---------------------------------------------------------------------------------------------
 * Set-up and the command.
 */
static int
st_remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return (remove(path) == 0 ? 0 : errno);
}

static int
st_make_home(selftest *st)
{
    const char *parent;

    parent = st->parent;
    if (parent == NULL && (parent = getenv("TMPDIR")) == NULL)
        parent = "/tmp";
    if (mkdir(parent, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "layerace selftest: cannot create %s: %s\n", parent, strerror(errno));
        return (ST_EXIT_USAGE);
    }
    if ((size_t)snprintf(st->home, sizeof(st->home), "%s/layerace-selftest.XXXXXX", parent) >=
      sizeof(st->home)) {
        fprintf(stderr, "layerace selftest: directory name too long: %s\n", parent);
        return (ST_EXIT_USAGE);
    }
    if (mkdtemp(st->home) == NULL) {
        fprintf(stderr, "layerace selftest: cannot create a directory in %s: %s\n", parent,
            strerror(errno));
        return (ST_EXIT_USAGE);
    }
    return (0);
}

static void
st_usage(FILE *fp)
{
    fprintf(fp,
        "usage: layerace selftest [--dir DIR] [--keep] [--verbose]\n"
        "  --dir DIR   make the database directory in DIR [$TMPDIR or /tmp]\n"
        "  --keep      keep the database directory after a pass (always kept after a failure)\n"
        "  --verbose   let the library print its error messages too\n");
}

static int
st_parse(selftest *st, int argc, char **argv)
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
            st_usage(stdout);
            return (-1);
        case ':':
            fprintf(stderr, "layerace %s: option '%s' needs an argument\n", argv[0],
                argv[optind - 1]);
            st_usage(stderr);
            return (ST_EXIT_USAGE);
        default:
            fprintf(stderr, "layerace %s: unknown option '%s'\n", argv[0], argv[optind - 1]);
            st_usage(stderr);
            return (ST_EXIT_USAGE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "layerace %s: unexpected argument '%s'\n", argv[0], argv[optind]);
        st_usage(stderr);
        return (ST_EXIT_USAGE);
    }
    return (0);
}

int
lt_selftest_main(int argc, char **argv)
{
    selftest *st;
    double start, step_start;
    size_t i, nsteps;
    int ret;

    if ((st = calloc(1, sizeof(*st))) == NULL) {
        fprintf(stderr, "layerace selftest: out of memory\n");
        return (ST_EXIT_USAGE);
    }
    if ((ret = st_parse(st, argc, argv)) != 0) {
        ret = ret < 0 ? 0 : ret; /* --help */
        goto done;
    }
    if ((ret = st_make_home(st)) != 0)
        goto done;
    st_model_init(&st->a_base, ST_TABLE_A, 'a');
    st_model_init(&st->a_node1, ST_TABLE_A, 'a');
    st_model_init(&st->b, ST_TABLE_B, 'b');

    nsteps = sizeof(steps) / sizeof(steps[0]);
    printf("layerace selftest: liblayered %s on %s\n", LT_VERSION_STRING,
        wiredtiger_version(NULL, NULL, NULL));
    printf("layerace selftest: database in %s\n", st->home);
    fflush(stdout);

    start = st_now();
    for (i = 0; i < nsteps; i++) {
        printf("[%2zu/%zu] %-66s ", i + 1, nsteps, steps[i].what);
        fflush(stdout);
        step_start = st_now();
        ret = steps[i].fn(st);
        if (ret != 0) {
            printf("FAIL\n        %s\n", st->why[0] != '\0' ? st->why : "(no message)");
            break;
        }
        printf("ok %6.0f ms\n", (st_now() - step_start) * 1e3);
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
        printf("selftest: PASS (%zu steps, %.2f s)\n", nsteps, st_now() - start);
        if (st->keep)
            printf("selftest: database kept in %s\n", st->home);
        else if (nftw(st->home, st_remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
            fprintf(stderr, "layerace selftest: cannot remove %s: %s\n", st->home,
                strerror(errno));
    } else {
        printf("selftest: FAIL at step %zu of %zu; database kept in %s\n", i + 1, nsteps, st->home);
        ret = 1;
    }

done:
    fflush(stdout);
    free(st);
    return (ret);
}
