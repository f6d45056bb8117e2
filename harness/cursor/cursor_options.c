/*
 * cursor_options.c -- the configuration of `layerace cursor` (cursor_options.h): the table of
 * cursor_knobs.h over lr_cur_options, the rules across its knobs, and the usage text. Repro
 * files are in cursor_repro.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor/cursor_options.h"
#include "options/options.h"

#ifdef LT_FAULTS
#define LR_PROG "layerace-faults"
#else
#define LR_PROG "layerace"
#endif

static const lr_knob_name __node_names[] = {
  {"leader", LR_CUR_NODE_LEADER},
  {"follower", LR_CUR_NODE_FOLLOWER},
  {"both", LR_CUR_NODE_LEADER | LR_CUR_NODE_FOLLOWER},
  {NULL, 0},
};

/* In the order of the injection bits (LR_CUR_INJ_BIT); "all" names every one of them. */
static const lr_knob_name __inject_names[] = {
  {"gc", LR_CUR_INJ_BIT(LR_CUR_INJ_GC)},
  {"tombstones", LR_CUR_INJ_BIT(LR_CUR_INJ_TOMB)},
  {"truncate", LR_CUR_INJ_BIT(LR_CUR_INJ_TRUNC)},
  {"bulk", LR_CUR_INJ_BIT(LR_CUR_INJ_BULK)},
  {"checkpoint", LR_CUR_INJ_BIT(LR_CUR_INJ_CKPT)},
  {"swap", LR_CUR_INJ_BIT(LR_CUR_INJ_SWAP)},
  {"prepare", LR_CUR_INJ_PREPARE},
  {"all", LR_CUR_INJ_ALL | LR_CUR_INJ_PREPARE},
  {NULL, 0},
};

static const lr_knob_name __fault_names[] = {
  {"prev_order", LT_FAULT_PREV_ORDER},
  {"search_next", LT_FAULT_SEARCH_NEXT_RESTART},
  {"remove_other", LT_FAULT_REMOVE_OTHER_KEY},
  {"modify_stable", LT_FAULT_MODIFY_STABLE},
  {"point_no_ingest", LT_FAULT_POINT_NO_INGEST},
  {"ckpt_notfound", LT_FAULT_CKPT_NOTFOUND},
  {NULL, 0},
};

#define KNOB_ENTRY(...) LR_KNOB_ENTRY(lr_cur_options, __VA_ARGS__)
#define KNOB_CHECK(...) LR_KNOB_CHECK(lr_cur_options, __VA_ARGS__)
static const lr_knob __knobs[LR_CUR_KNOB_COUNT] = {LR_CUR_KNOBS(KNOB_ENTRY)};
LR_CUR_KNOBS(KNOB_CHECK)
#undef KNOB_ENTRY
#undef KNOB_CHECK

/* __layer_done -- --duration without --ops in the same layer means no operation limit. */
static void
__layer_done(void *arg, const bool *layer)
{
    lr_cur_options *o = arg;

    if (layer[LR_CUR_KNOB_duration] && !layer[LR_CUR_KNOB_ops])
        o->ops = 0;
}

const lr_knob_table lr_cur_knobs = {"cursor", __knobs, LR_CUR_KNOB_COUNT,
  offsetof(lr_cur_options, given), __layer_done};

void
lr_cur_options_init(lr_cur_options *o)
{
    memset(o, 0, sizeof(*o));
    lr_knobs_init(&lr_cur_knobs, o);
}

int
lr_cur_options_parse(lr_cur_options *o, int argc, char **argv, bool want_file, const char **filep)
{
    return (
      lr_knobs_parse(&lr_cur_knobs, o, argc, argv, want_file ? filep : NULL, lr_cur_options_usage));
}

int
lr_cur_options_finish(lr_cur_options *o)
{
    size_t n;
    int ret;

    if (!o->given[LR_CUR_KNOB_seed] && (ret = lr_knobs_draw_seed("cursor", &o->cfg.seed)) != 0)
        return (ret);
    o->given[LR_CUR_KNOB_seed] = true;
    if (o->ops == 0 && o->duration_ms == 0) {
        fprintf(stderr, "%s cursor: nothing ends the run: give --ops N > 0 or --duration SEC > 0\n",
          LR_PROG);
        lr_cur_options_usage(stderr);
        return (LR_EXIT_ENV);
    }
    /* "dir/" and "dir" name the same directory; keep printed paths tidy. */
    for (n = strlen(o->out); n > 1 && o->out[n - 1] == '/'; n--)
        o->out[n - 1] = '\0';
    if (o->out[0] == '\0') {
        fprintf(stderr, "%s cursor: --out needs a directory\n", LR_PROG);
        lr_cur_options_usage(stderr);
        return (LR_EXIT_ENV);
    }
    o->cfg.ops = o->ops == 0 ? UINT64_MAX : o->ops;
    o->cfg.duration = (double)o->duration_ms / 1000.0;
    o->cfg.keys = (uint32_t)o->keys;
    o->cfg.out = o->out;
    o->cfg.json = o->json[0] != '\0' ? o->json : NULL;
    o->cfg.trace = o->trace[0] != '\0' ? o->trace : NULL;
    o->cfg.trace_events = o->trace_events;
    return (0);
}

void
lr_cur_options_cmdline(const lr_cur_options *o, char *buf, size_t len)
{
    lr_knobs_cmdline(&lr_cur_knobs, o, buf, len);
}

void
lr_cur_options_json(const lr_cur_options *o, lr_json *j)
{
    lr_knobs_json(&lr_cur_knobs, o, j);
}

void
lr_cur_options_usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s cursor [OPTIONS]\n"
      "       %s replay FILE [OPTIONS]\n"
      "\n"
      "Seeded operation chains on long-lived layered cursors (leader and follower node), each\n"
      "operation compared at once with a plain WiredTiger table (the oracle). The first line\n"
      "printed is a command that repeats the run. A divergence writes the sequence up to it as\n"
      "OUT/cursor-repro-SEED.txt (the knobs, one knob=value a line, each at most once, then one\n"
      "'op ...' line per operation) and, shrunk, as OUT/cursor-repro-SEED-min.txt; `replay FILE`\n"
      "runs a repro file's sequence again, options on its command line overriding the file's.\n"
      "\n",
      LR_PROG, LR_PROG);
    lr_knobs_usage(&lr_cur_knobs, fp);
    fprintf(fp, "\nExit status: 0 clean, 1 divergence found, 2 usage or environment error.\n");
}
