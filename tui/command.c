/* Finding and parsing commands (see command.h). */
#include "tui/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/console.h"
#include "views/model.h"

/* view.<name> for each registered view and each view's own commands, made once from the registry
 * (views register at compile time, so the list never changes). */
#define MAX_DYNAMIC 96
static cmd_entry dynamic[MAX_DYNAMIC];
static char dynamic_names[MAX_DYNAMIC][64];
static size_t n_dynamic;
static bool dynamic_made;

static cmd_entry *add_dynamic(const char *name, const char *const *aliases, unsigned flags, const char *help,
                              cmd_exec_fn exec, const view_ops *v, const view_command *vc)
{
    if (n_dynamic >= MAX_DYNAMIC)
        return NULL;
    snprintf(dynamic_names[n_dynamic], sizeof dynamic_names[0], "%s", name);
    cmd_entry *e = &dynamic[n_dynamic];
    e->name = dynamic_names[n_dynamic];
    e->aliases = aliases;
    e->flags = flags;
    e->help = help;
    e->exec = exec;
    e->view = v;
    e->vcmd = vc;
    n_dynamic++;
    return e;
}

static void make_dynamic(void)
{
    if (dynamic_made)
        return;
    dynamic_made = true;
    size_t n = 0;
    const view_ops *const *reg = view_registry(&n);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "view.%s", reg[i]->name);
        add_dynamic(name, NULL, 0, reg[i]->title, cmd_view, reg[i], NULL);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < reg[i]->n_commands; j++) {
            const view_command *vc = &reg[i]->commands[j];
            unsigned flags = (vc->flags & VIEW_CMD_NEEDS_ROW) ? CMDF_NEEDS_ROW : 0;
            if (vc->flags & VIEW_CMD_MUTATING)
                flags |= CMDF_MUTATING | CMDF_CONFIRM;
            cmd_entry *e = add_dynamic(vc->name, vc->aliases, flags, vc->help, cmd_view_command, reg[i], vc);
            for (size_t k = 0; e && k < VIEW_CMD_MAX_ARGS && k < CMD_MAX_ARGS && vc->args[k].name; k++)
                e->args[k] = (cmd_arg_spec){vc->args[k].name, ARG_WORD, vc->args[k].optional};
        }
    }
}

void command_each(void (*fn)(const cmd_entry *e, void *arg), void *arg)
{
    size_t n;
    const cmd_entry *t = cmd_table(&n);
    for (size_t i = 0; i < n; i++)
        fn(&t[i], arg);
    make_dynamic();
    for (size_t i = 0; i < n_dynamic; i++)
        fn(&dynamic[i], arg);
}

typedef struct find_ctx {
    const char *word;
    bool by_alias;
    const view_ops *only; /* a view's own commands only */
    const cmd_entry *found;
} find_ctx;

static void find_cb(const cmd_entry *e, void *arg)
{
    find_ctx *f = arg;
    if (f->found || (f->only && (!e->vcmd || e->view != f->only)))
        return;
    if (!f->by_alias) {
        if (strcmp(e->name, f->word) == 0)
            f->found = e;
        return;
    }
    if (strcasecmp(e->name, f->word) == 0)
        f->found = e;
    for (size_t i = 0; !f->found && e->aliases && e->aliases[i]; i++)
        if (strcasecmp(e->aliases[i], f->word) == 0)
            f->found = e;
}

static const cmd_entry *command_find(const char *name)
{
    if (!name)
        return NULL;
    find_ctx f = {name, false, NULL, NULL};
    command_each(find_cb, &f);
    return f.found;
}

const cmd_entry *command_find_word(const char *word, const view_ops *prefer)
{
    if (!word || !word[0])
        return NULL;
    find_ctx f = {word, true, prefer, NULL};
    if (prefer) /* the view in front's own command of that word first (":upgrade" on node pools) */
        command_each(find_cb, &f);
    f.only = NULL;
    if (!f.found)
        command_each(find_cb, &f);
    if (f.found)
        return f.found;
    const view_ops *v = view_find(word); /* "hc", "nodepools", "yaml": that view */
    if (!v)
        return NULL;
    char name[96];
    snprintf(name, sizeof name, "view.%s", v->name);
    return command_find(name);
}

static size_t n_spec(const cmd_entry *e)
{
    size_t n = 0;
    while (n < CMD_MAX_ARGS && e->args[n].name)
        n++;
    return n;
}

static void command_usage(const cmd_entry *e, char *out, size_t outlen)
{
    int used = snprintf(out, outlen, "usage: :%s", e->aliases && e->aliases[0] ? e->aliases[0] : e->name);
    size_t n = n_spec(e);
    for (size_t i = 0; i < n && used >= 0 && (size_t)used < outlen; i++)
        used += snprintf(out + used, outlen - (size_t)used, e->args[i].optional ? " [%s]" : " %s", e->args[i].name);
}

/* Splits text into words; "double quotes" keep spaces. False when there are too many or one is
 * too long or a quote is not closed. */
static bool split_args(const char *text, cmd_args *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return true;
        if (out->argc == CMD_MAX_ARGS) {
            snprintf(err, errlen, "too many arguments");
            return false;
        }
        char *w = out->argv[out->argc++];
        size_t n = 0;
        bool quoted = *p == '"';
        if (quoted)
            p++;
        while (*p && (quoted ? *p != '"' : (*p != ' ' && *p != '\t'))) {
            if (n + 1 >= CMD_ARGS_MAX) {
                snprintf(err, errlen, "an argument is too long");
                return false;
            }
            w[n++] = *p++;
        }
        if (quoted) {
            if (*p != '"') {
                snprintf(err, errlen, "a quote is not closed");
                return false;
            }
            p++;
        }
        w[n] = '\0';
    }
}

static bool arg_ok(const cmd_arg_spec *s, const char *v, char *err, size_t errlen)
{
    if (s->kind == ARG_COUNT) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (!v[0] || *end || n < 0) {
            snprintf(err, errlen, "%s must be a whole number, not \"%.40s\"", s->name, v);
            return false;
        }
    }
    return true;
}

bool command_args_parse(const cmd_entry *e, const char *text, cmd_args *out, char *err, size_t errlen)
{
    char why[96];
    if (!split_args(text, out, why, sizeof why)) {
        char usage[160];
        command_usage(e, usage, sizeof usage);
        snprintf(err, errlen, "%s (%s)", usage, why);
        return false;
    }
    size_t n = n_spec(e), need = 0;
    while (need < n && !e->args[need].optional)
        need++;
    if ((size_t)out->argc < need || (size_t)out->argc > n) {
        if (n == 0)
            snprintf(err, errlen, ":%s takes no argument", e->aliases && e->aliases[0] ? e->aliases[0] : e->name);
        else
            command_usage(e, err, errlen);
        return false;
    }
    for (int i = 0; i < out->argc; i++)
        if (!arg_ok(&e->args[i], out->argv[i], err, errlen))
            return false;
    return true;
}

bool command_parse(const char *text, command *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strcspn(p, " \t");
    char name[96];
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), p);
    const cmd_entry *e = command_find(name);
    if (!e) {
        snprintf(err, errlen, "unknown command \"%.60s\"", name);
        return false;
    }
    p += n;
    while (*p == ' ' || *p == '\t')
        p++;
    cmd_args a;
    if (!command_args_parse(e, p, &a, err, errlen))
        return false;
    out->e = e;
    snprintf(out->args, sizeof out->args, "%s", p);
    size_t l = strlen(out->args);
    while (l > 0 && (out->args[l - 1] == ' ' || out->args[l - 1] == '\t'))
        out->args[--l] = '\0';
    return true;
}

void command_text(const command *c, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s%s%s", c->e ? c->e->name : "?", c->args[0] ? " " : "", c->args);
}

bool command_is(const command *c, const char *name)
{
    return c->e && strcmp(c->e->name, name) == 0;
}

bool command_same(const command *a, const command *b)
{
    return a->e == b->e && strcmp(a->args, b->args) == 0;
}
