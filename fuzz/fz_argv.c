/*
 * fz_argv.c -- command lines (lr_knobs_parse over the stress, cursor and explore tables, as
 * `stress`, `replay FILE`, `cursor`, `replay` of a cursor file and `explore` call it).
 *
 * The input is the command line, one argument a line: the first line names the command
 * ("stress", "replay", "cursor", "cursor-replay" or "explore"), the others are its arguments
 * (any bytes but newline and NUL; a NUL ends an argument early, as C sees it).
 *
 * Properties: --help is exit -1 after the usage on stdout; a rejection is exit code 2 after a
 * message from "layerace CMD: "; an accepted command line printed back (lr_knobs_cmdline) is not
 * cut short and parses again to the same configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/explore_int.h"
#include "cursor/cursor_options.h"
#include "fz.h"
#include "fz_knobs.h"
#include "options/options.h"

#define ARGS_MAX 256

/* Room for the configuration of any command (malloc's alignment suits each). */
#define BIGGER(a, b) ((a) > (b) ? (a) : (b))
#define OPTIONS_SIZE \
    BIGGER(sizeof(lr_options), BIGGER(sizeof(lr_cur_options), sizeof(lr_exp_options)))
static void *__o;
static char __out[8192], __line[65536];
static char __replay[] = "replay", __cursor[] = "cursor";

static void
__explore_usage(FILE *fp)
{
    fprintf(fp, "usage: layerace explore [OPTIONS]\n");
    lr_knobs_usage(lr_exp_table(), fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lr_knob_table *t;
    void (*init)(void *);
    void (*usage)(FILE *);
    char *argv[ARGS_MAX + 1], *p, *nl, prefix[64];
    const char *file = NULL;
    bool want_file = false;
    int argc, rc;

    if (size >= sizeof(__line))
        return (0);
    memcpy(__line, data, size);
    __line[size] = '\0';
    for (argc = 0, p = __line; argc < ARGS_MAX && p != NULL; argc++) {
        argv[argc] = p;
        if ((nl = memchr(p, '\n', (size_t)(__line + size - p))) != NULL)
            *nl++ = '\0';
        p = nl;
    }
    if (p != NULL)
        return (0); /* more arguments than a test needs */
    argv[argc] = NULL;

    if (strcmp(argv[0], "stress") == 0 || strcmp(argv[0], "replay") == 0) {
        t = &lr_stress_knobs;
        init = fz_stress_init;
        usage = strcmp(argv[0], "stress") == 0 ? lr_options_usage : lr_options_replay_usage;
        want_file = strcmp(argv[0], "replay") == 0;
    } else if (strcmp(argv[0], "cursor") == 0 || strcmp(argv[0], "cursor-replay") == 0) {
        t = &lr_cur_knobs;
        init = fz_cursor_init;
        usage = lr_cur_options_usage;
        want_file = strcmp(argv[0], "cursor-replay") == 0;
        argv[0] = want_file ? __replay : __cursor;
    } else if (strcmp(argv[0], "explore") == 0) {
        t = lr_exp_table();
        init = fz_explore_init;
        usage = __explore_usage;
    } else
        return (0);

    if (__o == NULL && (__o = malloc(OPTIONS_SIZE)) == NULL)
        abort();
    init(__o);
    fz_capture_begin();
    rc = lr_knobs_parse(t, __o, argc, argv, want_file ? &file : NULL, usage);
    fz_capture_end(__out, sizeof(__out));
    if (rc == -1) {
        FZ_CHECK(strncmp(__out, "usage: ", 7) == 0, "--help printed no usage: '%s'", __out);
        return (0);
    }
    if (rc != 0) {
        snprintf(prefix, sizeof(prefix), "layerace %s: ", argv[0]);
        fz_check_rejection(rc, __out, prefix, NULL);
        return (0);
    }
    FZ_CHECK(!want_file || file != NULL, "replay accepted without a file");
    fz_check_cmdline(t, __o, OPTIONS_SIZE, init);
    return (0);
}
