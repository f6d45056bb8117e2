/*
 * oracle.c -- the oracle: one plain WiredTiger table per table name, holding what the leader's
 * current incarnation of that layered table must hold. A data worker writes it in the same
 * WiredTiger transaction as the layered write (lt_session_wt), so both commit or neither; a
 * logical drop or truncate clears it once applied to every node (under the name's lock).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress/engine_int.h"

#define LR_ORACLE_CONFIG "key_format=S,value_format=S,log=(enabled=false)"

static void
__oracle_uri(char *buf, size_t len, const char *name)
{
    (void)snprintf(buf, len, "table:oracle.%s", name);
}

int
lr_oracle_create(lr_run *run)
{
    WT_CONNECTION *conn = lt_cluster_connection(run->cl);
    WT_SESSION *wt;
    char uri[64];
    int i, rc;

    if ((rc = conn->open_session(conn, NULL, NULL, &wt)) != 0)
        return (rc);
    for (i = 0; i < run->ntables && rc == 0; i++) {
        __oracle_uri(uri, sizeof(uri), run->names[i]);
        rc = wt->create(wt, uri, LR_ORACLE_CONFIG);
    }
    (void)wt->close(wt, NULL);
    return (rc);
}

int
lr_oracle_apply(lr_run *run, WT_SESSION *wt, const char *name, const char *key, const char *value,
  bool remove)
{
    WT_CURSOR *c;
    char uri[64];
    int rc;

    (void)run;
    __oracle_uri(uri, sizeof(uri), name);
    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) != 0)
        return (rc);
    c->set_key(c, key);
    if (remove) {
        if ((rc = c->remove(c)) == WT_NOTFOUND)
            rc = 0;
    } else {
        c->set_value(c, value);
        rc = c->insert(c);
    }
    (void)c->close(c);
    return (rc);
}

int
lr_oracle_clear(lr_run *run, const char *name)
{
    WT_CONNECTION *conn = lt_cluster_connection(run->cl);
    WT_SESSION *wt;
    WT_CURSOR *c;
    char uri[64];
    int rc;

    __oracle_uri(uri, sizeof(uri), name);
    if ((rc = conn->open_session(conn, NULL, "isolation=snapshot", &wt)) != 0)
        return (rc);
    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) == 0) {
        if ((rc = wt->begin_transaction(wt, NULL)) == 0) {
            if ((rc = c->next(c)) == 0)
                rc = wt->truncate(wt, NULL, c, NULL, NULL);
            else if (rc == WT_NOTFOUND)
                rc = 0;
            if (rc == 0)
                rc = wt->commit_transaction(wt, NULL);
            else
                (void)wt->rollback_transaction(wt, NULL);
        }
        (void)c->close(c);
    }
    (void)wt->close(wt, NULL);
    return (rc);
}

int
lr_oracle_get(lr_run *run, WT_SESSION *wt, const char *name, const char *key, char *buf, size_t len)
{
    WT_CURSOR *c;
    const char *v;
    char uri[64];
    int rc;

    (void)run;
    __oracle_uri(uri, sizeof(uri), name);
    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) != 0)
        return (rc);
    c->set_key(c, key);
    if ((rc = c->search(c)) == 0 && (rc = c->get_value(c, &v)) == 0)
        (void)snprintf(buf, len, "%s", v);
    (void)c->close(c);
    return (rc);
}

/* Every row of the oracle of name, by key index ("k%03d"). */
int
lr_oracle_keys(WT_SESSION *wt, const char *name, bool *present, char (*val)[48])
{
    WT_CURSOR *c;
    const char *k, *v;
    char uri[64];
    int rc, i;

    memset(present, 0, LR_KEYS * sizeof(*present));
    __oracle_uri(uri, sizeof(uri), name);
    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) != 0)
        return (rc);
    while (
      (rc = c->next(c)) == 0 && (rc = c->get_key(c, &k)) == 0 && (rc = c->get_value(c, &v)) == 0)
        if (k[0] == 'k' && (i = atoi(k + 1)) >= 0 && i < LR_KEYS) {
            present[i] = true;
            (void)snprintf(val[i], 48, "%s", v);
        }
    (void)c->close(c);
    return (rc == WT_NOTFOUND ? 0 : rc);
}

/* The oracle of name as of timestamp ts, in a transaction of its own on wt (idle). */
int
lr_oracle_keys_at(WT_SESSION *wt, const char *name, uint64_t ts, bool *present, char (*val)[48])
{
    char cfg[64];
    int rc;

    (void)snprintf(cfg, sizeof(cfg), "read_timestamp=%" PRIx64, ts);
    if ((rc = wt->begin_transaction(wt, cfg)) != 0)
        return (rc);
    rc = lr_oracle_keys(wt, name, present, val);
    (void)wt->rollback_transaction(wt, NULL);
    return (rc);
}

/* ---------------------------------------------------------------------------------------------
 * The final comparison.
 */
typedef struct {
    char (*key)[16];
    char (*val)[64];
    int n;
} lr_rows;

static int
__rows_add(lr_rows *r, const char *key, const void *val, size_t vlen)
{
    if (r->n >= LR_KEYS * 4)
        return (-1); /* more rows than the key space: reported by the caller */
    (void)snprintf(r->key[r->n], sizeof(r->key[0]), "%s", key);
    (void)snprintf(r->val[r->n], sizeof(r->val[0]), "%.*s", (int)vlen, (const char *)val);
    r->n++;
    return (0);
}

static int
__rows_init(lr_rows *r)
{
    r->n = 0;
    r->key = calloc(LR_KEYS * 4, sizeof(*r->key));
    r->val = calloc(LR_KEYS * 4, sizeof(*r->val));
    return (r->key == NULL || r->val == NULL ? -1 : 0);
}

static void
__rows_free(lr_rows *r)
{
    free(r->key);
    free(r->val);
}

static int
__oracle_rows(WT_SESSION *wt, const char *name, lr_rows *rows)
{
    WT_CURSOR *c;
    const char *k, *v;
    char uri[64];
    int rc;

    __oracle_uri(uri, sizeof(uri), name);
    if ((rc = wt->open_cursor(wt, uri, NULL, NULL, &c)) != 0)
        return (rc);
    while (
      (rc = c->next(c)) == 0 && (rc = c->get_key(c, &k)) == 0 && (rc = c->get_value(c, &v)) == 0)
        if (__rows_add(rows, k, v, strlen(v)) != 0)
            break;
    (void)c->close(c);
    return (rc == WT_NOTFOUND ? 0 : rc);
}

/* A full scan of a layered table in one direction; I2 (docs/CONTRACT.md#i2): ordered, ends. */
static int
__layered_rows(lr_run *run, lt_session *s, const char *name, int dir, lr_rows *rows, lr_result *res)
{
    lt_cursor *c;
    const char *k;
    const void *v;
    char prev[32] = "";
    size_t vlen;
    int rc, steps;

    if ((rc = lt_cursor_open(s, name, NULL, &c)) != 0)
        return (rc);
    for (steps = 0; (rc = dir > 0 ? lt_cursor_next(c) : lt_cursor_prev(c)) == 0; steps++) {
        if ((rc = lt_cursor_get_key(c, &k)) != 0 || (rc = lt_cursor_get_value(c, &v, &vlen)))
            break;
        if (steps > 0 && (dir > 0 ? strcmp(k, prev) <= 0 : strcmp(k, prev) >= 0)) {
            lr_result_violation(res, "I2", NULL, NULL, lt_session_node(s), name,
              "%s scan of table %s on node %d is out of order: \"%s\" after \"%s\"",
              dir > 0 ? "next" : "prev", name, lt_session_node(s), k, prev);
            break;
        }
        (void)snprintf(prev, sizeof(prev), "%s", k);
        if (__rows_add(rows, k, v, vlen) != 0) {
            lr_result_violation(res, "I2", NULL, NULL, lt_session_node(s), name,
              "%s scan of table %s on node %d does not terminate (more than %d rows)",
              dir > 0 ? "next" : "prev", name, lt_session_node(s), LR_KEYS * 4);
            break;
        }
    }
    (void)lt_cursor_close(c);
    (void)run;
    return (rc == WT_NOTFOUND ? 0 : rc);
}

/* Compare a node's scan with the expected rows; report the first difference, name its key. */
static void
__compare(const lr_rows *want, const lr_rows *got, int dir, int node, const char *name,
  const char *inv, lr_result *res, char *badkey)
{
    int i, j;

    for (i = 0; i < want->n || i < got->n; i++) {
        j = dir > 0 ? i : want->n - 1 - i;
        if (i >= got->n || i >= want->n || strcmp(want->key[j], got->key[i]) != 0 ||
          strcmp(want->val[j], got->val[i]) != 0) {
            if (badkey[0] == '\0')
                (void)snprintf(badkey, 16, "%s", i >= got->n ? want->key[j] : got->key[i]);
        }
        if (i >= got->n) {
            lr_result_violation(res, inv, NULL, NULL, node, name,
              "table %s on node %d lost \"%s\"=\"%s\" (%s scan ends after %d of %d rows)", name,
              node, want->key[j], want->val[j], dir > 0 ? "next" : "prev", got->n, want->n);
            return;
        }
        if (i >= want->n) {
            lr_result_violation(res, inv, NULL, NULL, node, name,
              "table %s on node %d serves \"%s\"=\"%s\", which the oracle does not hold (%s)", name,
              node, got->key[i], got->val[i], dir > 0 ? "next" : "prev");
            return;
        }
        if (strcmp(want->key[j], got->key[i]) != 0 || strcmp(want->val[j], got->val[i]) != 0) {
            lr_result_violation(res, inv, NULL, NULL, node, name,
              "table %s on node %d: %s scan row %d is \"%s\"=\"%s\", the oracle says "
              "\"%s\"=\"%s\"",
              name, node, dir > 0 ? "next" : "prev", i, got->key[i], got->val[i], want->key[j],
              want->val[j]);
            return;
        }
    }
}

void
lr_where_key(lt_session *s, const char *name, const char *key)
{
    char buf[2048];

    if (s != NULL && lt_debug_key(s, name, key, buf, sizeof(buf)) == 0)
        fprintf(stderr, "  where \"%s\" of %s lives: %s\n", key, name, buf);
}

/* Where the key of a difference lives on every node: printed with the violation. */
static void
__forensics(lr_run *run, lt_session **s, const char *name, const char *key)
{
    int node;

    for (node = 0; node < run->cfg.nodes; node++)
        lr_where_key(s[node], name, key);
}

/* Point reads of every oracle key on one node. */
static void
__point_reads(lt_session *s, const char *name, const lr_rows *want, lr_result *res, char *badkey)
{
    lt_cursor *c;
    const void *v;
    size_t vlen;
    int i, rc;

    if (lt_cursor_open(s, name, NULL, &c) != 0)
        return;
    for (i = 0; i < want->n; i++) {
        lt_cursor_set_key(c, want->key[i]);
        if ((rc = lt_cursor_search(c)) != 0 || (rc = lt_cursor_get_value(c, &v, &vlen)) != 0 ||
          vlen != strlen(want->val[i]) || memcmp(v, want->val[i], vlen) != 0) {
            lr_result_violation(res, "I1", NULL, NULL, lt_session_node(s), name,
              "point read of \"%s\" in table %s on node %d: %s, the oracle says \"%s\" (a scan "
              "and a point read disagree or a row is lost)",
              want->key[i], name, lt_session_node(s),
              rc == 0 ? "a different value" : lt_strerror(rc), want->val[i]);
            if (badkey[0] == '\0')
                (void)snprintf(badkey, 16, "%s", want->key[i]);
            break;
        }
    }
    (void)lt_cursor_close(c);
}

void
lr_oracle_verify(lr_run *run, lr_result *res)
{
    WT_CONNECTION *conn = lt_cluster_connection(run->cl);
    lt_session *s[LT_NODES_MAX];
    WT_SESSION *wt;
    lr_rows want, empty, got;
    char badkey[16];
    int leader, i, node, dir, rc, exists;
    bool on_leader;

    memset(s, 0, sizeof(s));
    if (conn->open_session(conn, NULL, NULL, &wt) != 0 || __rows_init(&want) != 0 ||
      __rows_init(&got) != 0 || __rows_init(&empty) != 0) {
        lr_result_violation(res, "harness", NULL, NULL, -1, NULL, "cannot verify: no memory");
        return;
    }
    leader = lt_cluster_leader(run->cl);
    for (node = 0; node < run->cfg.nodes; node++)
        (void)lt_session_open(run->cl, node, &s[node]);
    for (i = 0; i < run->ntables; i++) {
        const char *name = run->names[i];

        want.n = 0;
        badkey[0] = '\0';
        if ((rc = __oracle_rows(wt, name, &want)) != 0) {
            lr_result_violation(res, "harness", NULL, NULL, -1, name,
              "cannot read the oracle of %s: %s", name, lt_strerror(rc));
            continue;
        }
        on_leader = leader >= 0 && lt_table_exists(s[leader], name, &exists) == 0 && exists;
        if (!on_leader && want.n != 0)
            lr_result_violation(res, "I1", NULL, NULL, leader, name,
              "table %s is missing on the leader (node %d) but the oracle holds %d rows", name,
              leader, want.n);
        for (node = 0; node < run->cfg.nodes; node++) {
            if (s[node] == NULL)
                continue;
            if (lt_table_exists(s[node], name, &exists) != 0 || !exists) {
                if (on_leader)
                    lr_result_violation(res, "I7", NULL, NULL, node, name,
                      "table %s exists on the leader (node %d) but not on node %d after every "
                      "schema operation completed",
                      name, leader, node);
                continue;
            }
            /* A follower after the final pickup shows the leader's rows; none if it has none. */
            for (dir = 1; dir >= -1; dir -= 2) {
                got.n = 0;
                if ((rc = __layered_rows(run, s[node], name, dir, &got, res)) != 0) {
                    lr_result_violation(res, "I1", NULL, NULL, node, name,
                      "scan of table %s on node %d failed: %s (%s)", name, node, lt_strerror(rc),
                      lt_last_error());
                    break;
                }
                __compare(on_leader ? &want : &empty, &got, dir, node, name,
                  on_leader ? "I1" : "I7", res, badkey);
            }
            if (on_leader)
                __point_reads(s[node], name, &want, res, badkey);
        }
        if (badkey[0] != '\0')
            __forensics(run, s, name, badkey);
    }
    for (node = 0; node < run->cfg.nodes; node++)
        (void)lt_session_close(s[node]);
    (void)wt->close(wt, NULL);
    __rows_free(&want);
    __rows_free(&got);
    __rows_free(&empty);
}
