/*
 * test_cursor_stress.c -- the cursor stress harness (harness/cursor_*.c) as a test executable
 * linked with the test-only library (layered_faults).
 *
 *   test_cursor_stress                      determinism: one seed run twice, listings identical;
 *                                           then a short clean run on the real library code
 *   test_cursor_stress cursor [OPTIONS]     `layerace cursor` (the defect ctests use --faults)
 *   test_cursor_stress replay FILE [...]    `layerace replay`
 *   test_cursor_stress detect FAULT MAXOPS  --faults FAULT must diverge and shrink to <= MAXOPS
 */
#define _GNU_SOURCE /* open_memstream */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cursor_cli.h"
#include "cursor/cursor_int.h"

/*
 * fail --
 *     Report why the check failed and return 1 (the test's exit status).
 */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vfprintf(stderr, fmt, ap);
    va_end(ap);
    return (1);
}

static int
run_listing(uint64_t seed, char **bufp, size_t *lenp, lr_cur_result *res)
{
    lr_cur_config cfg;
    lr_cur_seq seq;
    FILE *fp;
    int rc;

    memset(&cfg, 0, sizeof(cfg));
    cfg.seed = seed;
    cfg.ops = 20000;
    cfg.keys = 24;
    cfg.node = LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER;
    cfg.inject = LR_CUR_INJ_ALL | LR_CUR_INJ_PREPARE;
    cfg.out = "cursor-determinism";
    if ((fp = open_memstream(bufp, lenp)) == NULL)
        return (-1);
    cfg.listing = fp;
    memset(&seq, 0, sizeof(seq));
    rc = lr_cur_run(&cfg, &seq, true, res);
    fclose(fp);
    lr_cur_seq_free(&seq);
    return (rc);
}

static int
determinism(void)
{
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    lr_cur_result ra, rb;

    if (run_listing(42, &a, &alen, &ra) != 0 || run_listing(42, &b, &blen, &rb) != 0) {
        return (fail("determinism: a run failed to start\n"));
    }
    if (ra.diverged != rb.diverged || ra.fail_index != rb.fail_index) {
        return (fail("determinism: seed 42 diverged differently: %s\n", ra.what));
    }
    if (alen != blen || memcmp(a, b, alen) != 0) {
        return (
          fail("determinism: the two listings of seed 42 differ (%zu vs %zu bytes)\n", alen, blen));
    }
    printf("determinism: seed 42 twice, %zu listing bytes, %" PRIu64 " compared operations, "
           "identical\n",
      alen, ra.compared);
    free(a);
    free(b);
    return (0);
}

/*
 * The shrunk repro must diverge for the fault's own reason: re-run it and look for `want` in the
 * divergence (point_no_ingest: the new leader's point reads at the step-up's drain.entry yield
 * point, with rows written while there was no leader still in its ingest).
 */
static int
reason(const char *fault, const char *want)
{
    lr_cur_config cfg;
    lr_cur_seq seq;
    lr_cur_result res;
    int rc;

    memset(&cfg, 0, sizeof(cfg));
    memset(&seq, 0, sizeof(seq));
    memset(&res, 0, sizeof(res));
    if (lr_cur_repro_read("cursor-detect/cursor-repro-1-min.txt", &cfg, &seq) != 0) {
        return (fail("detect %s: cannot read the shrunk repro\n", fault));
    }
    cfg.out = "cursor-detect-reason";
    cfg.listing = NULL;
    cfg.trace = NULL;
    rc = lr_cur_run(&cfg, &seq, false, &res);
    lr_cur_seq_free(&seq);
    if (rc != 0 || !res.diverged || strstr(res.what, want) == NULL) {
        return (fail("detect %s: the shrunk repro does not diverge at %s: %s\n", fault, want,
          res.diverged ? res.what : "(no divergence)"));
    }
    return (0);
}

/* The fault must be found: a divergence whose shrunk repro has at most maxops operations. */
static int
detect(const char *fault, size_t maxops)
{
    /* Writable copies: lr_cursor_main takes char ** (getopt may permute it). */
    char args[12][64] = {"cursor", "--seed", "1", "--ops", "100000", "--faults", "", "--out",
      "cursor-detect", "--quiet", "--json", "detect.json"};
    char *argv[13];
    char line[512];
    FILE *fp;
    size_t shrunk = 0;
    char *p;
    int i, rc;

    (void)snprintf(args[6], sizeof(args[6]), "%s", fault);
    for (i = 0; i < 12; i++)
        argv[i] = args[i];
    argv[12] = NULL;
    rc = lr_cursor_main(12, argv);
    if (rc != 1) {
        return (fail("detect %s: expected a divergence (exit 1), got %d\n", fault, rc));
    }
    if ((fp = fopen("detect.json", "r")) == NULL || fgets(line, sizeof(line), fp) == NULL) {
        return (fail("detect %s: no summary\n", fault));
    }
    fclose(fp);
    if ((p = strstr(line, "\"shrunk_ops\": ")) != NULL)
        shrunk = strtoul(p + 14, NULL, 10);
    if (shrunk == 0 || shrunk > maxops) {
        return (fail("detect %s: the shrunk repro has %zu operations (want 1..%zu)\n", fault,
          shrunk, maxops));
    }
    if (strcmp(fault, "point_no_ingest") == 0 && reason(fault, "drain.entry") != 0)
        return (1);
    printf("detect %s: found, shrunk to %zu operations\n", fault, shrunk);
    return (0);
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "cursor") == 0)
        return (lr_cursor_main(argc - 1, argv + 1));
    if (argc >= 2 && strcmp(argv[1], "replay") == 0)
        return (lr_replay_main(argc - 1, argv + 1));
    if (argc == 4 && strcmp(argv[1], "detect") == 0)
        return (detect(argv[2], strtoul(argv[3], NULL, 10)));
    if (argc != 1) {
        fprintf(stderr, "usage: test_cursor_stress [cursor ...|replay FILE ...|detect F N]\n");
        return (2);
    }
    return (determinism());
}
