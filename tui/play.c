/* Playback (see script.h for the statements): a script runs through the same key and command
 * path the keyboard uses, one statement per paint, so every expectation reads the screen as it
 * is after the keys before it. A key from the person pauses it and hands the console over (Esc
 * resumes), unless --play-only. A statement that does not hold ends the run with status 1 and a
 * report: the script's file and line, the statement, and the screen as it was. */
#include "tui/console.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/textfile.h"
#include "common/timeutil.h"
#include "tui/keys.h"
#include "tui/script.h"

#define POLL_MS 50

typedef struct player {
    const script *sc;
    size_t pc;         /* the statement running */
    int done_in_stmt;  /* keys of a KEY/TYPE statement already sent */
    bool due;          /* the timer fired: run at the next paint */
    bool paused;
    int64_t deadline;  /* a wait's end (monotonic ms), 0: not waiting yet */
} player;

void player_start(console *c)
{
    if (!c->cfg->play)
        return;
    player *p = xcalloc(1, sizeof *p);
    p->sc = c->cfg->play;
    c->player = p;
    for (size_t i = 0; i < p->sc->n; i++)
        if (p->sc->s[i].kind == ST_NOTE && c->cfg->play_report)
            buf_printf(c->cfg->play_report, "%s:%d: note: %s\n", p->sc->origin, p->sc->s[i].line, p->sc->s[i].text);
    timers_set(&c->timers, TIMER_PLAY, now_ms_monotonic());
}

void player_free(console *c)
{
    free(c->player);
    c->player = NULL;
}

static void next_in(console *c, int64_t ms)
{
    timers_set(&c->timers, TIMER_PLAY, now_ms_monotonic() + (ms > 0 ? ms : 0));
}

void player_timer(console *c)
{
    if (c->player && !c->player->paused)
        c->player->due = true;
}

bool player_person_key(console *c, int key)
{
    player *p = c->player;
    if (!p || c->cfg->play_only || key == HK_RESIZE)
        return false;
    if (!p->paused) {
        p->paused = true;
        console_key(c, key); /* the key itself acts, and then the console says why nothing plays */
        console_apply(c, console_say(c, "playback paused: the console is yours (Esc resumes it)"));
        return true;
    }
    if (key == HK_ESC) {
        p->paused = false;
        console_apply(c, console_say(c, "playback resumed"));
        next_in(c, 0);
        return true;
    }
    return false;
}

/* ---- reading the screen -------------------------------------------------------------------------- */

static bool matches(const stmt *s, const char *text)
{
    return s->is_regex ? regexec(&s->re, text, 0, NULL, 0) == 0 : strstr(text, s->text) != NULL;
}

static bool on_screen(console *c, const stmt *s)
{
    buf b = BUF_INIT;
    screen_text(c, &b);
    bool found = matches(s, buf_str(&b));
    buf_free(&b);
    return found;
}

/* The selected row's cells, two blanks between them. */
static void selected_row(console *c, buf *out)
{
    pane *p = paneset_active(&c->ps);
    if (!p || !p->m || !view_model_rows(p->m))
        return;
    size_t row = view_model_selected(p->m);
    const view_ops *ops = view_model_ops(p->m);
    for (size_t col = 0; col < ops->n_columns; col++) {
        view_cell cell;
        view_model_cell(p->m, row, col, &cell);
        buf_printf(out, "%s%s", col ? "  " : "", cell.text);
    }
}

/* Every kind the view in front reads is live (not merely "not started yet"), nothing else is
 * loading or stale, the front pane shows what the store holds (a model computed while loading is
 * refreshed now and painted before the next look: its repaint would otherwise wait for its slot,
 * and the screen would still say "loading…"), no key is held, and no dialog waits for the server. */
static bool idle(console *c)
{
    store *st = client_store(c->cl);
    if (keyq_sync_behind(&c->ps.front_sync, store_changes(st), store_focus_changes(st))) {
        console_apply(c, paneset_sync(&c->ps));
        return false;
    }
    const view_ops *ops = paneset_active_ops(&c->ps);
    for (int k = 0; ops && k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if ((ops->depends & RES_KIND_BIT(k)) && k != RES_EVENT &&
            (!client_freshness_get(c->cl, (res_kind)k, &f) || f.state != FRESH_LIVE))
            return false;
    }
    const layer *top = layer_top_const(&c->layers);
    return !paneset_any_not_live(&c->ps) && !paneset_front_waits(&c->ps) && !keyq_len(&c->held) &&
           !(top && top->ops == &confirm_layer && confirm_busy(c));
}

/* ---- running ------------------------------------------------------------------------------------- */

static void finish(console *c, int status)
{
    if (c->cfg->play_status)
        *c->cfg->play_status = status;
    player_free(c);
    c->quit = true;
}

static void fail(console *c, const stmt *s, const char *why)
{
    buf *r = c->cfg->play_report;
    if (r) {
        buf_printf(r, "%s:%d: %s: %s\n--- the screen ---\n", c->player->sc->origin, s->line, s->source, why);
        screen_text(c, r);
        buf_puts(r, "------------------\n");
    }
    finish(c, 1);
}

static int64_t scaled(const console *c, int64_t ms)
{
    double speed = c->cfg->play_speed > 0 ? c->cfg->play_speed : 1;
    return (int64_t)((double)ms / speed);
}

/* A wait: true once it holds; on its timeout the run fails. */
static bool waited(console *c, const stmt *s, bool holds, const char *why)
{
    player *p = c->player;
    if (holds) {
        p->deadline = 0;
        return true;
    }
    int64_t now = now_ms_monotonic();
    if (!p->deadline)
        p->deadline = now + s->ms; /* timeouts are not scaled: the data takes the time it takes */
    if (now >= p->deadline) {
        fail(c, s, why);
        return false;
    }
    next_in(c, POLL_MS);
    return false;
}

static void write_snapshot(console *c, const stmt *s)
{
    FILE *f = textfile_create(s->text);
    if (!f) {
        fail(c, s, "cannot write the snapshot");
        return;
    }
    buf b = BUF_INIT;
    screen_text(c, &b);
    fputs(buf_str(&b), f);
    buf_free(&b);
    if (fclose(f) != 0)
        fail(c, s, "cannot write the snapshot");
}

/* Runs the statement at pc (or its next key); false when the run ended or must wait. */
static bool run_one(console *c)
{
    player *p = c->player;
    const stmt *s = &p->sc->s[p->pc];
    switch (s->kind) {
    case ST_KEY:
    case ST_TYPE: {
        int n = s->kind == ST_KEY ? s->repeat : (int)strlen(s->text);
        if (p->done_in_stmt < n) {
            int key = s->kind == ST_KEY ? s->key : (unsigned char)s->text[p->done_in_stmt];
            p->done_in_stmt++;
            console_key(c, key);
            if (p->done_in_stmt < n) { /* the next key after a paint (and the tape's @SPEED) */
                next_in(c, scaled(c, s->ms));
                return false;
            }
        }
        break;
    }
    case ST_COMMAND:
        console_apply(c, console_run_line(c, s->text));
        break;
    case ST_SLEEP:
        if (!p->done_in_stmt) {
            p->done_in_stmt = 1;
            next_in(c, scaled(c, s->ms));
            return false;
        }
        break;
    case ST_WAIT_FOR:
        if (!waited(c, s, on_screen(c, s), "did not appear on the screen in time"))
            return false;
        break;
    case ST_WAIT_IDLE:
        if (!waited(c, s, idle(c), "the console did not become idle in time"))
            return false;
        break;
    case ST_EXPECT:
    case ST_EXPECT_NOT:
        if (on_screen(c, s) != (s->kind == ST_EXPECT)) {
            fail(c, s, s->kind == ST_EXPECT ? "not on the screen" : "on the screen");
            return false;
        }
        break;
    case ST_EXPECT_ROW: {
        buf b = BUF_INIT;
        selected_row(c, &b);
        bool ok = matches(s, buf_str(&b));
        buf_free(&b);
        if (!ok) {
            fail(c, s, "not in the selected row");
            return false;
        }
        break;
    }
    case ST_SNAPSHOT:
        write_snapshot(c, s);
        if (!c->player)
            return false;
        break;
    case ST_RESIZE:
        resize_term(s->lines, s->cols);
        c->sc.relayout = true;
        break;
    case ST_QUIT:
        finish(c, 0);
        return false;
    case ST_NOTE:
        break;
    }
    p->pc++;
    p->done_in_stmt = 0;
    p->deadline = 0;
    return true;
}

void player_after_paint(console *c)
{
    player *p = c->player;
    if (!p || !p->due || p->paused)
        return;
    p->due = false;
    if (p->pc >= p->sc->n) { /* every statement held */
        finish(c, 0);
        return;
    }
    if (run_one(c) && c->player)
        next_in(c, 0); /* the next statement after the paint this one asked for */
}
