/*
 * bench.h -- layerace benchmark: liblayered vs raw WiredTiger 3.2.1.
 */
#ifndef LAYERACE_BENCH_H
#define LAYERACE_BENCH_H

/*
 * Entry point for `layerace bench [--quick] [--dir DIR] [--json FILE]`.
 * argv[0] is "bench" (or the program name); options follow.
 * Returns 0 on success (even if goals are missed), 1 if an operation
 * errored, 2 on usage/environment errors.
 */
int lr_bench_main(int argc, char **argv);

#endif /* LAYERACE_BENCH_H */
