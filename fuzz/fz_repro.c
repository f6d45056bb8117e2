/*
 * fz_repro.c -- the stress repro file (lr_options_load, the strict name=value reader of
 * options/knob.h over the stress table).
 *
 * Properties: a rejected file is exit code 2 after a one-line message naming the file; an
 * accepted file, written back by lr_options_save and read again, gives the same configuration
 * (the printed command lines are equal), and so does its printed command line parsed again;
 * lr_options_finish on it either succeeds or says why.
 */
#include <string.h>

#include "fz.h"
#include "fz_knobs.h"
#include "options/options.h"

/* Large: static, and one input at a time. */
static lr_options __o, __o2;
static char __out[8192], __cmd[FZ_CMDLINE_MAX], __cmd2[FZ_CMDLINE_MAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600], again[600];
    int rc;

    fz_path(path, sizeof(path), "repro.conf");
    fz_path(again, sizeof(again), "repro-again.conf");
    fz_write(path, data, size);
    lr_options_init(&__o);
    fz_capture_begin();
    rc = lr_options_load(&__o, path);
    fz_capture_end(__out, sizeof(__out));
    if (rc != 0) {
        fz_check_rejection(rc, __out, "layerace replay: ", path);
        return (0);
    }

    /* Written back and read again: the same configuration. */
    snprintf(__o.repro, sizeof(__o.repro), "%s", again);
    fz_capture_begin();
    rc = lr_options_save(&__o);
    fz_capture_end(__out, sizeof(__out));
    FZ_CHECK(rc == 0, "lr_options_save failed (%d): %s", rc, __out);
    lr_options_init(&__o2);
    fz_capture_begin();
    rc = lr_options_load(&__o2, again);
    fz_capture_end(__out, sizeof(__out));
    FZ_CHECK(rc == 0, "the repro file written back does not read again: %s", __out);
    lr_options_cmdline(&__o, __cmd, sizeof(__cmd));
    lr_options_cmdline(&__o2, __cmd2, sizeof(__cmd2));
    FZ_CHECK(strcmp(__cmd, __cmd2) == 0, "read back differs:\n  %s\n  %s", __cmd, __cmd2);
    fz_check_cmdline(&lr_stress_knobs, &__o, sizeof(__o), fz_stress_init);

    /* Finishing it (only with a seed: without, one is drawn from /dev/urandom). */
    if (__o.given[LR_KNOB_seed]) {
        fz_capture_begin();
        rc = lr_options_finish(&__o);
        fz_capture_end(__out, sizeof(__out));
        if (rc != 0)
            fz_check_rejection(rc, __out, "layerace stress: ", NULL);
    }
    return (0);
}
