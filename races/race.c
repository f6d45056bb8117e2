/*
 * race.c -- the scenarios' shared script helpers (see race.h). Public API only.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "race.h"

void
rr_begin(rr_script *x, lr_sc *sc)
{
    x->sc = sc;
    x->rc = 0;
    x->line = 0;
}

int
rr_failed(rr_script *x, int rc, const char *call, int line)
{
    if (rc == 0 || x->rc != 0)
        return (rc);
    x->rc = rc;
    x->line = line;
    lr_sc_log(x->sc, "step failed at line %d: %s returned %s", line, call, rr_said(rc));
    return (rc);
}

int
rr_false(rr_script *x, int line, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    x->rc = EINVAL;
    x->line = line;
    lr_sc_log(x->sc, "step failed at line %d: %s", line, buf);
    return (EINVAL);
}

int
rr_end(rr_script *x)
{
    return (x->rc);
}

const char *
rr_rc(int rc)
{
    return (rc == 0 ? "0" : lt_strerror(rc));
}

const char *
rr_said(int rc)
{
    const char *msg = lt_last_error(), *name = lt_strerror(rc);

    if (rc == 0)
        return ("0");
    return (strncmp(msg, name, strlen(name)) == 0 ? msg : name);
}

int
rr_rows(lr_sc *sc)
{
    return (2 + (int)(lr_sc_seed(sc) % 7));
}

/* "p0=V p1=V ...": rows keys with prefix p. */
static void
__rr_rows_ops(char *buf, size_t len, char prefix, int rows, const char *value)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < rows && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%c%d=%s", i == 0 ? "" : " ", prefix, i,
          value);
}

int
rr_setup(lr_sc *sc, const char *table, int rows)
{
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s = NULL;
    char ops[1024];
    uint64_t id = 0;
    int n, rc;

    __rr_rows_ops(ops, sizeof(ops), 's', rows, "S");
    if ((rc = lt_session_open(cl, 0, &s)) != 0 || (rc = lt_create(s, table)) != 0 ||
      (rc = rr_write(s, table, 10, ops)) != 0 || (rc = lt_checkpoint(cl, 0, 20, &id)) != 0)
        goto err;
    for (n = 1; n < lt_cluster_nodes(cl); n++)
        if ((rc = lt_pickup(cl, n, id)) != 0)
            goto err;
    lr_sc_log(sc,
      "set-up: node 0 created %s, wrote %d rows at ts 10, published checkpoint %d "
      "at ts 20; nodes 1 and 2 picked it up",
      table, rows, (int)id);
err:
    if (rc != 0)
        lr_sc_log(sc, "set-up of table %s failed: %s", table, rr_said(rc));
    (void)lt_session_close(s);
    return (rc);
}

int
rr_ingest(lr_sc *sc, lt_session *s, const char *table, uint64_t ts, int rows)
{
    char ops[1024];
    int rc;

    __rr_rows_ops(ops, sizeof(ops), 'i', rows, "I");
    if ((rc = rr_write(s, table, ts, ops)) == 0)
        lr_sc_log(sc, "node %d wrote %d rows to %s at ts %d (its ingest)", lt_session_node(s), rows,
          table, (int)ts);
    return (rc);
}

int
rr_write_in(lt_session *s, const char *table, const char *ops)
{
    lt_cursor *c = NULL;
    char buf[1024], *tok, *save, *eq;
    int rc, trc;

    if ((rc = lt_cursor_open(s, table, NULL, &c)) != 0)
        return (rc);
    (void)snprintf(buf, sizeof(buf), "%s", ops);
    for (tok = strtok_r(buf, " ", &save); tok != NULL && rc == 0;
         tok = strtok_r(NULL, " ", &save)) {
        if (tok[0] == '-') {
            lt_cursor_set_key(c, tok + 1);
            rc = lt_cursor_remove(c);
        } else if ((eq = strchr(tok, '=')) != NULL) {
            *eq = '\0';
            lt_cursor_set_key(c, tok);
            lt_cursor_set_value(c, eq + 1, strlen(eq + 1));
            rc = lt_cursor_insert(c);
        } else
            rc = EINVAL;
    }
    if ((trc = lt_cursor_close(c)) != 0 && rc == 0)
        rc = trc;
    return (rc);
}

int
rr_write(lt_session *s, const char *table, uint64_t ts, const char *ops)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return (rc);
    if ((rc = rr_write_in(s, table, ops)) != 0) {
        (void)lt_txn_rollback(s);
        return (rc);
    }
    return (lt_txn_commit(s, 0));
}

int
rr_get(lt_session *s, const char *table, const char *key, char *val, size_t len)
{
    lt_cursor *c = NULL;
    const void *data;
    size_t size;
    int rc;

    if (len > 0)
        val[0] = '\0';
    if ((rc = lt_cursor_open(s, table, NULL, &c)) != 0)
        return (rc);
    lt_cursor_set_key(c, key);
    if ((rc = lt_cursor_search(c)) == 0 && (rc = lt_cursor_get_value(c, &data, &size)) == 0 &&
      len > 0) {
        if (size >= len)
            size = len - 1;
        memcpy(val, data, size);
        val[size] = '\0';
    }
    (void)lt_cursor_close(c);
    return (rc);
}

int
rr_count(lt_session *s, const char *table, int *np)
{
    lt_cursor *c = NULL;
    int rc;

    *np = 0;
    if ((rc = lt_cursor_open(s, table, NULL, &c)) != 0)
        return (rc);
    while ((rc = lt_cursor_next(c)) == 0)
        (*np)++;
    (void)lt_cursor_close(c);
    return (rc == WT_NOTFOUND ? 0 : rc);
}

int
rr_missing(lt_session *s, const char *table, char prefix, int rows, char *key, size_t len)
{
    char k[16], v[16];
    int i, rc;

    for (i = 0; i < rows; i++) {
        (void)snprintf(k, sizeof(k), "%c%d", prefix, i);
        if ((rc = rr_get(s, table, k, v, sizeof(v))) != 0) {
            (void)snprintf(key, len, "%s", k);
            return (rc);
        }
    }
    return (0);
}

/* One node-wide call on a spawned thread, logged before and after. */
static int
__rr_node_call(lr_sc *sc, void *arg, const char *what, int (*call)(lt_cluster *, int))
{
    int node = (int)(intptr_t)arg, rc;

    lr_sc_log(sc, "%s of node %d begins", what, node);
    if ((rc = call(lr_sc_cluster(sc), node)) != 0)
        lr_sc_log(sc, "%s of node %d returned %s", what, node, rr_said(rc));
    else
        lr_sc_log(sc, "%s of node %d done", what, node);
    return (rc);
}

static int
__rr_pickup_newest(lt_cluster *cl, int node)
{
    return (lt_pickup(cl, node, 0));
}

static int
__rr_gc(lt_cluster *cl, int node)
{
    return (lt_gc(cl, node, NULL));
}

static int
__rr_checkpoint(lt_cluster *cl, int node)
{
    return (lt_checkpoint(cl, node, 0, NULL)); /* at the newest commit */
}

int
rr_checkpoint_fn(lr_sc *sc, void *arg)
{
    return (__rr_node_call(sc, arg, "checkpoint", __rr_checkpoint));
}

int
rr_step_up_fn(lr_sc *sc, void *arg)
{
    return (__rr_node_call(sc, arg, "step-up", lt_step_up));
}

int
rr_step_down_fn(lr_sc *sc, void *arg)
{
    return (__rr_node_call(sc, arg, "step-down", lt_step_down));
}

int
rr_pickup_fn(lr_sc *sc, void *arg)
{
    return (__rr_node_call(sc, arg, "pickup of the newest checkpoint", __rr_pickup_newest));
}

int
rr_gc_fn(lr_sc *sc, void *arg)
{
    return (__rr_node_call(sc, arg, "ingest GC", __rr_gc));
}

int
rr_schema_fn(lr_sc *sc, void *arg)
{
    rr_schema_op *op = arg;
    const char *what = op->drop ? "drop" : "create";
    int node = lt_session_node(op->s), rc;

    op->err[0] = '\0';
    lr_sc_log(sc, "%s of table %s on node %d begins", what, op->table, node);
    rc = op->drop ? lt_drop(op->s, op->table) : lt_create(op->s, op->table);
    if (rc != 0) {
        (void)snprintf(op->err, sizeof(op->err), "%s", rr_said(rc));
        lr_sc_log(sc, "%s of table %s on node %d returned %s", what, op->table, node, op->err);
    } else
        lr_sc_log(sc, "%s of table %s on node %d done", what, op->table, node);
    return (rc);
}

int
rr_commit(lr_sc *sc, lt_session *s)
{
    int rc;

    rc = lt_txn_commit(s, 0);
    lr_sc_log(sc, "the commit returned %s", rr_said(rc));
    if (lt_txn_active(s))
        (void)lt_txn_rollback(s);
    return (rc);
}

void
rr_unserved(rr_script *x, int commit_rc, int get_rc)
{
    if (get_rc == 0)
        lr_sc_violation(x->sc, "I4",
          "the write of a transaction that failed to commit (%s) is served", rr_rc(commit_rc));
    else if (get_rc != WT_NOTFOUND)
        (void)RR(x, get_rc);
}

int
rr_commit_across_stepdown(lr_sc *sc, rr_script *x, const char *site, int *commit_rcp, int *get_rcp)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_cluster *cl = lr_sc_cluster(sc);
    lt_session *s0 = NULL, *s1 = NULL;
    lr_sc_thread *down = NULL;
    char val[16];

    RR(x, rr_setup(sc, "t", rr_rows(sc)));
    RR(x, lt_session_open(cl, 0, &s0));
    RR(x, lt_session_open(cl, 1, &s1));
    RR(x, lt_txn_begin(s0, &tc));
    RR(x, rr_write_in(s0, "t", "x=1"));
    if (x->rc != 0)
        goto done;
    lr_sc_log(sc, "a leader transaction on node 0 wrote x to stable at ts 30 and stays open");

    lr_sc_hold(sc, site, 0);
    down = lr_sc_spawn(sc, rr_step_down_fn, (void *)(intptr_t)0);
    if (RR_TRUE(x, lr_sc_wait_held(sc, site, 5000), "no step-down reached %s", site))
        goto done;
    lr_sc_log(sc, "node 0's step-down is at %s; the transaction commits", site);
    *commit_rcp = rr_commit(sc, s0);
    lr_sc_release(sc, site);
    RR(x, lr_sc_join(down, 5000));
    down = NULL;
    RR(x, lt_step_up(cl, 1));
    if (x->rc == 0) {
        *get_rcp = rr_get(s1, "t", "x", val, sizeof(val));
        lr_sc_log(sc, "the new leader (node 1) reads x: %s", rr_rc(*get_rcp));
    }

done:
    lr_sc_release(sc, site);
    (void)lr_sc_join(down, 8000);
    (void)lt_session_close(s0);
    (void)lt_session_close(s1);
    return (x->rc);
}

int
rr_follower_txn(lr_sc *sc, rr_script *x, int rows, uint64_t ts, const char *ops, lt_session **sp,
  lt_session **srp)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    lt_cluster *cl = lr_sc_cluster(sc);

    tc.commit_ts = ts;
    RR(x, rr_setup(sc, "t", rows));
    RR(x, lt_session_open(cl, 1, sp));
    RR(x, lt_session_open(cl, 1, srp));
    RR(x, rr_ingest(sc, *srp, "t", 30, rows));
    RR(x, lt_step_down(cl, 0));
    RR(x, lt_txn_begin(*sp, &tc));
    RR(x, rr_write_in(*sp, "t", ops));
    if (x->rc == 0)
        lr_sc_log(sc, "a follower transaction on node 1 wrote %s at ts %d and stays open", ops,
          (int)ts);
    return (x->rc);
}
