/*
 * fz_knobs.c -- checks shared by the targets of the knob machinery (fz_knobs.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/explore_int.h"
#include "common/exit.h"
#include "cursor/cursor_options.h"
#include "fz.h"
#include "fz_knobs.h"
#include "options/options.h"

void
fz_check_rejection(int rc, const char *out, const char *prefix, const char *path)
{
    size_t n = strlen(out), p = strlen(prefix);

    FZ_CHECK(rc == LR_EXIT_ENV, "rejected with exit code %d, not %d: %s", rc, LR_EXIT_ENV, out);
    FZ_CHECK(strncmp(out, prefix, p) == 0, "rejected without a message '%s...': '%s'", prefix, out);
    FZ_CHECK(path == NULL || (strncmp(out + p, path, strlen(path)) == 0),
      "the message does not name the file %s: '%s'", path, out);
    FZ_CHECK(n > p && out[n - 1] == '\n', "the message is not a whole line: '%s'", out);
}

static void
__no_usage(FILE *fp)
{
    (void)fp;
}

void
fz_check_cmdline(const lr_knob_table *t, const void *o, size_t size, void (*init)(void *))
{
    static char cmd[FZ_CMDLINE_MAX], words[FZ_CMDLINE_MAX], again[FZ_CMDLINE_MAX];
    static char out[4096];
    char *argv[2 * LR_KNOBS_MAX + 4];
    void *o2;
    int argc, rc;

    lr_knobs_cmdline(t, o, cmd, sizeof(cmd));
    FZ_CHECK(strlen(cmd) < sizeof(cmd) - 1, "the printed command line is cut short: %s", cmd);
    memcpy(words, cmd, sizeof(words));
    argc = fz_split_words(words, argv, (int)(sizeof(argv) / sizeof(argv[0])) - 1);
    FZ_CHECK(argc >= 2, "the printed command line does not split into words: %s", cmd);
    argv[argc] = NULL;
    if ((o2 = malloc(size)) == NULL)
        abort();
    init(o2);
    fz_capture_begin();
    rc = lr_knobs_parse(t, o2, argc - 1, argv + 1, NULL, __no_usage);
    fz_capture_end(out, sizeof(out));
    FZ_CHECK(rc == 0, "the printed command line does not parse (%d): %s\n%s", rc, cmd, out);
    lr_knobs_cmdline(t, o2, again, sizeof(again));
    free(o2);
    FZ_CHECK(strcmp(cmd, again) == 0, "the printed command line parses to another:\n  %s\n  %s",
      cmd, again);
}

void
fz_stress_init(void *o)
{
    lr_options_init(o);
}

void
fz_cursor_init(void *o)
{
    lr_cur_options_init(o);
}

void
fz_explore_init(void *o)
{
    memset(o, 0, sizeof(lr_exp_options));
    lr_knobs_init(lr_exp_table(), o);
}
