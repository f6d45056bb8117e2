/*
 * fz_api.c -- the library's public names, keys and values (include/layered.h) on a one-node
 * cluster opened once per process in the scratch directory (a tmpfs).
 *
 * The input is a list of operations: a byte (the operation), a 16-bit length, that many bytes.
 * Names and keys are the bytes as C sees them (up to a NUL); values are every byte.
 *   0 create NAME  1 drop NAME  2 exists NAME     (a session without a transaction)
 *   3 insert KEY=VALUE (the first '=' splits; none: an empty value)  4 search KEY  5 remove KEY
 *   6 scan  7 insert KEY with a value of LT_VALUE_MAX - 1 + (first byte % 3) bytes
 * Cursor operations run in one transaction on table "fz", rolled back at the end, so that each
 * input starts from an empty table; tables an input created are dropped at its end.
 *
 * Properties: names follow the rule of include/layered.h ([A-Za-z0-9_-], 1 to LT_NAME_MAX bytes):
 * a valid name is created if it did not exist and then exists, dropped if it did and then does
 * not; an invalid one is EINVAL. Keys of 0 to LT_KEY_MAX bytes and values up to LT_VALUE_MAX
 * bytes are written (the empty key too); longer ones are EINVAL. What is read back (search, a full
 * scan in order) is exactly what was written last. Every failure has a message (lt_last_error).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fz.h"
#include "layered.h"

#define MODEL_MAX 512
#define TABLE "fz"

static lt_cluster *__cluster;
static lt_session *__schema, *__data;
static uint64_t __ts = 10;

/* What the input wrote so far, unsorted. */
static struct {
    char *key;
    uint8_t *val;
    size_t vlen;
} __model[MODEL_MAX];
static int __nmodel;
static char *__created[MODEL_MAX];
static int __ncreated;

static void
__close(void)
{
    (void)lt_cluster_close(__cluster);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    lt_cluster_config cfg;
    char home[600];
    int rc;

    (void)argc;
    (void)argv;
    fz_path(home, sizeof(home), "db");
    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.nodes = 1;
    cfg.wt_config = "cache_size=32MB";
    if ((rc = lt_cluster_open(&cfg, &__cluster)) != 0 ||
      (lt_cluster_leader(__cluster) != 0 && (rc = lt_step_up(__cluster, 0)) != 0) ||
      (rc = lt_session_open(__cluster, 0, &__schema)) != 0 ||
      (rc = lt_session_open(__cluster, 0, &__data)) != 0 ||
      (rc = lt_create(__schema, TABLE)) != 0) {
        fprintf(stderr, "fuzz_api: cannot set up the cluster in %s: %s: %s\n", home,
          lt_strerror(rc), lt_last_error());
        exit(2);
    }
    atexit(__close);
    return (0);
}

/* __failed -- rc is an error with a message. */
static void
__failed(const char *what, int rc)
{
    FZ_CHECK(rc != 0, "%s succeeded", what);
    FZ_CHECK(lt_last_error()[0] != '\0', "%s failed (%s) with no message", what, lt_strerror(rc));
}

static bool
__valid_name(const char *s)
{
    size_t n = strlen(s);

    return (n >= 1 && n <= LT_NAME_MAX &&
      strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n);
}

static int
__exists(const char *name)
{
    int rc, ex = -1;

    rc = lt_table_exists(__schema, name, &ex);
    if (!__valid_name(name)) {
        FZ_CHECK(rc == EINVAL && ex == 0, "exists(invalid '%.80s'): %s, %d", name, lt_strerror(rc),
          ex);
        __failed("exists of an invalid name", rc);
        return (0);
    }
    FZ_CHECK(rc == 0 && (ex == 0 || ex == 1), "exists('%s'): %s: %s", name, lt_strerror(rc),
      lt_last_error());
    return (ex);
}

static void
__schema_op(int op, const char *name)
{
    bool valid = __valid_name(name), before = __exists(name) == 1;
    int rc;

    if (op == 2 || (op == 1 && strcmp(name, TABLE) == 0))
        return; /* the cursor operations' table stays */
    rc = op == 0 ? lt_create(__schema, name) : lt_drop(__schema, name);
    if (!valid) {
        FZ_CHECK(rc == EINVAL, "%s of the invalid name '%.80s': %s", op == 0 ? "create" : "drop",
          name, lt_strerror(rc));
        __failed("a schema operation on an invalid name", rc);
        return;
    }
    if (op == 0 && before) {
        /* Upstream's create without exclusive succeeds and does nothing; with it, EEXIST. */
        FZ_CHECK(rc == 0, "create('%s') of an existing table: %s: %s", name, lt_strerror(rc),
          lt_last_error());
        rc = lt_create_cfg(__schema, name, "exclusive=true");
        FZ_CHECK(rc == EEXIST, "exclusive create('%s') of an existing table: %s", name,
          lt_strerror(rc));
        __failed("exclusive create of an existing table", rc);
    } else if (op == 1 && !before)
        __failed("drop of a missing table", rc);
    else
        FZ_CHECK(rc == 0, "%s('%s'): %s: %s", op == 0 ? "create" : "drop", name, lt_strerror(rc),
          lt_last_error());
    FZ_CHECK(__exists(name) == (op == 0 ? 1 : 0) || rc != 0, "'%s' %s after %s", name,
      op == 0 ? "does not exist" : "exists", op == 0 ? "create" : "drop");
    if (rc == 0 && op == 0 && !before && __ncreated < MODEL_MAX)
        __created[__ncreated++] = strdup(name);
}

static int
__model_find(const char *key)
{
    int i;

    for (i = 0; i < __nmodel; i++)
        if (strcmp(__model[i].key, key) == 0)
            return (i);
    return (-1);
}

/* __read_back -- the cursor is on key: its key and value are the model's. */
static void
__read_back(lt_cursor *c, int m, const char *what)
{
    const void *v;
    const char *k;
    size_t vlen;
    int rc;

    FZ_CHECK((rc = lt_cursor_get_key(c, &k)) == 0, "%s: get_key: %s", what, lt_strerror(rc));
    FZ_CHECK(strcmp(k, __model[m].key) == 0, "%s: key '%.80s' read back as '%.80s'", what,
      __model[m].key, k);
    FZ_CHECK((rc = lt_cursor_get_value(c, &v, &vlen)) == 0, "%s: get_value: %s", what,
      lt_strerror(rc));
    FZ_CHECK(vlen == __model[m].vlen && (vlen == 0 || memcmp(v, __model[m].val, vlen) == 0),
      "%s: the value of '%.80s' (%zu bytes) read back as another (%zu bytes)", what, __model[m].key,
      __model[m].vlen, vlen);
}

static void
__insert(lt_cursor *c, const char *key, const uint8_t *val, size_t vlen)
{
    size_t klen = strlen(key);
    int rc, m;

    lt_cursor_set_key(c, key);
    lt_cursor_set_value(c, val, vlen);
    rc = lt_cursor_insert(c);
    if (klen > LT_KEY_MAX || vlen > LT_VALUE_MAX) {
        FZ_CHECK(rc == EINVAL, "insert of a key of %zu bytes, value of %zu: %s", klen, vlen,
          lt_strerror(rc));
        __failed("insert of a bad key or value", rc);
        return;
    }
    FZ_CHECK(rc == 0, "insert('%.80s', %zu bytes): %s: %s", key, vlen, lt_strerror(rc),
      lt_last_error());
    if ((m = __model_find(key)) < 0) {
        FZ_CHECK(__nmodel < MODEL_MAX, "model full");
        m = __nmodel++;
        __model[m].key = strdup(key);
    } else
        free(__model[m].val);
    __model[m].val = malloc(vlen + 1);
    FZ_CHECK(__model[m].key != NULL && __model[m].val != NULL, "out of memory");
    memcpy(__model[m].val, val, vlen);
    __model[m].vlen = vlen;
}

static void
__search(lt_cursor *c, const char *key)
{
    int rc, m = __model_find(key);

    lt_cursor_set_key(c, key);
    rc = lt_cursor_search(c);
    if (strlen(key) > LT_KEY_MAX) {
        FZ_CHECK(rc == EINVAL, "search of a key of %zu bytes: %s", strlen(key), lt_strerror(rc));
        __failed("search of a bad key", rc);
    } else if (m < 0) {
        FZ_CHECK(rc == WT_NOTFOUND, "search('%.80s') never written: %s", key, lt_strerror(rc));
    } else {
        FZ_CHECK(rc == 0, "search('%.80s'): %s: %s", key, lt_strerror(rc), lt_last_error());
        __read_back(c, m, "search");
    }
}

static void
__remove(lt_cursor *c, const char *key)
{
    int rc, m = __model_find(key);

    lt_cursor_set_key(c, key);
    rc = lt_cursor_remove(c);
    if (strlen(key) > LT_KEY_MAX) {
        FZ_CHECK(rc == EINVAL, "remove of a key of %zu bytes: %s", strlen(key), lt_strerror(rc));
        __failed("remove of a bad key", rc);
        return;
    }
    FZ_CHECK(rc == 0 || (rc == WT_NOTFOUND && m < 0), "remove('%.80s'): %s: %s", key,
      lt_strerror(rc), lt_last_error());
    if (m >= 0) {
        free(__model[m].key);
        free(__model[m].val);
        __model[m] = __model[--__nmodel];
    }
}

/* __scan -- a full next scan: every key of the model once, in order, with its value. */
static void
__scan(lt_cursor *c)
{
    char prev[LT_KEY_MAX + 1];
    const char *k;
    int n, m, rc;

    FZ_CHECK(lt_cursor_reset(c) == 0, "reset: %s", lt_last_error());
    prev[0] = '\0';
    for (n = 0; (rc = lt_cursor_next(c)) == 0; n++) {
        FZ_CHECK(lt_cursor_get_key(c, &k) == 0, "scan: get_key: %s", lt_last_error());
        FZ_CHECK(n == 0 || strcmp(prev, k) < 0, "scan: '%.80s' after '%.80s'", k, prev);
        FZ_CHECK((m = __model_find(k)) >= 0, "scan: '%.80s' was never written", k);
        __read_back(c, m, "scan");
        snprintf(prev, sizeof(prev), "%s", k);
    }
    FZ_CHECK(rc == WT_NOTFOUND, "scan: next: %s: %s", lt_strerror(rc), lt_last_error());
    FZ_CHECK(n == __nmodel, "scan: %d keys, %d written", n, __nmodel);
}

/* __end -- roll back, forget the model, drop the tables the input created. */
static void
__end(lt_cursor *c)
{
    int i, rc;

    FZ_CHECK(lt_cursor_close(c) == 0, "cursor close: %s", lt_last_error());
    FZ_CHECK(lt_txn_rollback(__data) == 0, "rollback: %s", lt_last_error());
    for (i = 0; i < __nmodel; i++) {
        free(__model[i].key);
        free(__model[i].val);
    }
    __nmodel = 0;
    for (i = 0; i < __ncreated; i++) {
        if (__exists(__created[i]) == 1)
            FZ_CHECK((rc = lt_drop(__schema, __created[i])) == 0, "drop('%s'): %s: %s",
              __created[i], lt_strerror(rc), lt_last_error());
        free(__created[i]);
    }
    __ncreated = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char arg[65536 + 1];
    static uint8_t big[LT_VALUE_MAX + 2];
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    lt_cursor *c = NULL;
    size_t at, n, ops;
    char *eq;
    int op, rc;

    tc.commit_ts = __ts++;
    FZ_CHECK((rc = lt_txn_begin(__data, &tc)) == 0, "begin: %s", lt_last_error());
    FZ_CHECK((rc = lt_cursor_open(__data, TABLE, NULL, &c)) == 0, "cursor open: %s",
      lt_last_error());
    for (at = 0, ops = 0; at + 3 <= size && ops < MODEL_MAX; at += 3 + n, ops++) {
        op = data[at] % 8;
        n = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;
        if (n > size - at - 3)
            n = size - at - 3;
        memcpy(arg, data + at + 3, n);
        arg[n] = '\0';
        switch (op) {
        case 0:
        case 1:
        case 2:
            __schema_op(op, arg);
            break;
        case 3:
            if ((eq = memchr(arg, '=', n)) == NULL)
                __insert(c, arg, (const uint8_t *)"", 0);
            else {
                *eq = '\0';
                __insert(c, arg, (const uint8_t *)eq + 1, n - (size_t)(eq + 1 - arg));
            }
            break;
        case 4:
            __search(c, arg);
            break;
        case 5:
            __remove(c, arg);
            break;
        case 6:
            __scan(c);
            break;
        case 7:
            memset(big, n > 0 ? arg[0] : 'x', sizeof(big));
            __insert(c, "big", big, LT_VALUE_MAX - 1 + (n > 0 ? (uint8_t)arg[0] % 3 : 0));
            break;
        }
    }
    __scan(c);
    __end(c);
    return (0);
}
