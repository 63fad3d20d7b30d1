#include "common/xdg.h"

#include <stdio.h>
#include <stdlib.h>

bool xdg_path(const char *var, const char *fallback, const char *rel, char *out, size_t outlen)
{
    const char *base = getenv(var);
    const char *home = getenv("HOME");
    int n;
    if (base && base[0] == '/')
        n = snprintf(out, outlen, "%s/%s", base, rel);
    else if (home && home[0])
        n = snprintf(out, outlen, "%s/%s/%s", home, fallback, rel);
    else
        return false;
    return n > 0 && (size_t)n < outlen;
}
