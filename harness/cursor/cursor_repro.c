/*
 * cursor_repro.c -- operation names, keys and values, the readable form of an operation and of
 * its result, and repro files.
 *
 * A repro file is the run's knobs (cursor_knobs.h, written and read by the machinery of
 * options/knob.h, as a stress repro file is) and its whole operation sequence, one operation a
 * line, in the same readable form the divergence report prints, so a repro survives generator
 * changes:
 *
 *   # layerace cursor repro
 *   seed=7
 *   ops=100000
 *   ...
 *   keys=12
 *   node=both
 *   inject=all
 *   op update c1 pos val=17
 *   op next c1
 *
 * Both parts are read strictly: a line that is neither a knob nor an operation, an unknown knob,
 * a knob given twice, an operation with a field it does not take, lacks, or repeats, are errors
 * naming FILE:LINE. Files written before the knob table (faults=0x0, no ops= line) still read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cursor/cursor_options.h"
#include "options/options.h"

static const char *const lr_cur_names[LR_CUR_NTYPES] = {"search", "search_near", "next", "prev",
  "reset", "insert", "update", "remove", "modify", "reopen", "begin", "commit", "rollback",
  "s2_prepare", "s2_commit", "s2_rollback", "gc", "tombstones", "truncate", "bulk", "checkpoint",
  "swap"};

static const char *const lr_cur_iso[] = {"snapshot", "read-committed", "read-uncommitted"};

const char *
lr_cur_type_name(int type)
{
    return (type >= 0 && type < LR_CUR_NTYPES ? lr_cur_names[type] : "?");
}

int
lr_cur_type_parse(const char *name)
{
    int i;

    for (i = 0; i < LR_CUR_NTYPES; i++)
        if (strcmp(name, lr_cur_names[i]) == 0)
            return (i);
    return (-1);
}

/*
 * Key k is "k%04u"; bulk rows are "k%04u.%05u" and sort right after it. One index in 8 is an
 * edge key instead, next to the plain key before it (k - 1): that key padded to LT_KEY_MAX bytes
 * of 0xff or 'z', with a suffix of 0x01, 0x7f or 0xff bytes (a prefix pair), or the empty key.
 */
void
lr_cur_key(uint32_t key, char *buf, size_t len)
{
    /* The byte added and how many (0: up to LT_KEY_MAX bytes); NUL: the empty key. */
    static const struct {
        char c;
        size_t n;
    } sfx[] = {{'\xff', 0}, {'\x01', 1}, {'\0', 0}, {'\xff', 1}, {'z', 0}, {'\x7f', 1}, {'\x01', 2},
      {'\xff', 8}};
    size_t n, want;
    uint32_t v;

    if (key % 8 != 7 || len < 8) {
        (void)snprintf(buf, len, "k%04" PRIu32, key);
        return;
    }
    v = (key / 8) % 8;
    n = sfx[v].c == '\0' ? 0 : (size_t)snprintf(buf, len, "k%04" PRIu32, key - 1);
    want = sfx[v].c == '\0' ? 0 : sfx[v].n == 0 ? LT_KEY_MAX : n + sfx[v].n;
    if (want > len - 1)
        want = len - 1;
    for (; n < want; n++)
        buf[n] = sfx[v].c;
    buf[n] = '\0';
}

/* A key for a message: bytes outside printable ASCII escaped, a long key cut (its length given). */
void
lr_cur_key_show(const char *key, char *buf, size_t len)
{
    size_t i, n = 0, klen = strlen(key);

    buf[0] = '\0';
    for (i = 0; i < klen && i < 24 && n + 5 < len; i++) {
        unsigned char b = (unsigned char)key[i];

        n += (size_t)snprintf(buf + n, len - n, b >= 0x20 && b < 0x7f ? "%c" : "\\x%02x", b);
    }
    if (i < klen && n < len)
        (void)snprintf(buf + n, len - n, "...(%zu bytes)", klen);
    else if (klen == 0)
        (void)snprintf(buf, len, "(empty)");
}

/*
 * Value v: "v<v>" and a tail whose length depends on v (0 to 21 bytes). One seed in 8 is an edge
 * value instead: empty, the ingest tags alone ("T", "V"), a NUL, upstream's removal marker
 * (0x14 0x14), a tag and eight bytes that look like a version's timestamp, every byte value, an
 * ingest row's key and tag. len must be at least LR_CUR_VAL_LEN.
 */
size_t
lr_cur_value(uint32_t val, char *buf, size_t len)
{
    static const struct {
        const char *p;
        size_t n;
    } edge[] = {{"", 0}, {"T", 1}, {"V", 1}, {"\0", 1}, {"\x14\x14", 2}, {"T\0\0\0\0\0\0\0\x01", 9},
      {NULL, 256}, {"Vk0001\0\xff\xff\xff\xff\xff\xff\xff\xfe", 15}};
    size_t i, n;
    int w;

    if (val % 8 == 7 && len >= LR_CUR_VAL_LEN) {
        i = (val / 8) % 8;
        n = edge[i].n;
        if (edge[i].p != NULL)
            memcpy(buf, edge[i].p, n);
        else
            for (size_t b = 0; b < n; b++)
                buf[b] = (char)(unsigned char)((b + val) % 256);
        buf[n] = '\0';
        return (n);
    }
    w = snprintf(buf, len, "v%" PRIu32 "%.*s", val, (int)(val % 22), "-abcdefghijklmnopqrstu");
    return (w < 0 ? 0 : (size_t)w < len ? (size_t)w : len - 1);
}

static bool
__has_key(int t)
{
    return (t == LR_CUR_SEARCH || t == LR_CUR_SEARCH_NEAR || t == LR_CUR_INSERT ||
      t == LR_CUR_UPDATE || t == LR_CUR_REMOVE || t == LR_CUR_MODIFY || t == LR_CUR_S2_PREPARE ||
      t == LR_CUR_INJ_BULK);
}

static bool
__has_val(int t)
{
    return (
      t == LR_CUR_INSERT || t == LR_CUR_UPDATE || t == LR_CUR_MODIFY || t == LR_CUR_S2_PREPARE);
}

static bool
__has_cur(int t)
{
    return (t <= LR_CUR_REOPEN);
}

void
lr_cur_op_format(const lr_cur_op *op, char *buf, size_t len)
{
    size_t n;
    int t = op->type;

    n = (size_t)snprintf(buf, len, "%s", lr_cur_type_name(t));
#define LR_CUR_ADD(...)                                           \
    do {                                                          \
        if (n < len)                                              \
            n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); \
    } while (0)
    if (__has_cur(t))
        LR_CUR_ADD(" c%u", (unsigned)op->cur);
    if (__has_key(t)) {
        if (op->pos && (t == LR_CUR_UPDATE || t == LR_CUR_REMOVE || t == LR_CUR_MODIFY))
            LR_CUR_ADD(" pos");
        else
            LR_CUR_ADD(" k%04" PRIu32, op->key);
    }
    if (__has_val(t))
        LR_CUR_ADD(" val=%" PRIu32, op->val);
    if (t == LR_CUR_BEGIN)
        LR_CUR_ADD(" iso=%s rts=%" PRIu32, lr_cur_iso[op->iso % 3], op->arg);
    if (t == LR_CUR_INJ_BULK)
        LR_CUR_ADD(" rows=%" PRIu32, op->arg);
    if (t == LR_CUR_INJ_SWAP) /* the node a step-up raises (a step-down ignores it) */
        LR_CUR_ADD(" node=%" PRIu32, op->key % 2);
#undef LR_CUR_ADD
}

/* Does an operation of this type return a row (key, value) on success? */
bool
lr_cur_returns_row(int type)
{
    return (type == LR_CUR_SEARCH || type == LR_CUR_SEARCH_NEAR || type == LR_CUR_NEXT ||
      type == LR_CUR_PREV);
}

void
lr_cur_res_format(int type, const lr_cur_res *r, char *buf, size_t len)
{
    size_t i, n, vl = r->vlen < 48 ? r->vlen : 48;
    char v[4 * 48 + 1], k[128];

    for (i = n = 0; i < vl; i++)
        n += (size_t)snprintf(v + n, sizeof(v) - n,
          r->val[i] >= 0x20 && r->val[i] < 0x7f ? "%c" : "\\%02x", (unsigned char)r->val[i]);
    v[n] = '\0';
    lr_cur_key_show(r->key, k, sizeof(k));
    if (r->rc != 0 || !lr_cur_returns_row(type))
        (void)snprintf(buf, len, "rc=%s", lt_strerror(r->rc));
    else if (type == LR_CUR_SEARCH_NEAR)
        (void)snprintf(buf, len, "rc=0 exact=%d key=%s value=\"%s\"%s", r->exact, k, v,
          r->vlen > vl ? "..." : "");
    else
        (void)snprintf(buf, len, "rc=0 key=%s value=\"%s\"%s", k, v, r->vlen > vl ? "..." : "");
}

/* The fields of an operation line; which ones an operation takes depends on its type. */
#define F_CUR 0x01u  /* cN */
#define F_KEY 0x02u  /* kNNNN, or pos for a positioned write */
#define F_VAL 0x04u  /* val=N */
#define F_ISO 0x08u  /* iso=NAME */
#define F_RTS 0x10u  /* rts=N */
#define F_ROWS 0x20u /* rows=N */
#define F_NODE 0x40u /* node=N: swap's step-up node; optional (older files: node 0) */

static unsigned
__fields(int t)
{
    return ((__has_cur(t) ? F_CUR : 0) | (__has_key(t) ? F_KEY : 0) | (__has_val(t) ? F_VAL : 0) |
      (t == LR_CUR_BEGIN ? F_ISO | F_RTS : 0) | (t == LR_CUR_INJ_BULK ? F_ROWS : 0) |
      (t == LR_CUR_INJ_SWAP ? F_NODE : 0));
}

/* __u32 -- decimal digits only, at most UINT32_MAX. */
static bool
__u32(const char *s, uint32_t *vp)
{
    uint64_t v;

    if (*s == '\0')
        return (false);
    for (v = 0; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
            return (false);
    }
    *vp = (uint32_t)v;
    return (true);
}

int
lr_cur_op_parse(const char *line, lr_cur_op *op, char *err, size_t errlen)
{
    char copy[256], *tok, *save;
    const char *name;
    unsigned want, seen, f;
    uint32_t v;
    int t;

    memset(op, 0, sizeof(*op));
    if (strlen(line) >= sizeof(copy)) {
        snprintf(err, errlen, "an operation line of more than %zu bytes", sizeof(copy) - 1);
        return (EINVAL);
    }
    strcpy(copy, line);
    if ((tok = strtok_r(copy, " \t", &save)) == NULL || (t = lr_cur_type_parse(tok)) < 0) {
        snprintf(err, errlen, "unknown operation '%s'", tok == NULL ? "" : tok);
        return (EINVAL);
    }
    op->type = (uint8_t)t;
    name = lr_cur_type_name(t);
    want = __fields(t);
    seen = 0;
    while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
        v = 0;
        if (strcmp(tok, "pos") == 0 &&
          (t == LR_CUR_UPDATE || t == LR_CUR_REMOVE || t == LR_CUR_MODIFY)) {
            f = F_KEY;
            op->pos = 1;
        } else if (tok[0] == 'c' && __u32(tok + 1, &v) && v < LR_CUR_CURSORS) {
            f = F_CUR;
            op->cur = (uint8_t)v;
        } else if (tok[0] == 'k' && __u32(tok + 1, &v)) {
            f = F_KEY;
            op->key = v;
        } else if (strncmp(tok, "val=", 4) == 0 && __u32(tok + 4, &v)) {
            f = F_VAL;
            op->val = v;
        } else if (strncmp(tok, "rts=", 4) == 0 && __u32(tok + 4, &v)) {
            f = F_RTS;
            op->arg = v;
        } else if (strncmp(tok, "rows=", 5) == 0 && __u32(tok + 5, &v)) {
            f = F_ROWS;
            op->arg = v;
        } else if (strncmp(tok, "node=", 5) == 0 && __u32(tok + 5, &v) && v < 2) {
            f = F_NODE;
            op->key = v;
        } else if (strncmp(tok, "iso=", 4) == 0) {
            for (v = 0; v < 3 && strcmp(tok + 4, lr_cur_iso[v]) != 0; v++)
                ;
            if (v == 3) {
                snprintf(err, errlen,
                  "%s: iso wants snapshot, read-committed or "
                  "read-uncommitted, not '%s'",
                  name, tok + 4);
                return (EINVAL);
            }
            f = F_ISO;
            op->iso = (uint8_t)v;
        } else {
            snprintf(err, errlen,
              "%s: cannot read '%s' (cN with N < %d, kN, pos, val=N, iso=, "
              "rts=N, rows=N, node=N with N < 2)",
              name, tok, LR_CUR_CURSORS);
            return (EINVAL);
        }
        if ((want & f) == 0) {
            snprintf(err, errlen, "%s takes no '%s'", name, tok);
            return (EINVAL);
        }
        if ((seen & f) != 0) {
            snprintf(err, errlen, "%s: '%s' repeats a field", name, tok);
            return (EINVAL);
        }
        seen |= f;
    }
    if (t == LR_CUR_INJ_SWAP)
        seen |= F_NODE; /* optional */
    if (seen != want) {
        f = want & ~seen;
        snprintf(err, errlen, "%s lacks its %s", name,
          f & F_CUR   ? "cursor (cN)" :
            f & F_KEY ? "key (kN or pos)" :
            f & F_VAL ? "val=N" :
            f & F_ISO ? "iso=" :
            f & F_RTS ? "rts=N" :
                        "rows=N");
        return (EINVAL);
    }
    return (0);
}

int
lr_cur_seq_push(lr_cur_seq *s, const lr_cur_op *op)
{
    if (s->n == s->cap) {
        size_t cap = s->cap == 0 ? 1024 : s->cap * 2;
        lr_cur_op *p = realloc(s->ops, cap * sizeof(*p));

        if (p == NULL)
            return (ENOMEM);
        s->ops = p;
        s->cap = cap;
    }
    s->ops[s->n++] = *op;
    return (0);
}

void
lr_cur_seq_free(lr_cur_seq *s)
{
    free(s->ops);
    memset(s, 0, sizeof(*s));
}

/* __write_ops -- the operation lines of a repro file. */
static void
__write_ops(const void *arg, FILE *fp)
{
    const lr_cur_seq *seq = arg;
    char line[256];
    size_t i;

    for (i = 0; i < seq->n; i++) {
        lr_cur_op_format(&seq->ops[i], line, sizeof(line));
        fprintf(fp, "op %s\n", line);
    }
}

int
lr_cur_repro_write(const char *path, const lr_cur_options *o, const lr_cur_seq *seq,
  const char *comment)
{
    char header[2 * LR_PATH_MAX + 8192], cmd[8192];
    const char *prog = o->cfg.faults != 0 ? "layerace-faults" : "layerace";

    lr_cur_options_cmdline(o, cmd, sizeof(cmd));
    snprintf(header, sizeof(header),
      "# layerace cursor repro\n"
      "# %s\n"
      "# replay: %s replay %s\n"
      "# the run: %s\n",
      comment != NULL ? comment : "", prog, path, cmd);
    return (lr_knobs_save(&lr_cur_knobs, o, path, header, __write_ops, seq));
}

bool
lr_cursor_is_repro(const char *path)
{
    char line[64];
    FILE *fp;
    bool yes;

    if ((fp = fopen(path, "r")) == NULL)
        return (false);
    yes =
      fgets(line, sizeof(line), fp) != NULL && strncmp(line, "# layerace cursor repro", 23) == 0;
    fclose(fp);
    return (yes);
}

/* __op_line -- the reader's hook: "op ..." lines are operations. */
static int
__op_line(void *arg, const char *line, char *err, size_t errlen)
{
    lr_cur_seq *seq = arg;
    lr_cur_op op;

    if (strncmp(line, "op", 2) != 0 || (line[2] != ' ' && line[2] != '\t'))
        return (0);
    if (lr_cur_op_parse(line + 3, &op, err, errlen) != 0)
        return (-1);
    if (lr_cur_seq_push(seq, &op) != 0) {
        snprintf(err, errlen, "out of memory");
        return (-1);
    }
    return (1);
}

int
lr_cur_repro_load(lr_cur_options *o, const char *path, lr_cur_seq *seq)
{
    int ret;

    if ((ret = lr_knobs_load(&lr_cur_knobs, o, path, __op_line, seq)) != 0)
        return (ret);
    if (!o->given[LR_CUR_KNOB_seed]) {
        fprintf(stderr, "layerace replay: %s names no seed: not a cursor repro file\n", path);
        return (LR_EXIT_ENV);
    }
    if (seq->n == 0) {
        fprintf(stderr, "layerace replay: %s has no operations ('op ...' lines)\n", path);
        return (LR_EXIT_ENV);
    }
    return (0);
}

int
lr_cur_repro_read(const char *path, lr_cur_config *cfg, lr_cur_seq *seq)
{
    lr_cur_options *o;
    int ret;

    if ((o = malloc(sizeof(*o))) == NULL) {
        fprintf(stderr, "layerace replay: out of memory\n");
        return (LR_EXIT_ENV);
    }
    lr_cur_options_init(o);
    if ((ret = lr_cur_repro_load(o, path, seq)) == 0 && (ret = lr_cur_options_finish(o)) == 0) {
        cfg->seed = o->cfg.seed;
        cfg->ops = o->cfg.ops;
        cfg->duration = o->cfg.duration;
        cfg->keys = o->cfg.keys;
        cfg->node = o->cfg.node;
        cfg->inject = o->cfg.inject;
        cfg->faults = o->cfg.faults;
    }
    free(o);
    return (ret);
}

/* Two sides' results of one operation agree (cursor_int.h). */
bool
lr_cur_res_equal(int type, const lr_cur_res *a, const lr_cur_res *b)
{
    if (a->rc != b->rc)
        return (false);
    if (a->rc != 0 || !lr_cur_returns_row(type))
        return (true);
    return (a->haskey == b->haskey && strcmp(a->key, b->key) == 0 && a->vlen == b->vlen &&
      memcmp(a->val, b->val, a->vlen < LR_CUR_VAL_MAX ? a->vlen : LR_CUR_VAL_MAX) == 0 &&
      (type != LR_CUR_SEARCH_NEAR || a->exact == b->exact));
}

/* A layered side's result: the row its cursor is on, when rc is 0 (cursor_int.h). */
void
lr_cur_l_fill(lt_cursor *c, lr_cur_res *r)
{
    const char *k;
    const void *v;
    size_t vl;

    if (r->rc != 0 || lt_cursor_get_key(c, &k) != 0 || lt_cursor_get_value(c, &v, &vl) != 0)
        return;
    r->haskey = true;
    (void)snprintf(r->key, sizeof(r->key), "%s", k);
    r->vlen = vl;
    memcpy(r->val, v, vl < LR_CUR_VAL_MAX ? vl : LR_CUR_VAL_MAX);
}
