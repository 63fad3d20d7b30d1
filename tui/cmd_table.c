/* The command table (see command.h): one row per command; its exec does the work. */
#include "tui/command.h"
#include "tui/console.h"

static const char *const quit_aliases[] = {"q", "q!", NULL};
static const char *const ctx_aliases[] = {"ctx", NULL};
static const char *const ns_aliases[] = {"ns", NULL};

#define NO_ARGS {{0}}

static const cmd_entry table[] = {
    {"none", NULL, NO_ARGS, 0, "Unbind the key", cmd_none, NULL, NULL},
    {"quit", quit_aliases, NO_ARGS, 0, "Quit hcptui", cmd_quit, NULL, NULL},
    {"view.next", NULL, NO_ARGS, 0, "Show the next pane", cmd_view_next, NULL, NULL},
    {"view.prev", NULL, NO_ARGS, 0, "Show the previous pane", cmd_view_prev, NULL, NULL},
    {"cursor.down", NULL, NO_ARGS, CMDF_ROWS, "Move the selection one row down", cmd_cursor, NULL, NULL},
    {"cursor.up", NULL, NO_ARGS, CMDF_ROWS, "Move the selection one row up", cmd_cursor, NULL, NULL},
    {"cursor.top", NULL, NO_ARGS, CMDF_ROWS, "Jump to the first row", cmd_cursor, NULL, NULL},
    {"cursor.bottom", NULL, NO_ARGS, CMDF_ROWS, "Jump to the last row", cmd_cursor, NULL, NULL},
    {"cursor.page-down", NULL, NO_ARGS, CMDF_ROWS, "Move one page down", cmd_cursor, NULL, NULL},
    {"cursor.page-up", NULL, NO_ARGS, CMDF_ROWS, "Move one page up", cmd_cursor, NULL, NULL},
    {"sort.next", NULL, NO_ARGS, 0, "Sort by the next column", cmd_sort, NULL, NULL},
    {"sort.prev", NULL, NO_ARGS, 0, "Sort by the previous column", cmd_sort, NULL, NULL},
    {"sort.reverse", NULL, NO_ARGS, 0, "Reverse the sort direction", cmd_sort, NULL, NULL},
    {"filter", NULL, NO_ARGS, 0, "Filter rows (substring, ! negates); search in text views", cmd_filter, NULL, NULL},
    {"search.next", NULL, NO_ARGS, CMDF_ROWS, "Find the next match", cmd_search, NULL, NULL},
    {"search.prev", NULL, NO_ARGS, CMDF_ROWS, "Find the previous match", cmd_search, NULL, NULL},
    {"help", NULL, NO_ARGS, 0, "Show the keys of this view", cmd_help, NULL, NULL},
    {"command", NULL, NO_ARGS, 0, "Open the command line (:hc, :np, :etcd, :updates, :ctx, :ns, :stats, :q)",
     cmd_command, NULL, NULL},
    {"detail", NULL, NO_ARGS, CMDF_NEEDS_ROW, "Open the details of the selected row", cmd_detail, NULL, NULL},
    {"detail.next", NULL, NO_ARGS, 0, "Show the next detail tab", cmd_detail_step, NULL, NULL},
    {"detail.prev", NULL, NO_ARGS, 0, "Show the previous detail tab", cmd_detail_step, NULL, NULL},
    {"scope.set", NULL, NO_ARGS, CMDF_NEEDS_ROW, "Scope the panes to the selected row's cluster", cmd_scope_set, NULL,
     NULL},
    {"scope.clear", NULL, NO_ARGS, 0, "Show the whole fleet again", cmd_scope_clear, NULL, NULL},
    {"back", NULL, NO_ARGS, 0, "Close the statistics or detail view, else clear the filter, else the scope", cmd_back,
     NULL, NULL},
    {"redraw", NULL, NO_ARGS, 0, "Repaint the whole screen", cmd_redraw, NULL, NULL},
    {"stats", NULL, NO_ARGS, 0, "Show the API request counters per kind (again: close them)", cmd_stats, NULL, NULL},
    {"context", ctx_aliases, {{"NAME", ARG_CONTEXT, false}}, 0,
     "Switch to another kubeconfig context (Tab lists them)", cmd_context, NULL, NULL},
    {"namespace", ns_aliases, {{"NAME", ARG_NAMESPACE, true}}, 0,
     "Show one namespace's hosted clusters (all, or nothing, for every namespace)", cmd_namespace, NULL, NULL},
    {"mark.toggle", NULL, NO_ARGS, CMDF_NEEDS_ROW, "Mark or unmark the row (pause, resume and scale act on the marks)",
     cmd_mark_toggle, NULL, NULL},
    {"marks.clear", NULL, NO_ARGS, 0, "Clear the marks of this pane", cmd_marks_clear, NULL, NULL},
    /* the confirmation's keys */
    {"confirm.yes", NULL, NO_ARGS, 0, "Send the calls shown (after the server accepted the dry run)", cmd_confirm_yes,
     NULL, NULL},
    {"confirm.no", NULL, NO_ARGS, 0, "Cancel: nothing is sent", cmd_confirm_no, NULL, NULL},
    {"confirm.force", NULL, NO_ARGS, 0, "Toggle force-upgrade-to (upgrades)", cmd_confirm_toggle, NULL, NULL},
    {"confirm.also", NULL, NO_ARGS, 0, "Toggle the action's option (the node pools too; autoscaling off first)",
     cmd_confirm_toggle, NULL, NULL},
    {"confirm.down", NULL, NO_ARGS, 0, "Scroll the dialog down", cmd_confirm_scroll, NULL, NULL},
    {"confirm.up", NULL, NO_ARGS, 0, "Scroll the dialog up", cmd_confirm_scroll, NULL, NULL},
    {"confirm.erase", NULL, NO_ARGS, 0, "Erase the last character of the name typed", cmd_confirm_erase, NULL, NULL},
    /* the picker's keys */
    {"picker.down", NULL, NO_ARGS, 0, "Highlight the next choice", cmd_picker_move, NULL, NULL},
    {"picker.up", NULL, NO_ARGS, 0, "Highlight the previous choice", cmd_picker_move, NULL, NULL},
    {"picker.choose", NULL, NO_ARGS, 0, "Take the highlighted choice, or the value typed", cmd_picker_choose, NULL,
     NULL},
    {"picker.cancel", NULL, NO_ARGS, 0, "Cancel: nothing is sent", cmd_picker_cancel, NULL, NULL},
    {"picker.erase", NULL, NO_ARGS, 0, "Erase the last character typed", cmd_picker_erase, NULL, NULL},
    /* the prompt layer's keys */
    {"prompt.accept", NULL, NO_ARGS, 0, "Run the command line, apply the filter, or search", cmd_prompt_accept, NULL,
     NULL},
    {"prompt.cancel", NULL, NO_ARGS, 0, "Close the prompt (a filter being typed is cleared)", cmd_prompt_cancel, NULL,
     NULL},
    {"prompt.complete", NULL, NO_ARGS, 0, "Complete the word (commands, contexts, namespaces)", cmd_prompt_complete,
     NULL, NULL},
    {"prompt.erase", NULL, NO_ARGS, 0, "Erase the last character (on an empty line: close)", cmd_prompt_erase, NULL,
     NULL},
    {"prompt.clear", NULL, NO_ARGS, 0, "Clear the line", cmd_prompt_clear, NULL, NULL},
    /* the help layer's keys */
    {"help.down", NULL, NO_ARGS, 0, "Scroll the help down", cmd_help_scroll, NULL, NULL},
    {"help.up", NULL, NO_ARGS, 0, "Scroll the help up", cmd_help_scroll, NULL, NULL},
    {"help.close", NULL, NO_ARGS, 0, "Close the help", cmd_help_close, NULL, NULL},
};

const cmd_entry *cmd_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}
