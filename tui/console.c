/* One console's life and the loop's work that needs no terminal (see console.h): the headless
 * tests drive exactly this, and app.c adds the terminal. */
#include "tui/console.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "client/permissions.h"
#include "common/timeutil.h"

static int64_t ms_to_next_minute(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t into = (int64_t)(tv.tv_sec % 60) * 1000 + tv.tv_usec / 1000;
    return 60000 - into + 50; /* just past the boundary, so ages have ticked */
}

console *console_new(const app_config *cfg, bool headless)
{
    console *c = xcalloc(1, sizeof *c);
    c->cfg = cfg;
    c->cl = cfg->cl;
    c->headless = headless;
    paneset_init(&c->ps, c->cl, &c->timers, cfg->start_pane, cfg->ns, cfg->watch);
    if (!cfg->read_only) /* read-only: no action can run, so none is asked about */
        client_permissions_start(c->cl, cfg->ns);
    if (cfg->start_message && cfg->start_message[0])
        msgline_set(&c->msg, true, "%s", cfg->start_message);
    c->sc.relayout = !headless;
    timers_set(&c->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());
    return c;
}

void console_free(console *c)
{
    if (!c)
        return;
    layer_pop_all(c, &c->layers);
    player_free(c);
    free(c->observe);
    paneset_free(&c->ps);
    free(c);
}

void console_timer(console *c, int id)
{
    if (id == TIMER_MINUTE) {
        paneset_force(&c->ps); /* ages and time left are minute-grained */
        timers_set(&c->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());
    } else if (id == TIMER_FRESHNESS) {
        console_apply(c, RD_HEADER | RD_MAIN);
        /* data failing (not merely loading) and the kubeconfig rewritten (a new CA, new
         * credentials): use it */
        if (c->cfg->kubeconfig_changed && paneset_any_failing(&c->ps) &&
            c->cfg->kubeconfig_changed(c->cfg->reconnect_arg))
            console_apply(c, console_reconnect(c, "the kubeconfig changed on disk"));
    } else if (id == TIMER_KEYHOLD) {
        console_held_keys_run(c, true); /* waited long enough: the keys act on what is there */
    } else if (id == TIMER_PLAY) {
        player_timer(c);
    } else if (id == TIMER_STATS && c->ps.stats_open) {
        paneset_force(&c->ps); /* redrawn only when a number moved */
        timers_set(&c->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    }
}

void console_sync(console *c)
{
    /* Store changes wait for their slot (REPAINT_MIN_MS); what a key asked for does not. */
    bool data_due = c->data_pending && !timers_armed(&c->timers, TIMER_COALESCE);
    if (data_due) {
        c->data_pending = false;
        c->last_data_paint_ms = now_ms_monotonic();
    }
    paneset_follow_selection(&c->ps); /* the lower pane follows the selection, whatever moved it */
    if (data_due || paneset_sync_due(&c->ps))
        console_apply(c, paneset_sync(&c->ps));
}

void console_after_wait(console *c)
{
    store *st = client_store(c->cl);
    if (store_changes(st) != c->ps.seen_changes || store_focus_changes(st) != c->ps.seen_focus) {
        int64_t now = now_ms_monotonic();
        if (!c->data_pending) {
            c->data_pending = true;
            int64_t due = c->last_data_paint_ms + REPAINT_MIN_MS;
            if (due > now)
                timers_arm_min(&c->timers, TIMER_COALESCE, due);
        }
    }
    /* Freshness words ("stale 40s") move while a watch is down: show them, at a gentle pace. */
    if (paneset_any_not_live(&c->ps)) {
        if (!timers_armed(&c->timers, TIMER_FRESHNESS))
            timers_set(&c->timers, TIMER_FRESHNESS, now_ms_monotonic() + 1000);
        console_apply(c, RD_HEADER); /* redrawn only if its text changed */
    }
    layer *top = layer_top(&c->layers); /* a dialog waits for its answers */
    if (top && top->ops->tick)
        console_apply(c, top->ops->tick(c, top));
    console_apply(c, console_observe_tick(c)); /* a change sent: is it in the store yet? */
    bool ro = client_permissions_read_only(c->cl); /* the access reviews' answers may have come */
    if (ro != c->identity_read_only) {
        c->identity_read_only = ro;
        console_apply(c, RD_HEADER);
    }
    console_held_keys_run(c, false); /* the data a held key waited for may be here now */
}
