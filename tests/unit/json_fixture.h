/* Reads a fixture from tests/fixtures/json/ (under HCPTUI_ROOT, else the current folder) for the
 * client store tests (include after cmocka.h). Fails the running test when the file is missing. */
#ifndef HCP_TESTS_UNIT_JSON_FIXTURE_H
#define HCP_TESTS_UNIT_JSON_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "client/decode.h"
#include "common/buf.h"

static inline char *read_json_fixture(const char *name, size_t *len)
{
    const char *root = getenv("HCPTUI_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/json/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

/* The fixture decoded as that kind; fails the test when it is no object. */
static inline record *load_fixture_record(res_kind kind, const char *name)
{
    size_t len;
    char *text = read_json_fixture(name, &len);
    record *r = decode_json_text(kind, text, len);
    free(text);
    assert_non_null(r);
    assert_int_equal(r->kind, kind);
    return r;
}

#endif
