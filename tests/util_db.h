/*
 * util_db.h -- cluster, write, read and scan helpers of the liblayered tests (header only,
 * included by util.h; see util.h for the conventions).
 */
#ifndef LAYERACE_TESTS_UTIL_DB_H
#define LAYERACE_TESTS_UTIL_DB_H

/* ---------------------------------------------------------------------------------------------
 * Clusters. tu_config fills a configuration with a fresh home; tu_open opens it and makes node 0
 * the leader (the tests rely on it). Clusters opened by tu_open that a test leaves open (for
 * example after a REQUIRE failed) are closed when the test ends.
 */
static inline void
tu_config(lt_cluster_config *cfg, int nodes)
{
    static char homes[16][600];
    static int next;
    char *home = homes[next++ % 16];

    lt_cluster_config_init(cfg);
    tu_fresh_path(home, sizeof(homes[0]), "db");
    cfg->home = home;
    cfg->nodes = nodes;
#ifdef TU_APP_OLDEST
    cfg->app_oldest = TU_APP_OLDEST; /* upstream's: the application moves the oldest timestamp */
#endif
}

static inline void
tu_register_(lt_cluster *c)
{
    tu_state *st = tu_st();
    for (size_t i = 0; i < sizeof(st->open) / sizeof(st->open[0]); i++)
        if (st->open[i] == NULL) {
            st->open[i] = c;
            return;
        }
}

static inline void
tu_unregister_(const lt_cluster *c)
{
    tu_state *st = tu_st();
    for (size_t i = 0; i < sizeof(st->open) / sizeof(st->open[0]); i++)
        if (st->open[i] == c)
            st->open[i] = NULL;
}

/* Open a cluster with cfg and make node 0 the leader. NULL (and a failure) on error. */
static inline lt_cluster *
tu_open_cfg_(const char *file, int line, const lt_cluster_config *cfg)
{
    lt_cluster *c = NULL;
    int rc, leader;

    if ((rc = lt_cluster_open(cfg, &c)) != 0 || c == NULL) {
        tu_fail(file, line, "lt_cluster_open(%s) returned %d (%s): %s", cfg->home, rc,
          tu_rcname(rc), tu_lasterr());
        return NULL;
    }
    tu_register_(c);
    leader = lt_cluster_leader(c);
    if (leader > 0 && (rc = lt_step_down(c, leader)) != 0) {
        tu_fail(file, line, "lt_step_down(%d) returned %s: %s", leader, tu_rcname(rc),
          tu_lasterr());
        return c;
    }
    if (leader != 0 && (rc = lt_step_up(c, 0)) != 0)
        tu_fail(file, line, "lt_step_up(0) returned %s: %s", tu_rcname(rc), tu_lasterr());
    return c;
}
#define tu_open_cfg(cfg) tu_open_cfg_(__FILE__, __LINE__, (cfg))

static inline lt_cluster *
tu_open_(const char *file, int line, int nodes)
{
    lt_cluster_config cfg;
    tu_config(&cfg, nodes);
    return tu_open_cfg_(file, line, &cfg);
}
#define tu_open(nodes) tu_open_(__FILE__, __LINE__, (nodes))

static inline int
tu_close(lt_cluster *c)
{
    tu_unregister_(c);
    return lt_cluster_close(c);
}

static inline lt_session *
tu_session_(const char *file, int line, lt_cluster *c, int node)
{
    lt_session *s = NULL;
    int rc;

    if ((rc = lt_session_open(c, node, &s)) != 0 || s == NULL) {
        tu_fail(file, line, "lt_session_open(node %d) returned %s: %s", node, tu_rcname(rc),
          tu_lasterr());
        return NULL;
    }
    return s;
}
#define tu_session(c, node) tu_session_(__FILE__, __LINE__, (c), (node))

/* lt_table_exists' answer, 1 or 0; -1, a failed check, when the call fails. */
static inline int
tu_exists_(const char *file, int line, lt_session *s, const char *name)
{
    int exists, rc;

    if ((rc = lt_table_exists(s, name, &exists)) == 0)
        return exists;
    tu_fail(file, line, "lt_table_exists(%s) returned %s: %s", name, tu_rcname(rc), tu_lasterr());
    return -1;
}
#define tu_exists(s, name) tu_exists_(__FILE__, __LINE__, (s), (name))

/* ---------------------------------------------------------------------------------------------
 * Writes. A script is a blank-separated list of "key=value" (insert, overwriting) and "-key"
 * (remove). tu_write runs it in one transaction with commit timestamp ts and commits; on error
 * it rolls back and returns the first error. tu_write_in runs it in the session's open
 * transaction and does not commit.
 */
static inline int
tu_script_apply_(lt_cursor *cur, const char *script)
{
    char *buf = strdup(script), *save = NULL, *tok, *eq;
    int rc = 0;

    for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        if (tok[0] == '-') {
            lt_cursor_set_key(cur, tok + 1);
            rc = lt_cursor_remove(cur);
        } else {
            if ((eq = strchr(tok, '=')) == NULL) {
                rc = EINVAL; /* a bad script is the test's bug */
                break;
            }
            *eq = '\0';
            lt_cursor_set_key(cur, tok);
            lt_cursor_set_value(cur, eq + 1, strlen(eq + 1));
            rc = lt_cursor_insert(cur);
        }
        if (rc != 0)
            break;
    }
    free(buf);
    return rc;
}

static inline int
tu_write_in(lt_session *s, const char *table, const char *script)
{
    lt_cursor *cur = NULL;
    int rc, trc;

    if ((rc = lt_cursor_open(s, table, NULL, &cur)) != 0)
        return rc;
    rc = tu_script_apply_(cur, script);
    if ((trc = lt_cursor_close(cur)) != 0 && rc == 0)
        rc = trc;
    return rc;
}

static inline int
tu_write(lt_session *s, const char *table, uint64_t ts, const char *script)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = tu_write_in(s, table, script)) != 0) {
        (void)lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/* Point read of key: 0 and a malloc'ed NUL-terminated copy of the value in *valp, or an error. */
static inline int
tu_get(lt_session *s, const char *table, const char *key, char **valp)
{
    lt_cursor *cur = NULL;
    const void *data;
    size_t size;
    int rc;

    *valp = NULL;
    if ((rc = lt_cursor_open(s, table, NULL, &cur)) != 0)
        return rc;
    lt_cursor_set_key(cur, key);
    if ((rc = lt_cursor_search(cur)) == 0 && (rc = lt_cursor_get_value(cur, &data, &size)) == 0) {
        *valp = malloc(size + 1);
        memcpy(*valp, data, size);
        (*valp)[size] = '\0';
    }
    lt_cursor_close(cur);
    return rc;
}

/* CHECK_GET(s, table, key, value): the point read finds value; value NULL: WT_NOTFOUND. */
static inline int
tu_check_get_(const char *file, int line, lt_session *s, const char *table, const char *key,
  const char *expected)
{
    char *val = NULL;
    int rc = tu_get(s, table, key, &val), ok = 1;

    if (expected == NULL && rc != WT_NOTFOUND) {
        tu_fail(file, line, "search(%s, \"%s\") on node %d returned %s%s%s%s, expected WT_NOTFOUND",
          table, key, lt_session_node(s), tu_rcname(rc), rc == 0 ? " with value \"" : "",
          rc == 0 ? val : "", rc == 0 ? "\"" : "");
        ok = 0;
    } else if (expected != NULL && (rc != 0 || strcmp(val, expected) != 0)) {
        tu_fail(file, line,
          "search(%s, \"%s\") on node %d returned %s value \"%s\", expected \"%s\" (%s)", table,
          key, lt_session_node(s), tu_rcname(rc), val == NULL ? "(none)" : val, expected,
          tu_lasterr());
        ok = 0;
    }
    free(val);
    return ok;
}
#define CHECK_GET(s, table, key, expected) \
    tu_check_get_(__FILE__, __LINE__, (s), (table), (key), (expected))

/* ---------------------------------------------------------------------------------------------
 * Scans. A full next (or prev) scan copies every row; the keys must be strictly increasing (or
 * decreasing) and the scan must end with WT_NOTFOUND within a bound.
 */
typedef struct {
    int n, cap;
    char **keys;
    char **vals;
} tu_rows;

static inline void
tu_rows_add(tu_rows *r, const char *key, const void *val, size_t vlen)
{
    if (r->n == r->cap) {
        r->cap = r->cap == 0 ? 16 : r->cap * 2;
        r->keys = realloc(r->keys, sizeof(char *) * (size_t)r->cap);
        r->vals = realloc(r->vals, sizeof(char *) * (size_t)r->cap);
    }
    r->keys[r->n] = strdup(key);
    r->vals[r->n] = malloc(vlen + 1);
    memcpy(r->vals[r->n], val, vlen);
    r->vals[r->n][vlen] = '\0';
    r->n++;
}

static inline void
tu_rows_free(tu_rows *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->keys[i]);
        free(r->vals[i]);
    }
    free(r->keys);
    free(r->vals);
    memset(r, 0, sizeof(*r));
}

/* Parse "a=1 b=2" into rows (the expected list). */
static inline void
tu_rows_parse(tu_rows *r, const char *script)
{
    char *buf = strdup(script == NULL ? "" : script), *save = NULL, *tok, *eq;

    memset(r, 0, sizeof(*r));
    for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        if ((eq = strchr(tok, '=')) == NULL)
            tu_rows_add(r, tok, "", 0);
        else {
            *eq = '\0';
            tu_rows_add(r, tok, eq + 1, strlen(eq + 1));
        }
    }
    free(buf);
}

static inline void
tu_rows_format(const tu_rows *r, char *buf, size_t len)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < r->n && off + 1 < len; i++) {
        int w =
          snprintf(buf + off, len - off, "%s%s=%s", i == 0 ? "" : " ", r->keys[i], r->vals[i]);
        if (w < 0 || (size_t)w >= len - off)
            break;
        off += (size_t)w;
    }
}

#define TU_SCAN_BOUND 100000

/*
 * Scan with a cursor already open: reset, then next (dir > 0) or prev until WT_NOTFOUND. Rows are
 * stored in key order (a prev scan is reversed). Returns 0, an error from the cursor, or EDOM if
 * the order is broken, ELOOP if the scan did not end within the bound.
 */
static inline int
tu_scan_cursor(lt_cursor *cur, int dir, tu_rows *out)
{
    tu_rows tmp;
    const char *key;
    const void *val;
    size_t vlen;
    int rc, steps = 0, bad = 0;

    memset(out, 0, sizeof(*out));
    memset(&tmp, 0, sizeof(tmp));
    if ((rc = lt_cursor_reset(cur)) != 0)
        return rc;
    for (;;) {
        rc = dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur);
        if (rc == WT_NOTFOUND) {
            rc = 0;
            break;
        }
        if (rc != 0)
            break;
        if ((rc = lt_cursor_get_key(cur, &key)) != 0 ||
          (rc = lt_cursor_get_value(cur, &val, &vlen)) != 0)
            break;
        if (tmp.n > 0) {
            int cmp = strcmp(key, tmp.keys[tmp.n - 1]);
            if ((dir > 0 && cmp <= 0) || (dir < 0 && cmp >= 0))
                bad = 1;
        }
        tu_rows_add(&tmp, key, val, vlen);
        if (++steps > TU_SCAN_BOUND) {
            rc = ELOOP;
            break;
        }
    }
    if (dir > 0)
        *out = tmp;
    else {
        for (int i = tmp.n - 1; i >= 0; i--)
            tu_rows_add(out, tmp.keys[i], tmp.vals[i], strlen(tmp.vals[i]));
        tu_rows_free(&tmp);
    }
    if (rc == 0 && bad)
        rc = EDOM;
    return rc;
}

/* Scan a table (opens and closes a cursor in the session, inside its transaction if one). */
static inline int
tu_scan(lt_session *s, const char *table, int dir, tu_rows *out)
{
    lt_cursor *cur = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = lt_cursor_open(s, table, NULL, &cur)) != 0)
        return rc;
    rc = tu_scan_cursor(cur, dir, out);
    lt_cursor_close(cur);
    return rc;
}

static inline int
tu_rows_equal(const tu_rows *a, const tu_rows *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->keys[i], b->keys[i]) != 0 || strcmp(a->vals[i], b->vals[i]) != 0)
            return 0;
    return 1;
}

static inline int
tu_check_rows_(const char *file, int line, const char *what, int rc, const tu_rows *got,
  const char *expected)
{
    tu_rows exp;
    char gbuf[4096], ebuf[4096];
    int ok = 1;

    tu_rows_parse(&exp, expected);
    if (rc != 0 || !tu_rows_equal(got, &exp)) {
        tu_rows_format(got, gbuf, sizeof(gbuf));
        tu_rows_format(&exp, ebuf, sizeof(ebuf));
        tu_fail(file, line, "%s: rc %s%s, got [%s], expected [%s]%s%s%s", what, tu_rcname(rc),
          rc == EDOM    ? " (keys out of order)" :
            rc == ELOOP ? " (scan did not terminate)" :
                          "",
          gbuf, ebuf, rc != 0 ? "; last error: \"" : "", rc != 0 ? tu_lasterr() : "",
          rc != 0 ? "\"" : "");
        ok = 0;
    }
    tu_rows_free(&exp);
    return ok;
}

/* Both a full next scan and a full prev scan of table on the session equal expected. */
static inline int
tu_check_scan_(const char *file, int line, lt_session *s, const char *table, const char *expected)
{
    tu_rows got;
    char what[256];
    int rc, ok;

    rc = tu_scan(s, table, 1, &got);
    snprintf(what, sizeof(what), "next scan of %s on node %d", table, lt_session_node(s));
    ok = tu_check_rows_(file, line, what, rc, &got, expected);
    tu_rows_free(&got);
    rc = tu_scan(s, table, -1, &got);
    snprintf(what, sizeof(what), "prev scan of %s on node %d", table, lt_session_node(s));
    ok &= tu_check_rows_(file, line, what, rc, &got, expected);
    tu_rows_free(&got);
    return ok;
}
#define CHECK_SCAN(s, table, expected) tu_check_scan_(__FILE__, __LINE__, (s), (table), (expected))

/* As CHECK_SCAN, in a snapshot transaction at read timestamp read_ts (rolled back after). */
static inline int
tu_check_scan_at_(const char *file, int line, lt_session *s, const char *table, uint64_t read_ts,
  const char *expected)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, read_ts, 0};
    int rc, ok;

    if ((rc = lt_txn_begin(s, &tc)) != 0) {
        tu_fail(file, line, "lt_txn_begin(read_ts %" PRIu64 ") on node %d returned %s: %s", read_ts,
          lt_session_node(s), tu_rcname(rc), tu_lasterr());
        return 0;
    }
    ok = tu_check_scan_(file, line, s, table, expected);
    lt_txn_rollback(s);
    return ok;
}
#define CHECK_SCAN_AT(s, table, read_ts, expected) \
    tu_check_scan_at_(__FILE__, __LINE__, (s), (table), (read_ts), (expected))

/* CHECK_CUR_KEY(rc_expr, cursor, key): the positioning call succeeded and the cursor is on key. */
static inline int
tu_check_cur_key_(const char *file, int line, const char *expr, int rc, lt_cursor *cur,
  const char *key)
{
    const char *got = NULL;
    int grc;

    if (rc != 0) {
        tu_fail(file, line, "%s returned %s, expected 0 (on key \"%s\"); last error: \"%s\"", expr,
          tu_rcname(rc), key, tu_lasterr());
        return 0;
    }
    if ((grc = lt_cursor_get_key(cur, &got)) != 0 || got == NULL || strcmp(got, key) != 0) {
        tu_fail(file, line, "after %s the cursor is on \"%s\" (get_key %s), expected \"%s\"", expr,
          got == NULL ? "(none)" : got, tu_rcname(grc), key);
        return 0;
    }
    return 1;
}
#define CHECK_CUR_KEY(expr, cur, key) \
    tu_check_cur_key_(__FILE__, __LINE__, #expr, (expr), (cur), (key))

/* The cursor's value is expected (a NUL-free string). */
static inline int
tu_check_cur_val_(const char *file, int line, lt_cursor *cur, const char *expected)
{
    const void *data = NULL;
    size_t size = 0;
    int rc = lt_cursor_get_value(cur, &data, &size);

    if (rc != 0 || size != strlen(expected) || memcmp(data, expected, size) != 0) {
        tu_fail(file, line, "cursor value: rc %s, got \"%.*s\", expected \"%s\"", tu_rcname(rc),
          rc == 0 ? (int)size : 0, rc == 0 ? (const char *)data : "", expected);
        return 0;
    }
    return 1;
}
#define CHECK_CUR_VAL(cur, expected) tu_check_cur_val_(__FILE__, __LINE__, (cur), (expected))

/* ---------------------------------------------------------------------------------------------
 * Cluster set-up helpers.
 */
/* Publish a checkpoint on the leader at ts; returns its id (0 and a failure on error). */
static inline uint64_t
tu_checkpoint_(const char *file, int line, lt_cluster *c, int leader, uint64_t ts)
{
    uint64_t id = 0;
    int rc;

    if ((rc = lt_checkpoint(c, leader, ts, &id)) != 0 || id == 0) {
        tu_fail(file, line,
          "lt_checkpoint(node %d, ts %" PRIu64 ") returned %s, id %" PRIu64 ": %s", leader, ts,
          tu_rcname(rc), id, tu_lasterr());
        return 0;
    }
    return id;
}
#define tu_checkpoint(c, leader, ts) tu_checkpoint_(__FILE__, __LINE__, (c), (leader), (ts))

/* Every node but the leader picks up checkpoint id. */
static inline int
tu_pickup_all_(const char *file, int line, lt_cluster *c, uint64_t id)
{
    int n = lt_cluster_nodes(c), leader = lt_cluster_leader(c), ok = 1, rc;

    for (int i = 0; i < n; i++)
        if (i != leader && (rc = lt_pickup(c, i, id)) != 0) {
            tu_fail(file, line, "lt_pickup(node %d, id %" PRIu64 ") returned %s: %s", i, id,
              tu_rcname(rc), tu_lasterr());
            ok = 0;
        }
    return ok;
}
#define tu_pickup_all(c, id) tu_pickup_all_(__FILE__, __LINE__, (c), (id))

/*
 * The usual start: the leader (node 0) creates table, writes the script at ts, publishes a
 * checkpoint at ckpt_ts that every follower picks up. Returns the checkpoint id (0 on failure).
 */
static inline uint64_t
tu_setup_table_(const char *file, int line, lt_cluster *c, const char *table, uint64_t ts,
  const char *script, uint64_t ckpt_ts)
{
    lt_session *s;
    uint64_t id;
    int rc;

    if ((s = tu_session_(file, line, c, 0)) == NULL)
        return 0;
    if ((rc = lt_create(s, table)) != 0) {
        tu_fail(file, line, "lt_create(%s) on the leader returned %s: %s", table, tu_rcname(rc),
          tu_lasterr());
        lt_session_close(s);
        return 0;
    }
    if (script != NULL && script[0] != '\0' && (rc = tu_write(s, table, ts, script)) != 0) {
        tu_fail(file, line, "writing \"%s\" to %s at ts %" PRIu64 " on the leader returned %s: %s",
          script, table, ts, tu_rcname(rc), tu_lasterr());
        lt_session_close(s);
        return 0;
    }
    lt_session_close(s);
    if ((id = tu_checkpoint_(file, line, c, 0, ckpt_ts)) == 0)
        return 0;
    return tu_pickup_all_(file, line, c, id) ? id : 0;
}
#define tu_setup_table(c, table, ts, script, ckpt_ts) \
    tu_setup_table_(__FILE__, __LINE__, (c), (table), (ts), (script), (ckpt_ts))

/* Is site among lt_yield_sites()? */
static inline int
tu_has_site(const char *site)
{
    const char *const *s = lt_yield_sites();
    for (; s != NULL && *s != NULL; s++)
        if (strcmp(*s, site) == 0)
            return 1;
    return 0;
}

/* The first of a NULL-terminated list of candidate site names that the library has, or NULL. */
static inline const char *
tu_pick_site(const char *const *candidates)
{
    for (; *candidates != NULL; candidates++)
        if (tu_has_site(*candidates))
            return *candidates;
    return NULL;
}

#endif /* LAYERACE_TESTS_UTIL_DB_H */
