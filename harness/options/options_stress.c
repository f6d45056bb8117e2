/*
 * options_stress.c -- the configuration of `layerace stress` and of its `replay`: the table of
 * knobs.h over lr_options, the rules across its knobs, the artefact paths, and the usage texts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options/options_int.h"

static const lr_knob_name __policy_names[] = {
  {"reject", LT_POLICY_REJECT},
  {"wait", LT_POLICY_WAIT},
  {"assert", LT_POLICY_ASSERT},
  {"off", LT_POLICY_OFF},
  {"upstream", LT_POLICY_UPSTREAM},
  {"boundary", LT_POLICY_BOUNDARY},
  {"rotate", LR_POLICY_ROTATE},
  {NULL, 0},
};

static const lr_knob_name __sched_names[] = {
  {"free", LR_SCHED_FREE},
  {"random", LR_SCHED_RANDOM},
  {"pct", LR_SCHED_PCT},
  {"pos", LR_SCHED_POS},
  {"urw", LR_SCHED_URW},
  {"follow", LR_SCHED_FOLLOW},
  {NULL, 0},
};

const lr_knob_name lr_stress_fault_names[] = {
  {"drop_not_atomic", LT_FAULT_DROP_NOT_ATOMIC},
  {"commit_no_gate", LT_FAULT_COMMIT_NO_GATE},
  {"write_role_reread", LT_FAULT_WRITE_ROLE_REREAD},
  {"txn_strand", LT_FAULT_TXN_STRAND},
  {"stepdown_leak", LT_FAULT_STEPDOWN_LEAK},
  {"hook_at_lock", LT_FAULT_HOOK_AT_LOCK},
  {"oracle_keeps_rows", LR_FAULT_ORACLE_KEEPS},
  {"wait_in_section", LT_FAULT_WAIT_IN_SECTION},
  {"pickup_stale_bind", LT_FAULT_PICKUP_STALE_BIND},
  {"drop_lock_invert", LT_FAULT_DROP_LOCK_INVERT},
  {"gc_no_ref", LT_FAULT_GC_NO_REF},
  {"bg_no_recheck", LT_FAULT_BG_NO_RECHECK},
  {"flag_plain_read", LT_FAULT_FLAG_PLAIN_READ},
  {"wtf_ignored", LT_FAULT_WTF_IGNORED},
  {"drain_open_only", LT_FAULT_DRAIN_OPEN_ONLY},
  {"ckpt_unlocked", LT_FAULT_CKPT_UNLOCKED},
  {"pickup_research", LT_FAULT_PICKUP_RESEARCH},
  {"unbound_no_pin", LT_FAULT_UNBOUND_NO_PIN},
  {"role_keep_view", LT_FAULT_ROLE_KEEP_VIEW},
  {"stable_no_config", LT_FAULT_STABLE_NO_CONFIG},
  {"drain_conflict", LT_FAULT_DRAIN_CONFLICT},
  {"txn_role_only", LT_FAULT_TXN_ROLE_ONLY},
  {"commit_past_boundary", LT_FAULT_COMMIT_PAST_BOUNDARY},
  {"restart_stale_view", LT_FAULT_RESTART_STALE_VIEW},
  {"ack_before_durable", LT_FAULT_ACK_BEFORE_DURABLE},
  {NULL, 0},
};

#define KNOB_ENTRY(...) LR_KNOB_ENTRY(lr_options, __VA_ARGS__)
#define KNOB_CHECK(...) LR_KNOB_CHECK(lr_options, __VA_ARGS__)
static const lr_knob __knobs[LR_KNOB_COUNT] = {LR_KNOBS(KNOB_ENTRY)};
LR_KNOBS(KNOB_CHECK)
#undef KNOB_ENTRY
#undef KNOB_CHECK

/* __layer_done -- --ops without --duration in the same layer means no time limit. */
static void
__layer_done(void *arg, const bool *layer)
{
    lr_options *o = arg;

    if (layer[LR_KNOB_ops] && !layer[LR_KNOB_duration])
        o->cfg.duration_ms = 0;
}

const lr_knob_table lr_stress_knobs = {"stress", __knobs, LR_KNOB_COUNT,
  offsetof(lr_options, given), __layer_done};

static int
__cores_default_threads(void)
{
    int n;

    n = 2 * lr_cores();
    return (n < 1 ? 1 : n > 256 ? 256 : n);
}

void
lr_options_init(lr_options *o)
{
    memset(o, 0, sizeof(*o));
    lr_knobs_init(&lr_stress_knobs, o);
    o->cfg.threads = __cores_default_threads();
}

int
lr_options_parse(lr_options *o, int argc, char **argv, bool want_file, const char **filep)
{
    return (lr_knobs_parse(&lr_stress_knobs, o, argc, argv, want_file ? filep : NULL,
      want_file ? lr_options_replay_usage : lr_options_usage));
}

int
lr_options_load(lr_options *o, const char *path)
{
    return (lr_knobs_load(&lr_stress_knobs, o, path, NULL, NULL));
}

/* __join_path -- buf = DIR/NAME-SEED followed by ext ("" or ".txt"). */
static int
__join_path(char *buf, const char *dir, const char *name, uint64_t seed, const char *ext)
{
    int n;

    n = snprintf(buf, LR_PATH_MAX, "%s/%s-%" PRIu64 "%s", dir, name, seed, ext);
    if (n < 0 || n >= LR_PATH_MAX) {
        fprintf(stderr, "%s stress: --out %s: the path is too long\n", LR_PROG, dir);
        return (LR_EXIT_ENV);
    }
    return (0);
}

/* __thread_ops -- --thread-ops LIST into cfg: one count per thread, in thread order. */
static int
__thread_ops(lr_options *o)
{
    const char *p = o->thread_ops;
    char *end;
    unsigned long v;
    int n = 0;

    o->cfg.nthread_ops = 0;
    if (*p == '\0')
        return (0);
    for (;;) {
        errno = 0;
        v = strtoul(p, &end, 10);
        if (end == p || errno != 0 || v > UINT32_MAX || (*end != ',' && *end != '\0') ||
          n == LR_THREAD_OPS_MAX || n == 1 + o->cfg.threads + o->cfg.data_threads) {
            fprintf(stderr,
              "%s stress: --thread-ops %s: expected at most %d counts (one per thread: the "
              "controller, %d schema and %d data workers), comma-separated\n",
              LR_PROG, o->thread_ops, 1 + o->cfg.threads + o->cfg.data_threads, o->cfg.threads,
              o->cfg.data_threads);
            return (LR_EXIT_ENV);
        }
        o->cfg.thread_ops[n++] = (uint32_t)v;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    o->cfg.nthread_ops = n;
    return (0);
}

int
lr_options_finish(lr_options *o)
{
    size_t n;
    int ret;

    if (!o->given[LR_KNOB_seed] && (ret = lr_knobs_draw_seed("stress", &o->cfg.seed)) != 0)
        return (ret);
    o->given[LR_KNOB_seed] = true;
    if (o->cfg.duration_ms == 0 && o->cfg.ops == 0) {
        fprintf(stderr, "%s stress: nothing ends the run: give --duration SEC > 0 or --ops N > 0\n",
          LR_PROG);
        lr_options_usage(stderr);
        return (LR_EXIT_ENV);
    }
    /* "dir/" and "dir" name the same directory; keep printed paths tidy. */
    for (n = strlen(o->out); n > 1 && o->out[n - 1] == '/'; n--)
        o->out[n - 1] = '\0';
    if (o->out[0] == '\0') {
        fprintf(stderr, "%s stress: --out needs a directory\n", LR_PROG);
        lr_options_usage(stderr);
        return (LR_EXIT_ENV);
    }
    if ((ret = __join_path(o->dbdir, o->out, "db", o->cfg.seed, "")) != 0 ||
      (ret = __join_path(o->repro, o->out, "repro", o->cfg.seed, ".conf")) != 0 ||
      (ret = __join_path(o->crash, o->out, "crash", o->cfg.seed, ".txt")) != 0 ||
      (ret = __join_path(o->durlog, o->out, "durlog", o->cfg.seed, ".bin")) != 0)
        return (ret);
    if (o->cfg.crash_every_ms != 0 && o->cfg.sched.kind != LR_SCHED_FREE) {
        fprintf(stderr, "%s stress: --crash-every kills a free run: it needs --sched free\n",
          LR_PROG);
        lr_options_usage(stderr);
        return (LR_EXIT_ENV);
    }
    o->cfg.dir = o->dbdir;
    o->cfg.stop_on = o->stop_on[0] != '\0' ? o->stop_on : NULL;
    o->cfg.wt_faults = o->wt_faults[0] != '\0' ? o->wt_faults : NULL;
    if (lt_wtfault_check(o->cfg.wt_faults, NULL, 0) != 0) {
        fprintf(stderr, "%s stress: --wt-faults: %s\n", LR_PROG, lt_last_error());
        return (LR_EXIT_ENV);
    }
    /* A panicked WiredTiger does no more work until its process restarts and recovers, which
     * only the crash mode does. */
    if (lt_wtfault_spec_has(o->cfg.wt_faults, LT_WTF_PANIC) == 1 && o->cfg.crash_every_ms == 0) {
        fprintf(stderr,
          "%s stress: --wt-faults: an injected panic needs --crash-every SEC: a process whose "
          "WiredTiger panicked must restart and recover its home, which the crash mode does\n",
          LR_PROG);
        return (LR_EXIT_ENV);
    }
    if (o->trace[0] != '\0')
        snprintf(o->trace_out, sizeof(o->trace_out), "%s", o->trace);
    else if ((ret = __join_path(o->trace_out, o->out, "trace", o->cfg.seed, ".json")) != 0)
        return (ret);
    return (__thread_ops(o));
}

void
lr_options_set_thread_ops(lr_options *o, const uint32_t *v, int n)
{
    size_t off = 0;
    int i;

    o->thread_ops[0] = '\0';
    for (i = 0; i < n && i < LR_THREAD_OPS_MAX; i++) {
        o->cfg.thread_ops[i] = v[i];
        off += (size_t)snprintf(o->thread_ops + off, sizeof(o->thread_ops) - off, "%s%" PRIu32,
          i == 0 ? "" : ",", v[i]);
    }
    o->cfg.nthread_ops = n < LR_THREAD_OPS_MAX ? n : LR_THREAD_OPS_MAX;
    o->given[LR_KNOB_thread_ops] = n > 0;
}

void
lr_options_cmdline(const lr_options *o, char *buf, size_t len)
{
    lr_knobs_cmdline(&lr_stress_knobs, o, buf, len);
}

int
lr_options_save(const lr_options *o)
{
    char header[8192 + 2 * LR_PATH_MAX], cmd[8192], pol[512];

    lr_options_cmdline(o, cmd, sizeof(cmd));
    lr_options_policies(&o->cfg, pol, sizeof(pol));
    snprintf(header, sizeof(header),
      "# %s repro file: replay with `%s replay %s`\n"
      "# the run: %s\n"
      "# policies: %s\n",
      LR_PROG, LR_PROG, o->repro, cmd, pol);
    return (lr_knobs_save(&lr_stress_knobs, o, o->repro, header, NULL, NULL));
}

void
lr_options_policies(const lr_config *cfg, char *buf, size_t len)
{
    size_t n;
    int i;

    buf[0] = '\0';
    for (i = 0, n = 0; i < cfg->nodes && n < len; i++, n = strlen(buf))
        (void)snprintf(buf + n, len - n, "%snode %d %s", i == 0 ? "" : ", ", i,
          lt_policy_name(lr_node_policy(cfg, i)));
}

void
lr_options_json(const lr_options *o, lr_json *j)
{
    lr_knobs_json(&lr_stress_knobs, o, j);
}

void
lr_options_usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s stress [OPTIONS]\n"
      "\n"
      "Run schema workers, data workers and a controller (step-down, step-up, checkpoints,\n"
      "pickups) against liblayered with seeded delays at its yield points, then check the\n"
      "role-transition contract (I1, I4, I5, I7). The first line printed is a command that\n"
      "repeats the run; the same configuration is saved as OUT/repro-SEED.conf before the run\n"
      "starts (replay it with `%s replay FILE`).\n"
      "\n",
      LR_PROG, LR_PROG);
    lr_knobs_usage(&lr_stress_knobs, fp);
    fprintf(fp,
      "\n"
      "Exit status: 0 clean, 1 violation found (or the run crashed), 2 usage or environment\n"
      "error.\n");
}

void
lr_options_replay_usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s replay FILE [OPTIONS]\n"
      "\n"
      "Run `stress` again with the configuration saved in FILE (a repro-SEED.conf that stress\n"
      "writes under --out before its run starts: one knob=value per line, each knob at most\n"
      "once). Options given on the command line override the file's, e.g. --out DIR, --fork,\n"
      "--dry-run. A cursor run's repro file (cursor-repro-SEED.txt) replays the cursor mode:\n"
      "see `%s cursor --help`.\n"
      "\n",
      LR_PROG, LR_PROG);
    lr_knobs_usage(&lr_stress_knobs, fp);
    fprintf(fp,
      "\n"
      "Exit status: 0 clean, 1 violation found (or the run crashed), 2 usage or environment\n"
      "error.\n");
}
