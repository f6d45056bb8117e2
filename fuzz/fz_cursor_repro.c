/*
 * fz_cursor_repro.c -- the cursor stress's repro file (lr_cur_repro_load: the knob lines of
 * cursor_knobs.h and the "op ..." lines).
 *
 * Properties: a rejected file is exit code 2 after a message from "layerace replay: "; an
 * accepted one, written back by lr_cur_repro_write and read again, gives the same configuration
 * and the same operations (their readable forms are equal), and so does its printed command
 * line parsed again; lr_cur_options_finish either succeeds or says why.
 */
#include <stdlib.h>
#include <string.h>

#include "cursor/cursor_options.h"
#include "fz.h"
#include "fz_knobs.h"

static lr_cur_options __o, __o2;
static char __out[8192], __cmd[FZ_CMDLINE_MAX], __cmd2[FZ_CMDLINE_MAX];

/* __same_ops -- both sequences have the same operations, compared in their readable form. */
static void
__same_ops(const lr_cur_seq *a, const lr_cur_seq *b)
{
    char x[256], y[256];
    size_t i;

    FZ_CHECK(a->n == b->n, "read back with %zu operations, not %zu", b->n, a->n);
    for (i = 0; i < a->n; i++) {
        lr_cur_op_format(&a->ops[i], x, sizeof(x));
        lr_cur_op_format(&b->ops[i], y, sizeof(y));
        FZ_CHECK(strcmp(x, y) == 0, "operation %zu read back as '%s', not '%s'", i, y, x);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lr_cur_seq seq, seq2;
    char path[600], again[600];
    int rc;

    fz_path(path, sizeof(path), "cursor-repro.txt");
    fz_path(again, sizeof(again), "cursor-repro-again.txt");
    fz_write(path, data, size);
    memset(&seq, 0, sizeof(seq));
    memset(&seq2, 0, sizeof(seq2));
    lr_cur_options_init(&__o);
    fz_capture_begin();
    rc = lr_cur_repro_load(&__o, path, &seq);
    fz_capture_end(__out, sizeof(__out));
    if (rc != 0) {
        fz_check_rejection(rc, __out, "layerace replay: ", path);
        lr_cur_seq_free(&seq);
        return (0);
    }

    fz_capture_begin();
    rc = lr_cur_repro_write(again, &__o, &seq, "fuzz");
    fz_capture_end(__out, sizeof(__out));
    FZ_CHECK(rc == 0, "lr_cur_repro_write failed (%d): %s", rc, __out);
    lr_cur_options_init(&__o2);
    fz_capture_begin();
    rc = lr_cur_repro_load(&__o2, again, &seq2);
    fz_capture_end(__out, sizeof(__out));
    FZ_CHECK(rc == 0, "the repro file written back does not read again: %s", __out);
    lr_cur_options_cmdline(&__o, __cmd, sizeof(__cmd));
    lr_cur_options_cmdline(&__o2, __cmd2, sizeof(__cmd2));
    FZ_CHECK(strcmp(__cmd, __cmd2) == 0, "read back differs:\n  %s\n  %s", __cmd, __cmd2);
    __same_ops(&seq, &seq2);
    fz_check_cmdline(&lr_cur_knobs, &__o, sizeof(__o), fz_cursor_init);

    fz_capture_begin();
    rc = lr_cur_options_finish(&__o);
    fz_capture_end(__out, sizeof(__out));
    if (rc != 0)
        fz_check_rejection(rc, __out, "layerace cursor: ", NULL);
    lr_cur_seq_free(&seq);
    lr_cur_seq_free(&seq2);
    return (0);
}
