/* The user's config file (see config.h). */
#include "tui/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/textfile.h"
#include "common/xdg.h"

static bool boolean(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0")) {
        *out = false;
        return true;
    }
    return false;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    memmove(s, s + i, strlen(s + i) + 1);
}

/* One setting; NULL when fine, else why. */
static const char *setting(tui_config *c, const char *key, const char *value)
{
    if (!strcmp(key, "read-only"))
        return boolean(value, &c->read_only) ? NULL : "read-only is true or false";
    if (!strcmp(key, "ascii"))
        return boolean(value, &c->ascii) ? NULL : "ascii is true or false";
    if (!strcmp(key, "color")) {
        if (!strcmp(value, "never"))
            c->no_color = true;
        else if (!strcmp(value, "auto"))
            c->no_color = false;
        else
            return "color is never or auto";
        return NULL;
    }
    if (!strcmp(key, "keymap")) {
        if (!value[0])
            return "keymap needs a file";
        free(c->keymap);
        c->keymap = xstrdup(value);
        return NULL;
    }
    if (!strcmp(key, "refresh")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (!value[0] || *end || v < 1 || v > 3600)
            return "refresh is whole seconds from 1 to 3600";
        c->refresh_seconds = (int)v;
        return NULL;
    }
    return "unknown setting (read-only, keymap, color, ascii, refresh)";
}

static const char *parse_line(char *line, int lineno, void *arg)
{
    (void)lineno;
    trim(line);
    char *eq = strchr(line, '=');
    if (!eq)
        return "expected: NAME = VALUE";
    *eq = '\0';
    char *key = line, *value = eq + 1;
    trim(key);
    trim(value);
    return setting(arg, key, value);
}

int config_parse(const char *text, size_t len, const char *origin, tui_config *out, buf *errs)
{
    return textfile_parse(text, len, 1024, origin, errs, parse_line, out);
}

int config_load(tui_config *out, buf *errs)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    if (!xdg_path("XDG_CONFIG_HOME", ".config", "hcptui/config", path, sizeof path) || access(path, F_OK) != 0)
        return 0;
    buf text = BUF_INIT;
    char err[600];
    int bad;
    if (textfile_read(path, 1u << 16, "config file", &text, err, sizeof err) < 0) {
        if (errs)
            buf_printf(errs, "%s\n", err);
        bad = 1;
    } else {
        bad = config_parse(buf_str(&text), text.len, path, out, errs);
    }
    buf_free(&text);
    return bad;
}

void config_apply(const tui_config *cfg, tui_options *o)
{
    o->read_only |= cfg->read_only;
    o->no_color |= cfg->no_color;
    o->ascii |= cfg->ascii;
    if (!o->keymap && cfg->keymap)
        o->keymap = cfg->keymap;
    if (!o->refresh_seconds && !o->once)
        o->refresh_seconds = cfg->refresh_seconds;
}

void config_free(tui_config *cfg)
{
    free(cfg->keymap);
    memset(cfg, 0, sizeof *cfg);
}
