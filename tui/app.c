/* The interactive console (see app.h): a console (console.h) on the terminal, in the one loop.
 *
 * Handlers (keys, timers, network progress) only change state and return redraw bits; the paint
 * draws what is dirty into its window with wnoutrefresh and ends with one doupdate, and draws
 * nothing when nothing is dirty, so an idle console writes no bytes. Store changes are coalesced to
 * at most one repaint per REPAINT_MIN_MS; keys are answered in the turn they arrive. */
#include "tui/console.h"

#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "tui/record.h"
#include "tui/term.h"

static void on_timer(void *arg, int id)
{
    console_timer(arg, id);
}

/* A key typed into a line: the prompt's, or a dialog's name or value to type. */
static bool types_text(console *c)
{
    const layer *top = layer_top_const(&c->layers);
    return top && (top->ops == &prompt_layer || (top->ops->takes_text && top->ops->takes_text(top)));
}

static void on_key(void *arg, int key)
{
    console *c = arg;
    if (c->cfg->record)
        record_key(c->cfg->record, key, types_text(c), now_ms_monotonic());
    if (player_person_key(c, key))
        return;
    console_key(c, key);
}

static void after_wait(void *arg)
{
    console_after_wait(arg);
}

static void paint(void *arg)
{
    screen_paint(arg);
    player_after_paint(arg); /* a statement reads the screen as it is now */
}

static int wait_hook(void *arg, int timeout_ms, bool *ready)
{
    console *c = arg;
    int rc = client_poll(c->cl, STDIN_FILENO, timeout_ms, ready);
    if (rc < 0) {
        /* The network layer failed for good: say so once, and still wait for keys rather than spin. */
        if (!c->net_failed) {
            c->net_failed = true;
            console_apply(c, console_error(c, "network loop failed: data is no longer updated (q quits)"));
        }
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        *ready = poll(&pfd, 1, timeout_ms) > 0;
    }
    return rc;
}

static int net_timeout_hook(void *arg)
{
    console *c = arg;
    return client_next_timeout_ms(c->cl);
}

static bool done_hook(void *arg)
{
    console *c = arg;
    return c->quit || (c->cfg->stop && *c->cfg->stop);
}

client *app_run(const app_config *cfg)
{
    console *c = console_new(cfg, false);
    player_start(c);
    loop_hooks h = {
        .arg = c,
        .wait = wait_hook,
        .next_network_timeout = net_timeout_hook,
        .read_key = term_read_key,
        .on_key = on_key,
        .on_timer = on_timer,
        .after_wait = after_wait,
        .paint = paint,
        .done = done_hook,
    };
    loop_run(&h, &c->timers);
    client *cl = c->cl;
    screen_free(&c->sc);
    console_free(c);
    return cl;
}
