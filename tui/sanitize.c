/* The text sanitizer: see sanitize.h for the contract. */
#include "tui/sanitize.h"

#include "common/utf8.h"

#include <stdint.h>
#include <string.h>
#include <wchar.h>

#define CP_INVALID UTF8_INVALID
#define CP_REPLACEMENT 0xFFFDu

/* Characters that reorder or hide text (Trojan-source style spoofing): dropped. */
static int is_bidi_control(uint32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* ASCII stand-ins for common typography and symbols, so --ascii keeps their meaning. */
static const struct {
    uint32_t cp;
    const char *ascii;
} ascii_subst[] = {
    {0x00A0, " "},  {0x00B7, "."},  {0x00D7, "x"},   {0x2013, "-"},  {0x2014, "--"}, {0x2018, "'"},
    {0x2019, "'"},  {0x201C, "\""}, {0x201D, "\""}, {0x2022, "*"},  {0x2026, "..."}, {0x2190, "<-"},
    {0x2192, "->"}, {0x2264, "<="}, {0x2265, ">="},  {0x2500, "-"},  {0x2502, "|"},  {0x25B2, "^"},
    {0x25BC, "v"},  {0x25CF, "*"},  {0x2713, "v"},   {0x2716, "x"},  {0x23F8, "||"},
};

static const char *ascii_for(uint32_t cp)
{
    for (size_t i = 0; i < sizeof ascii_subst / sizeof ascii_subst[0]; i++)
        if (ascii_subst[i].cp == cp)
            return ascii_subst[i].ascii;
    return "?";
}

/* Input bytes [i, len) start right after a CSI introducer: skip parameters, intermediates and the
 * final byte. A byte outside the grammar ends the sequence without being consumed. */
static size_t skip_csi(const unsigned char *s, size_t len, size_t i)
{
    while (i < len && s[i] >= 0x30 && s[i] <= 0x3F)
        i++;
    while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
        i++;
    if (i < len && s[i] >= 0x40 && s[i] <= 0x7E)
        i++;
    return i;
}

/* Skips a control string (OSC, DCS, SOS, PM, APC) up to and including its terminator: BEL, ESC \
 * or ST (U+009C). An unterminated string runs to the end of the input. */
static size_t skip_control_string(const unsigned char *s, size_t len, size_t i)
{
    while (i < len) {
        if (s[i] == 0x07)
            return i + 1;
        if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
            return i + 2;
        if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0x9C)
            return i + 2;
        i++;
    }
    return len;
}

/* What a C1 introducer (as a code point, U+0080..U+009F, or ESC + Fe byte mapped to it) starts. */
static size_t skip_after_c1(const unsigned char *s, size_t len, size_t i, uint32_t c1)
{
    switch (c1) {
    case 0x9B:
        return skip_csi(s, len, i);
    case 0x90: /* DCS */
    case 0x98: /* SOS */
    case 0x9D: /* OSC */
    case 0x9E: /* PM */
    case 0x9F: /* APC */
        return skip_control_string(s, len, i);
    default:
        return i;
    }
}

/* Input [i, len) starts right after an ESC. */
static size_t skip_escape(const unsigned char *s, size_t len, size_t i)
{
    if (i >= len)
        return i;
    if (s[i] >= 0x40 && s[i] <= 0x5F) /* ESC Fe is the 7-bit form of a C1 control */
        return skip_after_c1(s, len, i + 1, (uint32_t)s[i] + 0x40);
    size_t j = i;
    while (j < len && s[j] >= 0x20 && s[j] <= 0x2F)
        j++;
    if (j < len && s[j] >= 0x30 && s[j] <= 0x7E)
        return j + 1;
    return j; /* a broken sequence: its intermediates are gone with it */
}

/* Output writer: remembers the last point where the ellipsis would still fit. */
typedef struct writer {
    char *out;
    size_t cap; /* usable bytes (outsz - 1) */
    size_t bytes;
    int width;
    int max_width;
    const char *ell;
    size_t ell_bytes;
    int ell_width;
    size_t mark_bytes;
    int mark_width;
    int done;
    int truncated;
} writer;

static void writer_mark(writer *w)
{
    if ((w->max_width < 0 || w->width + w->ell_width <= w->max_width) && w->bytes + w->ell_bytes <= w->cap) {
        w->mark_bytes = w->bytes;
        w->mark_width = w->width;
    }
}

/* Cuts back to the mark and appends the ellipsis (if even that does not fit, nothing more). */
static void writer_truncate(writer *w)
{
    w->bytes = w->mark_bytes;
    w->width = w->mark_width;
    if ((w->max_width < 0 || w->width + w->ell_width <= w->max_width) && w->bytes + w->ell_bytes <= w->cap) {
        memcpy(w->out + w->bytes, w->ell, w->ell_bytes);
        w->bytes += w->ell_bytes;
        w->width += w->ell_width;
    }
    w->done = 1;
    w->truncated = 1;
}

static void writer_put(writer *w, const char *bytes, size_t n, int width)
{
    if (w->done)
        return;
    if ((w->max_width >= 0 && w->width + width > w->max_width) || w->bytes + n > w->cap) {
        writer_truncate(w);
        return;
    }
    memcpy(w->out + w->bytes, bytes, n);
    w->bytes += n;
    w->width += width;
    writer_mark(w);
}

static const char *sanitize_ellipsis(unsigned flags)
{
    return (flags & SAN_ASCII) ? "~" : "\xE2\x80\xA6";
}

san_result sanitize_mem(const char *in, size_t len, char *out, size_t outsz, int max_width, unsigned flags)
{
    san_result r = {0, 0, false};
    if (!out || outsz == 0)
        return r;
    if (!in)
        len = 0;
    writer w = {
        .out = out,
        .cap = outsz - 1,
        .max_width = max_width,
        .ell = sanitize_ellipsis(flags),
    };
    w.ell_bytes = strlen(w.ell);
    w.ell_width = 1;
    writer_mark(&w);
    const unsigned char *s = (const unsigned char *)in;
    int pending_space = 0;
    size_t i = 0;
    while (i < len && !w.done) {
        if (s[i] == 0)
            break;
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        size_t next = i + n;
        if (cp == 0x1B) {
            i = skip_escape(s, len, next);
            continue;
        }
        if (cp >= 0x80 && cp <= 0x9F) { /* a C1 control, encoded as UTF-8 */
            i = skip_after_c1(s, len, next, cp);
            continue;
        }
        i = next;
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x2028 ||
            cp == 0x2029) {
            pending_space = w.bytes > 0; /* runs collapse to one space; none at the start */
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || is_bidi_control(cp))
            continue;
        if (cp == CP_INVALID)
            cp = CP_REPLACEMENT;
        int cw;
        if (flags & SAN_ASCII) {
            if (cp >= 0x80) {
                const char *sub = ascii_for(cp);
                if (pending_space) {
                    writer_put(&w, " ", 1, 1);
                    pending_space = 0;
                }
                writer_put(&w, sub, strlen(sub), (int)strlen(sub));
                continue;
            }
            cw = 1;
        } else {
            cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
            if (cw < 0) {
                cp = CP_REPLACEMENT;
                cw = 1;
            }
        }
        if (pending_space) {
            writer_put(&w, " ", 1, 1);
            pending_space = 0;
        }
        char enc[4];
        size_t en = utf8_encode(cp, enc);
        writer_put(&w, enc, en, cw);
    }
    out[w.bytes] = '\0';
    r.bytes = w.bytes;
    r.width = w.width;
    r.truncated = w.truncated != 0;
    return r;
}

san_result sanitize_text(const char *in, char *out, size_t outsz, int max_width, unsigned flags)
{
    return sanitize_mem(in, in ? strlen(in) : 0, out, outsz, max_width, flags);
}

int text_width(const char *s, unsigned flags)
{
    if (!s)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    int width = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(p + i, len - i, &cp);
        if (cp < 0x80 || (flags & SAN_ASCII) || cp == CP_INVALID) {
            width++;
            continue;
        }
        int w = wcwidth((wchar_t)cp);
        width += w < 0 ? 1 : w;
    }
    return width;
}
