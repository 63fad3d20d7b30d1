/* The contract between views/ and tui/: a view is a table of columns over the client's store.
 *
 * A view computes its rows at refresh() time from the store (the only moment it reads records) and
 * keeps them in its private state, so cell() is cheap and needs no store. Cell text is the cluster's
 * data as-is (unsanitized): the tui passes every cell through its one sanitizer at draw time. Roles
 * are semantic (healthy, failing, ...), never colours, and every role that matters comes with a word
 * or a symbol in the text, so nothing depends on colour alone.
 *
 * views/ never includes curses and never talks HTTP. tui/ never reads a HyperShift field: it draws
 * what these functions return. `--once` prints panes through the same functions. */
#ifndef HCP_VIEWS_VIEW_H
#define HCP_VIEWS_VIEW_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "client/kinds.h" /* res_kind, RES_KIND_BIT */

struct store; /* client/store.h */

/* What a cell means; the tui maps roles to colour pairs (or to bold/reverse on mono terminals). */
typedef enum view_role {
    ROLE_DEFAULT,
    ROLE_DIM,     /* unknown, absent, not applicable ("-", "unknown") */
    ROLE_OK,      /* healthy: the good polarity of a condition */
    ROLE_WARN,    /* in progress, degraded but serving, one failure from loss */
    ROLE_BAD,     /* failing, quorum lost, unsupported skew */
    ROLE_PAUSED,  /* reconciliation paused */
    ROLE_STALE,   /* last good data shown after an error (the tui applies it to a whole pane) */
    ROLE_ACCENT,  /* a name or value to draw the eye to (the cluster name of a heading) */
    ROLE_HEADING, /* a block heading row (etcd: one per control plane) */
    ROLE_COUNT
} view_role;

/* Bytes of a cell's text, NUL included. Views truncate at a UTF-8 boundary and never overflow. */
#define VIEW_CELL_MAX 512

typedef struct view_cell {
    char text[VIEW_CELL_MAX];
    view_role role;
    int progress_pct; /* 0..100: the tui draws a bar behind/after the text; -1: none */
} view_cell;

typedef struct view_column {
    const char *id;    /* stable, lower-case: "name", "version" (for keymaps, --once -o, docs) */
    const char *title; /* header text: "NAME" */
    int min_width;     /* columns (terminal cells) */
    int max_width;     /* 0: as wide as the widest cell */
    int drop_order;    /* 0: never dropped; on narrow terminals the highest is dropped first */
    bool align_right;  /* numbers and ages */
} view_column;

/* Identity of the object a row stands for (detail views, scoping, selection that survives refresh). */
/* The kind of a row that is a part of the target (a condition, a risk), not an object of a watched
 * kind: it has no details and no API path. */
#define VIEW_KIND_PART RES_KIND_COUNT
#define VIEW_NAME_MAX 254 /* a Kubernetes name is at most 253 bytes */
typedef struct view_object {
    res_kind kind; /* RES_HOSTEDCLUSTER, RES_NODEPOOL, RES_ETCD_POD (its Kind: res_kind_name), VIEW_KIND_PART */
    char ns[VIEW_NAME_MAX];
    char name[VIEW_NAME_MAX];
    /* The hosted cluster the object belongs to (itself for a HostedCluster): selecting a row on the
     * clusters pane scopes the other panes to this. Empty when not known. */
    char cluster_ns[VIEW_NAME_MAX];
    char cluster_name[VIEW_NAME_MAX];
} view_object;

/* What a view shows: everything (all fields NULL/empty) or a narrower scope. */
typedef struct view_scope {
    const char *ns;           /* `:ns NAME`: only objects of this (hosted cluster) namespace; NULL = all */
    const char *cluster_ns;   /* the selected hosted cluster; NULL = no cluster scope */
    const char *cluster_name;
    const view_object *target; /* detail views: the object they describe; NULL otherwise */
} view_scope;

/* view_ops.flags */
#define VIEW_PANE   0x01u /* one of the top-level panes (Tab cycles through them) */
#define VIEW_DETAIL 0x02u /* a detail view about scope->target (Enter on a row opens it) */
#define VIEW_TEXT   0x04u /* a text view: one column, no header, `/` searches (jumps) instead of filtering */
#define VIEW_FOCUS  0x08u /* needs the client to focus scope->target (raw JSON for YAML, its events) */
#define VIEW_WATCH  0x10u /* the --watch layout's one pane (not among the panes Tab cycles through) */

/* view_ops.depends: which watched kinds feed a view, so the tui shows their freshness and errors.
 * A kind's bit is RES_KIND_BIT(kind) (client/kinds.h); the focus has the first bit above them. */
#define VIEW_DEP_HOSTEDCLUSTERS RES_KIND_BIT(RES_HOSTEDCLUSTER)
#define VIEW_DEP_NODEPOOLS      RES_KIND_BIT(RES_NODEPOOL)
#define VIEW_DEP_ETCD_PODS      RES_KIND_BIT(RES_ETCD_POD)
#define VIEW_DEP_ETCD_PVCS      RES_KIND_BIT(RES_ETCD_PVC)
#define VIEW_DEP_SUPPORTED      RES_KIND_BIT(RES_SUPPORTED_VERSIONS) /* the supported-versions ConfigMap */
#define VIEW_DEP_EVENTS         RES_KIND_BIT(RES_EVENT)
#define VIEW_DEP_FOCUS          RES_KIND_BIT(RES_KIND_COUNT) /* the focused object's raw JSON */

/* A view's own command (tui/command.h lists it beside the console's commands as "NAME"): it acts
 * on the selected row (or the marked rows) and says what it found, or builds an action
 * (client/action.h) that the console shows for confirmation before anything is sent. */
struct action; /* client/action.h */

/* Options a confirmation dialog toggles; the command is run again with the new set. */
#define VIEW_OPT_FORCE 0x01u        /* upgrades: send hypershift.openshift.io/force-upgrade-to */
#define VIEW_OPT_WITH_POOLS 0x02u   /* pause / resume: the cluster's node pools too */
#define VIEW_OPT_NO_AUTOSCALE 0x04u /* scale: turn autoscaling off first */

typedef struct view_cmd_ctx {
    struct store *st;            /* NULL before the first data */
    const view_object *row;      /* the selected row's object, NULL when none */
    const view_object *marks;    /* the marked rows of the pane (act on these when any) */
    size_t n_marks;
    time_t now;
    int argc;
    const char *const *argv;
    unsigned options;            /* VIEW_OPT_* */
} view_cmd_ctx;

/* One choice for a missing argument (an upgrade's target, a channel): the console lets the user
 * pick one (or type another) and runs the command again with it. */
typedef struct view_choice {
    char *value;  /* the argument it stands for: "4.17.12" */
    char *label;  /* "4.17.12  recommended" */
    char *detail; /* more lines ('\n'-separated: the image, each risk), may be NULL */
    bool warn;    /* drawn as a warning (not recommended) */
} view_choice;

typedef struct view_cmd_out {
    char msg[VIEW_CELL_MAX]; /* what to say on the message line (unsanitized cluster text) */
    bool error;
    struct action *action;   /* built: to confirm (the console takes it); NULL when none */
    view_choice *choices;    /* an argument is missing: pick one of these (the console takes them) */
    size_t n_choices;
    char choose_title[VIEW_CELL_MAX];
} view_cmd_out;

/* Adds a choice (strings copied; detail may be NULL). */
void view_choice_add(view_cmd_out *out, const char *value, const char *label, const char *detail, bool warn);
void view_choices_free(view_choice *cs, size_t n);

#define VIEW_CMD_NEEDS_ROW 0x01u /* refused without a selected row */
#define VIEW_CMD_MUTATING 0x02u  /* builds an action that changes the cluster */

#define VIEW_CMD_MAX_ARGS 3

typedef struct view_cmd_arg {
    const char *name; /* in usage lines: "DURATION|TIME" */
    bool optional;
} view_cmd_arg;

typedef struct view_command {
    const char *name;            /* "cluster.why" */
    const char *const *aliases;  /* `:` words, NULL-terminated; may be NULL */
    unsigned flags;              /* VIEW_CMD_* */
    const char *help;
    void (*exec)(const view_cmd_ctx *ctx, view_cmd_out *out);
    view_cmd_arg args[VIEW_CMD_MAX_ARGS]; /* up to the first with name NULL */
    unsigned options;            /* the VIEW_OPT_* its dialog offers */
    unsigned perms;              /* the PERM_* (client/permissions.h) it needs, checked before a dialog */
} view_command;

typedef struct view_ops {
    const char *name;                  /* "clusters": the command is view.clusters */
    const char *title;                 /* "Hosted clusters" */
    const char *const *aliases;        /* NULL-terminated: {"hc", "hostedclusters", NULL}; `:` accepts them */
    const char *help;                  /* one line for `?` and docs */
    const char *empty_text;            /* shown when there are no rows: "No hosted clusters" */
    const view_column *columns;
    size_t n_columns;
    unsigned flags;                    /* VIEW_* */
    unsigned depends;                  /* VIEW_DEP_* */
    int default_sort;                  /* column sorted by on open, -1: the view's natural order */

    void *(*create)(void);
    void (*destroy)(void *priv);
    /* Recomputes the rows from the store. True when anything a cell shows changed (so the tui must
     * redraw); ages are computed against `now`, a fixed clock in tests. st may be NULL (no data yet).
     * The store is not const because its lookups build indexes lazily; views never modify it. */
    bool (*refresh)(void *priv, struct store *st, const view_scope *scope, time_t now);
    size_t (*row_count)(const void *priv);
    /* Fills out for a row and column (out->progress_pct = -1 and ROLE_DEFAULT unless set). */
    void (*cell)(const void *priv, size_t row, size_t col, view_cell *out);
    /* Heading rows start a block (etcd: one per control plane); NULL when a view has none. Rows after
     * a heading belong to it until the next heading; sorting and filtering keep blocks together. A
     * heading's whole text is in its first cell (the tui spans it across the row). */
    bool (*row_is_heading)(const void *priv, size_t row);
    /* The object a row stands for; false for rows that are not an object (text lines). */
    bool (*row_object)(const void *priv, size_t row, view_object *out);
    /* Orders two rows by a column (<0, 0, >0; numeric where numbers, versions as versions). NULL:
     * the model compares cell texts. */
    int (*compare)(const void *priv, size_t a, size_t b, size_t col);
    /* The role of a whole row (its health), used for the row's marker; NULL: ROLE_DEFAULT. */
    view_role (*row_role)(const void *priv, size_t row);
    /* What to say instead of empty_text right now ("HostedCluster ns/x was deleted"); NULL or "": say
     * empty_text. The tui asks view_model_empty_text(). */
    const char *(*empty_note)(const void *priv);
    /* The view's own commands (NULL: none). */
    const view_command *commands;
    size_t n_commands;
} view_ops;

/* The store kinds a view reads, from its depends: a bit mask of (1u << res_kind) (client/kinds.h),
 * the form client_options.kinds and client_wait_initial_for take. `--once --pane X` watches and waits
 * for these only. VIEW_DEP_FOCUS is no watched kind and adds nothing; NULL ops: 0. */
unsigned view_kinds_mask(const view_ops *ops);

/* Fills a cell: formats into out->text (truncated at a UTF-8 boundary) with a role. */
void view_cell_set(view_cell *out, view_role role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* vsnprintf into dst[dstlen], truncated at a UTF-8 boundary (cells and row tables format through it). */
void view_vformat(char *dst, size_t dstlen, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/* Resets a cell to "" / ROLE_DEFAULT / no progress. */
void view_cell_clear(view_cell *out);
/* Copies src into dst[dstlen], truncating at a UTF-8 boundary; always NUL-terminates (dstlen > 0). */
void view_copy_text(char *dst, size_t dstlen, const char *src);
/* Fills a view_object (NULL strings become ""). */
void view_object_set(view_object *o, res_kind kind, const char *ns, const char *name, const char *cluster_ns,
                     const char *cluster_name);
/* Same identity (kind, ns, name). */
bool view_object_equal(const view_object *a, const view_object *b);

/* Symbols in cell text ("⏸", "→", "–", "—") become ASCII ("||", "->", "-", "--") when on: the tui
 * turns it on with --ascii or a non-UTF-8 locale, before the first refresh. Off by default. */
void view_set_ascii(bool on);

#endif
