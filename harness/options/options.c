/*
 * options.c -- the knob table of knobs.h, and one knob's value: its parsing (strict), its
 * printing (which parses back to the same value), its default. See options_int.h for the other
 * two files of the module.
 *
 * Values are strict: a number is decimal digits only and within its bounds ("12x", "-1", " 3"
 * and "1e3" are errors), seconds have at most three decimals.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "options/options_int.h"

const char *lr_progname = "layerace";

/* Indirection so that a class given as a macro (LR_FAULTS_CLASS) expands before pasting. */
#define KNOB_CLASS(c) KNOB_CLASS_(c)
#define KNOB_CLASS_(c) C_##c

const lr_knob lr_knobs[LR_KNOB_COUNT] = {
#define KNOB_ROW(id, name, kind, field, meta, lo, hi, def, cls, help) \
    {name, K_##kind, offsetof(lr_options, field), meta, lo, hi, def, KNOB_CLASS(cls), help},
    LR_KNOBS(KNOB_ROW)
#undef KNOB_ROW
};

/* Each row's field must have the size its kind reads and writes. */
#define KSIZE_INT sizeof(int)
#define KSIZE_U64 sizeof(uint64_t)
#define KSIZE_SEED sizeof(uint64_t)
#define KSIZE_SEC sizeof(uint64_t)
#define KSIZE_POLICY sizeof(lt_policy)
#define KSIZE_FAULTS sizeof(unsigned)
#define KSIZE_PATH ((size_t)LR_PATH_MAX)
#define KSIZE_FLAG sizeof(bool)
#define KSIZE_SCHED sizeof(int)
#define KNOB_CHECK(id, name, kind, field, meta, lo, hi, def, cls, help) \
    _Static_assert(sizeof(((lr_options *)0)->field) == KSIZE_##kind,   \
      "knob " name ": the field's size does not match its kind");
LR_KNOBS(KNOB_CHECK)
#undef KNOB_CHECK

static const struct {
    const char *name;
    unsigned bit;
} fault_names[] = {
  {"drop_not_atomic", LT_FAULT_DROP_NOT_ATOMIC},
  {"commit_no_gate", LT_FAULT_COMMIT_NO_GATE},
  {"write_role_reread", LT_FAULT_WRITE_ROLE_REREAD},
  {"txn_strand", LT_FAULT_TXN_STRAND},
  {"oracle_keeps_rows", LR_FAULT_ORACLE_KEEPS},
};
#define NFAULTS (sizeof(fault_names) / sizeof(fault_names[0]))

/* __parse_u64 -- decimal digits only, no sign, no blanks, no overflow. */
static bool
__parse_u64(const char *s, uint64_t *vp)
{
    uint64_t v;

    if (s == NULL || !isdigit((unsigned char)*s))
        return (false);
    for (v = 0; *s != '\0'; s++) {
        if (!isdigit((unsigned char)*s))
            return (false);
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            return (false);
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *vp = v;
    return (true);
}

/* __parse_ms -- "60", "2.5", "0.125": seconds with up to three decimals, in milliseconds. */
static bool
__parse_ms(const char *s, uint64_t *msp)
{
    uint64_t secs, frac;
    const char *dot;
    char whole[32];
    size_t n, i;

    dot = strchr(s, '.');
    n = dot == NULL ? strlen(s) : (size_t)(dot - s);
    if (n == 0 || n >= sizeof(whole))
        return (false);
    memcpy(whole, s, n);
    whole[n] = '\0';
    if (!__parse_u64(whole, &secs) || secs > UINT64_MAX / 1000 - 1)
        return (false);
    frac = 0;
    if (dot != NULL) {
        n = strlen(dot + 1);
        if (n == 0 || n > 3)
            return (false);
        for (i = 0; i < 3; i++) {
            if (i < n && !isdigit((unsigned char)dot[1 + i]))
                return (false);
            frac = frac * 10 + (i < n ? (uint64_t)(dot[1 + i] - '0') : 0);
        }
    }
    *msp = secs * 1000 + frac;
    return (true);
}

void
lr_format_seconds(uint64_t ms, char *buf, size_t len)
{
    char frac[8];
    size_t n;

    if (ms % 1000 == 0) {
        snprintf(buf, len, "%" PRIu64, ms / 1000);
        return;
    }
    snprintf(frac, sizeof(frac), "%03u", (unsigned)(ms % 1000));
    for (n = strlen(frac); n > 0 && frac[n - 1] == '0'; n--)
        frac[n - 1] = '\0';
    snprintf(buf, len, "%" PRIu64 ".%s", ms / 1000, frac);
}

static bool
__parse_flag(const char *s, bool *bp)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    size_t i;

    for (i = 0; i < 4; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *bp = true;
            return (true);
        }
        if (strcmp(s, no[i]) == 0) {
            *bp = false;
            return (true);
        }
    }
    return (false);
}

/* __parse_faults -- "none", or a comma list of fault names. */
static int
__parse_faults(const char *s, unsigned *maskp, char *err, size_t errlen)
{
    const char *p, *end;
    unsigned mask;
    size_t i, n;

    if (strcmp(s, "none") == 0) {
        *maskp = 0;
        return (0);
    }
#ifndef LT_FAULTS
    snprintf(err, errlen,
      "is test-only: this binary is built without fault injection; use layerace-faults (not "
      "'%s')",
      s);
    return (-1);
#endif
    mask = 0;
    for (p = s;; p = end + 1) {
        end = strchr(p, ',');
        n = end == NULL ? strlen(p) : (size_t)(end - p);
        for (i = 0; i < NFAULTS; i++)
            if (strlen(fault_names[i].name) == n && strncmp(p, fault_names[i].name, n) == 0)
                break;
        if (i == NFAULTS) {
            snprintf(err, errlen,
              "wants none or a comma list of drop_not_atomic, commit_no_gate, "
              "write_role_reread, txn_strand, oracle_keeps_rows; not '%s'",
              s);
            return (-1);
        }
        mask |= fault_names[i].bit;
        if (end == NULL)
            break;
    }
    *maskp = mask;
    return (0);
}

/*
 * knob_set --
 *     Parse val into the knob's field. A FLAG given as a bare option has val NULL. Returns 0, or
 *     -1 with what was wrong in err.
 */
int
lr_knob_set(lr_options *o, const lr_knob *k, const char *val, char *err, size_t errlen)
{
    uint64_t v;
    lt_policy policy;
    bool b;

    if (val == NULL && k->kind != K_FLAG) {
        snprintf(err, errlen, "needs a value");
        return (-1);
    }
    switch (k->kind) {
    case K_INT:
    case K_U64:
        if (!__parse_u64(val, &v) || v < k->lo || v > k->hi) {
            snprintf(err, errlen, "wants a whole number in %" PRIu64 "..%" PRIu64 ", not '%s'",
              k->lo, k->hi, val);
            return (-1);
        }
        if (k->kind == K_INT)
            *LR_FIELD(o, k, int) = (int)v;
        else
            *LR_FIELD(o, k, uint64_t) = v;
        return (0);
    case K_SEED:
        if (!__parse_u64(val, &v)) {
            snprintf(err, errlen, "wants a whole number in 0..%" PRIu64 ", not '%s'", UINT64_MAX,
              val);
            return (-1);
        }
        *LR_FIELD(o, k, uint64_t) = v;
        return (0);
    case K_SEC:
        if (!__parse_ms(val, &v) || v < k->lo || v > k->hi) {
            snprintf(err, errlen,
              "wants seconds such as 60 or 2.5 (at most 3 decimals, at most %" PRIu64
              "), not '%s'",
              k->hi / 1000, val);
            return (-1);
        }
        *LR_FIELD(o, k, uint64_t) = v;
        return (0);
    case K_POLICY:
        if (lt_policy_parse(val, &policy) != 0) {
            snprintf(err, errlen, "wants reject, wait, assert or off, not '%s'", val);
            return (-1);
        }
        *LR_FIELD(o, k, lt_policy) = policy;
        return (0);
    case K_FAULTS:
        return (__parse_faults(val, LR_FIELD(o, k, unsigned), err, errlen));
    case K_SCHED:
        if (lr_sched_kind_parse(val, LR_FIELD(o, k, int)) != 0) {
            snprintf(err, errlen, "wants free, random, pct, pos or urw, not '%s'", val);
            return (-1);
        }
        return (0);
    case K_PATH:
        if (strlen(val) >= LR_PATH_MAX || strpbrk(val, "\n\r") != NULL) {
            snprintf(err, errlen, "wants a path of less than %d bytes on one line", LR_PATH_MAX);
            return (-1);
        }
        strcpy(LR_FIELD(o, k, char), val);
        return (0);
    case K_FLAG:
        if (val == NULL)
            b = true;
        else if (!__parse_flag(val, &b)) {
            snprintf(err, errlen, "wants 1 or 0, not '%s'", val);
            return (-1);
        }
        *LR_FIELD(o, k, bool) = b;
        return (0);
    }
    snprintf(err, errlen, "unknown kind of knob");
    return (-1);
}

/* knob_format -- the value as text, as knob_set reads it back. */
void
lr_knob_format(const lr_options *o, const lr_knob *k, char *buf, size_t len)
{
    unsigned mask;
    size_t i, n;

    switch (k->kind) {
    case K_INT:
        snprintf(buf, len, "%d", *LR_CFIELD(o, k, int));
        return;
    case K_U64:
    case K_SEED:
        snprintf(buf, len, "%" PRIu64, *LR_CFIELD(o, k, uint64_t));
        return;
    case K_SEC:
        lr_format_seconds(*LR_CFIELD(o, k, uint64_t), buf, len);
        return;
    case K_POLICY:
        snprintf(buf, len, "%s", lt_policy_name(*LR_CFIELD(o, k, lt_policy)));
        return;
    case K_FAULTS:
        mask = *LR_CFIELD(o, k, unsigned);
        snprintf(buf, len, "%s", mask == 0 ? "none" : "");
        for (i = 0; i < NFAULTS; i++)
            if (mask & fault_names[i].bit) {
                n = strlen(buf);
                snprintf(buf + n, len - n, "%s%s", n == 0 ? "" : ",", fault_names[i].name);
            }
        return;
    case K_PATH:
        snprintf(buf, len, "%s", LR_CFIELD(o, k, char));
        return;
    case K_FLAG:
        snprintf(buf, len, "%d", *LR_CFIELD(o, k, bool) ? 1 : 0);
        return;
    case K_SCHED:
        snprintf(buf, len, "%s", lr_sched_kind_name(*LR_CFIELD(o, k, int)));
        return;
    }
    snprintf(buf, len, "?");
}

/* __knob_is_default -- whether the value equals the knob's default (computed ones never do). */
static bool
__knob_is_default(const lr_options *o, const lr_knob *k)
{
    static lr_options scratch;
    char now[LR_PATH_MAX + 64], def[LR_PATH_MAX + 64], err[256];

    if (k->def == NULL)
        return (false);
    memset(&scratch, 0, sizeof(scratch));
    if (lr_knob_set(&scratch, k, k->def, err, sizeof(err)) != 0)
        return (false);
    lr_knob_format(o, k, now, sizeof(now));
    lr_knob_format(&scratch, k, def, sizeof(def));
    return (strcmp(now, def) == 0);
}

/* knob_saved -- whether the knob belongs in the printed command line and the repro file. */
bool
lr_knob_saved(const lr_options *o, const lr_knob *k)
{
    return (k->cls == C_RUN ||
      ((k->cls == C_OUT || k->cls == C_MODE) && !__knob_is_default(o, k)));
}

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
    char err[256];
    int i;

    memset(o, 0, sizeof(*o));
    for (i = 0; i < LR_KNOB_COUNT; i++)
        if (lr_knobs[i].def != NULL && lr_knob_set(o, &lr_knobs[i], lr_knobs[i].def, err, sizeof(err)) != 0) {
            /* A default the table cannot parse is a bug in knobs.h. */
            fprintf(stderr, "%s: internal error: default of --%s: %s\n", LR_PROG, lr_knobs[i].name,
              err);
            abort();
        }
    o->cfg.threads = __cores_default_threads();
}
