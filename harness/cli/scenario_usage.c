/*
 * scenario_usage.c -- `layerace run`'s usage text (scenario_run.c).
 */
#include <stdio.h>

#include "cli/scenario_run_int.h"
#include "common/exit.h"

void
lr_run_usage(FILE *fp)
{
    fprintf(fp,
      "usage: " LR_PROG " run [--expect pass|detect|both] [--seed S] [--seeds N] [--out DIR]\n"
      "           [--quiet] [--policy P] [--sched S [--depth D] [--schedule FILE]\n"
      "           [--check-determinism]] [--trace FILE]\n"
      "           NAME|GLOB...\n"
      "\n"
      "Run race scenarios of the catalogue (" LR_PROG " list) by name or glob ('drop_*'). Each\n"
      "run goes in a child process on a fresh 3-node cluster, node 0 leader.\n"
      "\n"
      "Options (defaults in brackets):\n"
      "  --expect WHICH  pass: the must-pass run (policy reject, no fault), which must end\n"
      "                  clean; detect: the must-detect run (the hazard put back: policy off,\n"
      "                  or the scenario's fault, which needs layerace-faults), which must\n"
      "                  report a violation or die; both: pass, then detect [both]\n"
      "  --seed S        first seed; it varies the timing around the forced interleaving [1]\n"
      "  --seeds N       run seeds S, S+1, ..., S+N-1 [1]\n"
      "  --out DIR       put each run's cluster in DIR/NAME.EXPECT.SEED [a temporary directory\n"
      "                  under $TMPDIR]; kept when the run is not as expected\n"
      "  --quiet         print one line per run, not the scenario's steps\n"
      "  --sched S       free, or a controlled strategy: random, pct, pos, urw (the script and\n"
      "                  its threads one at a time, docs/SCHEDULER.md); the schedule is kept\n"
      "                  beside the run's directory (DIR.schedule) [free]\n"
      "  --depth D       PCT's bug depth, 1..16 [3]\n"
      "  --trace FILE    write each run as Chrome trace-event JSON: FILE for one run, else\n"
      "                  FILE.NAME.EXPECT.SEED.json\n"
      "  --schedule FILE replay this recorded schedule exactly (one scenario, one seed, pass or\n"
      "                  detect)\n"
      "  --check-determinism  run each controlled run twice and compare the step traces\n"
      "  --policy P      the must-pass run's policy: reject, wait, assert, upstream, boundary\n"
      "                  (off is the must-detect run's); a scenario checks the outcome that\n"
      "                  policy promises, a promised abort counting as clean [reject]\n"
      "  -h, --help      this text\n"
      "\n"
#if !LR_HAVE_FAULTS
      "A must-detect run whose hazard is a test-only fault runs through layerace-faults when\n"
      "that binary is in the same directory as this one; otherwise it is listed as not run.\n"
      "\n"
#endif
      "Exit status: 0 every run that ran was as expected, 1 a run was not, 2 usage or\n"
      "environment error (an unknown scenario, a run that could not start).\n");
}
