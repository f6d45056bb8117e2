/*
 * options.c -- one knob's value (knob.h): its parsing (strict), its printing (which parses back
 * to the same value), its default. See options_int.h for the other files of the module.
 *
 * Values are strict: a number is decimal digits only and within its bounds ("12x", "-1", " 3"
 * and "1e3" are errors), seconds have at most three decimals, a name is one of the knob's.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "options/options_int.h"

const char *lr_progname = "layerace";

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

/* __names_list -- "a, b or c" (CHOICE) or "a, b, c" (SET) for a message. */
static void
__names_list(const lr_knob_name *names, const char *last_sep, char *buf, size_t len)
{
    size_t i, n;

    buf[0] = '\0';
    for (i = 0; names[i].name != NULL; i++) {
        n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s",
          i == 0                      ? "" :
            names[i + 1].name == NULL ? last_sep :
                                        ", ",
          names[i].name);
    }
}

/* __name_find -- the entry of names named by the n bytes at s, or NULL. */
static const lr_knob_name *
__name_find(const lr_knob_name *names, const char *s, size_t n)
{
    for (; names->name != NULL; names++)
        if (strlen(names->name) == n && strncmp(names->name, s, n) == 0)
            return (names);
    return (NULL);
}

/* __names_mask -- every bit the names cover. */
static unsigned
__names_mask(const lr_knob_name *names)
{
    unsigned mask;

    for (mask = 0; names->name != NULL; names++)
        mask |= names->val;
    return (mask);
}

/* __parse_hex -- "0x30": a mask, hexadecimal digits only. */
static bool
__parse_hex(const char *s, unsigned *maskp)
{
    unsigned long long v;
    const char *p;

    if (strncmp(s, "0x", 2) != 0 || s[2] == '\0' || strlen(s + 2) > 8)
        return (false);
    for (v = 0, p = s + 2; *p != '\0'; p++) {
        if (!isxdigit((unsigned char)*p))
            return (false);
        v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0' : tolower(*p) - 'a' + 10);
    }
    *maskp = (unsigned)v;
    return (true);
}

/* __parse_set -- "none", a comma list of names, or a mask of their bits. */
static int
__parse_set(const lr_knob *k, const char *s, unsigned *maskp, char *err, size_t errlen)
{
    const lr_knob_name *nm;
    const char *p, *end;
    char names[512];
    unsigned mask;
    size_t n;

    mask = 0;
    if (strcmp(s, "none") == 0)
        goto done;
    if (__parse_hex(s, &mask)) {
        if ((mask & ~__names_mask(k->names)) == 0)
            goto done;
        __names_list(k->names, ", ", names, sizeof(names));
        snprintf(err, errlen, "has no name for the bits 0x%x of '%s' (names: %s)",
          mask & ~__names_mask(k->names), s, names);
        return (-1);
    }
    for (p = s;; p = end + 1) {
        end = strchr(p, ',');
        n = end == NULL ? strlen(p) : (size_t)(end - p);
        if ((nm = __name_find(k->names, p, n)) == NULL) {
            __names_list(k->names, ", ", names, sizeof(names));
            snprintf(err, errlen, "wants none or a comma list of %s; not '%s'", names, s);
            return (-1);
        }
        mask |= nm->val;
        if (end == NULL)
            break;
    }
done:
#ifndef LT_FAULTS
    if (k->kind == LR_K_FAULTS && mask != 0) {
        snprintf(err, errlen,
          "is test-only: this binary is built without fault injection; use layerace-faults (not "
          "'%s')",
          s);
        return (-1);
    }
#endif
    *maskp = mask;
    return (0);
}

/* __format_set -- "none", the one name of exactly these bits ("all"), or a comma list. */
static void
__format_set(const lr_knob *k, unsigned mask, char *buf, size_t len)
{
    const lr_knob_name *nm;
    size_t n;

    if (mask == 0) {
        snprintf(buf, len, "none");
        return;
    }
    for (nm = k->names; nm->name != NULL; nm++)
        if (nm->val == mask) {
            snprintf(buf, len, "%s", nm->name);
            return;
        }
    buf[0] = '\0';
    for (nm = k->names; nm->name != NULL; nm++)
        if ((nm->val & (nm->val - 1)) == 0 && (mask & nm->val) != 0) {
            n = strlen(buf);
            snprintf(buf + n, len - n, "%s%s", n == 0 ? "" : ",", nm->name);
        }
}

/*
 * __value_set --
 *     Parse val into the field at p. A FLAG given as a bare option has val NULL. Returns 0, or -1
 *     with what was wrong in err.
 */
static int
__value_set(void *p, const lr_knob *k, const char *val, char *err, size_t errlen)
{
    const lr_knob_name *nm;
    char names[512];
    uint64_t v;
    bool b;

    if (val == NULL && k->kind != LR_K_FLAG) {
        snprintf(err, errlen, "needs a value");
        return (-1);
    }
    switch (k->kind) {
    case LR_K_INT:
    case LR_K_U64:
        if (!__parse_u64(val, &v) || v < k->lo || v > k->hi) {
            snprintf(err, errlen, "wants a whole number in %" PRIu64 "..%" PRIu64 ", not '%s'",
              k->lo, k->hi, val);
            return (-1);
        }
        if (k->kind == LR_K_INT)
            *(int *)p = (int)v;
        else
            *(uint64_t *)p = v;
        return (0);
    case LR_K_SEED:
        if (!__parse_u64(val, &v)) {
            snprintf(err, errlen, "wants a whole number in 0..%" PRIu64 ", not '%s'", UINT64_MAX,
              val);
            return (-1);
        }
        *(uint64_t *)p = v;
        return (0);
    case LR_K_SEC:
        if (!__parse_ms(val, &v) || v < k->lo || v > k->hi) {
            snprintf(err, errlen,
              "wants seconds such as 60 or 2.5 (at most 3 decimals, at most %" PRIu64 "), not '%s'",
              k->hi / 1000, val);
            return (-1);
        }
        *(uint64_t *)p = v;
        return (0);
    case LR_K_CHOICE:
        if ((nm = __name_find(k->names, val, strlen(val))) == NULL) {
            __names_list(k->names, " or ", names, sizeof(names));
            snprintf(err, errlen, "wants %s, not '%s'", names, val);
            return (-1);
        }
        *(int *)p = (int)nm->val;
        return (0);
    case LR_K_SET:
    case LR_K_FAULTS:
        return (__parse_set(k, val, (unsigned *)p, err, errlen));
    case LR_K_PATH:
        if (strlen(val) >= LR_PATH_MAX || strpbrk(val, "\n\r") != NULL) {
            snprintf(err, errlen, "wants a path of less than %d bytes on one line", LR_PATH_MAX);
            return (-1);
        }
        strcpy((char *)p, val);
        return (0);
    case LR_K_FLAG:
        if (val == NULL)
            b = true;
        else if (!__parse_flag(val, &b)) {
            snprintf(err, errlen, "wants 1 or 0, not '%s'", val);
            return (-1);
        }
        *(bool *)p = b;
        return (0);
    }
    snprintf(err, errlen, "unknown kind of knob");
    return (-1);
}

/* __value_format -- the value of the field at p as text, as __value_set reads it back. */
static void
__value_format(const void *p, const lr_knob *k, char *buf, size_t len)
{
    const lr_knob_name *nm;

    switch (k->kind) {
    case LR_K_INT:
        snprintf(buf, len, "%d", *(const int *)p);
        return;
    case LR_K_U64:
    case LR_K_SEED:
        snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p);
        return;
    case LR_K_SEC:
        lr_format_seconds(*(const uint64_t *)p, buf, len);
        return;
    case LR_K_CHOICE:
        for (nm = k->names; nm->name != NULL; nm++)
            if ((int)nm->val == *(const int *)p) {
                snprintf(buf, len, "%s", nm->name);
                return;
            }
        snprintf(buf, len, "%d", *(const int *)p);
        return;
    case LR_K_SET:
    case LR_K_FAULTS:
        __format_set(k, *(const unsigned *)p, buf, len);
        return;
    case LR_K_PATH:
        snprintf(buf, len, "%s", (const char *)p);
        return;
    case LR_K_FLAG:
        snprintf(buf, len, "%d", *(const bool *)p ? 1 : 0);
        return;
    }
    snprintf(buf, len, "?");
}

int
lr_knob_set(void *o, const lr_knob *k, const char *val, char *err, size_t errlen)
{
    return (__value_set(LR_FIELD(o, k, char), k, val, err, errlen));
}

void
lr_knob_format(const void *o, const lr_knob *k, char *buf, size_t len)
{
    __value_format(LR_CFIELD(o, k, char), k, buf, len);
}

/* __knob_is_default -- whether the value equals the knob's default (computed ones never do). */
static bool
__knob_is_default(const void *o, const lr_knob *k)
{
    union { /* room for a value of any kind */
        uint64_t u;
        char path[LR_PATH_MAX];
    } scratch;
    char now[LR_PATH_MAX + 64], def[LR_PATH_MAX + 64], err[512];

    if (k->def == NULL)
        return (false);
    memset(&scratch, 0, sizeof(scratch));
    if (__value_set(&scratch, k, k->def, err, sizeof(err)) != 0)
        return (false);
    lr_knob_format(o, k, now, sizeof(now));
    __value_format(&scratch, k, def, sizeof(def));
    return (strcmp(now, def) == 0);
}

bool
lr_knob_saved(const void *o, const lr_knob *k)
{
    return (k->cls == LR_C_RUN ||
      ((k->cls == LR_C_OUT || k->cls == LR_C_MODE) && !__knob_is_default(o, k)));
}

void
lr_knobs_init(const lr_knob_table *t, void *o)
{
    char err[512];
    int i;

    if (t->n > LR_KNOBS_MAX) { /* a bug in the table */
        fprintf(stderr, "%s %s: internal error: more than %d knobs\n", LR_PROG, t->cmd,
          LR_KNOBS_MAX);
        abort();
    }
    for (i = 0; i < t->n; i++)
        if (t->knobs[i].def != NULL &&
          lr_knob_set(o, &t->knobs[i], t->knobs[i].def, err, sizeof(err)) != 0) {
            /* A default the table cannot parse is a bug in the table. */
            fprintf(stderr, "%s %s: internal error: default of --%s: %s\n", LR_PROG, t->cmd,
              t->knobs[i].name, err);
            abort();
        }
}
