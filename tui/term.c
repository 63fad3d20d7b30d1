/* The terminal module (see term.h). */
#include "tui/term.h"

#include <curses.h>
#include <term.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tui/keys.h"
#include "tui/sanitize.h"

static const glyphs glyphs_utf8 = {
    .ok = "\xE2\x97\x8F",      /* ● */
    .warn = "\xE2\x96\xB2",    /* ▲ */
    .bad = "\xE2\x9C\x96",     /* ✖ */
    .paused = "\xE2\x8F\xB8",  /* ⏸ */
    .stale = "\xE2\x97\x8C",   /* ◌ */
    .none = " ",
    .hline = "\xE2\x94\x80",   /* ─ */
    .vline = "\xE2\x94\x82",   /* │ */
    .sort_up = "\xE2\x96\xB2", /* ▲ */
    .sort_down = "\xE2\x96\xBC", /* ▼ */
    .sep = "\xC2\xB7",         /* · */
};

static const glyphs glyphs_ascii = {
    .ok = "*", .warn = "!", .bad = "x", .paused = "|", .stale = "?", .none = " ",
    .hline = "-", .vline = "|", .sort_up = "^", .sort_down = "v", .sep = "|",
};

static struct {
    bool active;
    SCREEN *screen;
    theme_kind theme;
    bool ascii;
    int role_attr[ROLE_COUNT];
    int ui_attr[UI_COUNT];
    int saved_stderr; /* -1 when stderr is not parked */
    FILE *parked;
} T = {.saved_stderr = -1};

bool term_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static const glyphs *term_glyphs_for(bool ascii)
{
    return ascii ? &glyphs_ascii : &glyphs_utf8;
}

const glyphs *term_glyphs(void)
{
    return term_glyphs_for(T.ascii);
}

unsigned term_san_flags(void)
{
    return T.ascii ? SAN_ASCII : 0;
}


int term_role_attr(view_role role)
{
    return (role >= 0 && role < ROLE_COUNT) ? T.role_attr[role] : (int)A_NORMAL;
}

int term_ui_attr(ui_role role)
{
    return (role >= 0 && role < UI_COUNT) ? T.ui_attr[role] : (int)A_NORMAL;
}

const char *term_role_glyph(view_role role)
{
    const glyphs *g = term_glyphs();
    switch (role) {
    case ROLE_OK:
        return g->ok;
    case ROLE_WARN:
        return g->warn;
    case ROLE_BAD:
        return g->bad;
    case ROLE_PAUSED:
        return g->paused;
    case ROLE_STALE:
        return g->stale;
    default:
        return g->none;
    }
}

/* One theme: a foreground per role (-1: terminal default) and the attributes that go with it. */
typedef struct role_style {
    short fg, bg;
    int attr;
} role_style;

static void theme_apply(const role_style *roles, const role_style *ui)
{
    short pair = 1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        int a = roles[r].attr;
        if (roles[r].fg >= 0 || roles[r].bg >= 0) {
            init_pair(pair, roles[r].fg, roles[r].bg);
            a |= COLOR_PAIR(pair);
            pair++;
        }
        T.role_attr[r] = a;
    }
    for (int u = 0; u < UI_COUNT; u++) {
        int a = ui[u].attr;
        if (ui[u].fg >= 0 || ui[u].bg >= 0) {
            init_pair(pair, ui[u].fg, ui[u].bg);
            a |= COLOR_PAIR(pair);
            pair++;
        }
        T.ui_attr[u] = a;
    }
}

static void theme_setup(bool no_color)
{
    const char *nc = getenv("NO_COLOR");
    bool colors = !no_color && !(nc && *nc) && has_colors();
    if (colors && start_color() == OK) {
        use_default_colors();
        T.theme = COLORS >= 256 ? THEME_256 : THEME_16;
    } else {
        T.theme = THEME_MONO;
    }
    /* Order follows view_role and ui_role. */
    static const role_style roles_256[ROLE_COUNT] = {
        {-1, -1, A_NORMAL}, {245, -1, A_NORMAL}, {71, -1, A_NORMAL},  {214, -1, A_NORMAL},
        {196, -1, A_BOLD},  {75, -1, A_NORMAL},  {244, -1, A_NORMAL}, {81, -1, A_BOLD},
        {-1, -1, A_BOLD},
    };
    static const role_style roles_16[ROLE_COUNT] = {
        {-1, -1, A_NORMAL}, {-1, -1, A_DIM},         {COLOR_GREEN, -1, A_NORMAL}, {COLOR_YELLOW, -1, A_NORMAL},
        {COLOR_RED, -1, A_BOLD}, {COLOR_BLUE, -1, A_BOLD}, {-1, -1, A_DIM}, {COLOR_CYAN, -1, A_BOLD},
        {-1, -1, A_BOLD},
    };
    static const role_style roles_mono[ROLE_COUNT] = {
        {-1, -1, A_NORMAL}, {-1, -1, A_DIM},    {-1, -1, A_NORMAL}, {-1, -1, A_BOLD},
        {-1, -1, A_BOLD | A_UNDERLINE}, {-1, -1, A_UNDERLINE}, {-1, -1, A_DIM}, {-1, -1, A_BOLD},
        {-1, -1, A_BOLD | A_UNDERLINE},
    };
    static const role_style ui_256[UI_COUNT] = {
        {255, 24, A_NORMAL},  {255, 124, A_BOLD}, {-1, -1, A_NORMAL}, {255, 24, A_BOLD},
        {-1, -1, A_BOLD},     {-1, -1, A_REVERSE}, {250, 236, A_NORMAL}, {81, 236, A_BOLD},
        {-1, -1, A_NORMAL},   {196, -1, A_BOLD},   {-1, -1, A_BOLD},
    };
    static const role_style ui_16[UI_COUNT] = {
        {COLOR_WHITE, COLOR_BLUE, A_NORMAL}, {COLOR_WHITE, COLOR_RED, A_BOLD}, {-1, -1, A_NORMAL},
        {COLOR_WHITE, COLOR_BLUE, A_BOLD},   {-1, -1, A_BOLD},                 {-1, -1, A_REVERSE},
        {-1, -1, A_REVERSE},                 {COLOR_CYAN, -1, A_REVERSE | A_BOLD}, {-1, -1, A_NORMAL},
        {COLOR_RED, -1, A_BOLD},             {-1, -1, A_BOLD},
    };
    static const role_style ui_mono[UI_COUNT] = {
        {-1, -1, A_REVERSE}, {-1, -1, A_BOLD | A_REVERSE}, {-1, -1, A_NORMAL}, {-1, -1, A_REVERSE | A_BOLD},
        {-1, -1, A_BOLD | A_UNDERLINE}, {-1, -1, A_REVERSE}, {-1, -1, A_NORMAL}, {-1, -1, A_BOLD},
        {-1, -1, A_NORMAL}, {-1, -1, A_BOLD}, {-1, -1, A_BOLD},
    };
    if (T.theme == THEME_256)
        theme_apply(roles_256, ui_256);
    else if (T.theme == THEME_16)
        theme_apply(roles_16, ui_16);
    else
        theme_apply(roles_mono, ui_mono);
}

/* While curses owns the screen, stray stderr output would tear the display: park it in a temporary
 * file and replay it after the terminal is restored. */
static void stderr_park(void)
{
    fflush(stderr);
    T.parked = tmpfile();
    if (!T.parked)
        return;
    T.saved_stderr = dup(STDERR_FILENO);
    if (T.saved_stderr < 0 || dup2(fileno(T.parked), STDERR_FILENO) < 0) {
        if (T.saved_stderr >= 0)
            close(T.saved_stderr);
        T.saved_stderr = -1;
        fclose(T.parked);
        T.parked = NULL;
    }
}

static void stderr_replay(void)
{
    if (T.saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(T.saved_stderr, STDERR_FILENO);
    close(T.saved_stderr);
    T.saved_stderr = -1;
    rewind(T.parked);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, T.parked)) > 0)
        fwrite(chunk, 1, n, stderr);
    fclose(T.parked);
    T.parked = NULL;
}

bool term_start(const term_config *cfg, char *err, size_t errlen)
{
    if (T.active)
        return true;
    T.ascii = cfg->ascii || !term_locale_is_utf8();
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "not a terminal (use --once to print a pane)");
        return false;
    }
    const char *term = getenv("TERM");
    T.screen = newterm(NULL, stdout, stdin);
    if (!T.screen) {
        snprintf(err, errlen, "cannot use terminal type \"%.40s\"", term ? term : "");
        return false;
    }
    set_term(T.screen);
    /* a terminal that cannot move the cursor (TERM=dumb) would show one frozen line: say so */
    const char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {
        endwin();
        delscreen(T.screen);
        T.screen = NULL;
        snprintf(err, errlen, "terminal type \"%.40s\" cannot move the cursor: set TERM (xterm-256color, "
                              "screen, tmux-256color) or use --once to print a pane",
                 term ? term : "");
        return false;
    }
    T.active = true;
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    theme_setup(cfg->no_color);
    stderr_park();
    return true;
}

void term_stop(void)
{
    if (!T.active)
        return;
    endwin();
    T.active = false;
    delscreen(T.screen);
    T.screen = NULL;
    stderr_replay();
}

static int map_function_key(int code)
{
    switch (code) {
    case KEY_UP:
        return HK_UP;
    case KEY_DOWN:
        return HK_DOWN;
    case KEY_LEFT:
        return HK_LEFT;
    case KEY_RIGHT:
        return HK_RIGHT;
    case KEY_NPAGE:
        return HK_PGDN;
    case KEY_PPAGE:
        return HK_PGUP;
    case KEY_HOME:
        return HK_HOME;
    case KEY_END:
        return HK_END;
    case KEY_IC:
        return HK_INSERT;
    case KEY_DC:
        return HK_DELETE;
    case KEY_BACKSPACE:
        return HK_BACKSPACE;
    case KEY_BTAB:
        return HK_BTAB;
    case KEY_ENTER:
        return HK_ENTER;
    case KEY_RESIZE:
        return HK_RESIZE;
    default:
        if (code >= KEY_F(1) && code <= KEY_F(12))
            return HK_F1 + (code - KEY_F(1));
        return -1;
    }
}

static bool read_raw(int *key)
{
    for (;;) {
        wint_t wch;
        int r = wget_wch(stdscr, &wch);
        if (r == ERR)
            return false;
        if (r == KEY_CODE_YES) {
            int k = map_function_key((int)wch);
            if (k < 0)
                continue; /* a key we have no name for: ignore it */
            *key = k;
            return true;
        }
        int c = (int)wch;
        if (c == '\r')
            c = HK_ENTER;
        else if (c == 127 || c == 8)
            c = HK_BACKSPACE;
        *key = c;
        return true;
    }
}

bool term_read_key(int *key)
{
    if (!T.active || !read_raw(key))
        return false;
    if (*key == HK_ESC) {
        int next;
        /* Esc and a key in the same burst: the terminal's Alt/Meta encoding. */
        if (read_raw(&next)) {
            if (next == HK_ESC || next == HK_RESIZE) {
                /* not a Meta key: keep the second key for the next read */
                if (next == HK_RESIZE)
                    ungetch(KEY_RESIZE);
                else
                    unget_wch(HK_ESC);
                return true;
            }
            *key = next | HK_META;
        }
    }
    return true;
}
