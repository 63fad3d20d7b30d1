/* Container logs as the kubelet would serve them for the simulated pods: etcd's JSON log lines (a
 * crash-looping member's current log is its failed attempt, ending in a panic; "previous" is the one
 * before), and a one-line start message for any other container. */
#include "sim/ctl_podlog.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/kinds.h"

/* One etcd log line in etcd's JSON format. */
static void etcd_line(buf *b, time_t t, int ms, const char *level, const char *caller, const char *msg,
                      const char *extra)
{
    char ts[21];
    rfc3339_format(t, ts);
    ts[19] = '\0'; /* drop the Z: etcd writes fractional seconds and an offset */
    buf_printf(b, "{\"level\":\"%s\",\"ts\":\"%s.%03dZ\",\"caller\":\"%s\",\"msg\":\"%s\"%s%s}\n", level, ts, ms,
               caller, msg, extra && *extra ? "," : "", extra ? extra : "");
}

static void etcd_startup(buf *b, time_t t, const char *ns, const char *pod)
{
    char extra[512];
    snprintf(extra, sizeof extra,
             "\"etcd-version\":\"3.5.14\",\"git-sha\":\"Not provided (use ./build instead of go build)\","
             "\"go-version\":\"go1.22.5\",\"go-os\":\"linux\",\"go-arch\":\"amd64\"");
    etcd_line(b, t, 101, "info", "etcdmain/etcd.go:73", "Running: ",
              "\"args\":[\"etcd\",\"--data-dir=/var/lib/data\",\"--listen-client-urls=https://0.0.0.0:2379\"]");
    etcd_line(b, t, 118, "info", "embed/etcd.go:310", "starting an etcd server", extra);
    snprintf(extra, sizeof extra,
             "\"name\":\"%s\",\"data-dir\":\"/var/lib/data\",\"initial-advertise-peer-urls\":"
             "[\"https://%s.etcd-discovery.%s.svc:2380\"]",
             pod, pod, ns);
    etcd_line(b, t, 240, "info", "embed/etcd.go:375", "now serving peer/client/metrics", extra);
}

static char *etcd_log(const char *ns, const char *pod, time_t start, bool crashed)
{
    buf b = BUF_INIT;
    etcd_startup(&b, start, ns, pod);
    if (crashed) {
        etcd_line(&b, start + 1, 402, "info", "etcdserver/backend.go:81", "opened backend db",
                  "\"path\":\"/var/lib/data/member/snap/db\",\"took\":\"1.532ms\"");
        etcd_line(
            &b, start + 1, 877, "warn", "snap/db.go:88", "failed to find [SNAPSHOT-INDEX].snap.db",
            "\"snapshot-index\":184467,\"snapshot-file-path\":\"/var/lib/data/member/snap/000000000002d0d3.snap.db\","
            "\"error\":\"snap: snapshot file doesn't exist\"");
        etcd_line(&b, start + 1, 878, "panic", "etcdserver/server.go:515", "failed to recover v3 backend from snapshot",
                  "\"error\":\"failed to find database snapshot file (snap: snapshot file doesn't exist)\"");
        buf_puts(&b,
                 "panic: failed to recover v3 backend from snapshot\n\n"
                 "goroutine 1 [running]:\n"
                 "go.uber.org/zap/zapcore.CheckWriteAction.OnWrite(0x2?, 0xc0001f6b40?, {0x0?, 0x0?, 0xc000208a20?})\n"
                 "\tgo.uber.org/zap@v1.17.0/zapcore/entry.go:196 +0x65\n"
                 "go.etcd.io/etcd/server/v3/etcdserver.NewServer({{0xc00003a0f0, 0x6}, {0x0, 0x0}, {0x0, 0x0}, ...})\n"
                 "\tgo.etcd.io/etcd/server/v3/etcdserver/server.go:515 +0x1649\n");
        return buf_steal(&b);
    }
    etcd_line(&b, start + 2, 15, "info", "etcdserver/server.go:2068", "published local member to cluster through raft",
              "\"cluster-id\":\"7e27652122e8b2ae\"");
    etcd_line(&b, start + 2, 16, "info", "embed/serve.go:250", "serving client traffic securely",
              "\"traffic\":\"grpc+http\",\"address\":\"[::]:2379\"");
    for (int i = 1; i <= 3; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, "\"compact-revision\":%d,\"took\":\"%d.%03dms\",\"hash\":%u", 180000 + i * 3211,
                 3 + i, i * 137, 2851917339u + (unsigned)i * 7919u);
        etcd_line(&b, start + (time_t)i * 300, 500 + i, "info", "mvcc/kvstore_compaction.go:68",
                  "finished scheduled compaction", extra);
    }
    return buf_steal(&b);
}

char *sim_pod_log(sim_store *s, const char *ns, const char *pod, const char *container, bool previous)
{
    sim_reply r = sim_store_get(s, sim_kind_get(SIM_POD), ns, pod, SIM_SUB_NONE);
    if (r.code != 200) {
        cJSON_Delete(r.body);
        return NULL;
    }
    const cJSON *statuses = json_at(r.body, "status", "containerStatuses", NULL);
    const cJSON *cs = NULL, *it;
    cJSON_ArrayForEach(it, statuses)
    {
        const char *n = json_str_at(it, "name", NULL);
        if (!container || !*container || (n && strcmp(n, container) == 0)) {
            cs = it;
            break;
        }
    }
    char *text = NULL;
    if (cs) {
        const char *cname = json_str_at(cs, "name", NULL);
        int64_t restarts = 0;
        json_int_at(&restarts, cs, "restartCount", NULL);
        bool is_etcd = cname && strcmp(cname, "etcd") == 0;
        bool crashing = json_at(cs, "state", "waiting", "reason", NULL) &&
                        strcmp(json_str_at(cs, "state", "waiting", "reason", NULL), "CrashLoopBackOff") == 0;
        bool waiting_new = json_at(cs, "state", "waiting", NULL) && !crashing;
        time_t start = sim_store_now(s) - 600;
        time_t t;
        const char *started = json_str_at(cs, "state", "running", "startedAt", NULL);
        if (started && rfc3339_parse(started, &t))
            start = t;
        const char *fin = json_str_at(cs, "lastState", "terminated", "startedAt", NULL);
        if (previous) {
            if (restarts > 0 && is_etcd)
                text = etcd_log(ns, pod, fin && rfc3339_parse(fin, &t) ? t : start - 60, true);
        } else if (waiting_new) {
            text = NULL; /* a container that has not started has no log yet */
        } else if (is_etcd) {
            /* A crash-looping container's current log is its last failed attempt. */
            text = etcd_log(ns, pod, crashing && fin && rfc3339_parse(fin, &t) ? t : start, crashing);
        } else {
            buf b = BUF_INIT;
            char ts[21];
            rfc3339_format(start, ts);
            buf_printf(&b, "%s I0001 %s.go:42] %s container started in pod %s/%s\n", ts, cname ? cname : "main",
                       cname ? cname : "main", ns, pod);
            text = buf_steal(&b);
        }
    }
    cJSON_Delete(r.body);
    return text;
}
