/* hcptui: the entry point. Options, keymap, connection (kubeconfig or the in-process demo
 * simulator), then either --once (print a pane and exit) or the console.
 *
 * Exit status (docs/hcptui.1, docs/once.md): 0 fine; 1 the cluster could not be read (--once) or the
 * terminal could not be used; 2 usage or kubeconfig errors, bad credentials; --check: 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN (anything that kept it from reading the fleet); the console
 * ended by SIGTERM, SIGHUP or SIGINT: 128 + the signal. Curses starts only after configuration
 * succeeded. */
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "client/kubeconfig.h"
#include "common/buf.h"
#include "sim/server.h"
#include "common/diaglog.h"
#include "tui/app.h"
#include "tui/cast.h"
#include "tui/config.h"
#include "tui/contexts.h"
#include "tui/kcwatch.h"
#include "tui/keymap.h"
#include "tui/once.h"
#include "tui/options.h"
#include "tui/record.h"
#include "tui/script.h"
#include "tui/sanitize.h"
#include "tui/term.h"
#include "views/model.h"

/* --check's status when it could not judge the fleet (the monitoring plugins' UNKNOWN). */
#define CHECK_EXIT_UNKNOWN 3

/* Restores the terminal first, then says why and exits. */
static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
    term_stop();
    va_list ap;
    va_start(ap, fmt);
    fputs("hcptui: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

/* Everything a connection needs, kept so that :ctx can open another one. */
typedef struct connection {
    const tui_options *o;
    sim_server *sim;   /* --demo */
    char *demo_yaml;   /* the demo's admin kubeconfig, in memory only */
    kube_target *target;
    client *cl;
    app_identity id;
    uint64_t kubeconfig_print; /* the kubeconfig files as they were when the target was read */
} connection;

static void identity_fill(connection *c)
{
    kube_target *t = c->target;
    snprintf(c->id.context, sizeof c->id.context, "%s", t->context ? t->context : "");
    snprintf(c->id.server, sizeof c->id.server, "%s", t->server ? t->server : "");
    snprintf(c->id.user, sizeof c->id.user, "%s", t->user && t->user[0] ? t->user : kube_auth_kind_name(t->auth));
    kube_target_warnings(t, time(NULL), c->id.warning, sizeof c->id.warning);
}

static kube_target *target_load(connection *c, const char *context, char *err, size_t errlen)
{
    kube_target *t = NULL;
    int rc;
    if (c->demo_yaml) {
        rc = kubeconfig_load_text(c->demo_yaml, strlen(c->demo_yaml), "<demo>", context, c->o->ns, &t, err, errlen);
    } else {
        kube_load_opts lo;
        kube_load_opts_from_env(&lo);
        lo.explicit_path = c->o->kubeconfig;
        lo.context = context;
        lo.namespace_override = c->o->ns;
        c->kubeconfig_print = kubeconfig_fingerprint(c->o->kubeconfig);
        rc = kubeconfig_resolve(&lo, &t, err, errlen);
    }
    return rc == 0 ? t : NULL;
}

/* Whether the kubeconfig files changed since the target was read (the console then reconnects). */
static bool kubeconfig_changed(void *arg)
{
    connection *c = arg;
    return !c->demo_yaml && kubeconfig_fingerprint(c->o->kubeconfig) != c->kubeconfig_print;
}

/* The pane --once prints (the clusters pane unless --pane names another; --check reads the
 * clusters). */
static const view_ops *once_pane(const tui_options *o)
{
    return view_find(o->check ? "clusters" : o->pane ? o->pane : "clusters");
}

/* The kinds json and yaml facts read beyond the pane's own (a node pool's cluster health needs the
 * etcd pods; the supported range the operator's ConfigMap): watched, but done without when they
 * cannot be read. */
static unsigned once_optional_kinds(const tui_options *o)
{
    if (o->output != ONCE_JSON && o->output != ONCE_YAML)
        return 0;
    return (RES_KIND_BIT(RES_HOSTEDCLUSTER) | RES_KIND_BIT(RES_NODEPOOL) | RES_KIND_BIT(RES_ETCD_POD) |
            RES_KIND_BIT(RES_SUPPORTED_VERSIONS)) & ~view_kinds_mask(once_pane(o));
}

static client *client_for(connection *c, kube_target *t, char *err, size_t errlen)
{
    client_options co = {
        /* --once watches only what its pane reads: a forbidden or slow kind it does not show (the
         * supported-versions ConfigMap for the clusters pane) neither fails nor delays it. */
        .kinds = c->o->once ? view_kinds_mask(once_pane(c->o)) | once_optional_kinds(c->o) : 0,
        .target = t,
        .read_only = c->o->read_only,
        .namespace = c->o->ns,
        .refresh_seconds = c->o->refresh_seconds,
        .version = HCPTUI_VERSION,
    };
    client *cl = client_open(&co, err, errlen);
    if (cl)
        client_start(cl);
    return cl;
}

/* :ctx NAME: a new target and client; the old ones go only when the new ones work. */
static client *reconnect(void *arg, client *old, const char *context, char *err, size_t errlen)
{
    connection *c = arg;
    (void)old;
    kube_target *t = target_load(c, context, err, errlen);
    if (!t)
        return NULL;
    client *cl = client_for(c, t, err, errlen);
    if (!cl) {
        kube_target_free(t);
        return NULL;
    }
    client_close(c->cl);
    kube_target_free(c->target);
    c->cl = cl;
    c->target = t;
    identity_fill(c);
    return cl;
}

static void demo_start(connection *c, int fail_status)
{
    sim_server_config cfg = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 1000};
    char err[512];
    c->sim = sim_server_start(&cfg, err, sizeof err);
    if (!c->sim)
        die(fail_status, "cannot start the demo simulator: %s", err);
    c->demo_yaml = xstrdup(sim_server_admin_kubeconfig(c->sim));
}

static void connection_close(connection *c)
{
    client_close(c->cl);
    c->cl = NULL;
    kube_target_free(c->target);
    c->target = NULL;
    if (c->sim)
        sim_server_stop(c->sim);
    c->sim = NULL;
    free(c->demo_yaml);
    c->demo_yaml = NULL;
}

/* The header's credential warnings, for --once (which has no header): one line each on stderr. */
static void once_warnings(const connection *c)
{
    const char *w = c->id.warning;
    while (*w) {
        size_t n = strcspn(w, ";");
        char one[300], safe[600];
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), w);
        sanitize_text(one, safe, sizeof safe, -1, SAN_ASCII);
        fprintf(stderr, "hcptui: warning: %s\n", safe);
        w += n;
        while (*w == ';' || *w == ' ')
            w++;
    }
}

/* The pane in the format -o asks for. Text to a terminal is laid out for its width; piped (cron,
 * a script, a file) no cell is cut unless --width asks for a layout. */
static void once_output(connection *c, view_model *m, unsigned san_flags)
{
    const tui_options *o = c->o;
    once_source src = {.context = c->id.context, .server = c->id.server, .now = time(NULL)};
    bool tty = isatty(STDOUT_FILENO);
    switch ((once_format)o->output) {
    case ONCE_JSON:
        once_print_json(stdout, m, client_store(c->cl), &src);
        break;
    case ONCE_YAML:
        once_print_yaml(stdout, m, client_store(c->cl), &src);
        break;
    case ONCE_NAME:
        once_print_names(stdout, m);
        break;
    case ONCE_WIDE:
        once_print(stdout, m, 0, 0, true, san_flags);
        break;
    case ONCE_TEXT:
    default:
        once_print(stdout, m, o->width ? o->width : tty ? once_width(STDOUT_FILENO) : 0, once_width(STDOUT_FILENO),
                   false, san_flags);
        break;
    }
}

static int run_once(connection *c)
{
    const tui_options *o = c->o;
    char err[512];
    once_warnings(c);
    const view_ops *ops = once_pane(o);
    unsigned flags = (o->ascii || !term_locale_is_utf8()) ? SAN_ASCII : 0;
    once_read rd = once_wait(c->cl, view_kinds_mask(ops), once_optional_kinds(o), o->timeout_ms, err, sizeof err);
    if (rd != ONCE_READ_OK) {
        char safe[600];
        sanitize_text(err, safe, sizeof safe, -1, SAN_ASCII);
        if (o->check) {
            printf("UNKNOWN: cannot read from %s: %s\n", c->target->server, safe);
            return CHECK_EXIT_UNKNOWN;
        }
        fprintf(stderr, "hcptui: cannot read from %s: %s\n", c->target->server, safe);
        return rd == ONCE_READ_CREDENTIALS ? 2 : 1;
    }
    if (o->check) {
        char line[4096];
        check_level level = once_check(client_store(c->cl), time(NULL), flags, line, sizeof line);
        puts(line);
        return (int)level;
    }
    /* json and yaml are UTF-8 whatever the locale; --ascii still asks for ASCII symbols */
    bool data = o->output == ONCE_JSON || o->output == ONCE_YAML;
    view_set_ascii(data ? o->ascii : (flags & SAN_ASCII) != 0);
    view_model *m = view_model_new(ops);
    view_scope scope = {.ns = o->ns};
    view_model_refresh(m, client_store(c->cl), &scope, time(NULL));
    once_output(c, m, flags);
    view_model_free(m);
    return 0;
}

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_by_key; /* the SIGINT came from C-c typed in the console */

/* In cbreak mode the terminal turns C-c into SIGINT: that one is the keymap's quit key (exit 0);
 * a SIGINT sent by kill(2) (SI_USER), SIGTERM and SIGHUP end the console with 128 + N. */
static void on_stop_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    stop_by_key = sig == SIGINT && si && si->si_code == SI_KERNEL;
    stop_signal = sig;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    tui_options o;
    char err[1024];
    if (options_parse(argc, argv, &o, err, sizeof err) < 0) {
        fprintf(stderr, "hcptui: %s\n", err);
        return 2;
    }
    static tui_config ucfg; /* the user's config file, under the flags (it lives as long as o) */
    buf cfgerr = BUF_INIT;
    if (config_load(&ucfg, &cfgerr) > 0) {
        fputs(buf_str(&cfgerr), stderr);
        buf_free(&cfgerr);
        config_free(&ucfg);
        return 2;
    }
    buf_free(&cfgerr);
    config_apply(&ucfg, &o);
    if (o.help) {
        options_usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("hcptui %s\n", HCPTUI_VERSION);
        return 0;
    }

    /* the script is checked before anything starts: a bad line is an error with its line */
    script play;
    memset(&play, 0, sizeof play);
    if (o.play) {
        buf perr = BUF_INIT;
        if (script_load(o.play, &play, &perr) > 0) {
            fputs(buf_str(&perr), stderr);
            buf_free(&perr);
            script_free(&play);
            return 2;
        }
        buf_free(&perr);
    }

    if (o.cast) { /* first: the relay forks before any thread or connection exists */
        char cerr[600];
        if (cast_start(o.cast, cerr, sizeof cerr) < 0) {
            fprintf(stderr, "hcptui: %s\n", cerr);
            script_free(&play);
            return 2;
        }
    }
    if (o.log) {
        char lerr[600];
        if (!diaglog_open(o.log, 4u << 20, lerr, sizeof lerr)) {
            fprintf(stderr, "hcptui: %s\n", lerr);
            script_free(&play);
            return 2;
        }
        diaglog("hcptui %s started", HCPTUI_VERSION);
    }
    recorder *rec = NULL;
    if (o.record) {
        char rerr[600];
        if (!(rec = record_open(o.record, rerr, sizeof rerr))) {
            fprintf(stderr, "hcptui: %s\n", rerr);
            script_free(&play);
            return 2;
        }
    }

    keymap *km = keymap_default();
    buf kmerr = BUF_INIT;
    if (keymap_load_user(km, o.keymap, &kmerr) > 0 && o.once)
        fputs(buf_str(&kmerr), stderr);

    connection c = {.o = &o};
    if (o.demo)
        demo_start(&c, o.check ? CHECK_EXIT_UNKNOWN : 1);
    c.target = target_load(&c, o.context, err, sizeof err);
    if (c.target) {
        identity_fill(&c);
        c.cl = client_for(&c, c.target, err, sizeof err);
    }
    if (!c.cl) { /* the kubeconfig or its credentials cannot be used: one line, status 2 */
        connection_close(&c);
        keymap_free(km);
        buf_free(&kmerr);
        script_free(&play);
        record_close(rec);
        if (o.check) { /* a monitoring system reads stdout and the status: it could not judge */
            printf("UNKNOWN: %s\n", err);
            return CHECK_EXIT_UNKNOWN;
        }
        fprintf(stderr, "hcptui: %s\n", err);
        return 2;
    }

    int status = 0, play_status = 0;
    buf play_report = BUF_INIT;
    if (o.once) {
        status = run_once(&c);
    } else {
        char **contexts = NULL, *current = NULL;
        size_t n_contexts = 0;
        if (c.demo_yaml) {
            /* the demo's kubeconfig is in memory only: read the names from its text */
            char cerr[256];
            if (contexts_from_text(c.demo_yaml, strlen(c.demo_yaml), &contexts, &n_contexts, cerr, sizeof cerr) < 0) {
                contexts = NULL;
                n_contexts = 0;
            }
        } else {
            kube_load_opts lo;
            kube_load_opts_from_env(&lo);
            lo.explicit_path = o.kubeconfig;
            char cerr[256];
            if (kubeconfig_contexts(&lo, &contexts, &n_contexts, &current, cerr, sizeof cerr) < 0) {
                contexts = NULL;
                n_contexts = 0;
            }
        }
        /* the first keymap problem on the message line; all of them on stderr after exit */
        char first[500] = ""; /* every problem, one after the other; all of them on stderr at exit */
        if (kmerr.len) {
            keymap_errors_line(buf_str(&kmerr), first, sizeof first);
        }
        term_config tc = {.no_color = o.no_color, .ascii = o.ascii};
        view_set_ascii(o.ascii || !term_locale_is_utf8());
        if (!term_start(&tc, err, sizeof err)) {
            connection_close(&c);
            keymap_free(km);
            buf_free(&kmerr);
            kube_strv_free(contexts, n_contexts);
            free(current);
            script_free(&play);
            record_close(rec);
            fprintf(stderr, "hcptui: %s\n", err);
            return 1;
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_stop_signal;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        app_config ac = {
            .cl = c.cl,
            .km = km,
            .id = &c.id,
            .read_only = o.read_only,
            .watch = o.watch,
            .refresh_seconds = o.refresh_seconds,
            .start_pane = o.pane,
            .start_message = first,
            .ns = o.ns,
            .contexts = (const char *const *)contexts,
            .n_contexts = n_contexts,
            .reconnect = reconnect,
            .reconnect_arg = &c,
            .kubeconfig_changed = kubeconfig_changed,
            .stop = &stop_signal,
            .play = o.play ? &play : NULL,
            .play_speed = o.play_speed > 0 ? o.play_speed : 1,
            .play_only = o.play_only,
            .play_status = &play_status,
            .play_report = &play_report,
            .record = rec,
        };
        c.cl = app_run(&ac);
        record_close(rec);
        term_stop();
        if (play_report.len) /* notes, or the statement that did not hold and the screen */
            fputs(buf_str(&play_report), stderr);
        if (o.play && play_status)
            status = 1;
        if (stop_signal && !stop_by_key) /* as a shell reports a process its signal ended: 128 + N */
            status = 128 + (int)stop_signal;
        if (kmerr.len)
            fputs(buf_str(&kmerr), stderr);
        kube_strv_free(contexts, n_contexts);
        free(current);
    }
    connection_close(&c);
    keymap_free(km);
    buf_free(&kmerr);
    buf_free(&play_report);
    script_free(&play);
    config_free(&ucfg);
    diaglog("hcptui exits with status %d", status);
    diaglog_close();
    return status;
}
