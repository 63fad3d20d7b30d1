/* Prompt line editing (see prompt.h). */
#include "tui/prompt.h"

#include <stdint.h>
#include <string.h>

#include "tui/keys.h"
#include "common/utf8.h"

bool prompt_insert(char *line, size_t cap, int key)
{
    if (key < 0x20 || key == 0x7F || key > 0x10FFFF || (key >= 0x80 && key < 0xA0) ||
        (key >= 0xD800 && key <= 0xDFFF))
        return false; /* also every HK_* special key and M- combination */
    char enc[4];
    size_t n = utf8_encode((uint32_t)key, enc);
    size_t len = strlen(line);
    if (len + n + 1 > cap)
        return false;
    memcpy(line + len, enc, n);
    line[len + n] = '\0';
    return true;
}

bool prompt_backspace(char *line)
{
    size_t len = strlen(line);
    if (len == 0)
        return false;
    while (len > 0 && ((unsigned char)line[len - 1] & 0xC0) == 0x80)
        len--;
    if (len > 0)
        len--;
    line[len] = '\0';
    return true;
}
