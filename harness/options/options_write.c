/*
 * options_write.c -- knobs written out: the options section of a usage text, the configuration
 * as a command line, the repro file, and the "config" object of a JSON report.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "options/options_int.h"

/* __wrap -- print text from column col, wrapped at 98 columns, each new line indented by col. */
static void
__wrap(FILE *fp, const char *text, int col)
{
    const char *p, *sp;
    int at;

    at = col;
    for (p = text; *p != '\0';) {
        sp = strchr(p, ' ');
        if (sp == NULL)
            sp = p + strlen(p);
        if (at > col && at + 1 + (int)(sp - p) > 98) {
            fprintf(fp, "\n%*s", col, "");
            at = col;
        } else if (at > col) {
            fputc(' ', fp);
            at++;
        }
        fprintf(fp, "%.*s", (int)(sp - p), p);
        at += (int)(sp - p);
        p = *sp == ' ' ? sp + 1 : sp;
    }
    fputc('\n', fp);
}

void
lr_knobs_usage(const lr_knob_table *t, FILE *fp)
{
    const lr_knob *k;
    char left[64];
    int i;

    fprintf(fp, "Options (defaults in brackets):\n");
    for (i = 0; i < t->n; i++) {
        k = &t->knobs[i];
        if (k->cls == LR_C_HIDDEN)
            continue;
        if (k->kind == LR_K_FLAG && k->def != NULL && strcmp(k->def, "1") == 0)
            snprintf(left, sizeof(left), "  --%s, --no-%s", k->name, k->name);
        else
            snprintf(left, sizeof(left), "  --%s%s%s", k->name, k->meta ? " " : "",
              k->meta ? k->meta : "");
        fprintf(fp, "%-24s", left);
        if (strlen(left) >= 24)
            fprintf(fp, "\n%-24s", "");
        __wrap(fp, k->help, 24);
    }
    fprintf(fp, "%-24s%s\n", "  -h, --help", "show this text");
}

void
lr_append_quoted(char *buf, size_t len, const char *s)
{
    size_t n;
    const char *p;

    n = strlen(buf);
    if (*s != '\0' &&
      strspn(s,
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        "_./,:=@%+-") == strlen(s)) {
        snprintf(buf + n, len - n, "%s", s);
        return;
    }
    snprintf(buf + n, len - n, "'");
    for (p = s; *p != '\0'; p++) {
        n = strlen(buf);
        if (*p == '\'')
            snprintf(buf + n, len - n, "'\\''");
        else
            snprintf(buf + n, len - n, "%c", *p);
    }
    n = strlen(buf);
    snprintf(buf + n, len - n, "'");
}

void
lr_knobs_cmdline(const lr_knob_table *t, const void *o, char *buf, size_t len)
{
    const lr_knob *k;
    char val[LR_PATH_MAX + 64];
    size_t n;
    int i;

    buf[0] = '\0';
    lr_append_quoted(buf, len, lr_progname);
    n = strlen(buf);
    snprintf(buf + n, len - n, " %s", t->cmd);
    for (i = 0; i < t->n; i++) {
        k = &t->knobs[i];
        if (!lr_knob_saved(o, k))
            continue;
        n = strlen(buf);
        if (k->kind == LR_K_FLAG) {
            snprintf(buf + n, len - n, " --%s%s", *LR_CFIELD(o, k, bool) ? "" : "no-", k->name);
            continue;
        }
        snprintf(buf + n, len - n, " --%s ", k->name);
        lr_knob_format(o, k, val, sizeof(val));
        lr_append_quoted(buf, len, val);
    }
}

int
lr_knobs_save(const lr_knob_table *t, const void *o, const char *path, const char *header,
  void (*extra)(const void *arg, FILE *fp), const void *arg)
{
    FILE *fp;
    char tmp[LR_PATH_MAX + 16], val[LR_PATH_MAX + 64];
    int i;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if ((fp = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "%s %s: cannot write the repro file %s: %s\n", LR_PROG, t->cmd, tmp,
          strerror(errno));
        return (LR_EXIT_ENV);
    }
    if (header != NULL)
        fputs(header, fp);
    for (i = 0; i < t->n; i++) {
        if (!lr_knob_saved(o, &t->knobs[i]))
            continue;
        lr_knob_format(o, &t->knobs[i], val, sizeof(val));
        fprintf(fp, "%s=%s\n", t->knobs[i].name, val);
    }
    if (extra != NULL)
        extra(arg, fp);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || ferror(fp)) {
        fprintf(stderr, "%s %s: cannot write the repro file %s: %s\n", LR_PROG, t->cmd, tmp,
          strerror(errno));
        fclose(fp);
        unlink(tmp);
        return (LR_EXIT_ENV);
    }
    fclose(fp);
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "%s %s: cannot rename %s to %s: %s\n", LR_PROG, t->cmd, tmp, path,
          strerror(errno));
        unlink(tmp);
        return (LR_EXIT_ENV);
    }
    return (0);
}

void
lr_knobs_json(const lr_knob_table *t, const void *o, lr_json *j)
{
    const lr_knob *k;
    char val[LR_PATH_MAX + 64];
    int i;

    for (i = 0; i < t->n; i++) {
        k = &t->knobs[i];
        if (k->cls == LR_C_CLI || k->cls == LR_C_HIDDEN)
            continue;
        switch (k->kind) {
        case LR_K_INT:
            lr_json_i64(j, k->name, *LR_CFIELD(o, k, int));
            break;
        case LR_K_U64:
        case LR_K_SEED:
            lr_json_u64(j, k->name, *LR_CFIELD(o, k, uint64_t));
            break;
        case LR_K_SEC: /* milliseconds, written as seconds */
            lr_json_double(j, k->name, (double)*LR_CFIELD(o, k, uint64_t) / 1000.0, 15);
            break;
        case LR_K_FLAG:
            lr_json_bool(j, k->name, *LR_CFIELD(o, k, bool));
            break;
        case LR_K_CHOICE:
        case LR_K_SET:
        case LR_K_FAULTS:
        case LR_K_PATH:
            lr_knob_format(o, k, val, sizeof(val));
            lr_json_str(j, k->name, val);
            break;
        }
    }
}
