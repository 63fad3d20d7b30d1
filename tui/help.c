/* The help screen's text (see help.h). */
#include "tui/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"

#define HELP_MAX_COMMANDS 128

typedef struct help_ctx {
    command cmds[HELP_MAX_COMMANDS];
    char keys[HELP_MAX_COMMANDS][96];
    size_t n;
} help_ctx;

static void help_collect(int key, const command *c, const char *map, void *arg)
{
    (void)map;
    help_ctx *h = arg;
    char kn[32];
    key_to_name(key, kn, sizeof kn);
    for (size_t i = 0; i < h->n; i++) {
        if (h->cmds[i].id == c->id && h->cmds[i].view == c->view) {
            size_t l = strlen(h->keys[i]);
            snprintf(h->keys[i] + l, sizeof h->keys[i] - l, ", %s", kn);
            return;
        }
    }
    if (h->n < HELP_MAX_COMMANDS) {
        h->cmds[h->n] = *c;
        snprintf(h->keys[h->n], sizeof h->keys[0], "%s", kn);
        h->n++;
    }
}

void help_text(const keymap *km, const char *view_name, const char *view_title, bool is_detail, buf *out)
{
    help_ctx *h = xcalloc(1, sizeof *h);
    keymap_each_effective(km, view_name, is_detail, help_collect, h);
    buf_printf(out, "Keys of %s (from the active keymap)", view_title ? view_title : "hcptui");
    for (size_t i = 0; i < h->n; i++) {
        char name[96];
        command_name(&h->cmds[i], name, sizeof name);
        buf_printf(out, "\n  %-22s %-18s %s", h->keys[i], name, command_help(&h->cmds[i]));
    }
    buf_puts(out, "\n\nCommand line: :hc :np :etcd :updates :ctx NAME :ns NAME :q (Tab completes)");
    buf_puts(out, "\nFilter: / text (substring, case-insensitive), /!text hides matches, Esc clears");
    free(h);
}
