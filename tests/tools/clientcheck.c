/* clientcheck: a test driver for client/: loads a kubeconfig, lists + watches through client.h, and
 * writes the store as sorted text lines that shell tests compare with `kubectl get` output.
 *
 *   clientcheck --kubeconfig FILE [--context NAME] [--read-only] [--refresh N] [--namespace NS]
 *               [--watch-timeout S] [--dump FILE] [--ready FILE] [--once] [--seconds N]
 *               [--focus TAG/NS/NAME] [--request METHOD PATH [BODY]]
 *
 * Without --once it runs until SIGTERM/SIGINT (or --seconds); SIGUSR1 writes the dump (atomically:
 * FILE.tmp then rename). --ready FILE is created once every first list is done. --request sends one
 * request after the first lists and prints "status CODE" or "error WORDS" (exit 3 when refused by
 * read-only mode). Dump lines, one per object, then freshness and counters as "#" lines:
 *   hc NS/NAME RV CHANNEL
 *   np NS/NAME RV REPLICAS
 *   pod NS/NAME RV PHASE
 *   pvc NS/NAME RV PHASE
 *   cm NS/NAME RV
 *   ev NS/NAME RV REASON          (Events of the object in focus)
 * and, with --focus, "# focus TAG NS/NAME rv=RV" from the focused object's raw JSON ("rv=" when not
 * fetched yet). Each "# freshness KIND STATE ..." line ends with "text=" and the words the console
 * shows ("stale 40s, connection refused, retrying in 8s"). TAG is hc, np, pod, pvc or cm. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/apierror.h"
#include "client/client.h"
#include "client/kubeconfig.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

static volatile sig_atomic_t want_dump, want_stop;
static const char *focus_tag;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        want_dump = 1;
    else
        want_stop = 1;
}

static const char *s_or_empty(const char *s)
{
    return s ? s : "";
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dump_kind(client *c, res_kind kind, const char *tag, buf *out)
{
    size_t n = 0;
    record *const *recs = store_sorted(client_store(c), kind, &n);
    char **lines = n ? xcalloc(n, sizeof *lines) : NULL;
    for (size_t i = 0; i < n; i++) {
        const record *r = recs[i];
        buf l = BUF_INIT;
        buf_printf(&l, "%s %s/%s %s ", tag, s_or_empty(r->meta.namespace), s_or_empty(r->meta.name),
                   s_or_empty(r->meta.resource_version));
        switch (kind) {
        case RES_HOSTEDCLUSTER: buf_puts(&l, s_or_empty(r->u.hc.channel)); break;
        case RES_NODEPOOL:
            if (r->u.np.has_replicas)
                buf_printf(&l, "%lld", (long long)r->u.np.replicas);
            break;
        case RES_ETCD_POD: buf_puts(&l, s_or_empty(r->u.pod.phase)); break;
        case RES_ETCD_PVC: buf_puts(&l, s_or_empty(r->u.pvc.phase)); break;
        case RES_EVENT: buf_puts(&l, s_or_empty(r->u.ev.reason)); break;
        default: break;
        }
        lines[i] = buf_steal(&l);
    }
    if (n)
        qsort(lines, n, sizeof *lines, cmp_lines);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

static int write_dump(client *c, const char *path)
{
    buf out = BUF_INIT;
    dump_kind(c, RES_HOSTEDCLUSTER, "hc", &out);
    dump_kind(c, RES_NODEPOOL, "np", &out);
    dump_kind(c, RES_ETCD_POD, "pod", &out);
    dump_kind(c, RES_ETCD_PVC, "pvc", &out);
    dump_kind(c, RES_SUPPORTED_VERSIONS, "cm", &out);
    dump_kind(c, RES_EVENT, "ev", &out);
    res_kind fk;
    const char *fns = NULL, *fname = NULL;
    const char *fjson = store_focus_json(client_store(c), &fk, &fns, &fname);
    if (focus_tag) {
        cJSON *obj = fjson ? json_parse_len(fjson, strlen(fjson)) : NULL;
        buf_printf(&out, "# focus %s %s/%s rv=%s\n", focus_tag, s_or_empty(fns), s_or_empty(fname),
                   s_or_empty(json_str_at(obj, "metadata", "resourceVersion", NULL)));
        cJSON_Delete(obj);
    }
    int64_t now = now_ms_monotonic();
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        client_freshness_get(c, (res_kind)k, &f);
        char text[512];
        client_freshness_text(&f, now, text, sizeof text);
        buf_printf(&out, "# freshness %s %s relists=%llu dropped=%llu events=%llu text=%s\n", res_kind_name((res_kind)k),
                   freshness_state_name(f.state), (unsigned long long)f.relists, (unsigned long long)f.dropped_lines,
                   (unsigned long long)f.events, text);
    }
    buf_printf(&out, "# store bytes=%zu\n", store_memory_bytes(client_store(c)));
    transport *t = client_transport(c);
    for (size_t i = 0; i < transport_counter_count(t); i++) {
        const transport_counter *tc = transport_counter_at(t, i);
        buf_printf(&out, "# counter %s count=%llu errors=%llu refused=%llu retries=%llu in=%llu out=%llu lines=%llu dropped=%llu max_ms=%lld\n",
                   tc->label, (unsigned long long)tc->count, (unsigned long long)tc->errors,
                   (unsigned long long)tc->refused, (unsigned long long)tc->retries,
                   (unsigned long long)tc->bytes_in, (unsigned long long)tc->bytes_out,
                   (unsigned long long)tc->lines, (unsigned long long)tc->lines_dropped,
                   (long long)tc->latency_max_ms);
    }
    int rc = 0;
    if (!path || strcmp(path, "-") == 0) {
        fputs(buf_str(&out), stdout);
        fflush(stdout);
    } else {
        buf tmp = BUF_INIT;
        buf_printf(&tmp, "%s.tmp", path);
        FILE *f = fopen(buf_str(&tmp), "w");
        if (!f || fputs(buf_str(&out), f) == EOF || fclose(f) != 0 || rename(buf_str(&tmp), path) != 0) {
            fprintf(stderr, "clientcheck: cannot write %s\n", path);
            rc = -1;
        }
        buf_free(&tmp);
    }
    buf_free(&out);
    return rc;
}

typedef struct one_request {
    int done;
    int exit_code;
    const char *origin;
} one_request;

static void on_request_done(void *ud, const transport_response *r)
{
    one_request *o = ud;
    apierror_ctx ctx = {.origin = o->origin};
    char *words = apierror_describe(r, &ctx);
    if (words)
        printf("error %s\n", words);
    else
        printf("status %ld\n", r->http_code);
    fflush(stdout);
    o->exit_code = r->error_kind == TRANSPORT_ERR_READ_ONLY ? 3 : words ? 1 : 0;
    free(words);
    o->done = 1;
}

static int start_focus(client *c, const char *spec)
{
    static const struct { const char *tag; res_kind kind; } tags[] = {
        {"hc", RES_HOSTEDCLUSTER}, {"np", RES_NODEPOOL}, {"pod", RES_ETCD_POD},
        {"pvc", RES_ETCD_PVC},     {"cm", RES_SUPPORTED_VERSIONS},
    };
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", spec);
    char *ns = strchr(tmp, '/');
    char *name = ns ? strchr(ns + 1, '/') : NULL;
    if (!name)
        return -1;
    *ns++ = '\0';
    *name++ = '\0';
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(tags[i].tag, tmp) == 0) {
            focus_tag = tags[i].tag;
            return client_focus(c, tags[i].kind, ns, name);
        }
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: clientcheck --kubeconfig FILE [--context NAME] [--read-only] [--refresh N] "
                    "[--namespace NS] [--watch-timeout S] [--dump FILE] [--ready FILE] [--once] [--seconds N] "
                    "[--focus TAG/NS/NAME] [--request METHOD PATH [BODY]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kubeconfig", required_argument, NULL, 'k'}, {"context", required_argument, NULL, 'c'},
        {"read-only", no_argument, NULL, 'r'},        {"refresh", required_argument, NULL, 'R'},
        {"namespace", required_argument, NULL, 'n'},  {"watch-timeout", required_argument, NULL, 'w'},
        {"dump", required_argument, NULL, 'd'},       {"ready", required_argument, NULL, 'y'},
        {"once", no_argument, NULL, 'o'},             {"seconds", required_argument, NULL, 's'},
        {"request", required_argument, NULL, 'q'},    {"focus", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *focus = NULL;
    const char *kubeconfig = NULL, *context = NULL, *ns = NULL, *dump = "-", *ready = NULL, *req_method = NULL;
    bool read_only = false, once = false;
    int refresh = 0, watch_timeout = 0, seconds = 0;
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'k': kubeconfig = optarg; break;
        case 'c': context = optarg; break;
        case 'r': read_only = true; break;
        case 'R': refresh = atoi(optarg); break;
        case 'n': ns = optarg; break;
        case 'w': watch_timeout = atoi(optarg); break;
        case 'd': dump = optarg; break;
        case 'y': ready = optarg; break;
        case 'o': once = true; break;
        case 's': seconds = atoi(optarg); break;
        case 'q': req_method = optarg; break;
        case 'f': focus = optarg; break;
        default: return usage();
        }
    }
    const char *req_path = NULL, *req_body = NULL;
    if (req_method) {
        if (optind >= argc)
            return usage();
        req_path = argv[optind++];
        if (optind < argc)
            req_body = argv[optind++];
    }
    if (!kubeconfig || optind != argc)
        return usage();

    kube_load_opts lo;
    kube_load_opts_from_env(&lo);
    lo.explicit_path = kubeconfig;
    lo.context = context;
    kube_target *kt = NULL;
    char err[1024];
    if (kubeconfig_resolve(&lo, &kt, err, sizeof err) != 0) {
        fprintf(stderr, "clientcheck: %s\n", err);
        return 2;
    }
    client_options co = {.target = kt, .read_only = read_only, .namespace = ns, .refresh_seconds = refresh,
                         .watch_timeout_seconds = watch_timeout, .version = "clientcheck"};
    client *c = client_open(&co, err, sizeof err);
    if (!c) {
        fprintf(stderr, "clientcheck: %s\n", err);
        kube_target_free(kt);
        return 2;
    }
    signal(SIGUSR1, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    client_start(c);
    int rc = 0;
    if (client_wait_initial(c, 20000, err, sizeof err) != 0) {
        fprintf(stderr, "clientcheck: %s\n", err);
        rc = 1;
        if (once)
            goto out;
    }
    if (focus && start_focus(c, focus) != 0) {
        fprintf(stderr, "clientcheck: --focus wants TAG/NS/NAME with TAG hc, np, pod, pvc or cm\n");
        rc = 2;
        goto out;
    }
    if (ready) {
        FILE *f = fopen(ready, "w");
        if (f)
            fclose(f);
    }
    if (req_method) {
        one_request one = {.origin = kt->origin};
        transport_request rq = {.method = req_method, .path = req_path, .body = req_body,
                                .body_len = req_body ? strlen(req_body) : 0,
                                .content_type = "application/merge-patch+json", .label = "request",
                                .on_done = on_request_done, .ud = &one};
        transport_submit(client_transport(c), &rq);
        int64_t end = now_ms_monotonic() + 20000;
        while (!one.done && now_ms_monotonic() < end && !want_stop)
            client_poll(c, -1, 200, NULL);
        rc = one.done ? one.exit_code : 1;
        if (!one.done)
            fprintf(stderr, "clientcheck: the request did not finish\n");
        goto out;
    }
    if (once) {
        rc = write_dump(c, dump) == 0 ? rc : 1;
        goto out;
    }
    int64_t end = seconds > 0 ? now_ms_monotonic() + (int64_t)seconds * 1000 : -1;
    while (!want_stop && (end < 0 || now_ms_monotonic() < end)) {
        if (client_poll(c, -1, 200, NULL) != 0) {
            fprintf(stderr, "clientcheck: the network layer failed\n");
            rc = 1;
            break;
        }
        if (want_dump) {
            want_dump = 0;
            write_dump(c, dump);
        }
    }
    write_dump(c, dump);
out:
    client_close(c);
    kube_target_free(kt);
    return rc;
}
