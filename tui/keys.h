/* Keys as the console sees them, independent of curses: one int per key press.
 *
 *   printable characters    their Unicode code point ('j', '?', 'é')
 *   C-a .. C-z              1 .. 26 (Tab is C-i = 9, Enter is C-j = 10, Esc is 27)
 *   special keys            HK_* below (arrows, pages, F1-F12, ...)
 *   M-x                     HK_META | x (Esc followed by x)
 *
 * Key names (keymap files, help) are "j", "C-f", "M-x", "Enter", "Esc", "Tab", "S-Tab", "Up",
 * "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Space", "Backspace", "Delete", "Insert",
 * "F1".."F12"; names are case-insensitive and may be written in angle brackets ("<Enter>"). */
#ifndef HCP_TUI_KEYS_H
#define HCP_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define HK_ENTER 10
#define HK_TAB 9
#define HK_ESC 27
#define HK_SPACE 32
#define HK_META 0x40000000
enum {
    HK_SPECIAL = 0x200000, /* above every Unicode code point */
    HK_UP,
    HK_DOWN,
    HK_LEFT,
    HK_RIGHT,
    HK_PGUP,
    HK_PGDN,
    HK_HOME,
    HK_END,
    HK_INSERT,
    HK_DELETE,
    HK_BACKSPACE,
    HK_BTAB, /* Shift-Tab */
    HK_F1,
    HK_F12 = HK_F1 + 11,
    HK_RESIZE, /* not a key: the terminal changed size (never bound) */
};

/* Parses a key name; false when it names no key. */
bool key_parse(const char *name, int *key);
/* Writes the canonical name of a key ("C-f", "PgDn", "j"); the result parses back to the same key. */
void key_to_name(int key, char *out, size_t outlen);

#endif
