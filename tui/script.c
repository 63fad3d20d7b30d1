/* Playback scripts: the parser (see script.h). */
#include "tui/script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/textfile.h"
#include "common/timeutil.h"
#include "tui/keys.h"

#define DEFAULT_WAIT_MS 10000
#define DEFAULT_IDLE_MS 5000
#define TAPE_WAIT_MS 15000 /* vhs's default WaitTimeout */
#define MAX_SCRIPT_BYTES (4u << 20)
#define MAX_LINE 4096

typedef struct cursor {
    const char *p;
} cursor;

static void skip_space(cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t')
        c->p++;
}

/* A word up to white space; false at the end of the line. */
static bool word(cursor *c, char *out, size_t outlen)
{
    skip_space(c);
    size_t n = 0;
    while (*c->p && *c->p != ' ' && *c->p != '\t') {
        if (n + 1 < outlen)
            out[n++] = *c->p;
        c->p++;
    }
    out[n] = '\0';
    return n > 0;
}

/* "text", 'text' or `text` (\" and \\ escape inside double quotes); false with a message. */
static bool quoted(cursor *c, buf *out, const char **why)
{
    char q = *c->p;
    c->p++;
    while (*c->p && *c->p != q) {
        if (q == '"' && *c->p == '\\' && (c->p[1] == '"' || c->p[1] == '\\'))
            c->p++;
        buf_putc(out, *c->p++);
    }
    if (*c->p != q) {
        *why = "a quote is not closed";
        return false;
    }
    c->p++;
    return true;
}

/* /regex/ (\/ is a slash inside); false with a message. */
static bool slashed(cursor *c, buf *out, const char **why)
{
    c->p++;
    while (*c->p && *c->p != '/') {
        if (*c->p == '\\' && c->p[1] == '/')
            c->p++;
        buf_putc(out, *c->p++);
    }
    if (*c->p != '/') {
        *why = "a /regular expression/ is not closed";
        return false;
    }
    c->p++;
    return true;
}

/* The text to find: "TEXT" (or 'TEXT') or /REGEX/, compiled; false with a message. */
static bool pattern(cursor *c, stmt *s, const char **why)
{
    skip_space(c);
    buf b = BUF_INIT;
    bool ok;
    if (*c->p == '/') {
        ok = slashed(c, &b, why);
        s->is_regex = ok;
    } else if (*c->p == '"' || *c->p == '\'' || *c->p == '`') {
        ok = quoted(c, &b, why);
    } else {
        *why = "expected \"TEXT\" or /REGEX/";
        ok = false;
    }
    if (ok && !b.len) {
        *why = "the text to find is empty";
        ok = false;
    }
    if (ok && s->is_regex && regcomp(&s->re, buf_str(&b), REG_EXTENDED | REG_NOSUB) != 0) {
        *why = "not a regular expression (POSIX extended)";
        s->is_regex = false;
        ok = false;
    }
    s->text = buf_steal(&b);
    return ok;
}

/* TEXT for type: quoted, or the rest of the line as it is. */
static bool text_arg(cursor *c, stmt *s, const char **why)
{
    skip_space(c);
    buf b = BUF_INIT;
    bool ok = true;
    if (*c->p == '"' || *c->p == '\'' || *c->p == '`')
        ok = quoted(c, &b, why);
    else
        buf_puts(&b, c->p), c->p += strlen(c->p);
    s->text = buf_steal(&b);
    return ok;
}

static bool duration(const char *w, int64_t *ms, bool bare_seconds)
{
    char *end;
    if (bare_seconds) { /* vhs: "Sleep 2" is seconds, "Sleep 0.5" too */
        double v = strtod(w, &end);
        if (w[0] && !*end && v >= 0 && v < 86400) {
            *ms = (int64_t)(v * 1000);
            return true;
        }
    }
    return duration_parse_ms(w, ms) && *ms >= 0 && *ms <= 3600000;
}

/* [timeout DURATION] */
static bool timeout_arg(cursor *c, stmt *s, int64_t dflt, const char **why)
{
    s->ms = dflt;
    char w[64];
    if (!word(c, w, sizeof w))
        return true;
    char d[64];
    if (strcmp(w, "timeout") != 0 || !word(c, d, sizeof d) || !duration(d, &s->ms, false)) {
        *why = "expected: timeout DURATION";
        return false;
    }
    return true;
}

static bool at_end(cursor *c, const char **why)
{
    skip_space(c);
    if (*c->p) {
        *why = "unexpected words at the end";
        return false;
    }
    return true;
}

/* ---- hcptui's format ----------------------------------------------------------------------------- */

static bool parse_own(cursor *c, stmt *s, const char **why)
{
    char w[64];
    word(c, w, sizeof w);
    if (strcmp(w, "key") == 0) {
        char name[64], times[32];
        if (!word(c, name, sizeof name) || !key_parse(name, &s->key)) {
            *why = "expected: key NAME [xN] (key names as in keymaps)";
            return false;
        }
        s->kind = ST_KEY;
        s->repeat = 1;
        if (word(c, times, sizeof times)) {
            char *end;
            long n = times[0] == 'x' ? strtol(times + 1, &end, 10) : 0;
            if (times[0] != 'x' || *end || n < 1 || n > 10000) {
                *why = "a count is xN, N from 1 to 10000";
                return false;
            }
            s->repeat = (int)n;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "type") == 0) {
        s->kind = ST_TYPE;
        if (!text_arg(c, s, why))
            return false;
        if (!s->text[0]) {
            *why = "type what?";
            return false;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "command") == 0) {
        s->kind = ST_COMMAND;
        skip_space(c);
        s->text = xstrdup(c->p);
        c->p += strlen(c->p);
        if (!s->text[0]) {
            *why = "expected: command NAME [ARGS]";
            return false;
        }
        return true;
    }
    if (strcmp(w, "sleep") == 0) {
        char d[64];
        s->kind = ST_SLEEP;
        if (!word(c, d, sizeof d) || !duration(d, &s->ms, false)) {
            *why = "expected: sleep DURATION (300ms, 2s)";
            return false;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "wait-for") == 0) {
        s->kind = ST_WAIT_FOR;
        return pattern(c, s, why) && timeout_arg(c, s, DEFAULT_WAIT_MS, why) && at_end(c, why);
    }
    if (strcmp(w, "wait-idle") == 0) {
        s->kind = ST_WAIT_IDLE;
        return timeout_arg(c, s, DEFAULT_IDLE_MS, why) && at_end(c, why);
    }
    if (strcmp(w, "expect") == 0 || strcmp(w, "expect-not") == 0 || strcmp(w, "expect-row") == 0) {
        s->kind = strcmp(w, "expect") == 0 ? ST_EXPECT : strcmp(w, "expect-not") == 0 ? ST_EXPECT_NOT : ST_EXPECT_ROW;
        return pattern(c, s, why) && at_end(c, why);
    }
    if (strcmp(w, "snapshot") == 0) {
        s->kind = ST_SNAPSHOT;
        if (!text_arg(c, s, why))
            return false;
        if (!s->text[0]) {
            *why = "expected: snapshot FILE";
            return false;
        }
        return true;
    }
    if (strcmp(w, "resize") == 0) {
        char size[32], x;
        s->kind = ST_RESIZE;
        if (!word(c, size, sizeof size) || sscanf(size, "%d%c%d", &s->cols, &x, &s->lines) != 3 || x != 'x' ||
            s->cols < 1 || s->cols > 1000 || s->lines < 1 || s->lines > 1000) {
            *why = "expected: resize COLSxLINES (80x24)";
            return false;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "quit") == 0) {
        s->kind = ST_QUIT;
        return at_end(c, why);
    }
    *why = "unknown statement (key, type, command, sleep, wait-for, wait-idle, expect, expect-not, expect-row, "
           "snapshot, resize, quit)";
    return false;
}

/* ---- vhs tapes ----------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int key;
} tape_keys[] = {
    {"Enter", HK_ENTER},   {"Tab", HK_TAB},        {"Backspace", HK_BACKSPACE}, {"Escape", HK_ESC},
    {"Up", HK_UP},         {"Down", HK_DOWN},      {"Left", HK_LEFT},           {"Right", HK_RIGHT},
    {"Space", HK_SPACE},   {"PageUp", HK_PGUP},    {"PageDown", HK_PGDN},       {"Home", HK_HOME},
    {"End", HK_END},       {"Delete", HK_DELETE},
};

static const char *const tape_ignored[] = {"Output", "Set", "Hide", "Show", "Require", "Source"};

/* "Name@SPEED": the name, and the speed (the pause between keys) when given. */
static bool split_speed(char *w, int64_t *ms)
{
    char *at = strchr(w, '@');
    *ms = 0;
    if (!at)
        return true;
    *at = '\0';
    return duration(at + 1, ms, false);
}

static bool parse_tape(cursor *c, stmt *s, const char **why)
{
    char w[64];
    word(c, w, sizeof w);
    int64_t speed;
    if (!split_speed(w, &speed)) {
        *why = "a @SPEED is a duration (100ms)";
        return false;
    }
    for (size_t i = 0; i < sizeof tape_ignored / sizeof tape_ignored[0]; i++) {
        if (strcmp(w, tape_ignored[i]) == 0) {
            s->kind = ST_NOTE;
            skip_space(c);
            buf b = BUF_INIT;
            buf_printf(&b, "%s is ignored (hcptui records with --cast; the terminal is the one it runs in)", w);
            s->text = buf_steal(&b);
            c->p += strlen(c->p);
            return true;
        }
    }
    for (size_t i = 0; i < sizeof tape_keys / sizeof tape_keys[0]; i++) {
        if (strcmp(w, tape_keys[i].name) != 0)
            continue;
        s->kind = ST_KEY;
        s->key = tape_keys[i].key;
        s->repeat = 1;
        s->ms = speed;
        char n[32];
        if (word(c, n, sizeof n)) {
            char *end;
            long v = strtol(n, &end, 10);
            if (*end || v < 1 || v > 10000) {
                *why = "a count is a number from 1 to 10000";
                return false;
            }
            s->repeat = (int)v;
        }
        return at_end(c, why);
    }
    if (strncmp(w, "Ctrl+", 5) == 0 || strncmp(w, "Alt+", 4) == 0) {
        bool ctrl = w[0] == 'C';
        const char *k = w + (ctrl ? 5 : 4);
        char name[64];
        snprintf(name, sizeof name, "%s%s", ctrl ? "C-" : "M-", k);
        if (strlen(k) == 1 && ctrl) /* Ctrl+C is C-c */
            name[2] = (char)tolower((unsigned char)name[2]);
        s->kind = ST_KEY;
        s->repeat = 1;
        if (!key_parse(name, &s->key)) {
            *why = "no such key combination";
            return false;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "Type") == 0) {
        s->kind = ST_TYPE;
        s->ms = speed;
        skip_space(c);
        if (*c->p != '"' && *c->p != '\'' && *c->p != '`') {
            *why = "expected: Type \"TEXT\"";
            return false;
        }
        return text_arg(c, s, why) && at_end(c, why);
    }
    if (strcmp(w, "Sleep") == 0) {
        char d[64];
        s->kind = ST_SLEEP;
        if (!word(c, d, sizeof d) || !duration(d, &s->ms, true)) {
            *why = "expected: Sleep DURATION (500ms, 2s, 2)";
            return false;
        }
        return at_end(c, why);
    }
    if (strcmp(w, "Wait") == 0 || strcmp(w, "Wait+Screen") == 0 || strcmp(w, "Wait+Line") == 0) {
        s->kind = ST_WAIT_FOR;
        skip_space(c);
        if (*c->p != '/') {
            *why = "expected: Wait /REGEX/";
            return false;
        }
        if (!pattern(c, s, why))
            return false;
        s->ms = speed ? speed : TAPE_WAIT_MS; /* Wait@10s /re/: the timeout */
        return at_end(c, why);
    }
    if (strcmp(w, "Screenshot") == 0) {
        s->kind = ST_SNAPSHOT;
        return text_arg(c, s, why) && s->text[0];
    }
    *why = "unknown tape command";
    return false;
}

/* ---- files ----------------------------------------------------------------------------------------- */

typedef struct parse_ctx {
    script *out;
    bool tape;
} parse_ctx;

static const char *parse_line(char *line, int lineno, void *arg)
{
    parse_ctx *pc = arg;
    script *out = pc->out;
    out->s = xrealloc(out->s, (out->n + 1) * sizeof *out->s);
    stmt *s = &out->s[out->n++];
    memset(s, 0, sizeof *s);
    s->line = lineno;
    s->source = xstrdup(line);
    cursor c = {line};
    const char *why = NULL;
    if (!(pc->tape ? parse_tape(&c, s, &why) : parse_own(&c, s, &why)) && !why)
        why = "bad statement";
    return why;
}

int script_parse(const char *text, size_t len, const char *origin, bool is_tape, script *out, buf *errs)
{
    memset(out, 0, sizeof *out);
    out->origin = xstrdup(origin ? origin : "script");
    parse_ctx pc = {out, is_tape};
    return textfile_parse(text, len, MAX_LINE, out->origin, errs, parse_line, &pc);
}

int script_load(const char *path, script *out, buf *errs)
{
    memset(out, 0, sizeof *out);
    buf text = BUF_INIT;
    char err[600];
    if (textfile_read(path, MAX_SCRIPT_BYTES, "script", &text, err, sizeof err) < 0) {
        if (errs)
            buf_printf(errs, "%s\n", err);
        buf_free(&text);
        out->origin = xstrdup(path);
        return 1;
    }
    size_t pl = strlen(path);
    bool tape = pl > 5 && strcasecmp(path + pl - 5, ".tape") == 0;
    int bad = script_parse(buf_str(&text), text.len, path, tape, out, errs);
    buf_free(&text);
    return bad;
}

void script_free(script *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->s[i].source);
        free(s->s[i].text);
        if (s->s[i].is_regex)
            regfree(&s->s[i].re);
    }
    free(s->s);
    free(s->origin);
    memset(s, 0, sizeof *s);
}

double script_speed_parse(const char *s)
{
    if (!s || !*s)
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (*end == 'x' || *end == 'X')
        end++;
    return *end || !(v >= 0.05 && v <= 100) ? 0 : v;
}
