/*
 * scenario_run.c -- `layerace run` and `layerace list` (see scenario_run.h).
 *
 * Each run (scenario x expectation x seed) goes in a forked child with its own directory: the
 * child opens the cluster, runs the script and sends an lr_sc_report back through a pipe; the
 * parent waits at most the scenario's budget, then classifies the run:
 *
 *   clean      the script ended and nothing was violated
 *   detected   a violation was recorded (the scenario's own, or the event checker's)
 *   crashed    the child died on a signal or exited without a report (a crash of the system
 *              under test, or a sanitizer report that ended the process)
 *   timeout    the child was still running at the budget and was killed
 *   error      the script could not run (set-up failed, a thread hung)
 *
 * must-pass expects clean; must-detect expects detected or crashed. A run that is not as expected
 * keeps its directory and prints the command that replays it. `layerace list` is in
 * scenario_list.c.
 *
 * The product binary cannot put a test-only fault back: a must-detect run that needs one goes
 * through layerace-faults when that binary sits beside this one (one `layerace-faults run` per
 * run, its lines passed through), and is otherwise listed as not run, which is no failure.
 */
#define _GNU_SOURCE /* strsignal */

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalogue.h"
#include "cli/scenario_run.h"
#include "cli/scenario_run_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "scenario/scenario_int.h"
#include "trace/trace.h"

#define LR_RUN_TRACE_THREADS 8 /* the script's threads a trace names (t1..t8) */

/* PCT's k for a scenario before any run with an estimate: about a run's scheduling points. */
#define LR_RUN_STEPS_GUESS 400

typedef enum {
    LR_OUT_CLEAN,
    LR_OUT_DETECTED,
    LR_OUT_CRASHED,
    LR_OUT_TIMEOUT,
    LR_OUT_ERROR
} lr_outcome;
static const char *const lr_outcome_names[] = {"clean", "detected", "crashed", "timeout", "error"};

static int
__run_bad(const char *msg, const char *arg)
{
    fprintf(stderr, LR_PROG " run: %s '%s'\n", msg, arg);
    lr_run_usage(stderr);
    return (LR_EXIT_ENV);
}

static bool
__parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *vp)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return (false);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return (false);
    *vp = v;
    return (true);
}

/* Make the run's directory; returns 0 or an errno after a message. */
static int
__run_dir(const lr_run_opts *o, const char *name, const char *exp, uint64_t seed, char *dir,
  size_t len)
{
    char prefix[256];
    int rc;

    if (o->out != NULL) {
        /* Fresh: a directory of an earlier run of the same name goes. */
        (void)snprintf(dir, len, "%s/%s.%s.%" PRIu64, o->out, name, exp, seed);
        if ((rc = lr_fresh_dir(dir)) != 0)
            fprintf(stderr, LR_PROG " run: cannot create '%s': %s\n", dir, strerror(rc));
        return (rc);
    }
    (void)snprintf(prefix, sizeof(prefix), "layerace-%s.%s.%" PRIu64, name, exp, seed);
    if ((rc = lr_temp_dir(NULL, prefix, dir, len)) != 0)
        fprintf(stderr, LR_PROG " run: cannot create a directory under '%s': %s\n", lr_tmp_root(),
          strerror(rc));
    return (rc);
}

/* Whether a step of the run promised an abort (lr_sc_expect_abort); says so in detail. */
static bool
__run_abort_promised(const char *dir, char *detail, size_t dlen)
{
    char path[LR_RUN_PATH + 32], why[256];
    FILE *fp;
    size_t n;

    (void)snprintf(path, sizeof(path), "%s/" LR_SC_ABORT_FILE, dir);
    if ((fp = fopen(path, "r")) == NULL)
        return (false);
    n = fread(why, 1, sizeof(why) - 1, fp);
    (void)fclose(fp);
    why[n] = '\0';
    why[strcspn(why, "\n")] = '\0';
    (void)snprintf(detail, dlen, "aborted as the policy promises (%s)", why);
    return (true);
}

/*
 * __run_child --
 *     Fork, run the scenario in the child, wait for its report within the budget. Fills *rep (a
 *     report of the parent's own making when the child sent none) and *detail for a death.
 */
/* __child_run -- the child's run, traced into trace (NULL: not). */
static bool
__child_run(lr_sc_params *cp, lr_sc_report *r, const char *trace)
{
    char name[16];
    bool settled;
    int i, err;

    if (trace != NULL) {
        lr_trace_names(LR_RUN_TRACE_THREADS, 0);
        lr_trace_name(0, "script");
        for (i = 1; i <= LR_RUN_TRACE_THREADS; i++) {
            (void)snprintf(name, sizeof(name), "t%d", i);
            lr_trace_name(i, name);
        }
        if (lr_trace_open(LR_TRACE_EVENTS_DEFAULT,
              cp->sched != NULL && cp->sched->kind != LR_SCHED_FREE ? lr_sched_last_step : NULL,
              cp->hazard && cp->scn->faults == 0 ? LT_POLICY_OFF : LT_POLICY_REJECT) != 0)
            trace = NULL;
    }
    settled = lr_sc_run_one(cp, r);
    if (trace != NULL) {
        if ((err = lr_trace_write(trace)) != 0)
            fprintf(stderr, LR_PROG " run: cannot write the trace %s: %s\n", trace, strerror(err));
        lr_trace_close();
    }
    return (settled);
}

static lr_outcome
__run_child(const lr_sc_params *p, lr_sc_report *rep, char *detail, size_t dlen,
  uint64_t *elapsed_ms, const char *trace)
{
    struct pollfd pfd;
    size_t got;
    ssize_t n;
    uint64_t start, deadline, now, budget;
    pid_t pid;
    int fds[2], status;
    bool timed_out = false;

    memset(rep, 0, sizeof(*rep));
    detail[0] = '\0';
    if (pipe(fds) != 0) {
        (void)snprintf(detail, dlen, "pipe: %s", strerror(errno));
        return (LR_OUT_ERROR);
    }
    (void)fflush(stdout);
    (void)fflush(stderr);
    start = lr_now_ms();
    if ((pid = fork()) < 0) {
        (void)snprintf(detail, dlen, "fork: %s", strerror(errno));
        (void)close(fds[0]);
        (void)close(fds[1]);
        return (LR_OUT_ERROR);
    }
    if (pid == 0) {
        lr_sc_params cp = *p;
        lr_sc_report r;
        bool settled;

        (void)close(fds[0]);
        cp.report_fd = fds[1];
        settled = __child_run(&cp, &r, trace);
        (void)fflush(stdout);
        if (write(fds[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
            _exit(3);
        (void)close(fds[1]);
        if (!settled)
            _exit(0); /* threads are still inside the library: no teardown */
        exit(0);
    }
    (void)close(fds[1]);
    budget = (uint64_t)p->scn->default_ms * (p->check_determinism ? 2u : 1u);
    deadline = start + budget;
    got = 0;
    for (;;) {
        now = lr_now_ms();
        if (now >= deadline) {
            timed_out = true;
            (void)kill(pid, SIGKILL);
            break;
        }
        pfd.fd = fds[0];
        pfd.events = POLLIN;
        if (poll(&pfd, 1, (int)(deadline - now)) <= 0)
            continue;
        n = read(fds[0], (char *)rep + got, sizeof(*rep) - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof(*rep))
            break;
    }
    (void)close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *elapsed_ms = lr_now_ms() - start;
    if (timed_out) {
        (void)snprintf(detail, dlen, "still running after its budget of %" PRIu64 " ms; killed",
          budget);
        return (LR_OUT_TIMEOUT);
    }
    if (got == sizeof(*rep) && rep->sched_exit != 0) { /* the scheduler stopped the run */
        (void)snprintf(detail, dlen, "%s", rep->error);
        return (LR_OUT_ERROR);
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && !p->hazard &&
      __run_abort_promised(p->dir, detail, dlen))
        return (LR_OUT_CLEAN);
    if (WIFSIGNALED(status)) {
        (void)snprintf(detail, dlen, "signal %d (%s)%s", WTERMSIG(status),
          strsignal(WTERMSIG(status)),
          got == sizeof(*rep) ? " after its report" :
                                ": a crash of the system under test or a sanitizer report");
        return (LR_OUT_CRASHED);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != sizeof(*rep)) {
        (void)snprintf(detail, dlen, "exit %d %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
          got == sizeof(*rep) ?
            "after its report (a sanitizer report at exit?)" :
            "without a report (a sanitizer report or a crash of the system under test)");
        return (LR_OUT_CRASHED);
    }
    switch (rep->status) {
    case LR_SC_CLEAN:
        return (LR_OUT_CLEAN);
    case LR_SC_DETECTED:
        if (rep->nviolations > 1)
            (void)snprintf(detail, dlen, "%s: %s (+%d more)", rep->invariant, rep->what,
              rep->nviolations - 1);
        else
            (void)snprintf(detail, dlen, "%s: %s", rep->invariant, rep->what);
        return (LR_OUT_DETECTED);
    default:
        (void)snprintf(detail, dlen, "%s", rep->error);
        return (LR_OUT_ERROR);
    }
}

/* One run of one scenario; prints its line. */
static void
__run_one(const lr_run_opts *o, const lr_scenario *scn, bool detect, uint64_t seed, lr_tally *t)
{
    lr_sc_params p;
    lr_sc_report rep;
    lr_sched_config sc;
    lr_outcome out;
    char dir[LR_RUN_PATH], detail[1024], fbuf[128], sfile[LR_RUN_PATH + 16], tpath[LR_RUN_PATH],
      steps[LR_RUN_PATH + 64], depth[32];
    const char *exp = detect ? "must-detect" : "must-pass";
    uint64_t ms = 0;
    bool ok;

#ifndef LT_TSAN
    /* A hazard that is a data race alone: only ThreadSanitizer reports it. */
    if (detect && (scn->faults & LT_FAULT_FLAG_PLAIN_READ) != 0) {
        printf("%-22s %-11s seed %-4" PRIu64 " needs a ThreadSanitizer build (not run): its hazard "
               "is a data race that only TSan reports\n",
          scn->name, exp, seed);
        t->not_tsan++;
        return;
    }
#endif
    if (detect && scn->faults != 0 && !LR_HAVE_FAULTS) {
        if (o->faults_bin != NULL) {
            t->runs++;
            lr_run_faults_bin(o, scn, seed, t);
            return;
        }
        printf("%-22s %-11s seed %-4" PRIu64 " needs layerace-faults (not run): its hazard is the "
               "test-only fault %s, and no layerace-faults is beside this binary\n",
          scn->name, exp, seed, lr_sc_fault_names(scn->faults, fbuf, sizeof(fbuf)));
        t->not_run++;
        return;
    }
    t->runs++;
    if (__run_dir(o, scn->name, detect ? "detect" : "pass", seed, dir, sizeof(dir)) != 0) {
        t->cannot++;
        return;
    }
    if (!o->quiet)
        printf("%-22s %-11s seed %" PRIu64 ": %s\n", scn->name, exp, seed, dir);
    memset(&p, 0, sizeof(p));
    p.scn = scn;
    p.hazard = detect;
    p.policy = o->policy;
    p.seed = seed;
    p.dir = dir;
    p.quiet = o->quiet;
    sfile[0] = '\0';
    if (o->sched.kind != LR_SCHED_FREE) {
        /* The schedule goes beside the run's directory: a replay into the same --out empties
         * the directory first. The step counts of a run (PCT's k, URW's weights) go in --out. */
        sc = o->sched;
        if (o->schedule != NULL)
            sc.replay = o->schedule;
        else {
            (void)snprintf(sfile, sizeof(sfile), "%s.schedule", dir);
            sc.record = sfile;
        }
        if (o->out != NULL) {
            (void)snprintf(steps, sizeof(steps), "%s/steps-%s.%s.txt", o->out, scn->name,
              detect ? "detect" : "pass");
            sc.estimate = steps;
            sc.estimate_write = true;
        }
        p.sched = &sc;
        p.check_determinism = o->check;
    }
    tpath[0] = '\0';
    if (o->trace != NULL && o->trace_one)
        (void)snprintf(tpath, sizeof(tpath), "%s", o->trace);
    else if (o->trace != NULL)
        (void)snprintf(tpath, sizeof(tpath), "%s.%s.%s.%" PRIu64 ".json", o->trace, scn->name,
          detect ? "detect" : "pass", seed);
    out = __run_child(&p, &rep, detail, sizeof(detail), &ms, tpath[0] != '\0' ? tpath : NULL);
    if (tpath[0] != '\0')
        printf("    trace %s\n", tpath);
    ok = detect ? out == LR_OUT_DETECTED || out == LR_OUT_CRASHED : out == LR_OUT_CLEAN;
    printf("%-22s %-11s seed %-4" PRIu64 " %-8s %s%s[%.2f s]  %s\n", scn->name, exp, seed,
      lr_outcome_names[out], detail, detail[0] != '\0' ? "  " : "", (double)ms / 1000.0,
      ok ? "PASS" : "FAIL");
    if (rep.sched[0] != '\0')
        printf("    scheduler %s%s%s\n", rep.sched, sfile[0] != '\0' ? ", schedule " : "", sfile);
    if (rep.check[0] != '\0')
        printf("    %s\n", rep.check);
    if (ok) {
        t->as_expected++;
        (void)lr_rm_rf(dir);
        if (sfile[0] != '\0' && o->out == NULL)
            (void)unlink(sfile);
    } else {
        t->not_expected++;
        if (out == LR_OUT_ERROR && rep.status == LR_SC_DETECTED && rep.error[0] != '\0')
            printf("    note: %s\n", rep.error);
        depth[0] = '\0';
        if (o->sched.kind == LR_SCHED_PCT)
            (void)snprintf(depth, sizeof(depth), " --depth %d", o->sched.depth);
        if (o->sched.kind == LR_SCHED_FREE)
            printf("    kept %s; replay: " LR_PROG " run --expect %s --seed %" PRIu64 "%s%s %s\n",
              dir, detect ? "detect" : "pass", seed,
              o->policy != LT_POLICY_REJECT ? " --policy " : "",
              o->policy != LT_POLICY_REJECT ? lt_policy_name(o->policy) : "", scn->name);
        else
            printf("    kept %s; replay: " LR_PROG " run --expect %s --seed %" PRIu64
                   " --sched %s%s --schedule %s %s\n",
              dir, detect ? "detect" : "pass", seed, lr_sched_kind_name(o->sched.kind), depth,
              o->schedule != NULL ? o->schedule : sfile, scn->name);
    }
    (void)fflush(stdout);
}

int
lr_scenario_run_main(int argc, char **argv)
{
    static const struct option options[] = {
      {"expect", required_argument, NULL, 'e'},
      {"seed", required_argument, NULL, 's'},
      {"seeds", required_argument, NULL, 'n'},
      {"out", required_argument, NULL, 'o'},
      {"quiet", no_argument, NULL, 'q'},
      {"sched", required_argument, NULL, 'S'},
      {"depth", required_argument, NULL, 'D'},
      {"schedule", required_argument, NULL, 'F'},
      {"check-determinism", no_argument, NULL, 'C'},
      {"policy", required_argument, NULL, 'P'},
      {"trace", required_argument, NULL, 'T'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
    };
    char faults_bin[LR_RUN_PATH];
    lr_run_opts o;
    lr_tally t;
    bool *sel, matched;
    size_t nscn, i, nsel;
    uint64_t s, d;
    int ch, a, pass;

    memset(&o, 0, sizeof(o));
    o.want_pass = o.want_detect = true;
    o.seed = 1;
    o.seeds = 1;
    o.sched.depth = 3;
    o.sched.k_guess = LR_RUN_STEPS_GUESS;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":hq", options, NULL)) != -1) {
        switch (ch) {
        case 'e':
            if (strcmp(optarg, "pass") == 0)
                o.want_detect = false;
            else if (strcmp(optarg, "detect") == 0)
                o.want_pass = false;
            else if (strcmp(optarg, "both") != 0)
                return (__run_bad("--expect wants pass, detect or both, not", optarg));
            break;
        case 's':
            if (!__parse_u64(optarg, 0, UINT64_MAX, &o.seed))
                return (__run_bad("--seed wants a decimal number, not", optarg));
            break;
        case 'n':
            if (!__parse_u64(optarg, 1, 1000000, &o.seeds))
                return (__run_bad("--seeds wants a count from 1 to 1000000, not", optarg));
            break;
        case 'o':
            if (optarg[0] == '\0')
                return (__run_bad("--out wants a directory, not", optarg));
            o.out = optarg;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'S':
            if (lr_sched_kind_parse(optarg, &o.sched.kind) != 0 ||
              o.sched.kind == LR_SCHED_FOLLOW) /* a free stress run's order: stress only */
                return (__run_bad("--sched wants free, random, pct, pos or urw, not", optarg));
            break;
        case 'D':
            if (!__parse_u64(optarg, 1, LR_SCHED_DEPTH_MAX, &d))
                return (__run_bad("--depth wants a depth from 1 to 16, not", optarg));
            o.sched.depth = (int)d;
            break;
        case 'F':
            if (optarg[0] == '\0')
                return (__run_bad("--schedule wants a file, not", optarg));
            if (access(optarg, R_OK) != 0)
                return (__run_bad("--schedule: cannot read the file", optarg));
            o.schedule = optarg;
            break;
        case 'T':
            o.trace = optarg;
            break;
        case 'C':
            o.check = true;
            break;
        case 'P':
            if (lt_policy_parse(optarg, &o.policy) != 0)
                return (
                  __run_bad("--policy wants reject, wait, assert, off, upstream or boundary, not",
                    optarg));
            break;
        case 'h':
            lr_run_usage(stdout);
            return (LR_EXIT_CLEAN);
        case ':':
            return (__run_bad("option needs a value:", argv[optind - 1]));
        default:
            return (__run_bad("unknown option", argv[optind - 1]));
        }
    }
    if (optind >= argc) {
        fprintf(stderr, LR_PROG " run: no scenario named ('" LR_PROG " list' shows them)\n");
        lr_run_usage(stderr);
        return (LR_EXIT_ENV);
    }

    for (nscn = 0; lr_scenarios[nscn].name != NULL; nscn++)
        ;
    if ((sel = calloc(nscn + 1, sizeof(*sel))) == NULL) {
        fprintf(stderr, LR_PROG " run: out of memory\n");
        return (LR_EXIT_ENV);
    }
    for (a = optind; a < argc; a++) {
        matched = false;
        for (i = 0; i < nscn; i++)
            if (fnmatch(argv[a], lr_scenarios[i].name, 0) == 0)
                sel[i] = matched = true;
        if (!matched) {
            fprintf(stderr,
              LR_PROG " run: no scenario matches '%s' ('" LR_PROG " list' shows them)\n", argv[a]);
            free(sel);
            return (LR_EXIT_ENV);
        }
    }
    for (nsel = 0, i = 0; i < nscn; i++)
        nsel += sel[i] ? 1 : 0;
    o.trace_one = nsel == 1 && o.seeds == 1 && !(o.want_pass && o.want_detect);
    if (o.sched.kind == LR_SCHED_FREE && (o.schedule != NULL || o.check)) {
        free(sel);
        return (
          __run_bad("--schedule and --check-determinism need a controlled --sched, not", "free"));
    }
    if (o.schedule != NULL && (nsel != 1 || o.seeds != 1 || (o.want_pass && o.want_detect))) {
        free(sel);
        return (__run_bad("--schedule replays one run: one scenario, one seed, --expect pass or "
                          "detect; not",
          o.schedule));
    }

    printf("# " LR_PROG " run --expect %s --seed %" PRIu64 " --seeds %" PRIu64 "%s%s",
      o.want_pass && o.want_detect ? "both" :
        o.want_pass                ? "pass" :
                                     "detect",
      o.seed, o.seeds, o.out != NULL ? " --out " : "", o.out != NULL ? o.out : "");
    if (o.sched.kind != LR_SCHED_FREE)
        printf(" --sched %s --depth %d%s%s%s", lr_sched_kind_name(o.sched.kind), o.sched.depth,
          o.schedule != NULL ? " --schedule " : "", o.schedule != NULL ? o.schedule : "",
          o.check ? " --check-determinism" : "");
    for (a = optind; a < argc; a++)
        printf(" '%s'", argv[a]);
    printf("\n");
    if (!LR_HAVE_FAULTS && o.want_detect) {
        for (i = 0; i < nscn; i++)
            if (sel[i] && lr_scenarios[i].faults != 0)
                break;
        if (i < nscn && lr_run_faults_beside(faults_bin, sizeof(faults_bin))) {
            o.faults_bin = faults_bin;
            printf("# must-detect runs that need a test-only fault: through %s\n", faults_bin);
        } else if (i < nscn)
            printf("# must-detect runs that need a test-only fault: not run (no layerace-faults "
                   "beside this binary)\n");
    }
    memset(&t, 0, sizeof(t));
    for (i = 0; i < nscn; i++) {
        if (!sel[i])
            continue;
        for (pass = 0; pass < 2; pass++) {
            if ((pass == 0 && !o.want_pass) || (pass == 1 && !o.want_detect))
                continue;
            for (s = 0; s < o.seeds; s++)
                __run_one(&o, &lr_scenarios[i], pass == 1, o.seed + s, &t);
        }
    }
    free(sel);
    printf("# %d run%s: %d as expected, %d not", t.runs, t.runs == 1 ? "" : "s", t.as_expected,
      t.not_expected);
    if (t.cannot != 0)
        printf(", %d could not run", t.cannot);
    if (t.not_run != 0)
        printf("; %d need%s layerace-faults (not run)", t.not_run, t.not_run == 1 ? "s" : "");
    if (t.not_tsan != 0)
        printf("; %d need%s a ThreadSanitizer build (not run)", t.not_tsan,
          t.not_tsan == 1 ? "s" : "");
    printf("\n");
    return (t.not_expected != 0 ? LR_EXIT_FOUND : t.cannot != 0 ? LR_EXIT_ENV : LR_EXIT_CLEAN);
}
