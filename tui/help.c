/* The help screen's text (see help.h). */
#include "tui/help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/cmdline.h"
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
        if (command_same(&h->cmds[i], c)) {
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

/* One line per command of the chain's effective bindings: keys, command, help (and its note). */
static void help_section(const keymap *km, const char *const *chain, size_t n, help_note_fn note, void *arg,
                         buf *out)
{
    help_ctx *h = xcalloc(1, sizeof *h);
    keymap_each_in(km, chain, n, help_collect, h);
    for (size_t i = 0; i < h->n; i++) {
        char name[CMD_ARGS_MAX + 64];
        command_text(&h->cmds[i], name, sizeof name);
        buf_printf(out, "\n  %-22s %-18s %s", h->keys[i], name, h->cmds[i].e->help);
        const char *words = note ? note(h->cmds[i].e, arg) : NULL;
        if (words && words[0])
            buf_printf(out, " [%s]", words);
    }
    free(h);
}

void help_text(const keymap *km, const char *view_name, const char *view_title, bool is_detail, buf *out)
{
    help_text_noted(km, view_name, view_title, is_detail, NULL, NULL, out);
}

void help_text_noted(const keymap *km, const char *view_name, const char *view_title, bool is_detail, help_note_fn note,
                     void *arg, buf *out)
{
    const char *chain[4];
    buf_printf(out, "Keys of %s (from the active keymap)", view_title ? view_title : "hcptui");
    help_section(km, chain, keymap_chain(NULL, false, view_name, is_detail, chain), note, arg, out);
    buf_puts(out, "\n\nIn the : and / prompts (keymap \"prompt\"; other keys are typed)");
    help_section(km, chain, keymap_chain("prompt", true, NULL, false, chain), NULL, NULL, out);
    buf_puts(out, "\n\nIn a confirmation (keymap \"confirm\"; a name to type takes the printable keys)");
    help_section(km, chain, keymap_chain("confirm", true, NULL, false, chain), NULL, NULL, out);
    buf_puts(out, "\n\nIn a picker (keymap \"picker\"; the printable keys type a value)");
    help_section(km, chain, keymap_chain("picker", true, NULL, false, chain), NULL, NULL, out);
    buf_puts(out, "\n\nIn this help (keymap \"help\"; any other key closes it)");
    help_section(km, chain, keymap_chain("help", true, NULL, false, chain), NULL, NULL, out);
    buf words = BUF_INIT;
    cmdline_words(&words, false);
    buf_printf(out, "\n\nCommand line (with their arguments; Tab completes): %s, and every command above by its"
                    "\n  name (:sort.next)",
               buf_str(&words));
    buf_free(&words);
    buf_puts(out, "\nFilter: / text (substring, case-insensitive), /!text hides matches, Esc clears");
}
