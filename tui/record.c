/* --record (see record.h). */
#include "tui/record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/textfile.h"
#include "common/timeutil.h"
#include "tui/keys.h"

#define PAUSE_MS 200 /* shorter pauses are typing, not waiting */

struct recorder {
    FILE *f;
    bool owns;
    int64_t last_ms;
    buf text; /* printable keys typed into a line, not yet written */
};

static recorder *make(FILE *f, bool owns)
{
    recorder *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->owns = owns;
    r->last_ms = now_ms_monotonic(); /* the first key's pause counts from the start */
    char when[21];
    rfc3339_format(time(NULL), when);
    fprintf(f, "# recorded by hcptui at %s; play it with: hcptui --play FILE\n", when);
    return r;
}

recorder *record_open(const char *path, char *err, size_t errlen)
{
    FILE *f = textfile_create(path);
    if (!f) {
        set_err(err, errlen, "--record %s: %s", path, strerror(errno));
        return NULL;
    }
    return make(f, true);
}

recorder *record_on(FILE *f)
{
    return make(f, false);
}

static void flush_text(recorder *r)
{
    if (!r->text.len)
        return;
    fputs("type \"", r->f);
    for (const char *s = buf_str(&r->text); *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', r->f);
        fputc(*s, r->f);
    }
    fputs("\"\n", r->f);
    buf_reset(&r->text);
}

void record_key(recorder *r, int key, bool as_text, int64_t now_ms)
{
    if (!r || key == HK_RESIZE)
        return;
    int64_t pause = now_ms - r->last_ms;
    r->last_ms = now_ms;
    bool text = as_text && key >= 32 && key != 127 && key < 0x80; /* ASCII in a type line */
    if (pause > PAUSE_MS) {
        flush_text(r);
        fprintf(r->f, "sleep %lldms\n", (long long)pause);
    }
    if (text) {
        buf_putc(&r->text, (char)key);
        return;
    }
    flush_text(r);
    char name[32];
    key_to_name(key, name, sizeof name);
    fprintf(r->f, "key %s\n", name);
    fflush(r->f); /* a crash keeps what was typed */
}

void record_close(recorder *r)
{
    if (!r)
        return;
    flush_text(r);
    fputs("quit\n", r->f);
    if (r->owns)
        fclose(r->f);
    else
        fflush(r->f);
    buf_free(&r->text);
    free(r);
}
