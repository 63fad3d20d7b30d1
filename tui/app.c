/* The interactive console (see app.h).
 *
 * Handlers (keys, timers, network progress) only change state and set dirty flags; paint() draws
 * what is dirty into its window with wnoutrefresh and ends with one doupdate, and draws nothing
 * when nothing is dirty, so an idle console writes no bytes. Store changes are coalesced to at most
 * one repaint per REPAINT_MIN_MS; keys are answered in the turn they arrive.
 *
 * This file is the startup and the loop's hooks; the rest is in screen.c, panes.c and dispatch.c
 * (app_internal.h). */
#include "tui/app_internal.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "tui/stats.h"
#include "tui/term.h"

/* ---- the loop's hooks --------------------------------------------------------------------------- */

static int64_t ms_to_next_minute(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t into = (int64_t)(tv.tv_sec % 60) * 1000 + tv.tv_usec / 1000;
    return 60000 - into + 50; /* just past the boundary, so ages have ticked */
}

static void on_timer(void *arg, int id)
{
    app *a = arg;
    if (id == TIMER_MINUTE) {
        a->force_refresh = true; /* ages and time left are minute-grained */
        timers_set(&a->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());
    } else if (id == TIMER_FRESHNESS) {
        a->d_header = true;
        a->d_main = true;
    } else if (id == TIMER_KEYHOLD) {
        held_keys_run(a, true); /* waited long enough: the keys act on what is there */
    } else if (id == TIMER_STATS && a->stats_open) {
        a->force_refresh = true; /* redrawn only when a number moved */
        timers_set(&a->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    }
}

static int wait_hook(void *arg, int timeout_ms, bool *ready)
{
    app *a = arg;
    int rc = client_poll(a->cl, STDIN_FILENO, timeout_ms, ready);
    if (rc < 0) {
        /* The network layer failed for good: say so once, and still wait for keys rather than spin. */
        if (!a->net_failed) {
            a->net_failed = true;
            app_message(a, true, "network loop failed: data is no longer updated (q quits)");
        }
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        *ready = poll(&pfd, 1, timeout_ms) > 0;
    }
    return rc;
}

static int net_timeout_hook(void *arg)
{
    app *a = arg;
    return client_next_timeout_ms(a->cl);
}


static void after_wait(void *arg)
{
    app *a = arg;
    store *st = client_store(a->cl);
    if (store_changes(st) != a->seen_changes || store_focus_changes(st) != a->seen_focus) {
        int64_t now = now_ms_monotonic();
        if (!a->data_pending) {
            a->data_pending = true;
            int64_t due = a->last_data_paint_ms + REPAINT_MIN_MS;
            if (due > now)
                timers_arm_min(&a->timers, TIMER_COALESCE, due);
        }
    }
    /* Freshness words ("stale 40s") move while a watch is down: show them, at a gentle pace. */
    if (any_not_live(a)) {
        if (!timers_armed(&a->timers, TIMER_FRESHNESS))
            timers_set(&a->timers, TIMER_FRESHNESS, now_ms_monotonic() + 1000);
        a->d_header = true; /* redrawn only if its text changed */
    }
    held_keys_run(a, false); /* the data a held key waited for may be here now */
}

static bool done_hook(void *arg)
{
    app *a = arg;
    return a->quit || (a->cfg->stop && *a->cfg->stop);
}

client *app_run(const app_config *cfg)
{
    app *a = xcalloc(1, sizeof *a);
    a->cfg = cfg;
    a->cl = cfg->cl;
    a->seen_changes = a->seen_focus = (uint64_t)-1;
    if (cfg->ns)
        snprintf(a->scope_ns, sizeof a->scope_ns, "%s", cfg->ns);
    const view_ops *ps[MAX_PANES];
    a->n_panes = view_panes(ps, MAX_PANES);
    for (size_t i = 0; i < a->n_panes; i++) {
        a->panes[i].m = view_model_new(ps[i]);
        if (cfg->start_pane && strcmp(ps[i]->name, cfg->start_pane) == 0)
            a->cur = i;
    }
    const view_ops *np = view_find("nodepools");
    if (np)
        a->sub.m = view_model_new(np);
    if (cfg->start_message && cfg->start_message[0])
        app_message(a, true, "%s", cfg->start_message);
    a->relayout = true;
    timers_set(&a->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());

    loop_hooks h = {
        .arg = a,
        .wait = wait_hook,
        .next_network_timeout = net_timeout_hook,
        .read_key = term_read_key,
        .on_key = on_key,
        .on_timer = on_timer,
        .after_wait = after_wait,
        .paint = paint,
        .done = done_hook,
    };
    loop_run(&h, &a->timers);

    client *cl = a->cl;
    if (a->detail_open)
        client_unfocus(cl);
    for (size_t i = 0; i < a->n_panes; i++)
        pane_reset(&a->panes[i], NULL);
    pane_reset(&a->sub, NULL);
    pane_reset(&a->detail, NULL);
    pane_reset(&a->stats, NULL);
    stats_view_bind(NULL);
    windows_free(a);
    buf_free(&a->help);
    free(a);
    return cl;
}

