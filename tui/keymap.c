/* Keymaps: parsing and lookup (see keymap.h). */
#include "tui/keymap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/textfile.h"
#include "common/xdg.h"
#include "tui/keys.h"
#include "tui/stats.h"
#include "views/model.h"

typedef struct binding {
    char map[64]; /* keymap name */
    int key;
    command cmd;
} binding;

struct keymap {
    binding *b;
    size_t n, cap;
};

keymap *keymap_new(void)
{
    return xcalloc(1, sizeof(keymap));
}

void keymap_free(keymap *km)
{
    if (!km)
        return;
    free(km->b);
    free(km);
}

static bool keymap_name_valid(const char *name)
{
    static const char *const fixed[] = {"generic", "detail", "prompt", "help", "confirm", "picker"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(name, fixed[i]) == 0)
            return true;
    if (strcmp(name, stats_view()->name) == 0)
        return true;
    const view_ops *v = view_find(name);
    return v && strcmp(v->name, name) == 0;
}

static void keymap_bind(keymap *km, const char *map, int key, const command *c)
{
    for (size_t i = 0; i < km->n; i++) {
        if (km->b[i].key == key && strcmp(km->b[i].map, map) == 0) {
            km->b[i].cmd = *c;
            return;
        }
    }
    if (km->n == km->cap) {
        km->cap = km->cap ? km->cap * 2 : 64;
        km->b = xrealloc(km->b, km->cap * sizeof *km->b);
    }
    binding *b = &km->b[km->n++];
    snprintf(b->map, sizeof b->map, "%s", map);
    b->key = key;
    b->cmd = *c;
}

/* Splits a line into at most max whitespace-separated words (in place). Returns the word count,
 * or max + 1 when there are more. */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
}

/* One statement: bind KEYMAP KEY COMMAND [ARGS...]. NULL when fine, else the message (in msg). */
static const char *keymap_statement(keymap *km, char *line, char *msg, size_t msglen)
{
    char *w[3];
    size_t n = split_words(line, w, 3);
    char *rest = NULL; /* the command and its arguments */
    if (n > 3) {
        /* split_words stopped at the fourth word: what follows the key, as written */
        rest = w[2] + strlen(w[2]) + 1;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        n = 4;
    }
    if (n == 0)
        return NULL;
    if (strcmp(w[0], "bind") != 0) {
        snprintf(msg, msglen, "unknown statement \"%.40s\" (expected: bind KEYMAP KEY COMMAND)", w[0]);
        return msg;
    }
    if (n != 4) {
        snprintf(msg, msglen, "bind takes 3 words: bind KEYMAP KEY COMMAND");
        return msg;
    }
    if (!keymap_name_valid(w[1])) {
        snprintf(msg, msglen, "unknown keymap \"%.40s\" (generic, detail, prompt, help or a view name)", w[1]);
        return msg;
    }
    int key;
    if (!key_parse(w[2], &key)) {
        snprintf(msg, msglen, "unknown key \"%.40s\"", w[2]);
        return msg;
    }
    command c;
    char why[180];
    if (!command_parse(rest, &c, why, sizeof why)) {
        snprintf(msg, msglen, "%s", why);
        return msg;
    }
    keymap_bind(km, w[1], key, &c);
    return NULL;
}

static const char *load_line(char *line, int lineno, void *arg)
{
    (void)lineno;
    static char msg[240]; /* the loader is not re-entered: one message at a time */
    return keymap_statement(arg, line, msg, sizeof msg);
}

int keymap_load_text(keymap *km, const char *text, size_t len, const char *origin, buf *errs)
{
    return textfile_parse(text, len, 512, origin ? origin : "keymap", errs, load_line, km);
}

int keymap_load_file(keymap *km, const char *path, buf *errs)
{
    buf text = BUF_INIT;
    char err[600];
    int bad;
    if (textfile_read(path, 1u << 20, "keymap", &text, err, sizeof err) < 0) {
        if (errs)
            buf_printf(errs, "%s\n", err);
        bad = 1;
    } else {
        bad = keymap_load_text(km, buf_str(&text), text.len, path, errs);
    }
    buf_free(&text);
    return bad;
}

bool keymap_user_path(char *out, size_t outlen)
{
    return xdg_path("XDG_CONFIG_HOME", ".config", "hcptui/keymap", out, outlen);
}

int keymap_load_user(keymap *km, const char *explicit_path, buf *errs)
{
    int bad = 0;
    char path[4096];
    if (keymap_user_path(path, sizeof path) && access(path, F_OK) == 0)
        bad += keymap_load_file(km, path, errs);
    if (explicit_path)
        bad += keymap_load_file(km, explicit_path, errs);
    return bad;
}

keymap *keymap_default(void)
{
    keymap *km = keymap_new();
    buf errs = BUF_INIT;
    if (keymap_load_text(km, keymap_default_text, strlen(keymap_default_text), "built-in keymap", &errs) > 0) {
        /* A broken default is a build bug (tests catch it); say it and keep what loaded. */
        fputs(buf_str(&errs), stderr);
    }
    buf_free(&errs);
    return km;
}

size_t keymap_chain(const char *layer, bool modal, const char *view_name, bool is_detail, const char *chain[4])
{
    size_t n = 0;
    if (layer) {
        chain[n++] = layer;
        if (modal)
            return n;
    }
    if (view_name)
        chain[n++] = view_name;
    if (is_detail)
        chain[n++] = "detail";
    chain[n++] = "generic";
    return n;
}

static const binding *find_binding(const keymap *km, const char *map, int key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key == key && strcmp(km->b[i].map, map) == 0)
            return &km->b[i];
    return NULL;
}

bool keymap_lookup_in(const keymap *km, const char *const *chain, size_t n, int key, command *out)
{
    for (size_t i = 0; i < n; i++) {
        const binding *b = find_binding(km, chain[i], key);
        if (b) {
            if (command_is(&b->cmd, "none"))
                return false;
            *out = b->cmd;
            return true;
        }
    }
    return false;
}

bool keymap_lookup(const keymap *km, const char *view_name, bool is_detail, int key, command *out)
{
    const char *chain[4];
    size_t n = keymap_chain(NULL, false, view_name, is_detail, chain);
    return keymap_lookup_in(km, chain, n, key, out);
}

size_t keymap_each_in(const keymap *km, const char *const *chain, size_t n,
                      void (*fn)(int key, const command *c, const char *map, void *arg), void *arg)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < km->n; j++) {
            const binding *b = &km->b[j];
            if (strcmp(b->map, chain[i]) != 0 || command_is(&b->cmd, "none"))
                continue;
            bool shadowed = false;
            for (size_t k = 0; k < i && !shadowed; k++)
                shadowed = find_binding(km, chain[k], b->key) != NULL;
            if (shadowed)
                continue;
            if (fn)
                fn(b->key, &b->cmd, b->map, arg);
            count++;
        }
    }
    return count;
}

size_t keymap_each_effective(const keymap *km, const char *view_name, bool is_detail,
                             void (*fn)(int key, const command *c, const char *map, void *arg), void *arg)
{
    const char *chain[4];
    size_t n = keymap_chain(NULL, false, view_name, is_detail, chain);
    return keymap_each_in(km, chain, n, fn, arg);
}

typedef struct key_for_ctx {
    const char *name;
    int key;
    bool found;
} key_for_ctx;

/* A key a person reads at a glance is the one to show: anything but a control chord (C-c). */
static bool plain_key(int key)
{
    return key >= 32 || key == HK_TAB || key == HK_ENTER || key == HK_ESC;
}

static void key_for_cb(int key, const command *c, const char *map, void *arg)
{
    (void)map;
    key_for_ctx *ctx = arg;
    if (!command_is(c, ctx->name) || c->args[0])
        return;
    if (!ctx->found || (!plain_key(ctx->key) && plain_key(key))) {
        ctx->key = key;
        ctx->found = true;
    }
}

static bool keymap_key_for_in(const keymap *km, const char *const *chain, size_t n, const char *command_name, int *key)
{
    key_for_ctx ctx = {command_name, 0, false};
    keymap_each_in(km, chain, n, key_for_cb, &ctx);
    if (ctx.found)
        *key = ctx.key;
    return ctx.found;
}

bool keymap_key_for(const keymap *km, const char *view_name, bool is_detail, const char *command_name, int *key)
{
    const char *chain[4];
    size_t n = keymap_chain(NULL, false, view_name, is_detail, chain);
    return keymap_key_for_in(km, chain, n, command_name, key);
}

void keymap_errors_line(const char *errs, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *p = errs; *p; p++)
        n += *p == '\n';
    buf b = BUF_INIT;
    buf_printf(&b, "keymap (%zu problem%s): ", n, n == 1 ? "" : "s");
    for (const char *p = errs; *p;) {
        size_t len = strcspn(p, "\n");
        buf_printf(&b, "%s%.*s", p == errs ? "" : "; ", (int)len, p);
        p += len + (p[len] == '\n');
    }
    snprintf(out, outlen, "%s", buf_str(&b));
    buf_free(&b);
}
