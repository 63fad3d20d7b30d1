/* bench_store: the console's own work at fleet scale, in one process and without HTTP.
 *
 * A child process builds the simulator's world (sim_world_new) and lists every watched kind the
 * way the API serves it: pages of 500 items, each page one compact JSON list document, written to
 * a pipe. The parent does what the client and the console do with those pages: parse, decode
 * (client/decode.h), re-list into the store (client/store.h), then refresh the panes
 * (views/model.h) and draw them with the real table widget into a curses screen whose output
 * goes to /dev/null. The world lives in the child so that its gigabyte does not count in the
 * parent's resident memory.
 *
 * One line per measurement: name, figure, budget and PASS/OVER (or "-" when there is no budget).
 * Exit 0 whatever the verdicts (benchmarks report, tests judge); 1 when a measurement failed.
 *
 * Usage: bench_store [--fleet N] [--seed S] [--keys N] */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/decode.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/kinds.h"
#include "sim/store.h"
#include "sim/world.h"
#include "tui/table.h"
#include "views/model.h"

#define PAGE_LIMIT 500 /* what the client asks for (client/informer.c) */
#define SCREEN_COLS 200
#define SCREEN_LINES 50
#define FIRST_SCREEN_BUDGET_MS 1000.0
#define KEY_BUDGET_MS 5.0
#define RSS_BUDGET_KB (64L * 1024)

/* ---- clock, /proc and the report -------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A "VmRSS:   1234 kB" field of /proc/self/status in KiB, or -1. */
static long proc_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

static int n_over, n_failed;

/* One report line. budget <= 0: no budget (informational). */
static void report(const char *what, double value, const char *unit, double budget)
{
    char fig[32], bud[32];
    snprintf(fig, sizeof fig, "%.2f %s", value, unit);
    if (budget > 0)
        snprintf(bud, sizeof bud, "< %.0f %s", budget, unit);
    else
        snprintf(bud, sizeof bud, "-");
    const char *verdict = "-";
    if (budget > 0) {
        verdict = value < budget ? "PASS" : "OVER";
        if (value >= budget)
            n_over++;
    }
    printf("%-58s %14s  %-12s %s\n", what, fig, bud, verdict);
    fflush(stdout);
}

static void failed(const char *what)
{
    printf("FAILED: %s\n", what);
    fflush(stdout);
    n_failed++;
}

/* Timings of repeated operations: median, 95th percentile and maximum. */
typedef struct samples {
    double *v;
    size_t n, cap;
} samples;

static void samples_add(samples *s, double ms)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double samples_pct(samples *s, double pct)
{
    if (!s->n)
        return 0;
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    size_t i = (size_t)(pct / 100.0 * (double)(s->n - 1) + 0.5);
    return s->v[i < s->n ? i : s->n - 1];
}

/* "what: median, p95 (judged) and max" as three lines, then forgets the samples. */
static void report_samples(const char *what, samples *s, double budget)
{
    char line[128];
    snprintf(line, sizeof line, "%s, median (n=%zu)", what, s->n);
    report(line, samples_pct(s, 50), "ms", 0);
    snprintf(line, sizeof line, "%s, p95", what);
    report(line, samples_pct(s, 95), "ms", budget);
    snprintf(line, sizeof line, "%s, max", what);
    report(line, samples_pct(s, 100), "ms", 0);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- the child: the simulator's world, listed page by page into a pipe ------------------------- */

/* A frame on the pipe: this header, then len bytes of one list page. */
typedef struct frame_head {
    uint32_t kind; /* res_kind */
    uint32_t last; /* the kind's last page */
    uint64_t len;
} frame_head;

/* What the client watches, as list requests against the simulator's store (client/client.c). */
typedef struct watched {
    res_kind kind;
    sim_kind_id sim;
    const char *ns, *label_selector, *field_selector;
} watched;

static const watched WATCHED[] = {
    {RES_HOSTEDCLUSTER, SIM_HOSTEDCLUSTER, NULL, NULL, NULL},
    {RES_NODEPOOL, SIM_NODEPOOL, NULL, NULL, NULL},
    {RES_ETCD_POD, SIM_POD, NULL, "app=etcd", NULL},
    {RES_ETCD_PVC, SIM_PVC, NULL, "app=etcd", NULL},
    {RES_SUPPORTED_VERSIONS, SIM_CONFIGMAP, "hypershift", NULL, "metadata.name=supported-versions"},
};
#define N_WATCHED (sizeof WATCHED / sizeof WATCHED[0])

static bool write_full(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_full(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* Lists one kind in pages and writes each page as a frame. False on any failure. */
static bool child_list_kind(sim_store *st, const watched *wk, int fd)
{
    const sim_kind *k = sim_kind_get(wk->sim);
    char *cont = NULL;
    bool ok = true;
    for (;;) {
        sim_list_opts lo = {.ns = wk->ns, .label_selector = wk->label_selector,
                            .field_selector = wk->field_selector, .limit = PAGE_LIMIT, .continue_token = cont};
        sim_reply r = sim_store_list(st, k, &lo);
        if (r.code != 200 || !r.body) {
            fprintf(stderr, "bench_store: listing %s answered %d\n", k->plural, r.code);
            cJSON_Delete(r.body);
            ok = false;
            break;
        }
        const char *next = json_str_at(r.body, "metadata", "continue", NULL);
        free(cont);
        cont = next && *next ? xstrdup(next) : NULL;
        char *text = cJSON_PrintUnformatted(r.body); /* as the simulator's HTTP layer writes it */
        cJSON_Delete(r.body);
        if (!text) {
            ok = false;
            break;
        }
        frame_head h = {.kind = (uint32_t)wk->kind, .last = cont == NULL, .len = strlen(text)};
        ok = write_full(fd, &h, sizeof h) && write_full(fd, text, h.len);
        free(text);
        if (!ok || !cont)
            break;
    }
    free(cont);
    return ok;
}

static int child_main(const char *fleet, uint64_t seed, int fd)
{
    char err[256];
    sim_world *w = sim_world_new(fleet, seed, 0, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_store: cannot build the fleet: %s\n", err);
        return 1;
    }
    bool ok = true;
    for (size_t i = 0; i < N_WATCHED && ok; i++)
        ok = child_list_kind(sim_world_store(w), &WATCHED[i], fd);
    sim_world_free(w);
    return ok ? 0 : 1;
}

/* ---- the parent: pages into the store, as the informer does ------------------------------------ */

typedef struct kind_stats {
    double ms;       /* parse + decode + store, this kind's pages */
    uint64_t bytes;  /* JSON bytes of its pages */
    size_t pages, items;
    bool relisting, done;
    char *sample;    /* one item's JSON, for the watch-event measure (not timed) */
} kind_stats;

/* Parses one page and re-lists its items into the store. The time spent is added to ks->ms. */
static bool apply_page(store *st, res_kind kind, const char *text, size_t len, bool last, kind_stats *ks)
{
    double t0 = now_ms();
    cJSON *root = json_parse_len(text, len);
    const cJSON *items = root ? cJSON_GetObjectItemCaseSensitive(root, "items") : NULL;
    if (!cJSON_IsObject(root) || !cJSON_IsArray(items)) {
        cJSON_Delete(root);
        return false;
    }
    if (!ks->relisting) {
        store_relist_begin(st, kind);
        ks->relisting = true;
    }
    double untimed = 0;
    if (!ks->sample && cJSON_GetArraySize(items) > 0) {
        double c0 = now_ms();
        ks->sample = cJSON_PrintUnformatted(cJSON_GetArrayItem(items, cJSON_GetArraySize(items) / 2));
        untimed = now_ms() - c0;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, items)
    {
        record *rec = decode_object(kind, item);
        if (rec) {
            store_relist_add(st, kind, rec);
            ks->items++;
        }
    }
    if (last) {
        store_relist_end(st, kind, json_str_at(root, "metadata", "resourceVersion", NULL));
        ks->relisting = false;
        ks->done = true;
    }
    cJSON_Delete(root);
    ks->ms += now_ms() - t0 - untimed;
    ks->pages++;
    ks->bytes += len;
    return true;
}

/* Reads every frame the child writes. False when the stream is cut or a page is not a list. */
static bool load_store(int fd, store *st, kind_stats *ks)
{
    frame_head h;
    char *page = NULL;
    size_t cap = 0;
    bool ok = true;
    while (read_full(fd, &h, sizeof h)) {
        if (h.kind >= RES_KIND_COUNT || h.len > (uint64_t)1 << 31) {
            ok = false;
            break;
        }
        if (h.len + 1 > cap) {
            cap = (size_t)h.len + 1;
            page = xrealloc(page, cap);
        }
        if (!read_full(fd, page, (size_t)h.len) ||
            !apply_page(st, (res_kind)h.kind, page, (size_t)h.len, h.last != 0, &ks[h.kind])) {
            ok = false;
            break;
        }
    }
    free(page);
    for (size_t i = 0; i < N_WATCHED; i++)
        if (!ks[WATCHED[i].kind].done)
            ok = false;
    return ok;
}

/* ---- the screen: the real table widget into a curses screen that writes to /dev/null ---------- */

typedef struct screen {
    SCREEN *scr;
    FILE *out, *in;
    WINDOW *w;
} screen;

static bool screen_open(screen *s)
{
    memset(s, 0, sizeof *s);
    s->out = fopen("/dev/null", "w");
    s->in = fopen("/dev/null", "r");
    if (!s->out || !s->in)
        return false;
    s->scr = newterm("xterm-256color", s->out, s->in);
    if (!s->scr)
        return false;
    resizeterm(SCREEN_LINES, SCREEN_COLS);
    s->w = newwin(SCREEN_LINES - 2, SCREEN_COLS, 1, 0); /* header and hint lines around the panes */
    return s->w != NULL;
}

static void screen_close(screen *s)
{
    if (s->w)
        delwin(s->w);
    if (s->scr) {
        endwin();
        delscreen(s->scr);
    }
    if (s->out)
        fclose(s->out);
    if (s->in)
        fclose(s->in);
}

/* One open pane: its model and the widget's state. */
typedef struct pane {
    view_model *m;
    table_state ts;
} pane;

static void pane_draw(screen *s, pane *p, int y, int h)
{
    table_draw(s->w, y, 0, h, SCREEN_COLS, p->m, &p->ts, true, false, "nothing to show", ROLE_DIM);
}

static void screen_flush(screen *s)
{
    wnoutrefresh(s->w);
    doupdate();
}

/* What the console does when a pane's model changed: refresh, measure, draw (tui/paneset.c, tui/screen.c). */
static void pane_refresh_draw(screen *s, pane *p, struct store *st, const view_scope *sc, int y, int h)
{
    if (view_model_refresh(p->m, st, sc, time(NULL)) || !p->ts.measured)
        table_measure(&p->ts, p->m, 0);
    pane_draw(s, p, y, h);
}

/* The scope the lower pane of the wide layout gets: the selected cluster. */
static void scope_of_selection(const view_model *m, view_object *o, view_scope *sc)
{
    memset(sc, 0, sizeof *sc);
    if (view_model_selected_object(m, o) && o->cluster_name[0]) {
        sc->cluster_ns = o->cluster_ns;
        sc->cluster_name = o->cluster_name;
    }
}

/* ---- the measurements ---------------------------------------------------------------------------- */

static void bench_panes(store *st, screen *s, int keys)
{
    const view_ops *panes[8];
    size_t n = view_panes(panes, 8);
    view_scope all = {0};
    char what[128];

    /* first full screen of every pane, then the same refresh with nothing changed */
    pane opened[8];
    memset(opened, 0, sizeof opened);
    for (size_t i = 0; i < n; i++) {
        pane *p = &opened[i];
        p->m = view_model_new(panes[i]);
        double t0 = now_ms();
        pane_refresh_draw(s, p, st, &all, 0, SCREEN_LINES - 2);
        screen_flush(s);
        double first = now_ms() - t0;
        snprintf(what, sizeof what, "first screen: %s (%zu rows)", panes[i]->name, view_model_rows(p->m));
        report(what, first, "ms", FIRST_SCREEN_BUDGET_MS);
        samples again = {0};
        for (int r = 0; r < 5; r++) {
            double t1 = now_ms();
            if (view_model_refresh(p->m, st, &all, time(NULL)))
                table_measure(&p->ts, p->m, 0);
            samples_add(&again, now_ms() - t1);
        }
        snprintf(what, sizeof what, "refresh, nothing changed: %s", panes[i]->name);
        report(what, samples_pct(&again, 50), "ms", 0);
        free(again.v);
    }

    /* the console keeps every pane's model once it was shown (tui/paneset.c) */
    report("resident memory, store full + every pane open (VmRSS)", (double)proc_status_kb("VmRSS") / 1024.0, "MiB",
           RSS_BUDGET_KB / 1024.0);

    pane *clusters = &opened[0];
    if (n < 2 || strcmp(panes[0]->name, "clusters") != 0 || strcmp(panes[1]->name, "nodepools") != 0) {
        failed("the first two panes are not clusters and nodepools");
        goto out;
    }
    int half = (SCREEN_LINES - 2) / 2;

    /* j on the clusters pane, narrow layout: move the selection, redraw the pane */
    samples ks = {0};
    view_model_select_first(clusters->m);
    for (int i = 0; i < keys; i++) {
        double t0 = now_ms();
        view_model_move(clusters->m, 1);
        pane_draw(s, clusters, 0, SCREEN_LINES - 2);
        screen_flush(s);
        samples_add(&ks, now_ms() - t0);
    }
    report_samples("key j, clusters pane", &ks, KEY_BUDGET_MS);

    /* j in the wide layout (>= 150x40): the lower pane follows the selected cluster, so the app
     * refreshes the clusters pane and the node pools scoped to the new selection (tui/dispatch.c, tui/paneset.c) */
    pane lower = {.m = view_model_new(panes[1])};
    view_model_select_first(clusters->m);
    for (int i = 0; i < keys; i++) {
        double t0 = now_ms();
        view_model_move(clusters->m, 1);
        view_object o;
        view_scope sc;
        pane_refresh_draw(s, clusters, st, &all, 0, half);
        scope_of_selection(clusters->m, &o, &sc);
        pane_refresh_draw(s, &lower, st, &sc, half, SCREEN_LINES - 2 - half);
        screen_flush(s);
        samples_add(&ks, now_ms() - t0);
    }
    report_samples("key j, wide layout (+ scoped node pools)", &ks, KEY_BUDGET_MS);
    view_model_free(lower.m);

    /* page down, bottom and top */
    view_model_select_first(clusters->m);
    for (int i = 0; i < keys; i++) {
        double t0 = now_ms();
        if (i % 20 == 19)
            view_model_select_last(clusters->m);
        else if (i % 20 == 0)
            view_model_select_first(clusters->m);
        else
            view_model_move(clusters->m, table_page_rows(clusters->m, SCREEN_LINES - 2));
        pane_draw(s, clusters, 0, SCREEN_LINES - 2);
        screen_flush(s);
        samples_add(&ks, now_ms() - t0);
    }
    report_samples("keys PgDn/G/g, clusters pane", &ks, KEY_BUDGET_MS);

    /* sort: every column in turn (the sort key), as the app does: sort, measure, draw */
    const view_ops *ops = view_model_ops(clusters->m);
    double worst = 0;
    const char *worst_col = "";
    for (size_t c = 0; c < ops->n_columns; c++) {
        double t0 = now_ms();
        view_model_set_sort(clusters->m, (int)c, c % 2 == 1);
        table_measure(&clusters->ts, clusters->m, 0);
        pane_draw(s, clusters, 0, SCREEN_LINES - 2);
        screen_flush(s);
        double t = now_ms() - t0;
        samples_add(&ks, t);
        if (t > worst) {
            worst = t;
            worst_col = ops->columns[c].id;
        }
    }
    snprintf(what, sizeof what, "key s (sort), worst column (%s)", worst_col);
    report(what, worst, "ms", KEY_BUDGET_MS);
    report_samples("key s (sort), every column", &ks, 0);
    view_model_set_sort(clusters->m, -1, false);

    /* the filter applies live as it is typed: each key filters, measures and draws */
    static const char *const typed[] = {"hc-0421", "prod", "!true"};
    int repeats = keys / 10 > 1 ? keys / 10 : 1; /* a few keys per word: type it again for a stable p95 */
    for (size_t f = 0; f < sizeof typed / sizeof typed[0]; f++) {
        char prefix[32];
        size_t len = strlen(typed[f]);
        for (int rep = 0; rep < repeats; rep++) {
            view_model_set_filter(clusters->m, "");
            for (size_t i = 1; i <= len && i < sizeof prefix; i++) {
                memcpy(prefix, typed[f], i);
                prefix[i] = '\0';
                double t0 = now_ms();
                view_model_set_filter(clusters->m, prefix);
                table_measure(&clusters->ts, clusters->m, 0);
                pane_draw(s, clusters, 0, SCREEN_LINES - 2);
                screen_flush(s);
                samples_add(&ks, now_ms() - t0);
            }
        }
        snprintf(what, sizeof what, "typing filter \"%s\" (%zu rows left)", typed[f], view_model_rows(clusters->m));
        report_samples(what, &ks, KEY_BUDGET_MS);
    }
    double t0 = now_ms();
    view_model_set_filter(clusters->m, "");
    table_measure(&clusters->ts, clusters->m, 0);
    pane_draw(s, clusters, 0, SCREEN_LINES - 2);
    screen_flush(s);
    report("key Esc (clear the filter)", now_ms() - t0, "ms", KEY_BUDGET_MS);

    /* Tab: the next pane is already open and only redraws (the models above stay open) */
    for (size_t i = 0; i < (size_t)keys; i++) {
        pane *p = &opened[i % n];
        double t1 = now_ms();
        pane_refresh_draw(s, p, st, &all, 0, SCREEN_LINES - 2);
        screen_flush(s);
        samples_add(&ks, now_ms() - t1);
    }
    report_samples("key Tab (switch pane)", &ks, KEY_BUDGET_MS);

out:
    for (size_t i = 0; i < n; i++)
        view_model_free(opened[i].m);
}

/* A watch event as it reaches the console: one MODIFIED object (a new resourceVersion) decoded,
 * applied, and the pane that shows its kind refreshed and drawn. The app coalesces bursts of events
 * into one refresh, so this is the cost of one isolated change. */
static void bench_events(store *st, screen *s, kind_stats *ks, int keys)
{
    static const struct {
        res_kind kind;
        const char *pane;
    } cases[] = {{RES_HOSTEDCLUSTER, "clusters"}, {RES_NODEPOOL, "nodepools"}, {RES_ETCD_POD, "etcd"}};
    view_scope all = {0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *sample = ks[cases[c].kind].sample;
        cJSON *obj = sample ? cJSON_Parse(sample) : NULL;
        cJSON *meta = obj ? cJSON_GetObjectItemCaseSensitive(obj, "metadata") : NULL;
        if (!cJSON_IsObject(meta)) {
            failed("no sample object to send as a watch event");
            cJSON_Delete(obj);
            continue;
        }
        pane p = {.m = view_model_new(view_find(cases[c].pane))};
        pane_refresh_draw(s, &p, st, &all, 0, SCREEN_LINES - 2);
        samples ev = {0};
        for (int i = 0; i < keys; i++) {
            char rv[32];
            snprintf(rv, sizeof rv, "%d", 900000000 + i);
            json_set_str(meta, "resourceVersion", rv);
            char *text = cJSON_PrintUnformatted(obj); /* the bytes arriving: not timed */
            double t0 = now_ms();
            record *rec = decode_json_text(cases[c].kind, text, strlen(text));
            bool changed = rec && store_apply(st, cases[c].kind, WATCH_MODIFIED, rec);
            pane_refresh_draw(s, &p, st, &all, 0, SCREEN_LINES - 2);
            screen_flush(s);
            samples_add(&ev, now_ms() - t0);
            free(text);
            if (!changed) {
                failed("a MODIFIED event with a new resourceVersion did not change the store");
                break;
            }
        }
        char what[128];
        snprintf(what, sizeof what, "watch event, %s -> %s pane", res_kind_name(cases[c].kind), cases[c].pane);
        report_samples(what, &ev, 0);
        view_model_free(p.m);
        cJSON_Delete(obj);
    }
}

int main(int argc, char **argv)
{
    const char *fleet = "5000";
    uint64_t seed = 1;
    int keys = 200;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fleet") == 0 && i + 1 < argc)
            fleet = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
            keys = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_store [--fleet N] [--seed S] [--keys N]\n");
            return 2;
        }
    }
    if (keys < 1 || keys > 100000)
        keys = 200;
    setlocale(LC_ALL, "C.UTF-8");

    long rss_start = proc_status_kb("VmRSS");
    int fds[2];
    if (pipe(fds) < 0) {
        perror("bench_store: pipe");
        return 1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_store: fork");
        return 1;
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        int rc = child_main(fleet, seed, fds[1]);
        close(fds[1]);
        _exit(rc);
    }
    close(fds[1]);

    printf("bench_store: fleet %s, seed %llu, screen %dx%d, %d key presses per measure\n", fleet,
           (unsigned long long)seed, SCREEN_COLS, SCREEN_LINES, keys);
    printf("%-58s %14s  %-12s %s\n", "measure", "figure", "budget", "verdict");
    store *st = store_new();
    kind_stats ks[RES_KIND_COUNT];
    memset(ks, 0, sizeof ks);
    bool loaded = load_store(fds[0], st, ks);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!loaded || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        failed("the fleet did not arrive whole (see the message above)");
        store_free(st);
        return 1;
    }

    double decode_ms = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < N_WATCHED; i++) {
        res_kind k = WATCHED[i].kind;
        char what[128];
        snprintf(what, sizeof what, "decode+store %s: %zu, %zu pages, %.1f MB", res_kind_name(k),
                 store_count(st, k), ks[k].pages, (double)ks[k].bytes / 1e6);
        report(what, ks[k].ms, "ms", 0);
        if (store_count(st, k) != ks[k].items) {
            snprintf(what, sizeof what, "%zu %s listed but %zu in the store", ks[k].items, res_kind_name(k),
                     store_count(st, k));
            failed(what);
        }
        decode_ms += ks[k].ms;
        bytes += ks[k].bytes;
    }
    if (store_count(st, RES_HOSTEDCLUSTER) == 0) {
        failed("the fleet holds no hosted clusters");
        store_free(st);
        return 1;
    }
    report("decode+store everything", decode_ms, "ms", 0);
    report("decode throughput", decode_ms > 0 ? (double)bytes / 1e6 / (decode_ms / 1e3) : 0, "MB/s", 0);
    report("store memory (store_memory_bytes)", (double)store_memory_bytes(st) / 1048576.0, "MiB", 0);
    long rss_full = proc_status_kb("VmRSS");
    report("resident memory, store full (VmRSS)", (double)rss_full / 1024.0, "MiB", RSS_BUDGET_KB / 1024.0);
    report("  of which before the store (VmRSS at start)", (double)rss_start / 1024.0, "MiB", 0);
    report("peak resident memory while loading (VmHWM)", (double)proc_status_kb("VmHWM") / 1024.0, "MiB",
           RSS_BUDGET_KB / 1024.0);

    screen s;
    if (!screen_open(&s)) {
        failed("cannot open a curses screen on /dev/null (terminfo xterm-256color?)");
        screen_close(&s);
        store_free(st);
        return 1;
    }
    /* data arrived -> first screen, the strict reading: all decoding counted, then the first paint */
    pane first = {.m = view_model_new(view_find("clusters"))};
    view_scope all = {0};
    double t0 = now_ms();
    pane_refresh_draw(&s, &first, st, &all, 0, SCREEN_LINES - 2);
    screen_flush(&s);
    double paint = now_ms() - t0;
    view_model_free(first.m);
    report("data -> first screen (decode all + clusters paint)", decode_ms + paint, "ms", FIRST_SCREEN_BUDGET_MS);

    bench_panes(st, &s, keys);
    bench_events(st, &s, ks, keys / 4 > 10 ? keys / 4 : 10);

    report("peak resident memory (VmHWM)", (double)proc_status_kb("VmHWM") / 1024.0, "MiB", RSS_BUDGET_KB / 1024.0);
    screen_close(&s);
    store_free(st);
    for (size_t i = 0; i < RES_KIND_COUNT; i++)
        free(ks[i].sample);
    printf("bench_store: %d over budget, %d failed\n", n_over, n_failed);
    return n_failed ? 1 : 0;
}
