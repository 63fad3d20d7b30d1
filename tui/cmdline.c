/* The `:` command line (see cmdline.h). */
#include "tui/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "views/model.h"

/* Splits "  word  rest  " into word and rest (both trimmed). */
static void split_first(const char *line, char *word, size_t wlen, char *rest, size_t rlen)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strcspn(line, " \t");
    snprintf(word, wlen, "%.*s", (int)(n < wlen ? n : wlen - 1), line);
    line += n;
    while (*line == ' ' || *line == '\t')
        line++;
    size_t r = strlen(line);
    while (r > 0 && (line[r - 1] == ' ' || line[r - 1] == '\t'))
        r--;
    snprintf(rest, rlen, "%.*s", (int)(r < rlen ? r : rlen - 1), line);
}

void cmdline_parse(const char *line, cmdline_result *out)
{
    cmdline_parse_in(line, NULL, out);
}

void cmdline_parse_in(const char *line, const view_ops *view, cmdline_result *out)
{
    memset(out, 0, sizeof *out);
    char word[128], rest[CMD_ARGS_MAX];
    split_first(line ? line : "", word, sizeof word, rest, sizeof rest);
    if (!word[0]) {
        out->kind = CL_EMPTY;
        return;
    }
    const cmd_entry *e = command_find_word(word, view);
    if (!e || strcmp(e->name, "none") == 0) {
        out->kind = CL_ERROR;
        buf words = BUF_INIT;
        cmdline_words(&words, false);
        snprintf(out->err, sizeof out->err, "unknown command \":%.60s\" (? lists them all): %s", word,
                 buf_str(&words));
        buf_free(&words);
        return;
    }
    cmd_args a;
    char err[sizeof out->err - 32];
    if (!command_args_parse(e, rest, &a, err, sizeof err)) {
        out->kind = CL_ERROR;
        if (e->args[0].kind == ARG_CONTEXT)
            snprintf(out->err, sizeof out->err, "%s (Tab lists the contexts)", err);
        else
            snprintf(out->err, sizeof out->err, "%s", err);
        return;
    }
    out->kind = CL_COMMAND;
    out->cmd.e = e;
    snprintf(out->cmd.args, sizeof out->cmd.args, "%s", rest);
}

/* Candidate collection. */
#define MAX_CANDIDATES 256
typedef struct candidates {
    const char *prefix;
    size_t prefix_len;
    char words[MAX_CANDIDATES][96];
    size_t n;
} candidates;

static void add_candidate(const char *word, void *arg)
{
    candidates *c = arg;
    if (c->n >= MAX_CANDIDATES || strncasecmp(word, c->prefix, c->prefix_len) != 0)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->words[i], word) == 0)
            return;
    snprintf(c->words[c->n++], sizeof c->words[0], "%s", word);
}

static void add_list(candidates *c, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i])
            add_candidate(list[i], c);
}

/* The words a user types for a command at the `:` line: its short alias, or its name; the layers'
 * keys and the generated view.<name> rows are typed by their view names instead. */
static void add_command_word(const cmd_entry *e, void *arg)
{
    if (strncmp(e->name, "view.", 5) == 0 || strncmp(e->name, "prompt.", 7) == 0 ||
        strncmp(e->name, "help.", 5) == 0 || strcmp(e->name, "none") == 0)
        return;
    add_candidate(e->aliases && e->aliases[0] ? e->aliases[0] : e->name, arg);
}

size_t cmdline_complete(char *line, size_t cap, const cmdline_sources *src, char *shown, size_t shownlen)
{
    if (shown && shownlen)
        shown[0] = '\0';
    size_t len = strlen(line);
    size_t start = len;
    while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
        start--;
    size_t first = 0;
    while (first < len && (line[first] == ' ' || line[first] == '\t'))
        first++;
    bool first_word = start <= first;

    candidates *c = xcalloc(1, sizeof *c);
    c->prefix = line + start;
    c->prefix_len = len - start;
    if (first_word) {
        view_complete(c->prefix, add_candidate, c);
        command_each(add_command_word, c);
    } else {
        char word[128], rest[256];
        split_first(line, word, sizeof word, rest, sizeof rest);
        const cmd_entry *e = command_find_word(word, NULL);
        size_t words = 0; /* before the one being typed; the first is the command */
        for (size_t i = 0; i < start; i++)
            words += line[i] != ' ' && line[i] != '\t' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t');
        size_t argi = words - 1;
        cmd_arg_kind kind = ARG_WORD;
        if (e && argi < CMD_MAX_ARGS && e->args[argi].name)
            kind = e->args[argi].kind;
        if (e && kind == ARG_CONTEXT && src)
            add_list(c, src->contexts, src->n_contexts);
        else if (e && kind == ARG_NAMESPACE && e->args[argi].name) {
            add_candidate("all", c);
            if (src)
                add_list(c, src->namespaces, src->n_namespaces);
        }
    }
    size_t n = c->n;
    if (n >= 1) {
        /* longest common prefix (case-sensitive, from the first candidate) */
        size_t common = strlen(c->words[0]);
        for (size_t i = 1; i < n; i++) {
            size_t k = 0;
            while (k < common && c->words[i][k] == c->words[0][k])
                k++;
            common = k;
        }
        if (common >= c->prefix_len || n == 1) {
            size_t add = n == 1 ? strlen(c->words[0]) : common;
            if (start + add + 2 <= cap) {
                memcpy(line + start, c->words[0], add);
                line[start + add] = '\0';
                if (n == 1 && first_word)
                    strcat(line, " ");
            }
        }
        if (n > 1 && shown) {
            size_t used = 0;
            for (size_t i = 0; i < n && used + 1 < shownlen; i++) {
                int w = snprintf(shown + used, shownlen - used, "%s%s", i ? " " : "", c->words[i]);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
        }
    }
    free(c);
    return n;
}

static void word_cb(const char *word, void *arg)
{
    buf *b = arg;
    buf_printf(b, "%s:%s", b->len ? " " : "", word);
}

static void first_view_word(const cmd_entry *e, void *arg)
{
    /* a pane by its shortest alias (hc, np), then the commands by the word the line takes */
    if (e->view && !e->vcmd && (e->view->flags & VIEW_PANE) && e->view->aliases && e->view->aliases[0])
        word_cb(e->view->aliases[0], arg);
}

typedef struct words_ctx {
    buf *b;
    bool all; /* every command by name, else the ones with a short word and stats */
} words_ctx;

static void command_word(const cmd_entry *e, void *arg)
{
    words_ctx *w = arg;
    if (!w->all && !(e->aliases && e->aliases[0]) && strcmp(e->name, "stats") != 0)
        return;
    if (strncmp(e->name, "view.", 5) == 0 || strncmp(e->name, "prompt.", 7) == 0 ||
        strncmp(e->name, "help.", 5) == 0 || strncmp(e->name, "confirm.", 8) == 0 ||
        strncmp(e->name, "picker.", 7) == 0 || strcmp(e->name, "none") == 0)
        return;
    word_cb(e->aliases && e->aliases[0] ? e->aliases[0] : e->name, w->b);
}

void cmdline_words(buf *out, bool all)
{
    command_each(first_view_word, out);
    words_ctx w = {out, all};
    command_each(command_word, &w);
}
