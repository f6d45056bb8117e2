/*
 * cmd_stress.c -- `layerace stress [OPTIONS]` and `layerace replay FILE [OPTIONS]`.
 *
 * The order of things, so that nothing that can go wrong happens before the run can be repeated:
 *   1. read the knobs (defaults, then the repro file for replay, then the command line), draw the
 *      seed if none was given;
 *   2. print the configuration as a command line: the first line of the output;
 *   3. create --out, refuse an existing OUT/db-SEED, write OUT/repro-SEED.conf;
 *   4. run: here, or in a child with --fork (the parent waits and reports a crash);
 *   5. progress once a second on a terminal, then lr_stress_finish, the summary, the JSON report;
 *      a clean run removes OUT/db-SEED unless --keep.
 *   4b. or with --crash-every, in children killed and recovered (crash.c);
 * the run in this process and the crash report are in stress_life.c.
 */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd_stress.h"
#include "cli/stress_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "cli/follow.h"
#include "cli/shrink.h"
#include "cli/stress_sched.h"
#include "cli/watchdog.h"
#include "stress/checker.h"
#include "trace/trace.h"

/* __run_forked -- --fork: the engine runs in a child; its output passes through. */
static int
__run_forked(const lr_options *o, const char *cmdline, double t0)
{
    char what[256];
    pid_t pid;
    int status, code, sig;

    fflush(stdout);
    fflush(stderr);
    if ((pid = fork()) < 0) {
        fprintf(stderr, "layerace stress: fork: %s\n", strerror(errno));
        return (LR_EXIT_ENV);
    }
    if (pid == 0) {
        /* exit, not _exit: stdio is flushed and LeakSanitizer checks the child too. */
        exit(lr_stress_life(o, cmdline, true, t0));
    }
    lr_sig_forward_to((int)pid);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "layerace stress: waitpid %d: %s\n", (int)pid, strerror(errno));
            lr_sig_forward_to(0);
            return (LR_EXIT_ENV);
        }
    lr_sig_forward_to(0);

    if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
        if (code <= LR_EXIT_ENV)
            return (code);
        snprintf(what, sizeof(what),
          "the run (pid %d) ended with exit status %d, which layerace never uses: a sanitizer "
          "report (ThreadSanitizer exits 66) or an exit() in the system under test",
          (int)pid, code);
    } else if (WIFSIGNALED(status)) {
        sig = WTERMSIG(status);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            /* The user insisted: end the same way. */
            fprintf(stderr, "layerace stress: the run (pid %d) was killed by %s\n", (int)pid,
              lr_sig_name(sig));
            signal(sig, SIG_DFL);
            raise(sig);
            return (LR_EXIT_ENV);
        }
        snprintf(what, sizeof(what), "the run (pid %d) died on signal %s (%d)%s", (int)pid,
          lr_sig_name(sig), sig, WCOREDUMP(status) ? ", core dumped" : "");
    } else
        snprintf(what, sizeof(what), "the run (pid %d) ended with wait status 0x%x", (int)pid,
          (unsigned)status);
    lr_stress_crash_report(o, cmdline, what, t0);
    return (LR_EXIT_FOUND);
}

/* __stress_command -- steps 1 to 4, from options already read. */
static int
__stress_command(lr_options *o, double t0)
{
    char cmdline[CMDLINE_MAX];
    int ret;

    if ((ret = lr_options_finish(o)) != 0 || (ret = lr_stress_sched_prepare(o)) != 0)
        return (ret);
    lr_options_cmdline(o, cmdline, sizeof(cmdline));
    printf("%s\n", cmdline);
    fflush(stdout);

    if ((ret = lr_mkdir_p(o->out)) != 0) {
        fprintf(stderr, "layerace stress: cannot create --out %s: %s\n", o->out, strerror(ret));
        return (LR_EXIT_ENV);
    }
    if (access(o->dbdir, F_OK) == 0 || errno != ENOENT) {
        fprintf(stderr,
          "layerace stress: %s exists (an earlier run with seed %llu left it): remove it "
          "(rm -rf %s) or give another --out\n",
          o->dbdir, (unsigned long long)o->cfg.seed, o->dbdir);
        return (LR_EXIT_ENV);
    }
    if ((ret = lr_options_save(o)) != 0)
        return (ret);
    printf("repro file: %s\n", o->repro);
    fflush(stdout);
    if (o->dry_run)
        return (LR_EXIT_CLEAN);
    if (o->cfg.crash_every_ms != 0)
        return (lr_crash_run(o, cmdline, t0));
    if (o->fork)
        return (__run_forked(o, cmdline, t0));
    return (lr_stress_life(o, cmdline, false, t0));
}

int
lr_stress_main(int argc, char **argv)
{
    lr_options *o;
    double t0;
    int ret;

    t0 = lr_now_s();
    if ((o = malloc(sizeof(*o))) == NULL) {
        fprintf(stderr, "layerace stress: out of memory\n");
        return (LR_EXIT_ENV);
    }
    lr_options_init(o);
    ret = lr_options_parse(o, argc, argv, false, NULL);
    if (ret == 0)
        ret = __stress_command(o, t0);
    else if (ret < 0)
        ret = 0; /* --help */
    free(o);
    return (ret);
}

int
lr_stress_replay_main(int argc, char **argv)
{
    lr_options *o, *cli;
    const char *file;
    double t0;
    int ret;

    t0 = lr_now_s();
    o = malloc(sizeof(*o));
    cli = malloc(sizeof(*cli));
    if (o == NULL || cli == NULL) {
        fprintf(stderr, "layerace replay: out of memory\n");
        free(o);
        free(cli);
        return (LR_EXIT_ENV);
    }
    /*
     * The file comes first and the command line overrides it, but the file's name is on the
     * command line: parse the command line once to find it (and to reject bad options before
     * reading anything), then again on top of the file.
     */
    lr_options_init(cli);
    file = NULL;
    ret = lr_options_parse(cli, argc, argv, true, &file);
    if (ret == 0) {
        lr_options_init(o);
        ret = lr_options_load(o, file);
    }
    if (ret == 0 && !o->given[LR_KNOB_seed]) {
        fprintf(stderr, "layerace replay: %s names no seed: not a repro file\n", file);
        ret = LR_EXIT_ENV;
    }
    if (ret == 0)
        ret = lr_options_parse(o, argc, argv, true, &file);
    if (ret == 0)
        ret = __stress_command(o, t0);
    else if (ret < 0)
        ret = 0; /* --help */
    free(o);
    free(cli);
    return (ret);
}
