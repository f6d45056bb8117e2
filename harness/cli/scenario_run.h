/*
 * scenario_run.h -- `layerace run` and `layerace list`: the race catalogue's command line
 * (races/races.def). Each run of a scenario goes in a forked child, so that a crash of the system
 * under test, or a sanitizer report that kills it, is reported instead of ending the runner.
 */
#ifndef LR_SCENARIO_RUN_H
#define LR_SCENARIO_RUN_H

/*
 * layerace run [--expect pass|detect|both] [--seed S] [--seeds N] [--out DIR] [--quiet]
 *              [--sched S [--depth D] [--schedule FILE] [--check-determinism]] NAME|GLOB...
 * argv[0] is "run". Exit 0 every run that ran was as expected, 1 otherwise, 2 usage or environment
 * error. In the product binary a must-detect run whose hazard is a test-only fault runs through
 * the layerace-faults beside it (/proc/self/exe's directory), or is listed as not run.
 */
int lr_scenario_run_main(int argc, char **argv);

/* layerace list: the catalogue, one scenario a line. argv[0] is "list". */
int lr_scenario_list_main(int argc, char **argv);

#endif /* LR_SCENARIO_RUN_H */
