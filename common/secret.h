/* Secrets (tokens, passwords, keys) are wiped before their memory is given back, so a later
 * allocation, a core dump or a swap page never shows them. The one way to do it. */
#ifndef HCP_COMMON_SECRET_H
#define HCP_COMMON_SECRET_H

#include <stddef.h>

/* Overwrites n bytes with zeros in a way the compiler may not drop. NULL is fine. */
void secret_wipe(void *p, size_t n);
/* Wipes len bytes (0: the string's length) and frees. NULL is fine. */
void secret_free(char *s, size_t len);

#endif
