#include "common/errfmt.h"

#include <stdio.h>

int set_verr(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    return -1;
}

int set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_verr(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
