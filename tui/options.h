/* Command-line options of hcptui (pure: parsed into a struct, no side effects). */
#ifndef HCP_TUI_OPTIONS_H
#define HCP_TUI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define HCPTUI_VERSION "0.1.0"

typedef struct tui_options {
    const char *kubeconfig; /* --kubeconfig FILE */
    const char *context;    /* --context NAME */
    const char *ns;         /* -n/--namespace NS; NULL: all namespaces (the fleet view) */
    bool read_only;         /* --read-only */
    int refresh_seconds;    /* --refresh N: poll every N seconds instead of watching; 0: watch */
    bool once;              /* --once: print the pane and exit */
    const char *pane;       /* --pane NAME: the pane to print (--once) or to start on */
    int output;             /* -o/--output FORMAT: a once_format (tui/once.h); implies --once */
    int width;              /* --width N: the layout width of --once text; 0: the terminal's, or uncut */
    bool check;             /* --check: the fleet's health as an exit status; implies --once */
    int timeout_ms;         /* --timeout DURATION: how long --once retries the first lists (30 s) */
    bool demo;              /* --demo: the built-in simulator, in-process */
    bool no_color;          /* --no-color */
    bool ascii;             /* --ascii */
    const char *keymap;     /* --keymap FILE */
    bool version;           /* --version */
    bool help;              /* -h/--help */
    const char *play;       /* --play SCRIPT */
    double play_speed;      /* --play-speed (0: as written) */
    bool play_only;         /* --play-only */
    const char *record;     /* --record FILE */
    const char *cast;       /* --cast FILE */
    bool watch;             /* --watch (implies read_only) */
    const char *log;        /* --log FILE */
} tui_options;

/* Parses argv (argv[0] is the program). 0 on success; -1 with a one-line message in err. Strings
 * in o borrow argv. Pane names are checked against the views registry. */
int options_parse(int argc, char *const *argv, tui_options *o, char *err, size_t errlen);

/* The --help text. */
void options_usage(FILE *f);

#endif
