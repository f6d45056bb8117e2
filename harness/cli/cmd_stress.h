/*
 * cmd_stress.h -- `layerace stress` and `layerace replay`: run the stress engine from a
 * configuration (knobs.h), show its progress, report, and survive a crash of the system under
 * test well enough to say how to replay it.
 */
#ifndef LR_CMD_STRESS_H
#define LR_CMD_STRESS_H

/*
 * Entry points; argv[0] is the command name. Each returns the process exit code: 0 clean,
 * 1 violation found (or the run crashed), 2 usage or environment error.
 */
int lr_stress_main(int argc, char **argv);
int lr_stress_replay_main(int argc, char **argv);

#endif /* LR_CMD_STRESS_H */
