/*
 * cursor_repro.c -- operation names, keys and values, the readable form of an operation, and
 * repro files.
 *
 * A repro file is the run's knobs and its whole operation sequence, one operation a line, in the
 * same readable form the divergence report prints, so a repro survives generator changes:
 *
 *   # layerace cursor repro
 *   seed=7
 *   keys=12
 *   node=both
 *   inject=all
 *   faults=0x0
 *   op update c1 pos val=17
 *   op next c1
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cursor/cursor_int.h"

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

/* Key k is "k%04u"; bulk rows are "k%04u.%05u" and sort right after it. */
void
lr_cur_key(uint32_t key, char *buf, size_t len)
{
    (void)snprintf(buf, len, "k%04" PRIu32, key);
}

/* Value v: "v<v>" and a tail whose length depends on v (0 to 21 bytes). */
size_t
lr_cur_value(uint32_t val, char *buf, size_t len)
{
    int n = snprintf(buf, len, "v%" PRIu32 "%.*s", val, (int)(val % 22),
      "-abcdefghijklmnopqrstu");

    return (n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1);
}

static bool
__has_key(int t)
{
    return (t == LR_CUR_SEARCH || t == LR_CUR_SEARCH_NEAR || t == LR_CUR_INSERT || t == LR_CUR_UPDATE ||
      t == LR_CUR_REMOVE || t == LR_CUR_MODIFY || t == LR_CUR_S2_PREPARE || t == LR_CUR_INJ_BULK);
}

static bool
__has_val(int t)
{
    return (t == LR_CUR_INSERT || t == LR_CUR_UPDATE || t == LR_CUR_MODIFY || t == LR_CUR_S2_PREPARE);
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
#define LR_CUR_ADD(...)                                                   \
    do {                                                               \
        if (n < len)                                                   \
            n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);      \
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
#undef LR_CUR_ADD
}

int
lr_cur_op_parse(const char *line, lr_cur_op *op)
{
    char copy[256], *tok, *save;
    unsigned long v;
    int t;

    memset(op, 0, sizeof(*op));
    if (strlen(line) >= sizeof(copy))
        return (EINVAL);
    strcpy(copy, line);
    if ((tok = strtok_r(copy, " \t\r\n", &save)) == NULL || (t = lr_cur_type_parse(tok)) < 0)
        return (EINVAL);
    op->type = (uint8_t)t;
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
        char *end = NULL;

        if (strcmp(tok, "pos") == 0) {
            op->pos = 1;
            continue;
        }
        if (strncmp(tok, "iso=", 4) == 0) {
            for (v = 0; v < 3 && strcmp(tok + 4, lr_cur_iso[v]) != 0; v++)
                ;
            if (v == 3)
                return (EINVAL);
            op->iso = (uint8_t)v;
            continue;
        }
        errno = 0;
        if (tok[0] == 'c' && tok[1] != '\0')
            v = strtoul(tok + 1, &end, 10);
        else if (tok[0] == 'k' && tok[1] != '\0')
            v = strtoul(tok + 1, &end, 10);
        else if (strncmp(tok, "val=", 4) == 0 || strncmp(tok, "rts=", 4) == 0)
            v = strtoul(tok + 4, &end, 10);
        else if (strncmp(tok, "rows=", 5) == 0)
            v = strtoul(tok + 5, &end, 10);
        else
            return (EINVAL);
        if (errno != 0 || end == NULL || *end != '\0' || v > UINT32_MAX)
            return (EINVAL);
        switch (tok[0]) {
        case 'c':
            if (v >= LR_CUR_CURSORS)
                return (EINVAL);
            op->cur = (uint8_t)v;
            break;
        case 'k':
            op->key = (uint32_t)v;
            break;
        case 'v':
            op->val = (uint32_t)v;
            break;
        default:
            op->arg = (uint32_t)v;
            break;
        }
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

static const char *const lr_cur_inj_names[] = {"gc", "tombstones", "truncate", "bulk", "checkpoint",
  "swap", "prepare"};

/* Format an injection mask as a comma list ("none" if empty). */
static void
__inject_format(unsigned mask, char *buf, size_t len)
{
    size_t i, n = 0;

    buf[0] = '\0';
    for (i = 0; i < sizeof(lr_cur_inj_names) / sizeof(lr_cur_inj_names[0]); i++)
        if (mask & (1u << i))
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", lr_cur_inj_names[i]);
    if (n == 0)
        (void)snprintf(buf, len, "none");
}

/* Parse "all", "none" or a comma list of injection names. Returns 0 or EINVAL. */
int lr_cur_inject_parse(const char *s, unsigned *maskp);
int
lr_cur_inject_parse(const char *s, unsigned *maskp)
{
    char copy[256], *tok, *save;
    unsigned mask = 0;
    size_t i;

    if (strcmp(s, "all") == 0) {
        *maskp = LR_CUR_INJ_ALL | LR_CUR_INJ_PREPARE;
        return (0);
    }
    if (strcmp(s, "none") == 0) {
        *maskp = 0;
        return (0);
    }
    if (strlen(s) >= sizeof(copy))
        return (EINVAL);
    strcpy(copy, s);
    for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        for (i = 0; i < sizeof(lr_cur_inj_names) / sizeof(lr_cur_inj_names[0]); i++)
            if (strcmp(tok, lr_cur_inj_names[i]) == 0)
                break;
        if (i == sizeof(lr_cur_inj_names) / sizeof(lr_cur_inj_names[0]))
            return (EINVAL);
        mask |= 1u << i;
    }
    *maskp = mask;
    return (0);
}

int
lr_cur_repro_write(const char *path, const lr_cur_config *cfg, const lr_cur_seq *seq, const char *comment)
{
    char tmp[4096], inj[128], line[256];
    FILE *fp;
    size_t i;

    (void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if ((fp = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "layerace cursor: cannot write %s: %s\n", tmp, strerror(errno));
        return (errno);
    }
    __inject_format(cfg->inject, inj, sizeof(inj));
    fprintf(fp, "# layerace cursor repro\n");
    if (comment != NULL)
        fprintf(fp, "# %s\n", comment);
    fprintf(fp, "# replay: layerace%s replay %s\n", cfg->faults ? "-faults" : "", path);
    fprintf(fp, "seed=%" PRIu64 "\nkeys=%" PRIu32 "\nnode=%s\ninject=%s\nfaults=0x%x\n",
      cfg->seed, cfg->keys,
      cfg->node == (LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER) ? "both" :
        cfg->node == LR_CUR_NODE_LEADER ? "leader" : "follower",
      inj, cfg->faults);
    for (i = 0; i < seq->n; i++) {
        lr_cur_op_format(&seq->ops[i], line, sizeof(line));
        fprintf(fp, "op %s\n", line);
    }
    if (fclose(fp) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "layerace cursor: cannot write %s: %s\n", path, strerror(errno));
        return (errno);
    }
    return (0);
}

bool
lr_cursor_is_repro(const char *path)
{
    char line[64];
    FILE *fp;
    bool yes;

    if ((fp = fopen(path, "r")) == NULL)
        return (false);
    yes = fgets(line, sizeof(line), fp) != NULL &&
      strncmp(line, "# layerace cursor repro", 23) == 0;
    fclose(fp);
    return (yes);
}

int
lr_cur_repro_read(const char *path, lr_cur_config *cfg, lr_cur_seq *seq)
{
    char line[512];
    FILE *fp;
    lr_cur_op op;
    unsigned lineno = 0;
    int rc = 0;

    if ((fp = fopen(path, "r")) == NULL) {
        fprintf(stderr, "layerace replay: cannot open %s: %s\n", path, strerror(errno));
        return (ENOENT);
    }
    while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
        char *nl = strchr(line, '\n');

        lineno++;
        if (nl != NULL)
            *nl = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strncmp(line, "op ", 3) == 0) {
            if ((rc = lr_cur_op_parse(line + 3, &op)) == 0)
                rc = lr_cur_seq_push(seq, &op);
        } else if (strncmp(line, "seed=", 5) == 0)
            cfg->seed = strtoull(line + 5, NULL, 10);
        else if (strncmp(line, "keys=", 5) == 0)
            cfg->keys = (uint32_t)strtoul(line + 5, NULL, 10);
        else if (strncmp(line, "node=", 5) == 0) {
            if (strcmp(line + 5, "both") == 0)
                cfg->node = LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER;
            else if (strcmp(line + 5, "leader") == 0)
                cfg->node = LR_CUR_NODE_LEADER;
            else if (strcmp(line + 5, "follower") == 0)
                cfg->node = LR_CUR_NODE_FOLLOWER;
            else
                rc = EINVAL;
        } else if (strncmp(line, "inject=", 7) == 0)
            rc = lr_cur_inject_parse(line + 7, &cfg->inject);
        else if (strncmp(line, "faults=", 7) == 0)
            cfg->faults = (unsigned)strtoul(line + 7, NULL, 0);
        else
            rc = EINVAL;
        if (rc != 0)
            fprintf(stderr, "layerace replay: %s:%u: cannot parse '%s'\n", path, lineno, line);
    }
    fclose(fp);
    return (rc);
}
