/* The executor: sends an action's calls (client/action.h) in order, as a server-side dry run
 * (?dryRun=All: the server's verdict, nothing persisted) or for real. It stops at the first
 * failure and says which call failed and why (the API's Status in words); it never retries a
 * mutation. Every call it sends, dry runs included, is a line in the audit log, and it sends
 * nothing when the log cannot be written. A call marked rv_from_previous carries the
 * resourceVersion of the previous call's answer. Driven by the transport's callbacks inside the
 * one loop: executor_run returns at once and the status moves as answers arrive. */
#ifndef HCP_CLIENT_EXECUTOR_H
#define HCP_CLIENT_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/action.h"
#include "client/audit.h"
#include "client/transport.h"

typedef struct executor executor;

typedef enum exec_state { EXEC_IDLE, EXEC_RUNNING, EXEC_DONE, EXEC_FAILED } exec_state;

typedef struct exec_status {
    exec_state state;
    bool dry_run;
    size_t n_calls;
    size_t n_done;      /* calls answered with success */
    size_t n_skipped;   /* dry runs left out (needs_previous) */
    size_t failed;      /* the failing call (EXEC_FAILED) */
    long http_code;     /* of the last answer, 0 when none came */
    bool conflict;      /* 409: the object changed since it was read */
    bool forbidden;     /* 403 */
    char message[768];  /* the outcome in words */
    uint64_t changes;   /* moves with every state change (for the console's repaint) */
} exec_status;

/* t and log are borrowed; log may be NULL (then nothing is sent: "no audit log"). */
executor *executor_new(transport *t, audit_log *log);
/* Frees; a call still in flight is cancelled and its audit line says so. NULL is fine. */
void executor_free(executor *e);
/* Starts sending a's calls (copied). -1 with a message when one is running, a has no call, or
 * there is no audit log. */
int executor_run(executor *e, const action *a, bool dry_run, char *err, size_t errlen);
const exec_status *executor_status(const executor *e);
/* The resourceVersion call i's answer carried (NULL: none, or it did not succeed), to tell when
 * the watch shows the change. */
const char *executor_answer_rv(const executor *e, size_t i);
/* Forgets the result of a finished run (IDLE again). */
void executor_reset(executor *e);

/* The client's executor: made at the first call, with the audit log (opened then, for the
 * identity given) that it owns, and run as one of the client's tasks, so it lives and dies with the
 * connection. NULL with a message when the audit log cannot be opened (nothing can be sent then). */
struct client;
executor *client_executor(struct client *c, const audit_identity *id, char *err, size_t errlen);

/* The request label for the statistics: "nodepools/scale update", "pods delete". */
void executor_call_label(const action_call *c, char *out, size_t outlen);

#endif
