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

#include "cli/cursor_cli.h"
#include "cursor/cursor_int.h"

static const char *const lrc_names[LRC_NTYPES] = {"search", "search_near", "next", "prev",
  "reset", "insert", "update", "remove", "modify", "reopen", "begin", "commit", "rollback",
  "s2_prepare", "s2_commit", "s2_rollback", "gc", "tombstones", "truncate", "bulk", "checkpoint",
  "swap"};

static const char *const lrc_iso[] = {"snapshot", "read-committed", "read-uncommitted"};

const char *
lrc_type_name(int type)
{
    return (type >= 0 && type < LRC_NTYPES ? lrc_names[type] : "?");
}

int
lrc_type_parse(const char *name)
{
    int i;

    for (i = 0; i < LRC_NTYPES; i++)
        if (strcmp(name, lrc_names[i]) == 0)
            return (i);
    return (-1);
}

/* Key k is "k%04u"; bulk rows are "k%04u.%05u" and sort right after it. */
void
lrc_key(uint32_t key, char *buf, size_t len)
{
    (void)snprintf(buf, len, "k%04" PRIu32, key);
}

/* Value v: "v<v>" and a tail whose length depends on v (0 to 21 bytes). */
size_t
lrc_value(uint32_t val, char *buf, size_t len)
{
    int n = snprintf(buf, len, "v%" PRIu32 "%.*s", val, (int)(val % 22),
      "-abcdefghijklmnopqrstu");

    return (n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1);
}

static bool
lrc_has_key(int t)
{
    return (t == LRC_SEARCH || t == LRC_SEARCH_NEAR || t == LRC_INSERT || t == LRC_UPDATE ||
      t == LRC_REMOVE || t == LRC_MODIFY || t == LRC_S2_PREPARE || t == LRC_INJ_BULK);
}

static bool
lrc_has_val(int t)
{
    return (t == LRC_INSERT || t == LRC_UPDATE || t == LRC_MODIFY || t == LRC_S2_PREPARE);
}

static bool
lrc_has_cur(int t)
{
    return (t <= LRC_REOPEN);
}

void
lrc_op_format(const lrc_op *op, char *buf, size_t len)
{
    size_t n;
    int t = op->type;

    n = (size_t)snprintf(buf, len, "%s", lrc_type_name(t));
#define LRC_ADD(...)                                                   \
    do {                                                               \
        if (n < len)                                                   \
            n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__);      \
    } while (0)
    if (lrc_has_cur(t))
        LRC_ADD(" c%u", (unsigned)op->cur);
    if (lrc_has_key(t)) {
        if (op->pos && (t == LRC_UPDATE || t == LRC_REMOVE || t == LRC_MODIFY))
            LRC_ADD(" pos");
        else
            LRC_ADD(" k%04" PRIu32, op->key);
    }
    if (lrc_has_val(t))
        LRC_ADD(" val=%" PRIu32, op->val);
    if (t == LRC_BEGIN)
        LRC_ADD(" iso=%s rts=%" PRIu32, lrc_iso[op->iso % 3], op->arg);
    if (t == LRC_INJ_BULK)
        LRC_ADD(" rows=%" PRIu32, op->arg);
#undef LRC_ADD
}

int
lrc_op_parse(const char *line, lrc_op *op)
{
    char copy[256], *tok, *save;
    unsigned long v;
    int t;

    memset(op, 0, sizeof(*op));
    if (strlen(line) >= sizeof(copy))
        return (EINVAL);
    strcpy(copy, line);
    if ((tok = strtok_r(copy, " \t\r\n", &save)) == NULL || (t = lrc_type_parse(tok)) < 0)
        return (EINVAL);
    op->type = (uint8_t)t;
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
        char *end = NULL;

        if (strcmp(tok, "pos") == 0) {
            op->pos = 1;
            continue;
        }
        if (strncmp(tok, "iso=", 4) == 0) {
            for (v = 0; v < 3 && strcmp(tok + 4, lrc_iso[v]) != 0; v++)
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
            if (v >= LRC_CURSORS)
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
lrc_seq_push(lrc_seq *s, const lrc_op *op)
{
    if (s->n == s->cap) {
        size_t cap = s->cap == 0 ? 1024 : s->cap * 2;
        lrc_op *p = realloc(s->ops, cap * sizeof(*p));

        if (p == NULL)
            return (ENOMEM);
        s->ops = p;
        s->cap = cap;
    }
    s->ops[s->n++] = *op;
    return (0);
}

void
lrc_seq_free(lrc_seq *s)
{
    free(s->ops);
    memset(s, 0, sizeof(*s));
}

static const char *const lrc_inj_names[] = {"gc", "tombstones", "truncate", "bulk", "checkpoint",
  "swap", "prepare"};

/* Format an injection mask as a comma list ("none" if empty). */
static void
lrc_inject_format(unsigned mask, char *buf, size_t len)
{
    size_t i, n = 0;

    buf[0] = '\0';
    for (i = 0; i < sizeof(lrc_inj_names) / sizeof(lrc_inj_names[0]); i++)
        if (mask & (1u << i))
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", lrc_inj_names[i]);
    if (n == 0)
        (void)snprintf(buf, len, "none");
}

/* Parse "all", "none" or a comma list of injection names. Returns 0 or EINVAL. */
int lrc_inject_parse(const char *s, unsigned *maskp);
int
lrc_inject_parse(const char *s, unsigned *maskp)
{
    char copy[256], *tok, *save;
    unsigned mask = 0;
    size_t i;

    if (strcmp(s, "all") == 0) {
        *maskp = LRC_INJ_ALL | LRC_INJ_PREPARE;
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
        for (i = 0; i < sizeof(lrc_inj_names) / sizeof(lrc_inj_names[0]); i++)
            if (strcmp(tok, lrc_inj_names[i]) == 0)
                break;
        if (i == sizeof(lrc_inj_names) / sizeof(lrc_inj_names[0]))
            return (EINVAL);
        mask |= 1u << i;
    }
    *maskp = mask;
    return (0);
}

int
lrc_repro_write(const char *path, const lrc_config *cfg, const lrc_seq *seq, const char *comment)
{
    char tmp[4096], inj[128], line[256];
    FILE *fp;
    size_t i;

    (void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if ((fp = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "layerace cursor: cannot write %s: %s\n", tmp, strerror(errno));
        return (errno);
    }
    lrc_inject_format(cfg->inject, inj, sizeof(inj));
    fprintf(fp, "# layerace cursor repro\n");
    if (comment != NULL)
        fprintf(fp, "# %s\n", comment);
    fprintf(fp, "# replay: layerace%s replay %s\n", cfg->faults ? "-faults" : "", path);
    fprintf(fp, "seed=%" PRIu64 "\nkeys=%" PRIu32 "\nnode=%s\ninject=%s\nfaults=0x%x\n",
      cfg->seed, cfg->keys,
      cfg->node == (LRC_NODE_LEADER | LRC_NODE_FOLLOWER) ? "both" :
        cfg->node == LRC_NODE_LEADER ? "leader" : "follower",
      inj, cfg->faults);
    for (i = 0; i < seq->n; i++) {
        lrc_op_format(&seq->ops[i], line, sizeof(line));
        fprintf(fp, "op %s\n", line);
    }
    if (fclose(fp) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "layerace cursor: cannot write %s: %s\n", path, strerror(errno));
        return (errno);
    }
    return (0);
}

bool
lrc_is_repro(const char *path)
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

bool
lr_cursor_is_repro(const char *path)
{
    return (lrc_is_repro(path));
}

int
lrc_repro_read(const char *path, lrc_config *cfg, lrc_seq *seq)
{
    char line[512];
    FILE *fp;
    lrc_op op;
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
            if ((rc = lrc_op_parse(line + 3, &op)) == 0)
                rc = lrc_seq_push(seq, &op);
        } else if (strncmp(line, "seed=", 5) == 0)
            cfg->seed = strtoull(line + 5, NULL, 10);
        else if (strncmp(line, "keys=", 5) == 0)
            cfg->keys = (uint32_t)strtoul(line + 5, NULL, 10);
        else if (strncmp(line, "node=", 5) == 0) {
            if (strcmp(line + 5, "both") == 0)
                cfg->node = LRC_NODE_LEADER | LRC_NODE_FOLLOWER;
            else if (strcmp(line + 5, "leader") == 0)
                cfg->node = LRC_NODE_LEADER;
            else if (strcmp(line + 5, "follower") == 0)
                cfg->node = LRC_NODE_FOLLOWER;
            else
                rc = EINVAL;
        } else if (strncmp(line, "inject=", 7) == 0)
            rc = lrc_inject_parse(line + 7, &cfg->inject);
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
