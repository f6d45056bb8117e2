/*
 * stress_signal.c -- signals during a stress run: a graceful stop on SIGINT/SIGTERM/SIGHUP, and
 * a crash note on a fatal signal.
 *
 * Everything the handlers touch is prepared before the run starts (lr_sig_arm) and lives in
 * static storage; the handlers use only async-signal-safe calls (open, write, close, getpid,
 * clock_gettime through lr_now_ns, kill, signal, raise) and format numbers themselves.
 *
 * Shared state and who changes it:
 *   stop_run      the main thread stores it (lr_sig_set_run); a stop handler loads it and calls
 *                 lr_stress_stop, which is one atomic store. Atomic pointer. The run's threads
 *                 start with the stop signals blocked (lr_sig_block_stops), so the handler runs
 *                 on the main thread, and cannot race with lr_stress_finish freeing the run.
 *   stop_sig      a stop handler sets it once; the main thread polls it. Atomic int.
 *   last          the main thread copies the counters in once a second; a fatal handler reads it,
 *                 and a torn read only makes the note's "last progress" line approximate.
 *   note, tail    written by lr_sig_arm before the handlers are installed; read-only after.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/stress_int.h"
#include "common/clock.h"

static _Atomic(lr_run *) stop_run;
static atomic_int stop_sig;
static uint64_t stop_first_ns; /* when the first stop signal came (handler only) */
static volatile sig_atomic_t in_fatal;
static volatile sig_atomic_t forward_pid;
static bool quiet_crash;

static lr_counters last;
static char note_path[LR_PATH_MAX];
static char note_head[16384]; /* the crash note after its "signal:" line */
static char err_tail[12288];  /* stderr lines after "fatal signal X" */

static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS};
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
lr_sig_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return ("SIGSEGV");
    case SIGBUS:
        return ("SIGBUS");
    case SIGILL:
        return ("SIGILL");
    case SIGFPE:
        return ("SIGFPE");
    case SIGABRT:
        return ("SIGABRT");
    case SIGSYS:
        return ("SIGSYS");
    case SIGKILL:
        return ("SIGKILL");
    case SIGINT:
        return ("SIGINT");
    case SIGTERM:
        return ("SIGTERM");
    case SIGHUP:
        return ("SIGHUP");
    case SIGQUIT:
        return ("SIGQUIT");
    case SIGPIPE:
        return ("SIGPIPE");
    case SIGTRAP:
        return ("SIGTRAP");
    case SIGXCPU:
        return ("SIGXCPU");
    case SIGXFSZ:
        return ("SIGXFSZ");
    case SIGALRM:
        return ("SIGALRM");
    case SIGUSR1:
        return ("SIGUSR1");
    case SIGUSR2:
        return ("SIGUSR2");
    }
    return ("SIG?");
}

/* __put -- append s to buf (size len) at *at; async-signal-safe. */
static void
__put(char *buf, size_t len, size_t *at, const char *s)
{
    while (*s != '\0' && *at + 1 < len)
        buf[(*at)++] = *s++;
    buf[*at] = '\0';
}

/* __put_u64 -- append v in decimal; async-signal-safe. */
static void
__put_u64(char *buf, size_t len, size_t *at, uint64_t v)
{
    char digits[24];
    int n;

    n = (int)sizeof(digits) - 1;
    digits[n] = '\0';
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    __put(buf, len, at, digits + n);
}

static void
__write_all(int fd, const char *s, size_t n)
{
    ssize_t w;

    while (n > 0) {
        w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void
__fatal_handler(int sig)
{
    char buf[512];
    size_t at;
    int fd, saved_errno;

    saved_errno = errno;
    if (in_fatal) /* a fault while writing the note: give up on it */
        goto die;
    in_fatal = 1;

    at = 0;
    __put(buf, sizeof(buf), &at, "signal: ");
    __put(buf, sizeof(buf), &at, lr_sig_name(sig));
    __put(buf, sizeof(buf), &at, " (");
    __put_u64(buf, sizeof(buf), &at, (uint64_t)sig);
    __put(buf, sizeof(buf), &at, ")\npid: ");
    __put_u64(buf, sizeof(buf), &at, (uint64_t)getpid());
    __put(buf, sizeof(buf), &at, "\nlast progress: ");
    __put_u64(buf, sizeof(buf), &at, last.elapsed_ms / 1000);
    __put(buf, sizeof(buf), &at, " s, ops ");
    __put_u64(buf, sizeof(buf), &at, last.ops);
    __put(buf, sizeof(buf), &at, ", transitions ");
    __put_u64(buf, sizeof(buf), &at, last.transitions);
    __put(buf, sizeof(buf), &at, ", rejected ");
    __put_u64(buf, sizeof(buf), &at, last.rejected);
    __put(buf, sizeof(buf), &at, ", waited ");
    __put_u64(buf, sizeof(buf), &at, last.waited);
    __put(buf, sizeof(buf), &at, ", violations ");
    __put_u64(buf, sizeof(buf), &at, last.violations);
    __put(buf, sizeof(buf), &at, "\n");

    fd = open(note_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        __write_all(fd, "layerace crash note\n", 20);
        __write_all(fd, buf, at);
        __write_all(fd, note_head, strlen(note_head));
        close(fd);
    }
    if (!quiet_crash) {
        at = 0;
        __put(buf, sizeof(buf), &at, "\nlayerace: fatal signal ");
        __put(buf, sizeof(buf), &at, lr_sig_name(sig));
        __put(buf, sizeof(buf), &at, " during the run\n");
        __write_all(STDERR_FILENO, buf, at);
        __write_all(STDERR_FILENO, err_tail, strlen(err_tail));
    }

die:
    errno = saved_errno;
    signal(sig, SIG_DFL);
    raise(sig); /* blocked until the handler returns; then the default action */
}

static void
__stop_handler(int sig)
{
    static const char msg[] =
      "\nlayerace: stopping the run (send the signal again a second from now to kill it)\n";
    uint64_t now;
    lr_run *run;
    int saved_errno;

    saved_errno = errno;
    now = lr_now_ns(); /* async-signal-safe */
    if (atomic_load(&stop_sig) != 0) {
        /* Ctrl-C reaches both a --fork parent and its child, which forwards it: ignore repeats
         * within a second; a later one means "now". */
        if (now - stop_first_ns >= 1000000000u) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
        errno = saved_errno;
        return;
    }
    stop_first_ns = now;
    atomic_store(&stop_sig, sig);
    __write_all(STDERR_FILENO, msg, sizeof(msg) - 1);
    if ((run = atomic_load(&stop_run)) != NULL)
        lr_stress_stop(run);
    errno = saved_errno;
}

static void
__forward_handler(int sig)
{
    int saved_errno;

    saved_errno = errno;
    if (forward_pid > 0)
        kill((pid_t)forward_pid, sig);
    errno = saved_errno;
}

static void
__install(const int *sigs, size_t n, void (*fn)(int))
{
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (i = 0; i < n; i++)
        sigaction(sigs[i], &sa, NULL);
}

void
lr_sig_arm(const lr_options *o, const char *cmdline, const char *replay, bool quiet_stderr)
{
    static char altstack[64 * 1024];
    stack_t ss;

    snprintf(note_path, sizeof(note_path), "%s", o->crash);
    snprintf(note_head, sizeof(note_head),
      "command: %s\n"
      "repro: %s\n"
      "database: %s (left as the crash left it)\n"
      "replay: %s\n",
      cmdline, o->repro, o->dbdir, replay);
    snprintf(err_tail, sizeof(err_tail),
      "layerace: crash note: %s\n"
      "layerace: repro file: %s\n"
      "layerace: replay: %s\n",
      o->crash, o->repro, replay);
    quiet_crash = quiet_stderr;
    memset(&last, 0, sizeof(last));
    atomic_store(&stop_sig, 0);

    /* The main thread's overflowed stack can still run the handler. */
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);

    __install(stop_sigs, NELEM(stop_sigs), __stop_handler);
    {
        struct sigaction sa;
        size_t i;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = __fatal_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_ONSTACK;
        for (i = 0; i < NELEM(fatal_sigs); i++)
            sigaction(fatal_sigs[i], &sa, NULL);
    }
}

void
lr_sig_set_run(lr_run *run)
{
    atomic_store(&stop_run, run);
    /* A stop signal that came before the run existed. */
    if (run != NULL && atomic_load(&stop_sig) != 0)
        lr_stress_stop(run);
}

void
lr_sig_block_stops(bool block)
{
    sigset_t set;
    size_t i;

    sigemptyset(&set);
    for (i = 0; i < NELEM(stop_sigs); i++)
        sigaddset(&set, stop_sigs[i]);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int
lr_sig_stop_requested(void)
{
    return (atomic_load(&stop_sig));
}

void
lr_sig_progress(const lr_counters *c)
{
    last = *c;
}

void
lr_sig_disarm(void)
{
    size_t i;

    atomic_store(&stop_run, NULL);
    for (i = 0; i < NELEM(fatal_sigs); i++)
        signal(fatal_sigs[i], SIG_DFL);
    for (i = 0; i < NELEM(stop_sigs); i++)
        signal(stop_sigs[i], SIG_DFL);
}

void
lr_sig_forward_to(int pid)
{
    forward_pid = pid;
    __install(stop_sigs, NELEM(stop_sigs), pid > 0 ? __forward_handler : SIG_DFL);
}

int
lr_sig_note_append(const char *path, const char *text)
{
    FILE *fp;
    int ret;

    if ((fp = fopen(path, "a")) == NULL)
        return (errno);
    fputs(text, fp);
    ret = fclose(fp) == 0 ? 0 : errno;
    return (ret);
}
