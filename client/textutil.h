/* Small helpers the kubeconfig loader and the credential code share: whole-file reads with a cap,
 * trimmed copies, the control-character check of values bound for headers and URLs, and string
 * vectors. They call nothing else of client/. */
#ifndef HCP_CLIENT_TEXTUTIL_H
#define HCP_CLIENT_TEXTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file of at most cap bytes into a NUL-terminated buffer (*data, *len; free *data).
 * 0 on success, else an errno value (EFBIG when larger than cap). */
int kube_read_file(const char *path, size_t cap, char **data, size_t *len);
/* True when s holds a NUL, a control character or DEL: unusable in a header or URL. */
bool kube_has_control_chars(const char *s, size_t len);
/* A copy of s[0..len) without surrounding spaces, tabs and line breaks. */
char *kube_trimmed_dup(const char *s, size_t len);
/* Frees n strings and the vector; NULL is fine. */
void kube_strv_free(char **v, size_t n);

#endif
