/* keylat: key presses timed end to end, from the byte written to a program's terminal to the last
 * byte of the screen update it answers with. For tests/bench/run.sh.
 *
 *   keylat [--cols C] [--lines L] [--ready TEXT] [--timeout S] [--quiet MS] --keys SPEC -- COMMAND [ARG...]
 *
 * COMMAND runs on a pseudo-terminal of C x L (default 200 x 50). keylat waits until TEXT (default
 * "live") appears in its output and the output has been quiet for a moment, then sends the keys
 * of SPEC one at a time: "j*100,Tab*8,/,h,c,Esc". An item is a key and an optional repeat count; a
 * key is one character or a name (Tab, Enter, Esc, PgDn, PgUp). After each key it waits for the
 * answer's first byte, then reads until the output has been quiet for MS milliseconds (default 40),
 * and notes the time of the last byte. A key that changes nothing on the screen writes nothing: no
 * byte within a second counts it as silent, apart from the others.
 * Finally it sends q and waits for COMMAND to exit.
 *
 * Prints one line per key (items of the same key pooled) with the median, 95th percentile and
 * maximum time to the last byte, against the 5 ms budget. Exit 0 after a complete run, 1 when the program never got ready, died,
 * or did not exit; 2 on bad usage. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY_BUDGET_MS 5.0
#define MAX_ITEMS 64
#define ANSWER_TIMEOUT_MS 5000 /* a whole answer, however slow */
#define SILENT_AFTER_MS 1000   /* no first byte by then: the key changed nothing on the screen */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct key_item {
    char name[16];
    char bytes[8];
    int count;
    double *done; /* ms to the last byte of each answered press */
    int answered, silent;
} key_item;

/* The bytes xterm sends for a key name or a single character; false when unknown. */
static bool key_bytes(const char *name, char *out, size_t outlen)
{
    static const struct {
        const char *name, *bytes;
    } named[] = {{"Tab", "\t"}, {"Enter", "\r"}, {"Esc", "\033"}, {"PgDn", "\033[6~"}, {"PgUp", "\033[5~"}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strcmp(name, named[i].name) == 0) {
            snprintf(out, outlen, "%s", named[i].bytes);
            return true;
        }
    }
    if (strlen(name) == 1 && name[0] > ' ' && name[0] < 0x7f) {
        snprintf(out, outlen, "%s", name);
        return true;
    }
    return false;
}

/* Parses "j*100,Tab*8,/" into items; false with a message on anything else. */
static bool parse_spec(const char *spec, key_item *items, int *n)
{
    char *copy = strdup(spec);
    if (!copy)
        return false;
    *n = 0;
    bool ok = true;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= MAX_ITEMS) {
            fprintf(stderr, "keylat: at most %d key items\n", MAX_ITEMS);
            ok = false;
            break;
        }
        key_item *k = &items[*n];
        memset(k, 0, sizeof *k);
        k->count = 1;
        char *star = strchr(tok, '*');
        if (star) {
            *star = '\0';
            char *end;
            long c = strtol(star + 1, &end, 10);
            if (*end || c < 1 || c > 10000) {
                fprintf(stderr, "keylat: bad repeat count in \"%s*%s\"\n", tok, star + 1);
                ok = false;
                break;
            }
            k->count = (int)c;
        }
        if (strlen(tok) >= sizeof k->name || !key_bytes(tok, k->bytes, sizeof k->bytes)) {
            fprintf(stderr, "keylat: unknown key \"%s\" (one character, Tab, Enter, Esc, PgDn, PgUp)\n", tok);
            ok = false;
            break;
        }
        snprintf(k->name, sizeof k->name, "%s", tok);
        k->done = calloc((size_t)k->count, sizeof *k->done);
        if (!k->done) {
            ok = false;
            break;
        }
        (*n)++;
    }
    free(copy);
    return ok && *n > 0;
}

/* The output seen so far, only the tail (enough to find the ready text across reads). */
static char tail[8192];
static size_t tail_len;

static void tail_add(const char *p, size_t n)
{
    if (n >= sizeof tail) {
        memcpy(tail, p + n - (sizeof tail - 1), sizeof tail - 1);
        tail_len = sizeof tail - 1;
    } else {
        if (tail_len + n >= sizeof tail) {
            size_t drop = tail_len + n - (sizeof tail - 1);
            memmove(tail, tail + drop, tail_len - drop);
            tail_len -= drop;
        }
        memcpy(tail + tail_len, p, n);
        tail_len += n;
    }
    tail[tail_len] = '\0';
}

/* Reads what is there within wait_ms. Returns bytes read, 0 on timeout, -1 when the terminal closed. */
static long read_some(int fd, int wait_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, wait_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (r == 0)
        return 0;
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0)
        return (n < 0 && errno == EINTR) ? 0 : -1;
    tail_add(chunk, (size_t)n);
    return n;
}

/* Waits up to first_ms for output, then reads until nothing came for quiet_ms (or until the
 * deadline). Time of the last byte, or 0 when nothing came; -1 when the terminal closed. */
static double drain(int fd, int first_ms, int quiet_ms, double deadline)
{
    double last = 0;
    for (;;) {
        double now = now_ms();
        if (now >= deadline)
            return last;
        int wait = last == 0 ? first_ms : quiet_ms;
        if (now + wait > deadline)
            wait = (int)(deadline - now) + 1;
        long n = read_some(fd, wait);
        if (n < 0)
            return -1;
        if (n == 0)
            return last;
        last = now_ms();
    }
}

static int total_presses(const key_item *items, int n)
{
    int total = 0;
    for (int k = 0; k < n; k++)
        total += items[k].count;
    return total > 0 ? total : 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    if (n <= 0)
        return 0;
    int i = (int)(p / 100.0 * (n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    int cols = 200, lines = 50, timeout_s = 120, quiet_ms = 40;
    const char *ready = "live", *spec = NULL;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc)
            break;
        if (strcmp(argv[i], "--cols") == 0)
            cols = atoi(argv[++i]);
        else if (strcmp(argv[i], "--lines") == 0)
            lines = atoi(argv[++i]);
        else if (strcmp(argv[i], "--ready") == 0)
            ready = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0)
            timeout_s = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quiet") == 0)
            quiet_ms = atoi(argv[++i]);
        else if (strcmp(argv[i], "--keys") == 0)
            spec = argv[++i];
        else
            break;
    }
    key_item items[MAX_ITEMS];
    int n_items = 0;
    if (i >= argc || !spec || cols < 20 || cols > 1000 || lines < 5 || lines > 500 || timeout_s < 1 ||
        quiet_ms < 5 || quiet_ms > 5000 || !*ready || strlen(ready) >= sizeof tail / 2) {
        fprintf(stderr, "usage: keylat [--cols C] [--lines L] [--ready TEXT] [--timeout S] [--quiet MS] "
                        "--keys SPEC -- COMMAND [ARG...]\n");
        return 2;
    }
    if (!parse_spec(spec, items, &n_items))
        return 2;

    struct winsize ws = {.ws_row = (unsigned short)lines, .ws_col = (unsigned short)cols};
    int master;
    fflush(NULL);
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("keylat: forkpty");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[i], argv + i);
        fprintf(stderr, "keylat: %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    signal(SIGPIPE, SIG_IGN);
    int rc = 0;

    /* ready: the text appeared, then the screen settled */
    double t0 = now_ms(), deadline = t0 + timeout_s * 1000.0;
    while (!strstr(tail, ready)) {
        if (read_some(master, 100) < 0) {
            fprintf(stderr, "keylat: the program closed its terminal before \"%s\" appeared; it wrote:\n%s\n", ready,
                    tail);
            rc = 1;
            goto out;
        }
        if (now_ms() > deadline) {
            fprintf(stderr, "keylat: \"%s\" did not appear within %d s; the output ended with:\n%s\n", ready,
                    timeout_s, tail);
            rc = 1;
            goto out;
        }
    }
    printf("keylat: ready after %.0f ms (\"%s\" on screen)\n", now_ms() - t0, ready);
    if (drain(master, 500, 500, now_ms() + 10000) < 0) {
        fprintf(stderr, "keylat: the program closed its terminal\n");
        rc = 1;
        goto out;
    }

    for (int k = 0; k < n_items && rc == 0; k++) {
        key_item *it = &items[k];
        for (int r = 0; r < it->count; r++) {
            size_t len = strlen(it->bytes);
            double sent = now_ms();
            if (write(master, it->bytes, len) != (ssize_t)len) {
                rc = 1;
                break;
            }
            double last = drain(master, SILENT_AFTER_MS, quiet_ms, sent + ANSWER_TIMEOUT_MS);
            if (last < 0) {
                fprintf(stderr, "keylat: the program closed its terminal after key %s\n", it->name);
                rc = 1;
                break;
            }
            if (last == 0)
                it->silent++;
            else
                it->done[it->answered++] = last - sent;
        }
    }
    if (rc == 0) {
        printf("%-50s %22s  %-12s %s\n", "key, end to end (to the last byte of the answer)", "median/p95/max",
               "budget", "verdict");
        /* one line per key name: items with the same key are pooled */
        double *pool = calloc((size_t)total_presses(items, n_items), sizeof *pool);
        if (!pool)
            rc = 1;
        for (int k = 0; k < n_items && pool; k++) {
            bool seen = false;
            for (int e = 0; e < k; e++)
                seen = seen || strcmp(items[e].name, items[k].name) == 0;
            if (seen)
                continue;
            int n = 0, presses = 0, silent = 0;
            for (int e = k; e < n_items; e++) {
                if (strcmp(items[e].name, items[k].name) != 0)
                    continue;
                memcpy(pool + n, items[e].done, (size_t)items[e].answered * sizeof *pool);
                n += items[e].answered;
                presses += items[e].count;
                silent += items[e].silent;
            }
            char what[128], fig[64];
            if (n == 0) {
                snprintf(what, sizeof what, "key %.15s: %d presses, none changed the screen", items[k].name, presses);
                printf("%-50s %22s  %-12s %s\n", what, "-", "-", "-");
                continue;
            }
            qsort(pool, (size_t)n, sizeof *pool, cmp_double);
            double p95 = pct(pool, n, 95);
            snprintf(what, sizeof what, "key %.15s (%d answered, %d silent)", items[k].name, n, silent);
            snprintf(fig, sizeof fig, "%.2f/%.2f/%.2f ms", pct(pool, n, 50), p95, pct(pool, n, 100));
            printf("%-50s %22s  %-12s %s\n", what, fig, "p95 < 5 ms", p95 < KEY_BUDGET_MS ? "PASS" : "OVER");
        }
        free(pool);
    }

out:
    /* q quits the console; then it must exit by itself */
    if (write(master, "q", 1) != 1)
        rc = 1;
    double end = now_ms() + 5000;
    int status = 0;
    pid_t w = 0;
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_ms() < end)
        read_some(master, 50); /* keep the terminal drained so that the program is not blocked */
    if (w == 0) {
        fprintf(stderr, "keylat: the program did not exit on q; stopping it\n");
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        rc = 1;
    }
    close(master);
    for (int k = 0; k < n_items; k++)
        free(items[k].done);
    return rc;
}
