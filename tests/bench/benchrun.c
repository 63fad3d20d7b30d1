/* benchrun: runs one command and says what it cost, for tests/bench/run.sh.
 *
 *   benchrun [--out FILE] -- COMMAND [ARG...]
 *
 * prints one line on stdout:
 *   wall_ms=812.4 maxrss_kb=80512 rchar=52428800 wchar=1024 user_ms=700 sys_ms=90 exit=0
 *
 * wall_ms from fork to exit (monotonic clock); maxrss_kb the peak resident set (wait4's rusage, as
 * /usr/bin/time -v reports it); rchar/wchar the bytes the process read and wrote through system
 * calls (/proc/PID/io: sockets and files, so TLS records and the kubeconfig count too), read while
 * the process is a zombie, after it exited and before it is reaped (waitid with WNOWAIT).
 * COMMAND's standard output goes to FILE (default /dev/null); its standard error is inherited.
 * Exit status: COMMAND's (128 + signal when killed), 125 when benchrun itself failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* rchar and wchar of /proc/PID/io; false when the file cannot be read. */
static bool proc_io(pid_t pid, unsigned long long *rchar, unsigned long long *wchar)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[128];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "rchar:", 6) == 0) {
            *rchar = strtoull(line + 6, NULL, 10);
            found++;
        } else if (strncmp(line, "wchar:", 6) == 0) {
            *wchar = strtoull(line + 6, NULL, 10);
            found++;
        }
    }
    fclose(f);
    return found == 2;
}

static double tv_ms(struct timeval tv)
{
    return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null";
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: benchrun [--out FILE] -- COMMAND [ARG...]\n");
        return 125;
    }
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        fprintf(stderr, "benchrun: %s: %s\n", out, strerror(errno));
        return 125;
    }
    fflush(NULL);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("benchrun: fork");
        return 125;
    }
    if (pid == 0) {
        if (dup2(fd, STDOUT_FILENO) < 0)
            _exit(125);
        close(fd);
        execvp(argv[i], argv + i);
        fprintf(stderr, "benchrun: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    close(fd);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0) {
        if (errno != EINTR) {
            perror("benchrun: waitid");
            return 125;
        }
    }
    double wall = now_ms() - t0;
    unsigned long long rchar = 0, wchar = 0;
    bool have_io = proc_io(pid, &rchar, &wchar);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("benchrun: wait4");
            return 125;
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 125;
    if (!have_io) {
        fprintf(stderr, "benchrun: cannot read /proc/%ld/io\n", (long)pid);
        return 125;
    }
    printf("wall_ms=%.1f maxrss_kb=%ld rchar=%llu wchar=%llu user_ms=%.0f sys_ms=%.0f exit=%d\n", wall,
           ru.ru_maxrss, rchar, wchar, tv_ms(ru.ru_utime), tv_ms(ru.ru_stime), code);
    return code;
}
