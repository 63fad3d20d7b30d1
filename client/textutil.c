/* Small text and file helpers of the kubeconfig and credential code (see textutil.h). */
#include "client/textutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"

int kube_read_file(const char *path, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            buf_free(&b);
            return e;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > cap) {
            close(fd);
            buf_free(&b);
            return EFBIG;
        }
        buf_append(&b, chunk, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *data = buf_steal(&b);
    return 0;
}

bool kube_has_control_chars(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

char *kube_trimmed_dup(const char *s, size_t len)
{
    while (len > 0 && is_space(s[len - 1]))
        len--;
    while (len > 0 && is_space(*s))
        s++, len--;
    return xstrndup(s, len);
}

void kube_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
