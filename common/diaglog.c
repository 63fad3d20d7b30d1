#include "common/diaglog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/timeutil.h"

static struct {
    int fd;
    char *path;
    size_t max, size;
} L = {-1, NULL, 0, 0};

static int open_log(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

bool diaglog_open(const char *path, size_t max_bytes, char *err, size_t errlen)
{
    diaglog_close();
    int fd = open_log(path);
    if (fd < 0) {
        set_err(err, errlen, "--log %s: %s", path, strerror(errno));
        return false;
    }
    struct stat sb;
    L.size = fstat(fd, &sb) == 0 ? (size_t)sb.st_size : 0;
    L.fd = fd;
    L.path = xstrdup(path);
    L.max = max_bytes ? max_bytes : 4u << 20;
    return true;
}

void diaglog_close(void)
{
    if (L.fd >= 0)
        close(L.fd);
    free(L.path);
    L.fd = -1;
    L.path = NULL;
}

bool diaglog_active(void)
{
    return L.fd >= 0;
}

/* Past the cap: FILE becomes FILE.1 (the one before goes) and a new FILE starts. */
static void rotate(void)
{
    char *old = xasprintf("%s.1", L.path);
    close(L.fd);
    rename(L.path, old);
    free(old);
    L.fd = open_log(L.path);
    L.size = 0;
}

void diaglog(const char *fmt, ...)
{
    if (L.fd < 0)
        return;
    char when[21];
    rfc3339_format(time(NULL), when);
    buf b = BUF_INIT;
    buf_printf(&b, "%s ", when);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* one line: a newline or a control character in a server's words cannot start a forged one */
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char)b.data[i] < 0x20)
            b.data[i] = ' ';
    buf_putc(&b, '\n');
    if (L.size + b.len > L.max)
        rotate();
    if (L.fd >= 0 && write(L.fd, b.data, b.len) == (ssize_t)b.len)
        L.size += b.len;
    buf_free(&b);
}
