/* Go-compatible JSON reading (see jsonread.h). */
#include "sim/jsonread.h"

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/utf8.h"

#define REPLACEMENT_ESCAPE "\\ufffd"         /* U+FFFD as an escape (a lone surrogate's 6 bytes) */
#define REPLACEMENT_UTF8 "\xEF\xBF\xBD"      /* U+FFFD as UTF-8 (for a bad raw byte) */

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The 4 hex digits at p (p + 4 <= end), or -1. */
static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Copies the string body that starts after an opening quote at *pp into out, rewritten; leaves *pp
 * after the closing quote. An unterminated string is copied as is (cJSON will refuse it). */
static sim_json_error copy_string(const char **pp, const char *end, buf *out)
{
    const char *p = *pp;
    while (p < end && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return SIM_JSON_INVALID; /* Go: invalid character in string literal */
        if (c == '\\') {
            if (end - p < 2)
                return SIM_JSON_INVALID;
            if (p[1] != 'u') {
                buf_append(out, p, 2); /* cJSON judges the other escapes */
                p += 2;
                continue;
            }
            long u = hex4(p + 2, end);
            if (u < 0)
                return SIM_JSON_INVALID;
            if (u == 0)
                return SIM_JSON_NUL;
            if (u >= 0xD800 && u <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
                long low = hex4(p + 8, end);
                if (low >= 0xDC00 && low <= 0xDFFF) { /* a pair: one character beyond the BMP */
                    buf_append(out, p, 12);
                    p += 12;
                    continue;
                }
            }
            if (u >= 0xD800 && u <= 0xDFFF)
                buf_puts(out, REPLACEMENT_ESCAPE); /* lone surrogate: Go gives U+FFFD */
            else
                buf_append(out, p, 6);
            p += 6;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
        if (cp == UTF8_INVALID) {
            buf_puts(out, REPLACEMENT_UTF8); /* Go replaces each bad byte */
            p++;
        } else {
            buf_append(out, p, n);
            p += n;
        }
    }
    if (p < end) {
        buf_putc(out, '"');
        p++;
    }
    *pp = p;
    return SIM_JSON_OK;
}

cJSON *sim_json_read(const char *data, size_t len, sim_json_error *why)
{
    sim_json_error dummy;
    if (!why)
        why = &dummy;
    *why = SIM_JSON_INVALID;
    if (!data || len == 0)
        return NULL;
    buf out = BUF_INIT;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '"')
            q++;
        buf_append(&out, p, (size_t)(q - p)); /* outside strings: cJSON judges */
        if (q == end)
            break;
        buf_putc(&out, '"');
        p = q + 1;
        sim_json_error e = copy_string(&p, end, &out);
        if (e != SIM_JSON_OK) {
            buf_free(&out);
            *why = e;
            return NULL;
        }
    }
    cJSON *j = json_parse_len(buf_str(&out), out.len);
    buf_free(&out);
    if (j)
        *why = SIM_JSON_OK;
    return j;
}
