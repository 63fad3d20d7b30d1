/* A helper program run without a shell and without blocking (see subprocess.h). */
#include "client/subprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/secret.h"
#include "common/timeutil.h"

#define REAP_POLL_MS 10 /* how often to look again for an exit after the pipes closed */

struct subprocess {
    pid_t pid;
    bool own_group;
    int out_fd, err_fd;      /* -1 once closed */
    int64_t deadline;
    size_t max_stdout, max_stderr;
    bool finished, killed;
    buf out, errtext;
    subprocess_result result;
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

subprocess *subprocess_start(const subprocess_opts *o, int *error_number)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    *error_number = 0;
    if (pipe2(outp, O_CLOEXEC) < 0 || (!o->share_terminal && pipe2(errp, O_CLOEXEC) < 0)) {
        *error_number = errno;
        close_fd(&outp[0]), close_fd(&outp[1]);
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
    if (!o->share_terminal) {
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
    }
    /* The console may ignore SIGPIPE or block signals; the program starts clean. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (!o->share_terminal) { /* a group of its own, so a kill takes its children too */
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, 0);
    }
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    pid_t pid;
    int rc = strchr(o->command, '/') ? posix_spawn(&pid, o->command, &fa, &attr, o->argv, o->envp)
                                     : posix_spawnp(&pid, o->command, &fa, &attr, o->argv, o->envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close_fd(&outp[1]);
    close_fd(&errp[1]);
    if (rc != 0) {
        *error_number = rc;
        close_fd(&outp[0]);
        close_fd(&errp[0]);
        return NULL;
    }
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    if (errp[0] >= 0)
        fcntl(errp[0], F_SETFL, O_NONBLOCK);
    subprocess *p = xcalloc(1, sizeof *p);
    p->pid = pid;
    p->own_group = !o->share_terminal;
    p->out_fd = outp[0];
    p->err_fd = errp[0];
    p->deadline = now_ms_monotonic() + (o->timeout_ms > 0 ? o->timeout_ms : 30000);
    p->max_stdout = o->max_stdout;
    p->max_stderr = o->max_stderr;
    return p;
}

int subprocess_fds(const subprocess *p, int fds[2])
{
    int n = 0;
    if (p->finished)
        return 0;
    if (p->out_fd >= 0)
        fds[n++] = p->out_fd;
    if (p->err_fd >= 0)
        fds[n++] = p->err_fd;
    return n;
}

int subprocess_timeout_ms(const subprocess *p)
{
    if (p->finished)
        return 0;
    int64_t left = p->deadline - now_ms_monotonic();
    if (left < 0)
        left = 0;
    if (p->out_fd < 0 && p->err_fd < 0 && left > REAP_POLL_MS)
        left = REAP_POLL_MS;
    return left > INT_MAX ? INT_MAX : (int)left;
}

static void kill_it(subprocess *p)
{
    if (!p->killed)
        kill(p->own_group ? -p->pid : p->pid, SIGKILL);
    p->killed = true;
}

/* Drains one descriptor; false when the stdout cap was hit. */
static bool drain(int *fd, buf *into, size_t cap, bool cap_is_error)
{
    char chunk[4096];
    while (*fd >= 0) {
        ssize_t got = read(*fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (got <= 0) {
            close_fd(fd);
            return true;
        }
        size_t room = cap > into->len ? cap - into->len : 0;
        if ((size_t)got > room) {
            if (cap_is_error)
                return false;
            got = (ssize_t)room;
        }
        buf_append(into, chunk, (size_t)got);
    }
    return true;
}

static void finish(subprocess *p, int status)
{
    close_fd(&p->out_fd);
    close_fd(&p->err_fd);
    p->finished = true;
    p->result.status = status;
    p->result.out = &p->out;
    p->result.err = &p->errtext;
}

bool subprocess_step(subprocess *p)
{
    if (p->finished)
        return true;
    if (!drain(&p->out_fd, &p->out, p->max_stdout, true)) {
        p->result.too_much_output = true;
        kill_it(p);
    }
    drain(&p->err_fd, &p->errtext, p->max_stderr, false);
    if (!p->killed && now_ms_monotonic() >= p->deadline) {
        p->result.timed_out = true;
        kill_it(p);
    }
    if (!p->killed && (p->out_fd >= 0 || p->err_fd >= 0))
        return false;
    int status = 0;
    /* After SIGKILL the exit is immediate, so waiting is fine; otherwise only look. */
    pid_t w;
    do
        w = waitpid(p->pid, &status, p->killed ? 0 : WNOHANG);
    while (w < 0 && errno == EINTR);
    if (w == 0)
        return false;
    finish(p, w == p->pid ? status : 0);
    return true;
}

void subprocess_wait(subprocess *p)
{
    while (!subprocess_step(p)) {
        int fds[2];
        int n = subprocess_fds(p, fds);
        struct pollfd pfd[2];
        for (int i = 0; i < n; i++)
            pfd[i] = (struct pollfd){fds[i], POLLIN, 0};
        poll(pfd, (nfds_t)n, subprocess_timeout_ms(p));
    }
}

const subprocess_result *subprocess_result_get(const subprocess *p)
{
    return p->finished ? &p->result : NULL;
}

void subprocess_free(subprocess *p)
{
    if (!p)
        return;
    if (!p->finished) {
        kill_it(p);
        subprocess_step(p);
    }
    if (p->out.data)
        secret_wipe(p->out.data, p->out.len); /* it may hold a credential */
    buf_free(&p->out);
    buf_free(&p->errtext);
    free(p);
}
