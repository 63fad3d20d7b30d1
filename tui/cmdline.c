/* The `:` command line (see cmdline.h). */
#include "tui/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "views/model.h"

static const char *const quit_words[] = {"q", "quit", "q!", NULL};
static const char *const ctx_words[] = {"ctx", "context", NULL};
static const char *const ns_words[] = {"ns", "namespace", NULL};

static bool word_in(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(w, list[i]) == 0)
            return true;
    return false;
}

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
    memset(out, 0, sizeof *out);
    char word[128], rest[256];
    split_first(line ? line : "", word, sizeof word, rest, sizeof rest);
    if (!word[0]) {
        out->kind = CL_EMPTY;
        return;
    }
    if (word_in(word, quit_words)) {
        out->kind = rest[0] ? CL_ERROR : CL_QUIT;
        if (rest[0])
            snprintf(out->err, sizeof out->err, ":%s takes no argument", word);
        return;
    }
    if (word_in(word, ctx_words)) {
        if (!rest[0] || strchr(rest, ' ')) {
            out->kind = CL_ERROR;
            snprintf(out->err, sizeof out->err, "usage: :ctx NAME (Tab lists the contexts)");
            return;
        }
        out->kind = CL_CONTEXT;
        snprintf(out->arg, sizeof out->arg, "%s", rest);
        return;
    }
    if (word_in(word, ns_words)) {
        if (strchr(rest, ' ')) {
            out->kind = CL_ERROR;
            snprintf(out->err, sizeof out->err, "usage: :ns NAME, or :ns all");
            return;
        }
        out->kind = CL_NAMESPACE;
        if (strcmp(rest, "all") != 0 && strcmp(rest, "*") != 0 && strcmp(rest, "-A") != 0)
            snprintf(out->arg, sizeof out->arg, "%s", rest);
        return;
    }
    const view_ops *v = view_find(word);
    if (v) {
        if (rest[0]) {
            out->kind = CL_ERROR;
            snprintf(out->err, sizeof out->err, ":%s takes no argument", word);
            return;
        }
        out->kind = CL_VIEW;
        out->view = v;
        return;
    }
    if (command_parse(word, &out->cmd) && !rest[0] && out->cmd.id != CMD_NONE) {
        out->kind = CL_COMMAND;
        return;
    }
    out->kind = CL_ERROR;
    snprintf(out->err, sizeof out->err, "unknown command \":%.60s\" (try :hc, :np, :etcd, :updates, :ctx, :ns, :q)",
             word);
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
        add_list(c, ctx_words, 1);
        add_list(c, ns_words, 1);
        add_list(c, quit_words, 2);
        add_candidate("stats", c); /* a command, and the one a user types at the `:` line */
    } else {
        char word[128], rest[256];
        split_first(line, word, sizeof word, rest, sizeof rest);
        if (word_in(word, ctx_words) && src)
            add_list(c, src->contexts, src->n_contexts);
        else if (word_in(word, ns_words)) {
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
