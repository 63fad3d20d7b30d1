/* --cast FILE (see cast.h): the console runs on a pseudo-terminal; this process relays between it
 * and the real terminal and writes every chunk of output as an asciicast v2 event, as `script` and
 * `asciinema rec` do. The relay starts before anything else (no thread, no connection yet), so the
 * console in the child is the whole program, unchanged. */
#include "tui/cast.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/textfile.h"
#include "common/timeutil.h"
#include "common/utf8.h"

static volatile sig_atomic_t resized;

static void on_winch(int sig)
{
    (void)sig;
    resized = 1;
}

/* The part of data that ends on a whole UTF-8 sequence: an event's text must be valid UTF-8, and
 * a write may stop in the middle of a character. */
static size_t whole_utf8(const char *data, size_t len)
{
    size_t i = len;
    size_t back = 0;
    while (i > 0 && back < 4 && ((unsigned char)data[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    unsigned char lead = (unsigned char)data[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > back + 1 ? i - 1 : len;
}

/* One event line: [time, "o", "text"] (bytes that are no UTF-8 become U+FFFD). */
static void event(FILE *f, double t, const char *type, const char *data, size_t len)
{
    buf text = BUF_INIT;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)data + i, len - i, &cp);
        if (cp == UTF8_INVALID) {
            buf_puts(&text, "\xEF\xBF\xBD");
            i += n ? n : 1;
        } else {
            buf_append(&text, data + i, n);
            i += n;
        }
    }
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateNumber((double)(int64_t)(t * 1e6) / 1e6));
    cJSON_AddItemToArray(a, cJSON_CreateString(type));
    cJSON_AddItemToArray(a, cJSON_CreateString(buf_str(&text)));
    char *s = cJSON_PrintUnformatted(a);
    fprintf(f, "%s\n", s ? s : "");
    cJSON_free(s);
    cJSON_Delete(a);
    buf_free(&text);
}

static void header(FILE *f, int cols, int lines)
{
    cJSON *h = cJSON_CreateObject();
    cJSON_AddNumberToObject(h, "version", 2);
    cJSON_AddNumberToObject(h, "width", cols);
    cJSON_AddNumberToObject(h, "height", lines);
    cJSON_AddNumberToObject(h, "timestamp", (double)time(NULL));
    cJSON *env = cJSON_AddObjectToObject(h, "env");
    const char *term = getenv("TERM"), *shell = getenv("SHELL");
    cJSON_AddStringToObject(env, "TERM", term ? term : "");
    cJSON_AddStringToObject(env, "SHELL", shell ? shell : "");
    char *s = cJSON_PrintUnformatted(h);
    fprintf(f, "%s\n", s ? s : "");
    cJSON_free(s);
    cJSON_Delete(h);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The parent: relays until the console's side closes; returns its exit status. */
static int relay(int master, pid_t child, FILE *cast)
{
    int64_t start = now_ms_monotonic();
    char carry[8];
    size_t ncarry = 0;
    for (;;) {
        if (resized) {
            resized = 0;
            struct winsize now;
            if (ioctl(STDIN_FILENO, TIOCGWINSZ, &now) == 0) {
                ioctl(master, TIOCSWINSZ, &now);
                char size[32];
                snprintf(size, sizeof size, "%dx%d", now.ws_col, now.ws_row);
                event(cast, (double)(now_ms_monotonic() - start) / 1000.0, "r", size, strlen(size));
            }
        }
        struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = master, .events = POLLIN}};
        int r = poll(p, 2, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        char data[16384];
        if (p[0].revents & POLLIN) {
            ssize_t n = read(STDIN_FILENO, data, sizeof data);
            if (n > 0 && write_all(master, data, (size_t)n) < 0)
                break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            memcpy(data, carry, ncarry);
            ssize_t n = read(master, data + ncarry, sizeof data - ncarry);
            if (n <= 0) /* EIO: the console's side is closed */
                break;
            size_t len = ncarry + (size_t)n;
            write_all(STDOUT_FILENO, data + ncarry, (size_t)n);
            size_t whole = whole_utf8(data, len);
            event(cast, (double)(now_ms_monotonic() - start) / 1000.0, "o", data, whole);
            ncarry = len - whole;
            memcpy(carry, data + whole, ncarry);
        }
    }
    int st = 0;
    while (waitpid(child, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

int cast_start(const char *path, char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return set_err(err, errlen, "--cast records a terminal: standard input and output must be one");
    FILE *cast = textfile_create(path);
    if (!cast)
        return set_err(err, errlen, "--cast %s: %s", path, strerror(errno));
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_col || !ws.ws_row) {
        ws.ws_col = 80;
        ws.ws_row = 24;
    }
    struct termios saved;
    tcgetattr(STDIN_FILENO, &saved);
    int master;
    pid_t child = forkpty(&master, NULL, &saved, &ws);
    if (child < 0) {
        fclose(cast);
        return set_err(err, errlen, "--cast: no pseudo-terminal: %s", strerror(errno));
    }
    if (child == 0) {
        fclose(cast);
        return 0; /* the console: on with the program, on the pseudo-terminal */
    }
    header(cast, ws.ws_col, ws.ws_row);
    struct termios raw = saved;
    cfmakeraw(&raw);
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGINT, SIG_IGN); /* the keys go to the console, which quits on them */
    signal(SIGTERM, SIG_DFL);
    int status = relay(master, child, cast);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    fclose(cast);
    close(master);
    _exit(status);
}
