/*
 * shrink_cmd.c -- `layerace shrink REPRO [OPTIONS]`: replay a controlled run's repro file and
 * shrink it if it fails (shrink.h), even a shrunk run's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_stress.h"
#include "cli/shrink.h"
#include "common/exit.h"

int
lr_shrink_main(int argc, char **argv)
{
    lr_options *o;
    int ret;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr,
          "usage: %s shrink REPRO [OPTIONS]\n"
          "Replay a controlled run's repro file (OPTIONS as for replay) and, if it fails, shrink\n"
          "it: fewer preemptions, operations and threads while the same violation occurs.\n",
          LR_PROG);
        return (argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : LR_EXIT_ENV);
    }
    if ((o = malloc(sizeof(*o))) == NULL)
        return (LR_EXIT_ENV);
    lr_options_init(o);
    ret = lr_options_load(o, argv[1]);
    if (ret == 0 && o->cfg.sched.kind == LR_SCHED_FREE) {
        fprintf(stderr,
          "%s shrink: %s is a free run's repro file: only a controlled run (--sched) "
          "can be shrunk\n",
          LR_PROG, argv[1]);
        ret = LR_EXIT_ENV;
    }
    free(o);
    if (ret != 0)
        return (ret);
    lr_shrink_forced = true;
    return (lr_stress_replay_main(argc, argv));
}
