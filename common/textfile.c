#include "common/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errfmt.h"

int textfile_read(const char *path, size_t max, const char *what, buf *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return set_err(err, errlen, "%s: %s", path, strerror(errno));
    char chunk[4096];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(out, chunk, n);
        if (out->len > max) {
            rc = set_err(err, errlen, "%s: larger than %zu KiB, not a %s", path, max / 1024, what);
            break;
        }
    }
    if (!rc && ferror(f))
        rc = set_err(err, errlen, "%s: read error", path);
    fclose(f);
    return rc;
}

int textfile_parse(const char *text, size_t len, size_t max_line, const char *origin, buf *errs, textfile_line_fn fn,
                   void *arg)
{
    char *line = malloc(max_line);
    if (!line)
        abort();
    int lineno = 0, bad = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        size_t n = end - pos;
        if (n && text[pos + n - 1] == '\r')
            n--;
        const char *why = NULL;
        if (n >= max_line) {
            why = "line too long";
        } else if (memchr(text + pos, '\0', n)) {
            why = "NUL byte in line";
        } else {
            memcpy(line, text + pos, n);
            line[n] = '\0';
            char *p = line;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p && *p != '#')
                why = fn(p, lineno, arg);
        }
        if (why) {
            bad++;
            if (errs)
                buf_printf(errs, "%s:%d: %s\n", origin, lineno, why);
        }
        pos = end + 1;
    }
    free(line);
    return bad;
}

FILE *textfile_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    struct stat sb;
    /* The umask can only take bits away, and an existing file keeps its mode: set it outright. */
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 07777) != 0600)
        (void)fchmod(fd, 0600);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}
