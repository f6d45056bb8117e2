/*
 * scenario_faults.c -- `layerace run`'s must-detect runs whose hazard is a test-only fault: the
 * product binary runs them through the layerace-faults beside it (scenario_run.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/scenario_run_int.h"
#include "common/exit.h"

/*
 * lr_run_faults_beside --
 *     The path of layerace-faults in the directory of the running binary, if it is there and
 *     executable.
 */
bool
lr_run_faults_beside(char *buf, size_t len)
{
    char self[LR_RUN_PATH], *slash;
    ssize_t n;

    if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
        return (false);
    self[n] = '\0';
    if ((slash = strrchr(self, '/')) == NULL)
        return (false);
    *slash = '\0';
    if ((size_t)snprintf(buf, len, "%s/layerace-faults", self) >= len)
        return (false);
    return (access(buf, X_OK) == 0);
}

/*
 * lr_run_faults_bin --
 *     One must-detect run through layerace-faults: its run lines pass through (not its "# "
 *     header and summary); its exit status says how the run went.
 */
void
lr_run_faults_bin(const lr_run_opts *o, const lr_scenario *scn, uint64_t seed, lr_tally *t)
{
    /* execv wants char *: the strings it gets are copies this frame owns. */
    char a_prog[] = "layerace-faults", a_run[] = "run", a_expect[] = "--expect",
         a_detect[] = "detect", a_seed[] = "--seed", a_out[] = "--out", a_quiet[] = "--quiet";
    char a_sched[] = "--sched", a_depth[] = "--depth", a_schedule[] = "--schedule",
         a_check[] = "--check-determinism";
    char seedbuf[32], line[4096], outbuf[4096], namebuf[128], kindbuf[16], depthbuf[16],
      schedbuf[4096];
    char *args[24];
    FILE *fp;
    pid_t pid;
    int fds[2], n, status;

    n = 0;
    (void)snprintf(seedbuf, sizeof(seedbuf), "%" PRIu64, seed);
    args[n++] = a_prog;
    args[n++] = a_run;
    args[n++] = a_expect;
    args[n++] = a_detect;
    args[n++] = a_seed;
    args[n++] = seedbuf;
    if (o->out != NULL) {
        (void)snprintf(outbuf, sizeof(outbuf), "%s", o->out);
        args[n++] = a_out;
        args[n++] = outbuf;
    }
    if (o->quiet)
        args[n++] = a_quiet;
    if (o->sched.kind != LR_SCHED_FREE) {
        (void)snprintf(kindbuf, sizeof(kindbuf), "%s", lr_sched_kind_name(o->sched.kind));
        (void)snprintf(depthbuf, sizeof(depthbuf), "%d", o->sched.depth);
        args[n++] = a_sched;
        args[n++] = kindbuf;
        args[n++] = a_depth;
        args[n++] = depthbuf;
        if (o->schedule != NULL) {
            (void)snprintf(schedbuf, sizeof(schedbuf), "%s", o->schedule);
            args[n++] = a_schedule;
            args[n++] = schedbuf;
        }
        if (o->check)
            args[n++] = a_check;
    }
    (void)snprintf(namebuf, sizeof(namebuf), "%s", scn->name);
    args[n++] = namebuf;
    args[n] = NULL;

    (void)fflush(stdout);
    (void)fflush(stderr);
    if (pipe(fds) != 0) {
        fprintf(stderr, LR_PROG " run: pipe: %s\n", strerror(errno));
        t->cannot++;
        return;
    }
    if ((pid = fork()) < 0) {
        fprintf(stderr, LR_PROG " run: cannot start %s: %s\n", o->faults_bin, strerror(errno));
        (void)close(fds[0]);
        (void)close(fds[1]);
        t->cannot++;
        return;
    }
    if (pid == 0) {
        (void)close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(2);
        (void)close(fds[1]);
        execv(o->faults_bin, args);
        fprintf(stderr, LR_PROG " run: cannot run %s: %s\n", o->faults_bin, strerror(errno));
        _exit(2);
    }
    (void)close(fds[1]);
    if ((fp = fdopen(fds[0], "r")) != NULL) {
        while (fgets(line, sizeof(line), fp) != NULL)
            if (strncmp(line, "# ", 2) != 0)
                fputs(line, stdout);
        (void)fclose(fp);
    } else
        (void)close(fds[0]);
    (void)fflush(stdout);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        t->as_expected++;
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
        t->not_expected++;
    else {
        printf("%-22s %-11s seed %-4" PRIu64 " error    %s ended with %s %d  FAIL\n", scn->name,
          "must-detect", seed, o->faults_bin, WIFEXITED(status) ? "exit status" : "signal",
          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        t->cannot++;
    }
}
