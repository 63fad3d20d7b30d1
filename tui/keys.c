/* Key names <-> key codes (see keys.h). */
#include "tui/keys.h"

#include "common/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Enter", HK_ENTER},   {"Esc", HK_ESC},       {"Tab", HK_TAB},       {"S-Tab", HK_BTAB},
    {"Space", HK_SPACE},   {"Up", HK_UP},         {"Down", HK_DOWN},     {"Left", HK_LEFT},
    {"Right", HK_RIGHT},   {"PgUp", HK_PGUP},     {"PgDn", HK_PGDN},     {"Home", HK_HOME},
    {"End", HK_END},       {"Insert", HK_INSERT}, {"Delete", HK_DELETE}, {"Backspace", HK_BACKSPACE},
    /* accepted spellings that are not canonical */
    {"Return", HK_ENTER},  {"Escape", HK_ESC},    {"BTab", HK_BTAB},     {"PageUp", HK_PGUP},
    {"PageDown", HK_PGDN}, {"NPage", HK_PGDN},    {"PPage", HK_PGUP},    {"Del", HK_DELETE},
    {"BSpace", HK_BACKSPACE},
};

/* One UTF-8 character making up the whole string, as a code point; -1 otherwise. */
static int single_utf8_char(const char *s)
{
    size_t len = strlen(s);
    uint32_t cp;
    if (len == 0 || utf8_decode((const unsigned char *)s, len, &cp) != len || cp == UTF8_INVALID)
        return -1;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return -1;
    return (int)cp;
}

bool key_parse(const char *name, int *key)
{
    if (!name || !*name)
        return false;
    size_t len = strlen(name);
    char inner[64];
    if (len > 2 && name[0] == '<' && name[len - 1] == '>') {
        if (len - 2 >= sizeof inner)
            return false;
        memcpy(inner, name + 1, len - 2);
        inner[len - 2] = '\0';
        name = inner;
        len -= 2;
    }
    if (len > 2 && (name[0] == 'M' || name[0] == 'm') && name[1] == '-') {
        int k;
        if (!key_parse(name + 2, &k) || (k & HK_META))
            return false;
        *key = k | HK_META;
        return true;
    }
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
        char c = name[2];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            *key = (c | 0x20) - 'a' + 1;
            return true;
        }
        return false;
    }
    if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3) {
        int n = 0;
        for (size_t i = 1; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return false;
            n = n * 10 + (name[i] - '0');
        }
        if (n < 1 || n > 12)
            return false;
        *key = HK_F1 + n - 1;
        return true;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (strcasecmp(name, named_keys[i].name) == 0) {
            *key = named_keys[i].key;
            return true;
        }
    }
    int cp = single_utf8_char(name);
    if (cp < 0 || cp == ' ')
        return false;
    *key = cp;
    return true;
}

void key_to_name(int key, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return;
    if (key & HK_META) {
        char rest[32];
        key_to_name(key & ~HK_META, rest, sizeof rest);
        snprintf(out, outlen, "M-%s", rest);
        return;
    }
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (named_keys[i].key == key) {
            snprintf(out, outlen, "%s", named_keys[i].name);
            return;
        }
    }
    if (key >= HK_F1 && key <= HK_F12) {
        snprintf(out, outlen, "F%d", key - HK_F1 + 1);
        return;
    }
    if (key >= 1 && key <= 26) {
        snprintf(out, outlen, "C-%c", 'a' + key - 1);
        return;
    }
    if (key > 0x20 && key < 0x7F) {
        snprintf(out, outlen, "%c", key);
        return;
    }
    if (key >= 0xA0 && key <= 0x10FFFF && !(key >= 0xD800 && key <= 0xDFFF)) {
        char enc[4];
        size_t n = utf8_encode((uint32_t)key, enc);
        snprintf(out, outlen, "%.*s", (int)n, enc);
        return;
    }
    snprintf(out, outlen, "<key %#x>", (unsigned)key);
}
