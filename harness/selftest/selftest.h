/*
 * selftest.h -- `layerace selftest`: an end-to-end check of liblayered through its public API.
 */
#ifndef LAYERACE_SELFTEST_H
#define LAYERACE_SELFTEST_H

/*
 * Entry point for `layerace selftest [--dir DIR] [--keep] [--verbose]`. argv[0] is the command
 * name ("selftest"); options follow. Returns the process exit code: 0 every step passed, 1 a step
 * failed, 2 usage or environment error.
 */
int lr_selftest_main(int argc, char **argv);

#endif /* LAYERACE_SELFTEST_H */
