/* byteproxy: a TCP relay that counts the bytes it carries, for tests/bench/run.sh.
 *
 *   byteproxy --target HOST:PORT --port-file FILE --stats FILE
 *
 * Listens on 127.0.0.1 (a free port, written to --port-file once it accepts) and relays every
 * connection to the target unchanged: TLS passes through, so a client that trusts the target's
 * certificate for 127.0.0.1 trusts it here too. --stats is rewritten (atomically) whenever the
 * counts move, as one line: "up=BYTES down=BYTES connections=N" (up: client to server).
 *
 * Why a relay: libcurl reads sockets with recv(), which /proc/PID/io does not count, while Go's
 * runtime uses read(), which it does; only the wire gives both clients the same ruler.
 * Runs until SIGTERM or SIGINT. Two threads per connection, one per direction, so that neither
 * direction can block the other. */
#include <errno.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/buf.h"

static atomic_uint_fast64_t bytes_up, bytes_down, n_connections;
static volatile sig_atomic_t stopping;
static struct addrinfo *target;

/* One relayed connection: two directions that each copy one way; the last to finish frees it. */
typedef struct conn conn;
typedef struct direction {
    int from, to;
    atomic_uint_fast64_t *counter;
    conn *owner;
} direction;

struct conn {
    direction dir[2];
    int client, server;
    atomic_int running; /* directions still copying */
};

static void *relay(void *arg)
{
    direction *d = arg;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(d->from, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t off = 0;
        while (off < (size_t)n) {
            ssize_t w = write(d->to, chunk + off, (size_t)n - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto done;
            off += (size_t)w;
        }
        atomic_fetch_add(d->counter, (uint_fast64_t)n);
    }
done:
    shutdown(d->to, SHUT_WR); /* pass the end of this direction on */
    shutdown(d->from, SHUT_RD);
    conn *c = d->owner;
    if (atomic_fetch_sub(&c->running, 1) == 1) {
        close(c->client);
        close(c->server);
        free(c);
    }
    return NULL;
}

static void serve(int client)
{
    int server = socket(target->ai_family, SOCK_STREAM, 0);
    if (server < 0 || connect(server, target->ai_addr, target->ai_addrlen) < 0) {
        if (server >= 0)
            close(server);
        close(client);
        return;
    }
    atomic_fetch_add(&n_connections, 1);
    conn *c = xcalloc(1, sizeof *c);
    c->client = client;
    c->server = server;
    atomic_init(&c->running, 2);
    c->dir[0] = (direction){client, server, &bytes_up, c};
    c->dir[1] = (direction){server, client, &bytes_down, c};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&t, &attr, relay, &c->dir[i]) != 0) {
            fprintf(stderr, "byteproxy: cannot start a relay thread\n");
            exit(1);
        }
    }
    pthread_attr_destroy(&attr);
}

/* Writes text to path through a temporary name, so that a reader never sees half of it. */
static bool write_atomically(const char *path, const char *text)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return false;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok && rename(tmp, path) == 0;
}

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

int main(int argc, char **argv)
{
    const char *target_arg = NULL, *port_file = NULL, *stats_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--target") == 0)
            target_arg = argv[i + 1];
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[i + 1];
        else if (strcmp(argv[i], "--stats") == 0)
            stats_file = argv[i + 1];
    }
    if (!target_arg || !port_file || !stats_file || argc != 7) {
        fprintf(stderr, "usage: byteproxy --target HOST:PORT --port-file FILE --stats FILE\n");
        return 2;
    }
    char host[256];
    const char *colon = strrchr(target_arg, ':');
    if (!colon || (size_t)(colon - target_arg) >= sizeof host || colon == target_arg) {
        fprintf(stderr, "byteproxy: --target must be HOST:PORT\n");
        return 2;
    }
    memcpy(host, target_arg, (size_t)(colon - target_arg));
    host[colon - target_arg] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    int gai = getaddrinfo(host, colon + 1, &hints, &target);
    if (gai != 0) {
        fprintf(stderr, "byteproxy: %s: %s\n", target_arg, gai_strerror(gai));
        return 2;
    }

    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 64) < 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
        perror("byteproxy: listen");
        return 1;
    }
    char text[128];
    snprintf(text, sizeof text, "%u\n", (unsigned)ntohs(addr.sin_port));
    if (!write_atomically(port_file, text)) {
        fprintf(stderr, "byteproxy: cannot write %s\n", port_file);
        return 1;
    }

    uint64_t last_up = UINT64_MAX, last_down = 0, last_conns = 0;
    while (!stopping) {
        struct pollfd p = {.fd = lfd, .events = POLLIN};
        int r = poll(&p, 1, 50);
        if (r > 0 && (p.revents & POLLIN)) {
            int c = accept(lfd, NULL, NULL);
            if (c >= 0)
                serve(c);
        }
        uint64_t up = atomic_load(&bytes_up), down = atomic_load(&bytes_down), conns = atomic_load(&n_connections);
        if (up != last_up || down != last_down || conns != last_conns) {
            snprintf(text, sizeof text, "up=%llu down=%llu connections=%llu\n", (unsigned long long)up,
                     (unsigned long long)down, (unsigned long long)conns);
            if (write_atomically(stats_file, text)) {
                last_up = up;
                last_down = down;
                last_conns = conns;
            }
        }
    }
    close(lfd);
    freeaddrinfo(target);
    return 0;
}
