/*
 * json.c -- see json.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "common/json.h"

/* The length of the well-formed UTF-8 sequence at p (RFC 3629, table 3-7 of Unicode), or 0. */
static int
__utf8_len(const unsigned char *p)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xbf;
    int n, i;

    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* no overlong forms */
        else if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f; /* nothing above U+10FFFF */
    } else
        return (0);
    /* The second byte has the narrowed range; the rest are any continuation byte. A NUL ends
     * the string and is no continuation byte, so nothing is read past it. */
    if (p[1] < lo || p[1] > hi)
        return (0);
    for (i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return (0);
    return (n);
}

/* The characters with a short escape, and the letter each is escaped with. */
static const char lr_json_short_from[] = "\"\\\b\f\n\r\t";
static const char lr_json_short_to[] = "\"\\bfnrt";

void
lr_json_escape(FILE *fp, const char *s)
{
    const unsigned char *p;
    const char *e;
    int n;

    if (s == NULL) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((e = strchr(lr_json_short_from, *p)) != NULL) {
            fputc('\\', fp);
            fputc(lr_json_short_to[e - lr_json_short_from], fp);
            continue;
        }
        if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\u%04x", *p);
        else if (*p < 0x80)
            fputc(*p, fp);
        else if ((n = __utf8_len(p)) != 0) {
            (void)fwrite(p, 1, (size_t)n, fp);
            p += n - 1;
        } else
            fprintf(fp, "\\u%04x", *p);
    }
    fputc('"', fp);
}

void
lr_json_init(lr_json *j, FILE *fp)
{
    j->fp = fp;
    j->depth = 0;
    j->close[0] = '\0';
    j->line[0] = false;
    j->count[0] = 0;
    j->overflow = false;
    j->own = false;
}

int
lr_json_open(lr_json *j, const char *path)
{
    FILE *fp;

    if ((fp = fopen(path, "w")) == NULL)
        return (errno);
    lr_json_init(j, fp);
    j->own = true;
    return (0);
}

/* Before a value: the separator, the line break and indentation, the member's name. False if
 * nothing may be written (a container was too deep). */
static bool
__value(lr_json *j, const char *name)
{
    int d = j->depth;

    if (j->overflow)
        return (false);
    if (d == 0)
        return (true);
    if (j->count[d]++ > 0)
        fputc(',', j->fp);
    if (j->line[d]) {
        if (j->count[d] > 1)
            fputc(' ', j->fp);
    } else
        fprintf(j->fp, "\n%*s", 2 * d, "");
    if (j->close[d] == '}') {
        lr_json_escape(j->fp, name != NULL ? name : "");
        fputs(": ", j->fp);
    }
    return (true);
}

static void
__open(lr_json *j, const char *name, char open, char close, bool line)
{
    if (j->depth == LR_JSON_DEPTH)
        j->overflow = true;
    if (!__value(j, name))
        return;
    fputc(open, j->fp);
    j->depth++;
    j->close[j->depth] = close;
    j->line[j->depth] = line || j->line[j->depth - 1];
    j->count[j->depth] = 0;
}

void
lr_json_object(lr_json *j, const char *name)
{
    __open(j, name, '{', '}', false);
}

void
lr_json_array(lr_json *j, const char *name)
{
    __open(j, name, '[', ']', false);
}

void
lr_json_object_line(lr_json *j, const char *name)
{
    __open(j, name, '{', '}', true);
}

void
lr_json_array_line(lr_json *j, const char *name)
{
    __open(j, name, '[', ']', true);
}

void
lr_json_end(lr_json *j)
{
    int d = j->depth;

    if (j->overflow || d == 0)
        return;
    if (!j->line[d] && j->count[d] > 0)
        fprintf(j->fp, "\n%*s", 2 * (d - 1), "");
    fputc(j->close[d], j->fp);
    if (--j->depth == 0)
        fputc('\n', j->fp);
}

void
lr_json_str(lr_json *j, const char *name, const char *s)
{
    if (__value(j, name))
        lr_json_escape(j->fp, s);
}

void
lr_json_u64(lr_json *j, const char *name, uint64_t v)
{
    if (__value(j, name))
        fprintf(j->fp, "%" PRIu64, v);
}

void
lr_json_i64(lr_json *j, const char *name, int64_t v)
{
    if (__value(j, name))
        fprintf(j->fp, "%" PRId64, v);
}

void
lr_json_double(lr_json *j, const char *name, double v, int digits)
{
    if (!__value(j, name))
        return;
    if (isnan(v) || isinf(v))
        fputs("null", j->fp);
    else
        fprintf(j->fp, "%.*g", digits, v);
}

void
lr_json_bool(lr_json *j, const char *name, bool v)
{
    if (__value(j, name))
        fputs(v ? "true" : "false", j->fp);
}

void
lr_json_null(lr_json *j, const char *name)
{
    if (__value(j, name))
        fputs("null", j->fp);
}

int
lr_json_status(const lr_json *j)
{
    if (j->overflow || j->depth != 0)
        return (EINVAL);
    return (ferror(j->fp) ? EIO : 0);
}

int
lr_json_close(lr_json *j)
{
    int rc = lr_json_status(j);

    if (j->own && fclose(j->fp) != 0 && rc == 0)
        rc = errno;
    j->fp = NULL;
    return (rc);
}
