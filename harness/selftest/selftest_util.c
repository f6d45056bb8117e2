/*
 * selftest_util.c -- the helpers under `layerace selftest`'s steps (selftest.c): the sticky first
 * failure, the event observer, the in-memory model of each table, the write and the three-way
 * read-back that compares a node's view with the model, and the role, leader and checkpoint
 * expectations.
 *
 * Single-threaded, like the steps; only the observer runs from library callbacks.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "layered.h"
#include "selftest/selftest_int.h"

/*
 * __st_basename --
 *     The last component of a __FILE__ path, for messages ("selftest.c", not the build's path).
 */
static const char *
__st_basename(const char *file)
{
    const char *slash;

    return ((slash = strrchr(file, '/')) == NULL ? file : slash + 1);
}

/*
 * lr_st_error --
 *     Record a failed library call (the first one only) and return its code.
 */
int
lr_st_error(selftest *st, int rc, const char *call, const char *file, int line)
{
    if (st->why[0] == '\0')
        snprintf(st->why, sizeof(st->why), "%s at %s:%d returned %s (%d): %s", call,
          __st_basename(file), line, lt_strerror(rc), rc, lt_last_error());
    return (rc);
}

/*
 * lr_st_fail --
 *     Record a failed check (the first one only) and return ST_FAIL.
 */
int
lr_st_fail(selftest *st, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    int len;

    if (st->why[0] == '\0') {
        len = snprintf(st->why, sizeof(st->why), "%s:%d: ", __st_basename(file), line);
        va_start(ap, fmt);
        vsnprintf(st->why + len, sizeof(st->why) - (size_t)len, fmt, ap);
        va_end(ap);
    }
    return (ST_FAIL);
}

/*
 * lr_st_observer --
 *     The cluster's event observer: count events by type, and the rows drained.
 */
void
lr_st_observer(void *arg, const lt_event *ev)
{
    st_events *events;

    events = arg;
    if (ev->type >= LT_EV_SCHEMA_BEGIN && ev->type <= LT_EV_STABLE_WRITE)
        __atomic_fetch_add(&events->events[ev->type], 1, __ATOMIC_RELAXED);
    if (ev->type == LT_EV_DRAIN_TABLE)
        __atomic_fetch_add(&events->drained_rows, ev->count, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------------------------------------
 * The model and the two things done to tables: write a batch, read everything back.
 */

/*
 * lr_st_model_init --
 *     Start a model of table with every key absent; its keys are "<prefix>NNN".
 */
void
lr_st_model_init(st_model *m, const char *table, char prefix)
{
    memset(m, 0, sizeof(*m));
    m->table = table;
    m->prefix = prefix;
}

/*
 * __st_key --
 *     Key i of model m.
 */
static void
__st_key(const st_model *m, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%c%03d", m->prefix, i);
}

/*
 * lr_st_write --
 *     In one transaction on node's session, with the next commit timestamp: for count keys from
 *     first by stride, write "<tag>-<i>", or remove the key. Every model in models[] gets the same
 *     change.
 */
int
lr_st_write(selftest *st, int node, st_model **models, int nmodels, int first, int count,
  int stride, const char *tag, bool remove)
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
        __st_key(models[0], k, key, sizeof(key));
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
 * __st_check_row --
 *     The cursor is on key i of the model: check the key and the value.
 */
static int
__st_check_row(selftest *st, int node, const st_model *m, lt_cursor *c, int i, const char *how)
{
    const char *got;
    const void *data;
    size_t size, want_size;
    char want[16];
    int ret;

    ret = 0;
    __st_key(m, i, want, sizeof(want));
    CALL(st, lt_cursor_get_key(c, &got));
    CHECK(st, strcmp(got, want) == 0, "%s of %s on node %d: got key '%s', expected '%s'", how,
      m->table, node, got, want);
    CALL(st, lt_cursor_get_value(c, &data, &size));
    want_size = strlen(m->value[i]);
    CHECK(st, size == want_size && memcmp(data, m->value[i], size) == 0,
      "%s of %s on node %d, key '%s': got value '%.*s', expected '%s'", how, m->table, node, want,
      (int)(size < ST_VALUE_MAX ? size : ST_VALUE_MAX), (const char *)data, m->value[i]);
err:
    return (ret);
}

/*
 * lr_st_verify --
 *     Read table m on node three ways and compare with the model: a full forward scan, a full
 *     backward scan, and a point search of every key in the key space (absent keys must give
 *     WT_NOTFOUND).
 */
int
lr_st_verify(selftest *st, int node, const st_model *m)
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
        if ((ret = __st_check_row(st, node, m, c, i, "forward scan")) != 0)
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
        if ((ret = __st_check_row(st, node, m, c, i, "backward scan")) != 0)
            goto err;
        rows++;
    }
    CHECK(st, rows == want_rows, "backward scan of %s on node %d: %d rows, expected %d", m->table,
      node, rows, want_rows);

    /* Point reads of the whole key space. */
    for (i = 0; i < ST_KEYS; i++) {
        __st_key(m, i, key, sizeof(key));
        lt_cursor_set_key(c, key);
        rc = lt_cursor_search(c);
        if (m->present[i]) {
            CALLED(st, rc, "lt_cursor_search(c)");
            if ((ret = __st_check_row(st, node, m, c, i, "search")) != 0)
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

/*
 * lr_st_expect_role --
 *     Node must be settled (no transition) in role, at a generation past the last one seen.
 */
int
lr_st_expect_role(selftest *st, int node, lt_role role)
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

/*
 * lr_st_expect_leader --
 *     The cluster's leader must be node want (-1: none).
 */
int
lr_st_expect_leader(selftest *st, int want)
{
    int got, ret;

    ret = 0;
    got = lt_cluster_leader(st->cluster);
    CHECK(st, got == want, "the leader is node %d, expected %d (-1: none)", got, want);
err:
    return (ret);
}

/*
 * lr_st_pickup --
 *     Node picks up checkpoint id and must report it as its own.
 */
int
lr_st_pickup(selftest *st, int node, uint64_t id)
{
    lt_node_info info;
    int ret;

    ret = 0;
    CALL(st, lt_pickup(st->cluster, node, id));
    CALL(st, lt_node_get_info(st->cluster, node, &info));
    CHECK(st, info.checkpoint_id == id,
      "node %d picked up checkpoint %" PRIu64 ", expected %" PRIu64, node, info.checkpoint_id, id);
err:
    return (ret);
}
