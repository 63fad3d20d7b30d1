/* The command table (see command.h). */
#include "tui/command.h"

#include <stdio.h>
#include <string.h>

#include "views/model.h"

typedef struct command_info {
    const char *name;
    cmd_id id;
    unsigned flags;
    const char *help;
} command_info;

static const command_info commands[] = {
    {"none", CMD_NONE, 0, "Unbind the key"},
    {"quit", CMD_QUIT, 0, "Quit hcptui"},
    {"view.next", CMD_VIEW_NEXT, 0, "Show the next pane"},
    {"view.prev", CMD_VIEW_PREV, 0, "Show the previous pane"},
    {"cursor.down", CMD_CURSOR_DOWN, 0, "Move the selection one row down"},
    {"cursor.up", CMD_CURSOR_UP, 0, "Move the selection one row up"},
    {"cursor.top", CMD_CURSOR_TOP, 0, "Jump to the first row"},
    {"cursor.bottom", CMD_CURSOR_BOTTOM, 0, "Jump to the last row"},
    {"cursor.page-down", CMD_PAGE_DOWN, 0, "Move one page down"},
    {"cursor.page-up", CMD_PAGE_UP, 0, "Move one page up"},
    {"sort.next", CMD_SORT_NEXT, 0, "Sort by the next column"},
    {"sort.prev", CMD_SORT_PREV, 0, "Sort by the previous column"},
    {"sort.reverse", CMD_SORT_REVERSE, 0, "Reverse the sort direction"},
    {"filter", CMD_FILTER, 0, "Filter rows (substring, ! negates); search in text views"},
    {"search.next", CMD_SEARCH_NEXT, 0, "Find the next match"},
    {"search.prev", CMD_SEARCH_PREV, 0, "Find the previous match"},
    {"help", CMD_HELP, 0, "Show the keys of this view"},
    {"command", CMD_COMMAND, 0, "Open the command line (:hc, :np, :etcd, :updates, :ctx, :ns, :stats, :q)"},
    {"detail", CMD_DETAIL, CMDF_NEEDS_ROW, "Open the details of the selected row"},
    {"detail.next", CMD_DETAIL_NEXT, 0, "Show the next detail tab"},
    {"detail.prev", CMD_DETAIL_PREV, 0, "Show the previous detail tab"},
    {"scope.set", CMD_SCOPE_SET, CMDF_NEEDS_ROW, "Scope the panes to the selected row's cluster"},
    {"scope.clear", CMD_SCOPE_CLEAR, 0, "Show the whole fleet again"},
    {"back", CMD_BACK, 0, "Close the statistics or detail view, else clear the filter, else the scope"},
    {"redraw", CMD_REDRAW, 0, "Repaint the whole screen"},
    {"stats", CMD_STATS, 0, "Show the API request counters per kind (again: close them)"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command_info *info_of(cmd_id id)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (commands[i].id == id)
            return &commands[i];
    return NULL;
}

bool command_parse(const char *name, command *out)
{
    if (!name)
        return false;
    if (strncmp(name, "view.", 5) == 0 && name[5]) {
        const view_ops *v = view_find(name + 5);
        /* view.<alias> is not a command name: keymaps stay canonical. */
        if (v && strcmp(v->name, name + 5) == 0) {
            out->id = CMD_VIEW;
            out->view = v;
            return true;
        }
    }
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            out->id = commands[i].id;
            out->view = NULL;
            return true;
        }
    }
    return false;
}

void command_name(const command *c, char *out, size_t outlen)
{
    if (c->id == CMD_VIEW && c->view) {
        snprintf(out, outlen, "view.%s", c->view->name);
        return;
    }
    const command_info *ci = info_of(c->id);
    snprintf(out, outlen, "%s", ci ? ci->name : "?");
}

const char *command_help(const command *c)
{
    if (c->id == CMD_VIEW && c->view)
        return c->view->title;
    const command_info *ci = info_of(c->id);
    return ci ? ci->help : "";
}

unsigned command_flags(const command *c)
{
    const command_info *ci = info_of(c->id);
    return ci ? ci->flags : 0;
}

void command_each(void (*fn)(const char *name, void *arg), void *arg)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        fn(commands[i].name, arg);
    size_t n = 0;
    const view_ops *const *reg = view_registry(&n);
    for (size_t i = 0; i < n; i++) {
        char name[96];
        snprintf(name, sizeof name, "view.%s", reg[i]->name);
        fn(name, arg);
    }
}
