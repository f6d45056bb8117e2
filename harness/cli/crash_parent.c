/*
 * crash_parent.c -- `layerace stress --crash-every SEC`: the run's lives, each in a child (as
 * --fork runs one), the first on a fresh home, each later one recovering the home the previous
 * left (cfg.recover, harness/stress/crash.c). Once a life says it runs ("r ROWS" on the pipe: it
 * recovered and checked ROWS rows), the parent kills it with SIGKILL after a seeded 0.5 to 1.5
 * times SEC; half the kills (seeded) wait for the next transition begin the life announces ("b")
 * and land right after it: mid-transition, a step-up's drain. No kill is planned that would land
 * in the last second of --duration: the last life runs to the end and reports, with the kills
 * survived and the rows the earlier lives checked. A life that found a violation ("v") is not
 * killed: it stops and reports. A life an injected fault ended (exit LR_EXIT_PANICKED: a panic,
 * "p" note, or an error that stopped its recovery) counts as a kill: the next recovers its home.
 * Once a second a life notes its counters ("c", harness/stress/counters.c), which the next life's
 * report adds. A life that ends any other way ends the run as --fork's child.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/stress_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/rng.h"

#define LR_CRASH_TAIL_S 1.0   /* no kill this close to the end: the last life reports */
#define LR_CRASH_WAIT_B_S 1.0 /* a kill waiting for a transition waits no longer */
#define LR_CRASH_STILLBORN 20 /* lives in a row that injected faults end before they run */
#define LR_CRASH_OVER_S 60.0  /* how long past the end lives ended by injected faults may go */

/* One life: its pipe, what it said, the kill planned. */
typedef struct {
    pid_t pid;
    int fd;
    char buf[2048]; /* a "c" line is at most LR_PRIOR_N numbers of 20 digits */
    size_t len;
    bool running, violation, want_b, killed, panicked;
    uint64_t rows, prior[LR_PRIOR_N];
    double kill_at;
} lr_life;

/* Read what the life wrote; act on complete lines. */
static void
__read_notes(lr_life *l, lr_rng *rng, uint64_t every_ms, double end)
{
    char *nl;
    ssize_t n;
    double delay;

    while ((n = read(l->fd, l->buf + l->len, sizeof(l->buf) - 1 - l->len)) > 0) {
        l->len += (size_t)n;
        l->buf[l->len] = '\0';
        while ((nl = strchr(l->buf, '\n')) != NULL) {
            *nl = '\0';
            if (l->buf[0] == 'r' && !l->running) {
                l->running = true;
                l->rows = strtoull(l->buf + 1, NULL, 10);
                delay = (double)(every_ms / 2 + lr_below(rng, every_ms + 1)) / 1000.0;
                l->want_b = lr_chance(rng, 50);
                l->kill_at = lr_now_s() + delay;
                if (l->kill_at + LR_CRASH_TAIL_S + (l->want_b ? LR_CRASH_WAIT_B_S : 0) >= end)
                    l->kill_at = 0; /* the last life */
            } else if (l->buf[0] == 'v')
                l->violation = true;
            else if (l->buf[0] == 'p')
                l->panicked = true;
            else if (l->buf[0] == 'c')
                (void)lr_counts_parse(l->buf, l->prior);
            else if (l->buf[0] == 'b' && l->want_b && l->kill_at != 0 && lr_now_s() >= l->kill_at)
                l->want_b = false, l->kill_at = lr_now_s(); /* now, mid-transition */
            l->len -= (size_t)(nl + 1 - l->buf);
            memmove(l->buf, nl + 1, l->len + 1);
        }
        if (l->len == sizeof(l->buf) - 1)
            l->len = 0; /* no line this long is ever written */
    }
}

/* Watch the life until it ends or is killed; its wait status. */
static int
__watch(lr_life *l, lr_rng *rng, uint64_t every_ms, double end, int *statusp)
{
    struct pollfd pfd;
    double now;
    pid_t r;

    for (;;) {
        pfd.fd = l->fd;
        pfd.events = POLLIN;
        (void)poll(&pfd, 1, 20);
        __read_notes(l, rng, every_ms, end);
        if ((r = waitpid(l->pid, statusp, WNOHANG)) == l->pid)
            return (0);
        if (r < 0 && errno != EINTR)
            return (errno);
        now = lr_now_s();
        if (!l->running || l->violation || l->kill_at == 0 || now < l->kill_at ||
          (l->want_b && now < l->kill_at + LR_CRASH_WAIT_B_S))
            continue;
        (void)kill(l->pid, SIGKILL);
        l->killed = true;
        while ((r = waitpid(l->pid, statusp, 0)) < 0 && errno == EINTR)
            ;
        return (r == l->pid ? 0 : errno);
    }
}

/* Start life number k; 0 or errno. */
static int
__spawn(lr_life *l, lr_options *co, const char *cmdline, double t0)
{
    int fds[2];

    memset(l, 0, sizeof(*l));
    memcpy(l->prior, co->cfg.crash_prior, sizeof(l->prior)); /* if it notes nothing */
    if (pipe(fds) != 0)
        return (errno);
    (void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
    (void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    co->cfg.crash_fd = fds[1];
    fflush(stdout);
    fflush(stderr);
    if ((l->pid = fork()) < 0) {
        (void)close(fds[0]);
        (void)close(fds[1]);
        return (errno);
    }
    if (l->pid == 0) {
        (void)close(fds[0]);
        exit(lr_stress_life(co, cmdline, true, t0));
    }
    (void)close(fds[1]);
    l->fd = fds[0];
    return (0);
}

/* The injected faults of life number k > 0: the same, but for the random draws' seed, so that a
 * life does not meet its predecessor's faults at the same calls (an injected panic would end
 * every life at one point). A SITE@N item applies to every life. */
static void
__life_faults(const char *spec, uint64_t k, char *buf, size_t len)
{
    const char *p, *seed = NULL;
    uint64_t base;

    if (spec == NULL) {
        buf[0] = '\0';
        return;
    }
    for (p = spec; (p = strstr(p, "seed=")) != NULL; p++)
        if (p == spec || p[-1] == ',')
            seed = p + 5; /* the last one counts, as in the library's parser */
    base = seed != NULL ? strtoull(seed, NULL, 0) : 1;
    (void)snprintf(buf, len, "%s,seed=%" PRIu64, spec, base + k * 1000003u);
}

int
lr_crash_run(const lr_options *o, const char *cmdline, double t0)
{
    lr_options *co;
    lr_life life;
    lr_rng rng;
    char what[256], faults[sizeof(o->wt_faults) + 32];
    double end, left;
    int status, err, ret, stillborn = 0;
    bool faulted;

    if ((co = malloc(sizeof(*co))) == NULL) {
        fprintf(stderr, "layerace stress: out of memory\n");
        return (LR_EXIT_ENV);
    }
    *co = *o;
    co->cfg.durlog = co->durlog;
    co->cfg.dir = co->dbdir;
    (void)unlink(co->durlog); /* an earlier run's: the home it belonged to is gone */
    lr_rng_init(&rng, o->cfg.seed, 0xc4a5u);
    end = lr_now_s() + (double)o->cfg.duration_ms / 1000.0;
    for (;;) {
        left = end - lr_now_s();
        co->cfg.duration_ms = left > 0.1 ? (uint64_t)(left * 1000.0) : 100;
        if ((err = __spawn(&life, co, cmdline, t0)) != 0) {
            fprintf(stderr, "layerace stress: cannot start a life of the run: %s\n", strerror(err));
            free(co);
            return (LR_EXIT_ENV);
        }
        lr_sig_forward_to((int)life.pid);
        err = __watch(&life, &rng, o->cfg.crash_every_ms, end, &status);
        lr_sig_forward_to(0);
        (void)close(life.fd);
        if (err != 0) {
            fprintf(stderr, "layerace stress: waitpid %d: %s\n", (int)life.pid, strerror(err));
            free(co);
            return (LR_EXIT_ENV);
        }
        faulted = !life.killed && WIFEXITED(status) && WEXITSTATUS(status) == LR_EXIT_PANICKED;
        if (!life.killed && !faulted)
            break;
        stillborn = life.running ? 0 : stillborn + 1;
        if (faulted && (stillborn == LR_CRASH_STILLBORN || lr_now_s() > end + LR_CRASH_OVER_S)) {
            fprintf(stderr,
              "layerace stress: %d lives in a row, or lives past the run's end, ended on injected "
              "faults (%s): the faults stop every recovery; use a lower rate or another site\n",
              stillborn, o->cfg.wt_faults);
            free(co);
            return (LR_EXIT_ENV);
        }
        co->cfg.recover = true;
        co->cfg.crash_kills++;
        co->cfg.crash_panics += life.panicked ? 1 : 0;
        co->cfg.crash_rows += life.rows;
        memcpy(co->cfg.crash_prior, life.prior, sizeof(life.prior));
        __life_faults(o->cfg.wt_faults, co->cfg.crash_kills, faults, sizeof(faults));
        co->cfg.wt_faults = o->cfg.wt_faults != NULL ? faults : NULL;
    }
    free(co);
    if (WIFEXITED(status) && WEXITSTATUS(status) <= LR_EXIT_ENV) {
        ret = WEXITSTATUS(status);
        if (ret == LR_EXIT_CLEAN && !o->keep)
            (void)unlink(o->durlog);
        return (ret);
    }
    if (WIFSIGNALED(status))
        snprintf(what, sizeof(what), "a life of the run (pid %d) died on signal %d", (int)life.pid,
          WTERMSIG(status));
    else
        snprintf(what, sizeof(what), "a life of the run (pid %d) ended with wait status 0x%x",
          (int)life.pid, (unsigned)status);
    lr_stress_crash_report(o, cmdline, what, t0);
    return (LR_EXIT_FOUND);
}
