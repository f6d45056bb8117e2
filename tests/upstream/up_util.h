/*
 * up_util.h -- the upstream conformance suite: cases named after upstream test methods, run one
 * by one, each reported PASS, FAIL, XFAIL (a known model limitation, listed in xfail.def) or
 * XPASS (a listed limitation that no longer shows: the list is stale, which fails the run).
 *
 * Each tests/upstream/up_*.c re-expresses upstream Python tests (test/suite/test_layered*.py of
 * wiredtiger/wiredtiger) through the public API. Upstream connections are nodes of one cluster,
 * a checkpoint plus checkpoint pickup is lt_checkpoint plus lt_pickup, a role reconfigure is a
 * step-up or step-down. Upstream's untimestamped writes get increasing commit timestamps here,
 * since layered writes need one. Integer keys become zero-padded strings so that they sort the
 * same way.
 *
 * Header only, included after tests/util.h; checks are util.h's CHECK_* and REQUIRE_* macros.
 */
#ifndef LAYERACE_TESTS_UPSTREAM_UP_UTIL_H
#define LAYERACE_TESTS_UPSTREAM_UP_UTIL_H

/* Each node keeps its history until the test moves its oldest timestamp, as upstream. */
#define TU_APP_OLDEST 1
#include "util.h"

/* ---------------------------------------------------------------------------------------------
 * Known model limitations: the one list, xfail.def (README.md's table follows it).
 */
typedef struct {
    int id;
    const char *text;
} up_reason;

typedef struct {
    const char *prog; /* the up_*.c program that runs the case */
    const char *name;
    int reason;
} up_xfail;

static const up_reason up_reasons[] = {
#define UP_REASON(id, text) {id, text},
#define UP_XFAIL(prog, name, reason)
#include "xfail.def"
#undef UP_REASON
#undef UP_XFAIL
};

static const up_xfail up_xfails[] = {
#define UP_REASON(id, text)
#define UP_XFAIL(prog, name, reason) {prog, name, reason},
#include "xfail.def"
#undef UP_REASON
#undef UP_XFAIL
  {"", "", 0} /* the list may be empty */
};

#define UP_NELEM(a) (sizeof(a) / sizeof((a)[0]))

static inline const char *
up_reason_text(int id)
{
    for (size_t i = 0; i < UP_NELEM(up_reasons); i++)
        if (up_reasons[i].id == id)
            return up_reasons[i].text;
    return NULL;
}

static inline const up_xfail *
up_xfail_find(const char *prog, const char *name)
{
    for (size_t i = 0; i < UP_NELEM(up_xfails); i++)
        if (strcmp(up_xfails[i].prog, prog) == 0 && strcmp(up_xfails[i].name, name) == 0)
            return &up_xfails[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Cases and the runner.
 */
typedef struct {
    const char *name; /* "test_layeredNN.py::method[scenario]" */
    void (*fn)(const void *arg);
    const void *arg; /* the scenario, or NULL */
} up_case;

/*
 * After a case: close the clusters it left open and remove its databases (each preallocates
 * hundreds of megabytes of log), unless $LT_TEST_KEEP asks to keep them.
 */
static inline void
up_case_cleanup_(void)
{
    tu_state *st = tu_st();
    for (size_t i = 0; i < UP_NELEM(st->open); i++)
        if (st->open[i] != NULL) {
            lt_cluster_close(st->open[i]);
            st->open[i] = NULL;
        }
    if (st->base[0] != '\0' && getenv("LT_TEST_KEEP") == NULL) {
        lr_rm_rf(st->base);
        st->base[0] = '\0';
    }
}

/*
 * Run every case whose name holds filter (all if NULL). Exit status 0 when every case passed or
 * failed as listed; 1 when one failed unlisted or passed while listed, or when xfail.def lists
 * for program prog a case it does not have.
 */
static inline int
up_main(const up_case *cases, size_t ncases, const char *prog, int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int npass = 0, nfail = 0, nxfail = 0, nxpass = 0, bad = 0;

    for (size_t i = 0; i < ncases; i++) {
        const up_case *k = &cases[i];
        const up_xfail *x = up_xfail_find(prog, k->name);
        int before = tu_failures(), failed;

        if (filter != NULL && strstr(k->name, filter) == NULL)
            continue;
        if (x != NULL && up_reason_text(x->reason) == NULL) {
            printf("BAD   %s: xfail.def gives unknown reason %d\n", k->name, x->reason);
            bad++;
            continue;
        }
        tu_st()->test = k->name;
        printf("[ RUN  ] %s\n", k->name);
        fflush(stdout);
        k->fn(k->arg);
        up_case_cleanup_();
        failed = tu_failures() != before;
        if (!failed && x == NULL) {
            printf("PASS  %s\n", k->name);
            npass++;
        } else if (failed && x == NULL) {
            printf("FAIL  %s\n", k->name);
            nfail++;
        } else if (failed) {
            printf("XFAIL %s (%d: %s)\n", k->name, x->reason, up_reason_text(x->reason));
            nxfail++;
        } else {
            printf("XPASS %s: listed in xfail.def (reason %d) but passed; update the list\n",
              k->name, x->reason);
            nxpass++;
        }
        fflush(stdout);
    }
    /* A listed case that no program has is a stale entry. */
    for (size_t i = 0; filter == NULL && i < UP_NELEM(up_xfails); i++) {
        size_t j;
        if (strcmp(up_xfails[i].prog, prog) != 0)
            continue;
        for (j = 0; j < ncases; j++)
            if (strcmp(cases[j].name, up_xfails[i].name) == 0)
                break;
        if (j == ncases) {
            printf("BAD   xfail.def lists %s, which this program does not run\n",
              up_xfails[i].name);
            bad++;
        }
    }
    printf("%s: %d pass, %d xfail, %d fail, %d xpass, %d bad list entries\n",
      nfail + nxpass + bad == 0 ? "PASS" : "FAIL", npass, nxfail, nfail, nxpass, bad);
    return nfail + nxpass + bad == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------------------------------------
 * Data helpers. Keys: up_key formats an integer as upstream's "%06d" keys; tables are "t" unless
 * said otherwise. A timestamp clock (up_clock) gives each untimestamped upstream write its own
 * increasing commit timestamp.
 */
#define UP_T "t"

typedef struct {
    uint64_t ts;
} up_clock;

static inline uint64_t
up_tick(up_clock *k)
{
    return ++k->ts;
}

static inline const char *
up_key(char *buf, int i)
{
    snprintf(buf, 16, "%06d", i);
    return buf;
}

/* One insert (overwrite) or remove (value NULL) in its own transaction at ts. */
static inline int
up_put(lt_session *s, const char *table, const char *key, const char *value, uint64_t ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    lt_cursor *c = NULL;
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, table, NULL, &c)) == 0) {
        lt_cursor_set_key(c, key);
        if (value == NULL)
            rc = lt_cursor_remove(c);
        else {
            lt_cursor_set_value(c, value, strlen(value));
            rc = lt_cursor_insert(c);
        }
        lt_cursor_close(c);
    }
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/*
 * Write keys lo, lo+step, ... < hi (formatted by up_key), each in its own transaction at the
 * next clock tick; value "<prefix><key>" ("val_<key>" if prefix is NULL); remove if rm.
 */
static inline int
up_put_range(lt_session *s, const char *table, int lo, int hi, int step, const char *prefix, int rm,
  up_clock *k)
{
    char key[16], val[128];
    int rc;

    for (int i = lo; i < hi; i += step) {
        up_key(key, i);
        snprintf(val, sizeof(val), "%s%s", prefix == NULL ? "val_" : prefix, key);
        if ((rc = up_put(s, table, key, rm ? NULL : val, up_tick(k))) != 0)
            return rc;
    }
    return 0;
}

/* Read key at read timestamp read_ts (0: none): 0 and a malloc'ed copy, or an error. */
static inline int
up_get_at(lt_session *s, const char *table, const char *key, uint64_t read_ts, char **valp)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, read_ts, 0};
    int rc;

    *valp = NULL;
    if (read_ts == 0)
        return tu_get(s, table, key, valp);
    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    rc = tu_get(s, table, key, valp);
    lt_txn_rollback(s);
    return rc;
}

/* CHECK_GET_AT(s, table, key, read_ts, expected): expected NULL means WT_NOTFOUND. */
static inline int
up_check_get_at_(const char *file, int line, lt_session *s, const char *table, const char *key,
  uint64_t read_ts, const char *expected)
{
    char *val = NULL;
    int rc = up_get_at(s, table, key, read_ts, &val), ok = 1;

    if (expected == NULL ? rc != WT_NOTFOUND : (rc != 0 || strcmp(val, expected) != 0)) {
        tu_fail(file, line,
          "read of %s \"%s\" at ts %" PRIu64 " on node %d: %s \"%s\", expected %s \"%s\" (%s)",
          table, key, read_ts, lt_session_node(s), tu_rcname(rc), val == NULL ? "" : val,
          expected == NULL ? "WT_NOTFOUND" : "value", expected == NULL ? "" : expected,
          tu_lasterr());
        ok = 0;
    }
    free(val);
    return ok;
}
#define CHECK_GET_AT(s, table, key, ts, expected) \
    up_check_get_at_(__FILE__, __LINE__, (s), (table), (key), (ts), (expected))

/* Count the rows of a full next (dir > 0) or prev scan; -1 on an error. */
static inline int
up_count(lt_session *s, const char *table, int dir)
{
    tu_rows r;
    int rc = tu_scan(s, table, dir, &r), n = r.n;
    tu_rows_free(&r);
    return rc == 0 ? n : -1;
}

/* Step a cursor; on success copy the key into key (LT_KEY_MAX + 1 bytes). */
static inline int
up_step(lt_cursor *c, int dir, char *key)
{
    const char *k;
    int rc = dir > 0 ? lt_cursor_next(c) : lt_cursor_prev(c);
    if (rc == 0 && (rc = lt_cursor_get_key(c, &k)) == 0)
        snprintf(key, LT_KEY_MAX + 1, "%s", k);
    return rc;
}

/* The cursor's current value as a NUL-terminated string in buf (len bytes). */
static inline const char *
up_val(lt_cursor *c, char *buf, size_t len)
{
    const void *v;
    size_t n;
    if (lt_cursor_get_value(c, &v, &n) != 0)
        return "(no value)";
    if (n >= len)
        n = len - 1;
    memcpy(buf, v, n);
    buf[n] = '\0';
    return buf;
}

/* A cluster of n nodes with no leader: upstream tests that run a lone follower connection. */
static inline lt_cluster *
up_open_leaderless_(const char *file, int line, int n)
{
    lt_cluster *c = tu_open_(file, line, n);
    int rc;
    if (c != NULL && (rc = lt_step_down(c, 0)) != 0)
        tu_fail(file, line, "lt_step_down(0) returned %s: %s", tu_rcname(rc), tu_lasterr());
    return c;
}
#define up_open_leaderless(n) up_open_leaderless_(__FILE__, __LINE__, (n))

/* ---------------------------------------------------------------------------------------------
 * A leader (node 0) and a follower (node 1) with table "t" on both, and the session under test:
 * the follower's, or the leader's. "Stable" rows: the leader writes them, publishes a checkpoint
 * at the last timestamp and the follower picks it up. "Ingest" rows: written on the node under
 * test (on the leader they go to its table). Every write is its own transaction at the next
 * clock tick, as upstream's helpers do.
 */
typedef struct {
    lt_cluster *c;
    lt_session *s0, *s1, *sut;
    int follower;
    up_clock k;
} up_env;

static inline int
up_env_open_(const char *file, int line, up_env *e, int follower)
{
    memset(e, 0, sizeof(*e));
    e->follower = follower;
    e->k.ts = 1;
    if ((e->c = tu_open_(file, line, 2)) == NULL ||
      (e->s0 = tu_session_(file, line, e->c, 0)) == NULL ||
      (e->s1 = tu_session_(file, line, e->c, 1)) == NULL)
        return 0;
    e->sut = follower ? e->s1 : e->s0;
    return tu_check_rc_(file, line, "lt_create(leader)", lt_create(e->s0, UP_T), 0) &&
      tu_check_rc_(file, line, "lt_create(follower)", lt_create(e->s1, UP_T), 0);
}
#define up_env_open(e, follower) up_env_open_(__FILE__, __LINE__, (e), (follower))

/* Keys lo, lo+step, ... < hi into stable (prefix as up_put_range). */
static inline int
up_stable_(const char *file, int line, up_env *e, int lo, int hi, int step, const char *prefix)
{
    return tu_check_rc_(file, line, "leader writes",
             up_put_range(e->s0, UP_T, lo, hi, step, prefix, 0, &e->k), 0) &&
      tu_checkpoint_(file, line, e->c, 0, e->k.ts) != 0 &&
      tu_check_rc_(file, line, "lt_pickup(1)", lt_pickup(e->c, 1, 0), 0);
}
#define up_stable(e, lo, hi, step, prefix) \
    up_stable_(__FILE__, __LINE__, (e), (lo), (hi), (step), (prefix))

/* Keys into (or, rm, removed from) the node under test. */
static inline int
up_ingest_(const char *file, int line, up_env *e, int lo, int hi, int step, const char *prefix,
  int rm)
{
    return tu_check_rc_(file, line, "writes on the node under test",
      up_put_range(e->sut, UP_T, lo, hi, step, prefix, rm, &e->k), 0);
}
#define up_ingest(e, lo, hi, step, prefix, rm) \
    up_ingest_(__FILE__, __LINE__, (e), (lo), (hi), (step), (prefix), (rm))

/* A key by number, from a ring of buffers (for a few keys in one expression). */
static inline const char *
up_k(int i)
{
    static char buf[8][16];
    static int next;
    return up_key(buf[next++ % 8], i);
}

/*
 * In session s: write key (or remove it, value NULL) in a transaction that will commit at
 * commit_ts, and prepare it at prepare_ts. Layered writes need their commit timestamp before
 * they write, so upstream's "prepare, then set the commit timestamp" becomes this order.
 */
static inline int
up_prepare_put(lt_session *s, const char *table, const char *key, const char *value,
  uint64_t commit_ts, uint64_t prepare_ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, commit_ts};
    lt_cursor *cur;
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, table, NULL, &cur)) == 0) {
        lt_cursor_set_key(cur, key);
        if (value == NULL)
            rc = lt_cursor_remove(cur);
        else {
            lt_cursor_set_value(cur, value, strlen(value));
            rc = lt_cursor_insert(cur);
        }
        lt_cursor_close(cur);
    }
    return rc != 0 ? (lt_txn_rollback(s), rc) : lt_txn_prepare(s, prepare_ts);
}

#endif /* LAYERACE_TESTS_UPSTREAM_UP_UTIL_H */
