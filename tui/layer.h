/* Modal layers: what sits over the panes and takes the keys first (the `:` and `/` prompts, help;
 * next the confirmation dialog, pickers, text and duration input, progress). A stack: the top one
 * is asked first. Each layer is a small ops table with its own keymap, so its keys can be rebound
 * and `?` lists them. A key is looked up in the top layer's keymap; a modal layer then hands a key
 * its keymap does not bind to its key() (a prompt inserts it), a non-modal one lets the view's and
 * the generic keymaps have it.
 *
 * Adding a layer: an ops table and an open function in its own file (layer_*.c), its commands in
 * cmd_table.c, its keymap lines (bind NAME KEY COMMAND) in keymaps/default.keymap, a test. */
#ifndef HCP_TUI_LAYER_H
#define HCP_TUI_LAYER_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "tui/redraw.h"

typedef struct console console;
typedef struct layer layer;

typedef struct layer_ops {
    const char *name; /* its keymap's name ("prompt", "help") */
    bool modal;
    /* A key its keymap does not bind (modal layers only); returns redraw bits. */
    unsigned (*key)(console *c, layer *l, int key);
    /* Draws over the area below the tab line; NULL: the view shows through. */
    void (*draw_main)(const console *c, const layer *l, WINDOW *w, int y, int h, int cols);
    /* Draws the message line; NULL: the message as usual. */
    void (*draw_msg)(const console *c, const layer *l, WINDOW *w, int cols);
    /* The hint bar's text; true when it is to stand out (candidates). NULL: the view's hints. */
    bool (*hint)(const console *c, const layer *l, char *out, size_t outlen);
    /* Called as it is popped; NULL: nothing to undo. */
    void (*close)(console *c, layer *l);
    /* True while printable keys are text for it (before its keymap); NULL: never. */
    bool (*takes_text)(const layer *l);
    /* After every wait of the loop (network answers may have arrived); redraw bits. NULL: none. */
    unsigned (*tick)(console *c, layer *l);
} layer_ops;

#define LAYER_TEXT_MAX 256

struct layer {
    const layer_ops *ops;
    int kind;                   /* a variant of the ops (the prompt: command, filter or search) */
    char text[LAYER_TEXT_MAX];  /* a prompt's line */
    bool selected;              /* the line is selected: the next key typed replaces it */
    char note[400];             /* a prompt's completion candidates */
    buf lines;                  /* help's text, '\n'-separated */
    int top;                    /* help's first line shown */
    void *priv;                 /* a layer's own state (freed by its close) */
};

#define LAYER_MAX 8

typedef struct layer_stack {
    layer l[LAYER_MAX];
    size_t n;
} layer_stack;

/* A new layer on top (zeroed but for ops); NULL when the stack is full. */
layer *layer_push(layer_stack *s, const layer_ops *ops);
/* The top layer, or NULL. */
layer *layer_top(layer_stack *s);
const layer *layer_top_const(const layer_stack *s);
/* Pops the top layer (its close() first); the redraw bits. */
unsigned layer_pop(console *c, layer_stack *s);
/* Pops every layer. */
void layer_pop_all(console *c, layer_stack *s);

/* The layers (layer_prompt.c, layer_help.c). */
typedef enum prompt_kind { PROMPT_COMMAND, PROMPT_FILTER, PROMPT_SEARCH } prompt_kind;
extern const layer_ops prompt_layer;
extern const layer_ops help_layer;
extern const layer_ops confirm_layer;
extern const layer_ops picker_layer;

#endif
