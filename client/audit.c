/* The audit log (see audit.h). */
#include "client/audit.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/timeutil.h"
#include "common/xdg.h"

struct audit_log {
    int fd;
    char *path;
    char *context, *server, *user;
};

bool audit_default_path(char *out, size_t outlen)
{
    return xdg_path("XDG_STATE_HOME", ".local/state", "hcptui/audit.log", out, outlen);
}

/* mkdir -p of the folders above path, each new one 0700. */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return set_err(err, errlen, "audit log: cannot create %s: %s", dir, strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return set_err(err, errlen, "audit log: cannot create %s: %s", dir, strerror(errno));
    return 0;
}

audit_log *audit_open(const char *path, const audit_identity *id, char *err, size_t errlen)
{
    char def[4096];
    if (!path) {
        if (!audit_default_path(def, sizeof def)) {
            set_err(err, errlen, "audit log: neither XDG_STATE_HOME nor HOME is set");
            return NULL;
        }
        path = def;
    }
    if (make_parents(path, err, errlen) < 0)
        return NULL;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        set_err(err, errlen, "audit log: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    if (fchmod(fd, 0600) < 0) { /* an older file with wider permissions is narrowed */
        set_err(err, errlen, "audit log: cannot restrict %s to its owner: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    audit_log *l = xcalloc(1, sizeof *l);
    l->fd = fd;
    l->path = xstrdup(path);
    l->context = xstrdup(id && id->context ? id->context : "");
    l->server = xstrdup(id && id->server ? id->server : "");
    l->user = xstrdup(id && id->user ? id->user : "");
    return l;
}

void audit_close(audit_log *l)
{
    if (!l)
        return;
    close(l->fd);
    free(l->path);
    free(l->context);
    free(l->server);
    free(l->user);
    free(l);
}

const char *audit_path(const audit_log *l)
{
    return l->path;
}

int audit_write(audit_log *l, const audit_entry *e, char *err, size_t errlen)
{
    char when[21];
    rfc3339_format(e->when, when);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "context", l->context);
    cJSON_AddStringToObject(o, "server", l->server);
    cJSON_AddStringToObject(o, "user", l->user);
    cJSON_AddBoolToObject(o, "dryRun", e->dry_run);
    cJSON_AddStringToObject(o, "method", e->method ? e->method : "");
    cJSON_AddStringToObject(o, "path", e->path ? e->path : "");
    cJSON_AddStringToObject(o, "contentType", e->content_type ? e->content_type : "");
    cJSON_AddStringToObject(o, "body", e->body ? e->body : "");
    cJSON_AddNumberToObject(o, "status", (double)e->status);
    cJSON_AddStringToObject(o, "message", e->message ? e->message : "");
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    buf line = BUF_INIT;
    buf_puts(&line, text);
    buf_putc(&line, '\n');
    cJSON_free(text);
    ssize_t w = write(l->fd, line.data, line.len); /* O_APPEND: one write, one whole line */
    int rc = w == (ssize_t)line.len ? 0 : set_err(err, errlen, "audit log: cannot write %s: %s", l->path,
                                                    w < 0 ? strerror(errno) : "short write");
    buf_free(&line);
    return rc;
}
