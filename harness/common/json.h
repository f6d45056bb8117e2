/*
 * json.h -- the harness's one JSON writer (the stress, bench and cursor reports).
 *
 * A writer streams one value, usually an object, to a stdio stream. It puts the commas, the
 * line breaks and a two-space indentation itself; a container opened with a _line function is
 * written on one line, with everything inside it. Names (NULL at the top and inside arrays) and
 * string values go through lr_json_escape, the one escaping routine:
 *
 *   "  and  \                       \"  and  \\
 *   backspace, form feed, newline,   \b \f \n \r \t
 *   carriage return, tab
 *   any other byte below 0x20, 0x7f  \u00XX (the byte in lower-case hex)
 *   a well-formed UTF-8 sequence     unchanged (RFC 3629: shortest form, no surrogates, at most
 *                                    U+10FFFF)
 *   any other byte 0x80..0xff        \u00XX of the byte: it reads back as the character U+00XX
 *
 * So the output is valid JSON and valid UTF-8 whatever the input bytes (a garbled table name from
 * freed memory included), and every byte can be told from the text; only a byte that is not
 * UTF-8 and the UTF-8 encoding of the same U+0080..U+00FF character read back alike.
 * A NULL string is written as null; a NaN or infinite number as null.
 * Leaf module: calls nothing else in the harness.
 */
#ifndef LR_JSON_H
#define LR_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define LR_JSON_DEPTH 16 /* containers open at once; one more stops the writing (status EINVAL) */

typedef struct {
    FILE *fp;
    int depth;                     /* containers open */
    char close[LR_JSON_DEPTH + 1]; /* '}' or ']' of each open container */
    bool line[LR_JSON_DEPTH + 1];  /* written on one line */
    int count[LR_JSON_DEPTH + 1];  /* values written in it so far */
    bool overflow;                 /* a container beyond LR_JSON_DEPTH was asked for */
    bool own;                      /* fp is lr_json_open's, closed by lr_json_close */
} lr_json;

/* s as a JSON string, quotes included (see above); NULL as null. */
void lr_json_escape(FILE *fp, const char *s);

/* Write to fp (the caller closes it), or to a new file at path (lr_json_close closes it). */
void lr_json_init(lr_json *j, FILE *fp);
int lr_json_open(lr_json *j, const char *path); /* 0 or an errno */
/* Open an object or an array, as the member name of the enclosing object (NULL elsewhere). */
void lr_json_object(lr_json *j, const char *name);
void lr_json_array(lr_json *j, const char *name);
/* The same, written on one line. */
void lr_json_object_line(lr_json *j, const char *name);
void lr_json_array_line(lr_json *j, const char *name);
/* Close the innermost open container; closing the outermost ends the text with a newline. */
void lr_json_end(lr_json *j);

void lr_json_str(lr_json *j, const char *name, const char *s);
void lr_json_u64(lr_json *j, const char *name, uint64_t v);
void lr_json_i64(lr_json *j, const char *name, int64_t v);
/* v with digits significant digits (printf "%.*g"). */
void lr_json_double(lr_json *j, const char *name, double v, int digits);
void lr_json_bool(lr_json *j, const char *name, bool v);
void lr_json_null(lr_json *j, const char *name);

/* 0 if the text is complete (every container closed) and was written without error, else an
 * errno (EINVAL: incomplete). lr_json_close also closes the file lr_json_open made. */
int lr_json_status(const lr_json *j);
int lr_json_close(lr_json *j);

#endif /* LR_JSON_H */
