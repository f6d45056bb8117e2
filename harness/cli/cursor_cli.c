/*
 * cursor_cli.c -- `layerace cursor` and `layerace replay FILE` (cursor repro files). The knobs,
 * their command line and the repro files are cursor/cursor_options.h's.
 *
 * Exit status: 0 clean, 1 divergence found, 2 usage or environment error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cursor_cli.h"
#include "cursor/cursor_options.h"
#include "options/options.h"

#define LR_CUR_CMDLINE_MAX 8192

static void
__print_seq(FILE *fp, const lr_cur_seq *seq)
{
    char line[256];
    size_t i;

    for (i = 0; i < seq->n; i++) {
        lr_cur_op_format(&seq->ops[i], line, sizeof(line));
        fprintf(fp, "  %3zu  %s\n", i, line);
    }
}

/* __json -- the summary on one line (counters first), with the configuration. 0 or an errno. */
static int
__json(const lr_cur_options *o, const lr_cur_result *res, size_t shrunk, double shrink_s)
{
    const lr_cur_config *cfg = &o->cfg;
    lr_json j;
    int rc;

    if (cfg->json == NULL)
        return (0);
    if ((rc = lr_json_open(&j, cfg->json)) != 0) {
        fprintf(stderr, "%s cursor: cannot write %s: %s\n", LR_PROG, cfg->json, strerror(rc));
        return (rc);
    }
    lr_json_object_line(&j, NULL);
    lr_json_u64(&j, "seed", cfg->seed);
    lr_json_u64(&j, "keys", cfg->keys);
    lr_json_u64(&j, "operations", res->executed);
    lr_json_u64(&j, "compared", res->compared);
    lr_json_u64(&j, "parked", res->parked);
    lr_json_double(&j, "seconds", res->seconds, 6);
    lr_json_double(&j, "oracle_seconds", res->oracle_seconds, 6);
    lr_json_double(&j, "leader_seconds", res->role_seconds[0], 6);
    lr_json_double(&j, "follower_seconds", res->role_seconds[1], 6);
    lr_json_bool(&j, "diverged", res->diverged);
    lr_json_u64(&j, "fail_index", res->diverged ? res->fail_index : 0);
    lr_json_u64(&j, "shrunk_ops", shrunk);
    lr_json_double(&j, "shrink_seconds", shrink_s, 6);
    lr_json_object(&j, "config");
    lr_cur_options_json(o, &j);
    lr_json_end(&j);
    lr_json_end(&j);
    if ((rc = lr_json_close(&j)) != 0) {
        fprintf(stderr, "%s cursor: cannot write %s: %s\n", LR_PROG, cfg->json, strerror(rc));
        return (rc);
    }
    return (0);
}

/* __trace_done -- report the trace a run wrote to path. 0 or LR_EXIT_ENV. */
static int
__trace_done(const char *path, const lr_cur_result *res)
{
    if (res->trace_err != 0) {
        fprintf(stderr, "%s cursor: cannot write the trace %s: %s\n", LR_PROG, path,
          strerror(res->trace_err));
        return (LR_EXIT_ENV);
    }
    printf("trace: %s (%" PRIu64 " events%s%" PRIu64 " dropped, the oldest)\n", path,
      res->trace_kept, res->trace_dropped != 0 ? ", " : "; ", res->trace_dropped);
    return (0);
}

/*
 * __shrink --
 *     Shrink a diverging sequence, print and write the result; its re-run is traced to
 *     OUT/cursor-trace-SEED-min.json. Returns the shrunk length.
 */
static size_t
__shrink(const lr_cur_options *o, const lr_cur_seq *seq, double *secsp)
{
    lr_cur_result res;
    lr_cur_config c2;
    lr_cur_seq min;
    char path[LR_PATH_MAX + 64], tpath[LR_PATH_MAX + 64];
    size_t shrunk;

    memset(&min, 0, sizeof(min));
    if (lr_cur_shrink(&o->cfg, seq, &min, secsp) != 0) {
        printf("shrink: the sequence does not diverge again from a fresh database\n");
        return (0);
    }
    shrunk = min.n;
    printf("shrunk: %zu ops -> %zu ops in %.1f s, %u candidate runs (1-minimal):\n", seq->n, min.n,
      *secsp, lr_cur_shrink_runs);
    __print_seq(stdout, &min);
    (void)snprintf(path, sizeof(path), "%s/cursor-repro-%" PRIu64 "-min.txt", o->out, o->cfg.seed);
    if (lr_cur_repro_write(path, o, &min, "shrunk, 1-minimal") == 0)
        printf("shrunk repro: %s\n", path);
    (void)snprintf(tpath, sizeof(tpath), "%s/cursor-trace-%" PRIu64 "-min.json", o->out,
      o->cfg.seed);
    c2 = o->cfg;
    c2.listing = NULL;
    c2.trace = tpath;
    if (lr_cur_run(&c2, &min, false, &res) == 0) {
        if (res.diverged)
            printf("the shrunk sequence diverges at %s\n", res.what);
        (void)__trace_done(tpath, &res);
    }
    lr_cur_seq_free(&min);
    return (shrunk);
}

/* __drive -- run (generate or replay), report, write repros, shrink. Returns the exit code. */
static int
__drive(const lr_cur_options *o, lr_cur_seq *seq, bool generate)
{
    const lr_cur_config *cfg = &o->cfg;
    lr_cur_result res;
    char path[LR_PATH_MAX + 64];
    double secs = 0, rate, orate, n, us_o, us_l, us_f;
    size_t shrunk = 0;
    int rc;

    if ((rc = lr_cur_run(cfg, seq, generate, &res)) != 0 || res.setup_error) {
        fprintf(stderr, "layerace cursor: the run failed: %s\n", lt_strerror(rc));
        return (LR_EXIT_ENV);
    }
    rate = res.seconds > 0 ? (double)res.compared / res.seconds : 0;
    orate = res.oracle_seconds > 0 ? (double)res.compared / res.oracle_seconds : 0;
    printf("seed %" PRIu64 ": %" PRIu64 " operations (%" PRIu64 " compared, %" PRIu64
           " parked follower steps) in %.2f s: %.0f compared ops/s; oracle alone %.0f ops/s; "
           "ratio %.2f\n",
      cfg->seed, res.executed, res.compared, res.parked, res.seconds, rate, orate,
      orate > 0 ? rate / orate : 0);
    if (res.compared > 0 && !cfg->quiet) {
        n = (double)res.compared;
        us_o = res.oracle_seconds / n * 1e6;
        us_l = res.role_seconds[0] / n * 1e6;
        us_f = res.role_seconds[1] / n * 1e6;
        printf("  per compared operation: oracle %.2f us; leader %.2f us (%.2fx the oracle's "
               "rate); follower %.2f us (%.2fx); the rest %.2f us (injections, transactions, "
               "checks, set-up)\n",
          us_o, us_l, us_l > 0 ? us_o / us_l : 0, us_f, us_f > 0 ? us_o / us_f : 0,
          res.seconds / n * 1e6 - us_o - us_l - us_f);
    }
    /* A trace that could not be written fails a clean run; a divergence is still reported. */
    if (cfg->trace != NULL && __trace_done(cfg->trace, &res) != 0 && !res.diverged)
        return (LR_EXIT_ENV);
    if (!res.diverged)
        return (__json(o, &res, 0, 0) == 0 ? LR_EXIT_CLEAN : LR_EXIT_ENV);
    printf("DIVERGENCE at %s\n", res.what);
    seq->n = res.fail_index + 1;
    (void)snprintf(path, sizeof(path), "%s/cursor-repro-%" PRIu64 ".txt", o->out, cfg->seed);
    if (lr_cur_repro_write(path, o, seq, "the sequence up to the divergence") == 0)
        printf("repro: %s (%zu operations; replay with `layerace%s replay %s`)\n", path, seq->n,
          cfg->faults ? "-faults" : "", path);
    if (cfg->shrink)
        shrunk = __shrink(o, seq, &secs);
    (void)__json(o, &res, shrunk, secs);
    return (LR_EXIT_FOUND);
}

/*
 * __run --
 *     The common end of `cursor` and `replay`: the listing, a trace file that must be writable
 *     (found out before the run rather than after it), the run.
 */
static int
__run(lr_cur_options *o, lr_cur_seq *seq, bool generate)
{
    FILE *fp;
    int rc;

    if (o->trace[0] != '\0') {
        if ((fp = fopen(o->trace, "w")) == NULL) {
            fprintf(stderr, "%s cursor: cannot write the trace %s: %s\n", LR_PROG, o->trace,
              strerror(errno));
            return (LR_EXIT_ENV);
        }
        (void)fclose(fp);
    }
    if (o->listing[0] == '\0')
        o->cfg.listing = NULL;
    else if (strcmp(o->listing, "-") == 0)
        o->cfg.listing = stdout;
    else if ((o->cfg.listing = fopen(o->listing, "w")) == NULL) {
        fprintf(stderr, "%s cursor: cannot write %s: %s\n", LR_PROG, o->listing, strerror(errno));
        return (LR_EXIT_ENV);
    }
    rc = __drive(o, seq, generate);
    if (o->cfg.listing != NULL && o->cfg.listing != stdout && fclose(o->cfg.listing) != 0) {
        fprintf(stderr, "%s cursor: cannot write %s: %s\n", LR_PROG, o->listing, strerror(errno));
        if (rc == LR_EXIT_CLEAN)
            rc = LR_EXIT_ENV;
    }
    o->cfg.listing = NULL;
    return (rc);
}

int
lr_cursor_main(int argc, char **argv)
{
    lr_cur_options *o;
    lr_cur_seq seq;
    char cmdline[LR_CUR_CMDLINE_MAX];
    int rc;

    if ((o = malloc(sizeof(*o))) == NULL) {
        fprintf(stderr, "layerace cursor: out of memory\n");
        return (LR_EXIT_ENV);
    }
    memset(&seq, 0, sizeof(seq));
    lr_cur_options_init(o);
    rc = lr_cur_options_parse(o, argc, argv, false, NULL);
    if (rc < 0)
        rc = LR_EXIT_CLEAN; /* --help */
    else if (rc == 0 && (rc = lr_cur_options_finish(o)) == 0) {
        lr_cur_options_cmdline(o, cmdline, sizeof(cmdline));
        printf("%s\n", cmdline);
        fflush(stdout);
        if (!o->dry_run)
            rc = __run(o, &seq, true);
    }
    lr_cur_seq_free(&seq);
    free(o);
    return (rc);
}

int
lr_replay_main(int argc, char **argv)
{
    lr_cur_options *o, *cli;
    lr_cur_seq seq;
    char cmdline[LR_CUR_CMDLINE_MAX];
    const char *path = NULL;
    int rc;

    o = malloc(sizeof(*o));
    cli = malloc(sizeof(*cli));
    if (o == NULL || cli == NULL) {
        fprintf(stderr, "layerace replay: out of memory\n");
        free(o);
        free(cli);
        return (LR_EXIT_ENV);
    }
    memset(&seq, 0, sizeof(seq));
    /*
     * As for stress: the file comes first and the command line overrides it, but the file's name
     * is on the command line: parse it once to find the file (and to reject bad options before
     * reading anything), then again on top of the file. A replay does not shrink unless asked.
     */
    lr_cur_options_init(cli);
    rc = lr_cur_options_parse(cli, argc, argv, true, &path);
    if (rc == 0) {
        lr_cur_options_init(o);
        o->cfg.shrink = false;
        rc = lr_cur_repro_load(o, path, &seq);
    }
    if (rc == 0)
        rc = lr_cur_options_parse(o, argc, argv, true, &path);
    if (rc == 0)
        rc = lr_cur_options_finish(o);
    if (rc == 0) {
        lr_cur_options_cmdline(o, cmdline, sizeof(cmdline));
        printf("layerace replay: %s: %zu operations, run with the knobs of\n%s\n", path, seq.n,
          cmdline);
        fflush(stdout);
        if (!o->dry_run)
            rc = __run(o, &seq, false);
    } else if (rc < 0)
        rc = LR_EXIT_CLEAN; /* --help */
    lr_cur_seq_free(&seq);
    free(o);
    free(cli);
    return (rc);
}
