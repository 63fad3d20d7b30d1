/* Command-line options (see options.h). */
#include "tui/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/errfmt.h"
#include "common/timeutil.h"
#include "tui/once.h"
#include "tui/script.h"
#include "views/model.h"

#define ONCE_DEFAULT_TIMEOUT_MS 30000

typedef enum opt_id {
    OPT_KUBECONFIG,
    OPT_CONTEXT,
    OPT_NAMESPACE,
    OPT_ALL_NAMESPACES,
    OPT_READ_ONLY,
    OPT_REFRESH,
    OPT_ONCE,
    OPT_PANE,
    OPT_OUTPUT,
    OPT_WIDTH,
    OPT_CHECK,
    OPT_TIMEOUT,
    OPT_DEMO,
    OPT_NO_COLOR,
    OPT_ASCII,
    OPT_KEYMAP,
    OPT_VERSION,
    OPT_HELP,
    OPT_PLAY,
    OPT_PLAY_SPEED,
    OPT_PLAY_ONLY,
    OPT_RECORD,
    OPT_CAST,
    OPT_WATCH,
    OPT_LOG,
} opt_id;

static const struct {
    const char *long_name;
    char short_name;
    bool takes_value;
    opt_id id;
} opts[] = {
    {"kubeconfig", 0, true, OPT_KUBECONFIG},
    {"context", 0, true, OPT_CONTEXT},
    {"namespace", 'n', true, OPT_NAMESPACE},
    {"all-namespaces", 'A', false, OPT_ALL_NAMESPACES},
    {"read-only", 0, false, OPT_READ_ONLY},
    {"refresh", 0, true, OPT_REFRESH},
    {"once", 0, false, OPT_ONCE},
    {"pane", 0, true, OPT_PANE},
    {"output", 'o', true, OPT_OUTPUT},
    {"width", 0, true, OPT_WIDTH},
    {"check", 0, false, OPT_CHECK},
    {"timeout", 0, true, OPT_TIMEOUT},
    {"demo", 0, false, OPT_DEMO},
    {"no-color", 0, false, OPT_NO_COLOR},
    {"ascii", 0, false, OPT_ASCII},
    {"keymap", 0, true, OPT_KEYMAP},
    {"version", 0, false, OPT_VERSION},
    {"help", 'h', false, OPT_HELP},
    {"play", 0, true, OPT_PLAY},
    {"play-speed", 0, true, OPT_PLAY_SPEED},
    {"play-only", 0, false, OPT_PLAY_ONLY},
    {"record", 0, true, OPT_RECORD},
    {"cast", 0, true, OPT_CAST},
    {"watch", 0, false, OPT_WATCH},
    {"log", 0, true, OPT_LOG},
};
#define N_OPTS (sizeof opts / sizeof opts[0])

void options_usage(FILE *f)
{
    fputs("Usage: hcptui [OPTIONS]\n"
          "A terminal console for OpenShift Hosted Control Planes (HyperShift).\n"
          "\n"
          "  --kubeconfig FILE     kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)\n"
          "  --context NAME        kubeconfig context (default: the current context)\n"
          "  -n, --namespace NS    only hosted clusters of namespace NS\n"
          "  -A, --all-namespaces  the whole fleet (the default)\n"
          "      --read-only       refuse every change: only GET requests leave the process\n"
          "      --refresh N       list every N seconds instead of watching\n"
          "      --once            print a pane as plain text and exit\n"
          "      --watch           the fleet's problems, worst first, for a wall (read-only)\n"
          "      --log FILE        a diagnostics log: requests, reconnects, errors (no credentials)\n"
          "      --pane NAME       the pane: clusters, nodepools, etcd or updates\n"
          "  -o, --output FORMAT   --once as text, wide, json, yaml or name (implies --once)\n"
          "      --width N         lay --once text out for N columns (default: the terminal's;\n"
          "                        piped, nothing is cut)\n"
          "      --check           exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN from the fleet's\n"
          "                        health, with a one-line summary (implies --once)\n"
          "      --timeout DUR     how long --once retries failing first lists (default 30s)\n"
          "      --demo            run the built-in simulator with a demo fleet and connect to it\n"
          "      --no-color        no colours (also when NO_COLOR is set)\n"
          "      --ascii           ASCII only: no UTF-8 line drawing or symbols\n"
          "      --keymap FILE     key bindings loaded on top of the built-in keymap\n"
          "      --play SCRIPT     play a script (or a vhs .tape) through the console's keys and commands\n"
          "      --play-speed N    sleeps of the script N times faster (2x, 0.5x)\n"
          "      --play-only       keys typed during playback do not pause it\n"
          "      --record FILE     write the keys typed, with their pauses, as a playback script\n"
          "      --cast FILE       write the session's screen as an asciicast v2 file (asciinema play)\n"
          "      --version         print the version and exit\n"
          "  -h, --help            print this help and exit\n"
          "\n"
          "Keys: ? in the console lists them. See hcptui(1).\n",
          f);
}

/* A whole decimal number from lo to hi, all of value. */
static bool int_in_range(const char *value, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static int set_option(tui_options *o, opt_id id, const char *value, bool *all_ns, char *err, size_t errlen)
{
    switch (id) {
    case OPT_KUBECONFIG:
        o->kubeconfig = value;
        break;
    case OPT_CONTEXT:
        o->context = value;
        break;
    case OPT_NAMESPACE:
        if (!*value)
            return set_err(err, errlen, "--namespace needs a name");
        o->ns = value;
        break;
    case OPT_ALL_NAMESPACES:
        *all_ns = true;
        break;
    case OPT_READ_ONLY:
        o->read_only = true;
        break;
    case OPT_REFRESH:
        if (!int_in_range(value, 1, 3600, &o->refresh_seconds))
            return set_err(err, errlen, "--refresh wants whole seconds from 1 to 3600, not \"%.40s\"", value);
        break;
    case OPT_ONCE:
    case OPT_CHECK: /* --check prints once */
        o->once = true;
        o->check = o->check || id == OPT_CHECK;
        break;
    case OPT_PANE: {
        const view_ops *v = view_find(value);
        if (!v || !(v->flags & VIEW_PANE))
            return set_err(err, errlen, "--pane: unknown pane \"%.40s\" (clusters, nodepools, etcd, updates)",
                        value);
        o->pane = v->name;
        break;
    }
    case OPT_OUTPUT: {
        once_format fmt;
        if (!once_format_parse(value, &fmt))
            return set_err(err, errlen, "--output: unknown format \"%.40s\" (text, wide, json, yaml, name)", value);
        o->output = (int)fmt;
        o->once = true;
        break;
    }
    case OPT_WIDTH:
        if (!int_in_range(value, 20, 10000, &o->width))
            return set_err(err, errlen, "--width wants a number of columns from 20 to 10000, not \"%.40s\"", value);
        break;
    case OPT_TIMEOUT: {
        int64_t ms;
        char *end;
        long secs = strtol(value, &end, 10);
        if (end != value && !*end) /* a bare number is seconds */
            ms = secs >= 0 && secs <= 3600 ? (int64_t)secs * 1000 : -1;
        else if (!duration_parse_ms(value, &ms))
            ms = -1;
        if (ms < 1000 || ms > 3600 * 1000)
            return set_err(err, errlen, "--timeout wants 1s to 1h (\"45s\", \"2m\", or seconds), not \"%.40s\"",
                           value);
        o->timeout_ms = (int)ms;
        break;
    }
    case OPT_DEMO:
        o->demo = true;
        break;
    case OPT_NO_COLOR:
        o->no_color = true;
        break;
    case OPT_ASCII:
        o->ascii = true;
        break;
    case OPT_KEYMAP:
        o->keymap = value;
        break;
    case OPT_VERSION:
        o->version = true;
        break;
    case OPT_PLAY:
        o->play = value;
        break;
    case OPT_PLAY_SPEED:
        o->play_speed = script_speed_parse(value);
        if (o->play_speed <= 0)
            return set_err(err, errlen, "--play-speed wants a factor from 0.05 to 100 (2x, 0.5x), not \"%.40s\"",
                           value);
        break;
    case OPT_PLAY_ONLY:
        o->play_only = true;
        break;
    case OPT_RECORD:
        o->record = value;
        break;
    case OPT_CAST:
        o->cast = value;
        break;
    case OPT_LOG:
        o->log = value;
        break;
    case OPT_WATCH:
        o->watch = true;
        o->read_only = true; /* a wall display never changes anything */
        break;
    case OPT_HELP:
        o->help = true;
        break;
    }
    return 0;
}

int options_parse(int argc, char *const *argv, tui_options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = ONCE_DEFAULT_TIMEOUT_MS;
    bool all_ns = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = NULL;
        size_t k = N_OPTS;
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc)
                return set_err(err, errlen, "unexpected argument \"%.60s\" (see --help)", argv[i + 1]);
            break;
        }
        if (strncmp(a, "--", 2) == 0) {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
            for (k = 0; k < N_OPTS; k++)
                if (strlen(opts[k].long_name) == nlen && strncmp(opts[k].long_name, name, nlen) == 0)
                    break;
            if (k == N_OPTS)
                return set_err(err, errlen, "unknown option \"%.60s\" (see --help)", a);
            if (eq) {
                if (!opts[k].takes_value)
                    return set_err(err, errlen, "option --%s takes no value", opts[k].long_name);
                value = eq + 1;
            }
        } else if (a[0] == '-' && a[1] && !a[2]) {
            for (k = 0; k < N_OPTS; k++)
                if (opts[k].short_name == a[1])
                    break;
            if (k == N_OPTS)
                return set_err(err, errlen, "unknown option \"%.60s\" (see --help)", a);
        } else if (a[0] == '-' && a[1] && a[1] != '-') { /* -nNS, -ojson */
            for (k = 0; k < N_OPTS; k++)
                if (opts[k].short_name == a[1] && opts[k].takes_value)
                    break;
            if (k == N_OPTS)
                return set_err(err, errlen, "unknown option \"%.60s\" (see --help)", a);
            value = a + 2;
        } else {
            return set_err(err, errlen, "unexpected argument \"%.60s\" (see --help)", a);
        }
        if (opts[k].takes_value && !value) {
            if (i + 1 >= argc)
                return set_err(err, errlen, "option --%s needs a value", opts[k].long_name);
            value = argv[++i];
        }
        if (set_option(o, opts[k].id, value, &all_ns, err, errlen) < 0)
            return -1;
    }
    if (all_ns && o->ns)
        return set_err(err, errlen, "--namespace and --all-namespaces exclude each other");
    if (o->check && o->output != ONCE_TEXT)
        return set_err(err, errlen, "--check prints one summary line: drop --output");
    if (o->demo && (o->kubeconfig || o->context))
        return set_err(err, errlen, "--demo brings its own cluster: drop --kubeconfig and --context");
    if (o->watch && (o->once || o->pane))
        return set_err(err, errlen, "--watch is its own layout: it does not go with --once or --pane");
    if (o->cast && o->once)
        return set_err(err, errlen, "--cast records the console's screen: it does not go with --once");
    if (o->record && o->once)
        return set_err(err, errlen, "--record writes what is typed: it does not go with --once");
    if (o->play && o->once)
        return set_err(err, errlen, "--play drives the console: it does not go with --once");
    if ((o->play_speed > 0 || o->play_only) && !o->play)
        return set_err(err, errlen, "--play-speed and --play-only go with --play SCRIPT");
    return 0;
}
