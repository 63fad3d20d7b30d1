#include "common/secret.h"

#include <stdlib.h>
#include <string.h>

void secret_wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

void secret_free(char *s, size_t len)
{
    if (!s)
        return;
    secret_wipe(s, len ? len : strlen(s));
    free(s);
}
