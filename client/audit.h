/* The audit log: every mutating call the console sends (dry runs too, marked as such) is one JSON
 * line in $XDG_STATE_HOME/hcptui/audit.log (default ~/.local/state/hcptui/audit.log): time,
 * context, server, user, dry run, method, path, content type, body, status code and message. The
 * folders are made 0700 and the file 0600. It holds no token, password or key: a call's body is
 * what the builders made from the store (no credential is ever in one) and headers are not logged.
 * The executor refuses to send when the log cannot be written. */
#ifndef HCP_CLIENT_AUDIT_H
#define HCP_CLIENT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct audit_log audit_log;

/* Who sends: shown in every line. */
typedef struct audit_identity {
    const char *context, *server, *user;
} audit_identity;

/* The log's path from the environment (XDG_STATE_HOME, else HOME); false when neither is set. */
bool audit_default_path(char *out, size_t outlen);
/* Opens (creating folders 0700 and the file 0600) for appending; NULL with a message. path NULL:
 * the default. The identity's strings are copied. */
audit_log *audit_open(const char *path, const audit_identity *id, char *err, size_t errlen);
void audit_close(audit_log *l); /* NULL is fine */
const char *audit_path(const audit_log *l);

typedef struct audit_entry {
    time_t when;
    bool dry_run;
    const char *method, *path, *content_type, *body;
    long status;         /* HTTP code, 0 when no answer came */
    const char *message; /* the outcome in words ("accepted", or the error) */
} audit_entry;

/* Appends one line (written whole with one write); 0, or -1 with a message. */
int audit_write(audit_log *l, const audit_entry *e, char *err, size_t errlen);

#endif
