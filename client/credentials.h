/* Keeping a kube_target's credentials current: exec credential plugins (client.authentication.k8s.io
 * v1 and v1beta1), cached until their expirationTimestamp and re-run after a 401, and tokenFile,
 * re-read when the file changes. The plugin runs without a shell, with a time limit (client/
 * subprocess.h); its stdout is size-capped and parsed as an ExecCredential. Blocking and
 * non-blocking forms. Errors never contain the credential itself. */
#ifndef HCP_CLIENT_CREDENTIALS_H
#define HCP_CLIENT_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "client/kubeconfig.h"
#include "common/buf.h"

#define KUBE_EXEC_DEFAULT_TIMEOUT_MS 30000
#define KUBE_EXEC_MAX_OUTPUT (1024 * 1024)  /* stdout cap: an ExecCredential is a few KiB */

typedef struct kube_refresh_opts {
    bool force;               /* re-run the plugin even if its credential is still valid (after a 401) */
    bool terminal_available;  /* the console released the terminal: the plugin may prompt on it */
    int timeout_ms;           /* 0 = KUBE_EXEC_DEFAULT_TIMEOUT_MS; then the plugin is killed */
    buf *log;                 /* the plugin's stderr is appended here (when it has no terminal); NULL = dropped */
    time_t now;               /* 0 = time(NULL); tests pass a clock */
} kube_refresh_opts;

/* Brings credentials up to date. Exec: runs the plugin when kube_credentials_stale() or force; while
 * a failed run's wait lasts and no credential is held, fails with the time left. tokenFile: re-read
 * when the file changed (or force). Other forms: nothing to do.
 * 0 on success; -1 with a one-line message (naming the origin and user) in err, and the previous
 * credential (if any) is kept. */
int kube_credentials_refresh_opts(kube_target *t, const kube_refresh_opts *o, char *err, size_t errlen);

/* The simple form: no terminal, stderr dropped, default time limit, the current time. */
int kube_credentials_refresh(kube_target *t, bool force, char *err, size_t errlen);

/* ---- the same without blocking, for the console's loop ------------------------------------------
 * A plugin can take seconds (a browser login, a cloud CLI). kube_credentials_refresh_start decides
 * like kube_credentials_refresh_opts; when the plugin must run it starts it and returns a job with
 * *rc = 1; otherwise NULL with *rc = 0 (nothing to run, tokenFile handled) or -1 (err). The loop then
 * polls kube_refresh_fds() for reading (add them to curl_multi_poll's extra fds), waits at most
 * kube_refresh_timeout_ms(), and calls kube_refresh_step() until it returns 0 (t holds the new
 * credential) or -1 (err; t keeps the previous one). t must outlive the job. */
typedef struct kube_refresh kube_refresh;

kube_refresh *kube_credentials_refresh_start(kube_target *t, const kube_refresh_opts *o, int *rc, char *err,
                                             size_t errlen);
int kube_refresh_fds(const kube_refresh *r, int fds[2]);  /* how many (0..2) */
int kube_refresh_timeout_ms(const kube_refresh *r);
int kube_refresh_step(kube_refresh *r, char *err, size_t errlen);  /* never blocks */
void kube_refresh_free(kube_refresh *r);  /* kills a plugin still running; NULL is fine */

/* True when the next non-forced refresh would run the exec plugin at now (0 = time(NULL)): its
 * credential is missing or expired, and no failed run asked to wait (a failing plugin is retried
 * after 10 s, doubling up to 5 min, so a loop that polls this does not run it over and over).
 * False for targets without exec. */
bool kube_credentials_stale(const kube_target *t, time_t now);

/* True when the plugin must have the terminal (interactiveMode Always): the console suspends curses
 * and passes terminal_available. IfAvailable plugins run without it unless the console offers it. */
bool kube_credentials_needs_terminal(const kube_target *t);


#endif
