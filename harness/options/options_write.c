/*
 * options_write.c -- the knobs written out: the usage text, the configuration as a command line,
 * the repro file, and the "config" object of the JSON report.
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

static void
__usage_knobs(FILE *fp)
{
    char left[64];
    int i;

    fprintf(fp, "Options (defaults in brackets):\n");
    for (i = 0; i < LR_KNOB_COUNT; i++) {
        if (lr_knobs[i].cls == C_HIDDEN)
            continue;
        snprintf(left, sizeof(left), "  --%s%s%s", lr_knobs[i].name, lr_knobs[i].meta ? " " : "",
          lr_knobs[i].meta ? lr_knobs[i].meta : "");
        fprintf(fp, "%-24s", left);
        if (strlen(left) >= 24)
            fprintf(fp, "\n%-24s", "");
        __wrap(fp, lr_knobs[i].help, 24);
    }
    fprintf(fp, "%-24s%s\n", "  -h, --help", "show this text");
}

void
lr_options_usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s stress [OPTIONS]\n"
      "\n"
      "Run schema workers, data workers and a controller (step-down, step-up, checkpoints,\n"
      "pickups) against liblayered with seeded delays at its yield points, then check the\n"
      "role-transition contract (I1, I4, I5, I7). The first line printed is a command that\n"
      "repeats the run; the same configuration is saved as OUT/repro-SEED.conf before the run\n"
      "starts (replay it with `%s replay FILE`).\n"
      "\n",
      LR_PROG, LR_PROG);
    __usage_knobs(fp);
    fprintf(fp,
      "\n"
      "Exit status: 0 clean, 1 violation found (or the run crashed), 2 usage or environment\n"
      "error.\n");
}

void
lr_options_replay_usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s replay FILE [OPTIONS]\n"
      "\n"
      "Run `stress` again with the configuration saved in FILE (a repro-SEED.conf that stress\n"
      "writes under --out before its run starts: one knob=value per line). Options given on the\n"
      "command line override the file's, e.g. --out DIR, --fork, --dry-run.\n"
      "\n",
      LR_PROG);
    __usage_knobs(fp);
    fprintf(fp,
      "\n"
      "Exit status: 0 clean, 1 violation found (or the run crashed), 2 usage or environment\n"
      "error.\n");
}

void
lr_append_quoted(char *buf, size_t len, const char *s)
{
    size_t n;
    const char *p;

    n = strlen(buf);
    if (*s != '\0' && strspn(s,
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
lr_options_cmdline(const lr_options *o, char *buf, size_t len)
{
    char val[LR_PATH_MAX + 64];
    size_t n;
    int i;

    buf[0] = '\0';
    lr_append_quoted(buf, len, lr_progname);
    n = strlen(buf);
    snprintf(buf + n, len - n, " stress");
    for (i = 0; i < LR_KNOB_COUNT; i++) {
        if (!lr_knob_saved(o, &lr_knobs[i]))
            continue;
        n = strlen(buf);
        snprintf(buf + n, len - n, " --%s", lr_knobs[i].name);
        if (lr_knobs[i].kind == K_FLAG)
            continue;
        lr_knob_format(o, &lr_knobs[i], val, sizeof(val));
        n = strlen(buf);
        snprintf(buf + n, len - n, " ");
        lr_append_quoted(buf, len, val);
    }
}

int
lr_options_save(const lr_options *o)
{
    FILE *fp;
    char tmp[LR_PATH_MAX + 16], val[LR_PATH_MAX + 64], cmd[8192];
    int i;

    snprintf(tmp, sizeof(tmp), "%s.tmp", o->repro);
    if ((fp = fopen(tmp, "w")) == NULL) {
        fprintf(stderr, "%s stress: cannot write the repro file %s: %s\n", LR_PROG, tmp,
          strerror(errno));
        return (LR_EXIT_USAGE);
    }
    lr_options_cmdline(o, cmd, sizeof(cmd));
    fprintf(fp,
      "# %s repro file: replay with `%s replay %s`\n"
      "# the run: %s\n",
      LR_PROG, LR_PROG, o->repro, cmd);
    for (i = 0; i < LR_KNOB_COUNT; i++) {
        if (!lr_knob_saved(o, &lr_knobs[i]))
            continue;
        lr_knob_format(o, &lr_knobs[i], val, sizeof(val));
        fprintf(fp, "%s=%s\n", lr_knobs[i].name, val);
    }
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || ferror(fp)) {
        fprintf(stderr, "%s stress: cannot write the repro file %s: %s\n", LR_PROG, tmp,
          strerror(errno));
        fclose(fp);
        unlink(tmp);
        return (LR_EXIT_USAGE);
    }
    fclose(fp);
    if (rename(tmp, o->repro) != 0) {
        fprintf(stderr, "%s stress: cannot rename %s to %s: %s\n", LR_PROG, tmp, o->repro,
          strerror(errno));
        unlink(tmp);
        return (LR_EXIT_USAGE);
    }
    return (0);
}

void
lr_json_string(FILE *fp, const char *s)
{
    const unsigned char *p;

    fputc('"', fp);
    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p == '\t')
            fputs("\\t", fp);
        else if (*p < 0x20 || *p >= 0x7f) /* bytes of a garbled name are not UTF-8 */
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

void
lr_options_json(const lr_options *o, FILE *fp, int indent)
{
    char val[LR_PATH_MAX + 64];
    const char *sep;
    int i;

    fprintf(fp, "{");
    sep = "\n";
    for (i = 0; i < LR_KNOB_COUNT; i++) {
        if (lr_knobs[i].cls == C_CLI || lr_knobs[i].cls == C_HIDDEN)
            continue;
        fprintf(fp, "%s%*s\"%s\": ", sep, indent + 2, "", lr_knobs[i].name);
        sep = ",\n";
        lr_knob_format(o, &lr_knobs[i], val, sizeof(val));
        switch (lr_knobs[i].kind) {
        case K_INT:
        case K_U64:
        case K_SEED:
        case K_SEC:
            fputs(val, fp);
            break;
        case K_FLAG:
            fputs(*LR_CFIELD(o, &lr_knobs[i], bool) ? "true" : "false", fp);
            break;
        case K_POLICY:
        case K_FAULTS:
        case K_PATH:
        case K_SCHED:
            lr_json_string(fp, val);
            break;
        }
    }
    fprintf(fp, "\n%*s}", indent, "");
}
