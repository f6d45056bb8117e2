/*
 * main.c -- the `layerace` command: global options, then one subcommand.
 *
 *   layerace [--help] [--version] COMMAND [ARGS]
 *
 * Commands: stress and replay (cmd_stress.c), explore (explore.c), run and list (the race
 * catalogue, races/ through scenario_run.h), selftest, bench, help. The same sources build
 * `layerace` (the product library) and `layerace-faults` (LT_FAULTS: the test-only library whose
 * known upstream defects can be switched back on with --faults).
 *
 * Exit codes everywhere (common/exit.h): 0 clean, 1 failure found, 2 usage or environment error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/cmd_stress.h"
#include "cli/cursor_cli.h"
#include "cli/explore.h"
#include "cli/shrink.h"
#include "cli/scenario_run.h"
#include "common/exit.h"
#include "cursor/cursor.h"
#include "layered.h"
#include "options/options.h"
#include "selftest/selftest.h"

static void
__usage(FILE *fp)
{
    fprintf(fp,
      "usage: " LR_PROG " [--help] [--version] COMMAND [ARGS]\n"
      "\n"
      "Race-detector harness for the role-transition contract of layered tables\n"
      "(liblayered on WiredTiger).\n"
      "\n"
      "Commands:\n"
      "  stress [OPTIONS]       the race-detection job: schema and data workers against step-ups\n"
      "                         and step-downs, then the contract checker\n"
      "  replay FILE [OPTIONS]  run again from a repro file: a stress run's (OUT/repro-SEED.conf)\n"
      "                         or a cursor run's (OUT/cursor-repro-SEED.txt)\n"
      "  explore [OPTIONS]      many short controlled runs of a small workload, searching\n"
      "                         interleavings; the first failing run is kept for replay\n"
      "  shrink FILE [OPTIONS]  replay a controlled repro file and shrink it if it fails: fewer\n"
      "                         preemptions, operations, threads; a swimlane of the shrunk run\n"
      "  cursor [OPTIONS]       seeded chains of layered-cursor operations against an oracle\n"
      "  run SCENARIO...        run catalogue scenarios by name or glob ('drop_*')\n"
      "  list                   the catalogue: scenarios, expectations, summaries\n"
      "  selftest               exercise the library end to end on a 3-node cluster\n"
      "  bench                  liblayered against raw WiredTiger\n"
      "  help [COMMAND]         this text, or a command's (as COMMAND --help)\n"
      "\n"
      "Options:\n"
      "  -h, --help             show this text\n"
      "  -V, --version          show the versions of layerace and WiredTiger\n"
      "\n"
      "Exit status: 0 clean, 1 violation or failure found, 2 usage or environment error.\n");
}

static int
__usage_error(const char *what, const char *arg)
{
    fprintf(stderr, LR_PROG ": %s '%s'\n", what, arg);
    __usage(stderr);
    return (LR_EXIT_ENV);
}

static int
__print_version(void)
{
    printf(LR_PROG " %s%s\n", LT_VERSION_STRING,
#ifdef LT_FAULTS
      " (test-only build: fault injection compiled in)"
#else
      ""
#endif
    );
    printf("%s\n", wiredtiger_version(NULL, NULL, NULL));
    return (LR_EXIT_CLEAN);
}

/* The subcommands: each takes argv[0] == its name and returns the exit code. */
/* replay FILE: a cursor run's repro file says so on its first line; otherwise a stress run's. */
static int
__cmd_replay(int argc, char **argv)
{
    if (argc >= 2 && argv[1][0] != '-' && lr_cursor_is_repro(argv[1]))
        return (lr_replay_main(argc, argv));
    return (lr_stress_replay_main(argc, argv));
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
  {"stress", lr_stress_main},
  {"replay", __cmd_replay},
  {"explore", lr_explore_main},
  {"shrink", lr_shrink_main},
  {"cursor", lr_cursor_main},
  {"run", lr_scenario_run_main},
  {"list", lr_scenario_list_main},
  {"selftest", lr_selftest_main},
  {"bench", lr_bench_main},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
__dispatch(const char *cmd, int argc, char **argv)
{
    size_t i;

    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0) {
            optind = 0; /* glibc getopt starts afresh for the subcommand */
            return (commands[i].fn(argc, argv));
        }
    return (__usage_error("unknown command", cmd));
}

/* __cmd_help -- `help [COMMAND]`: this usage, or COMMAND --help. */
static int
__cmd_help(int argc, char **argv)
{
    static char help_opt[] = "--help";
    char *args[3];

    if (argc < 2) {
        __usage(stdout);
        return (LR_EXIT_CLEAN);
    }
    if (argc > 2) {
        fprintf(stderr, LR_PROG " help: one command at most, not '%s'\n", argv[2]);
        __usage(stderr);
        return (LR_EXIT_ENV);
    }
    if (strcmp(argv[1], "help") == 0) {
        __usage(stdout);
        return (LR_EXIT_CLEAN);
    }
    args[0] = argv[1];
    args[1] = help_opt;
    args[2] = NULL;
    return (__dispatch(argv[1], 2, args));
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0},
    };
    const char *cmd;
    int ch;

    lr_progname = argv[0];
    opterr = 0;
    /* "+": stop at the first non-option, the subcommand; its options are its own. */
    while ((ch = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (ch) {
        case 'h':
            __usage(stdout);
            return (LR_EXIT_CLEAN);
        case 'V':
            return (__print_version());
        default:
            return (__usage_error("unknown option", argv[optind - 1]));
        }
    }
    if (optind >= argc) {
        fprintf(stderr, LR_PROG ": no command given\n");
        __usage(stderr);
        return (LR_EXIT_ENV);
    }

    /* The subcommand sees argv[0] == its name. */
    cmd = argv[optind];
    argc -= optind;
    argv += optind;
    if (strcmp(cmd, "help") == 0)
        return (__cmd_help(argc, argv));
    return (__dispatch(cmd, argc, argv));
}
