/* The executor (see executor.h). */
#include "client/executor.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apierror.h"
#include "client/client.h"
#include "client/task.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"

typedef struct exec_call {
    char *method, *path, *content_type, *body;
    char *answer_rv; /* the resourceVersion its answer carried (a send that succeeded) */
    bool rv_from_previous, needs_previous;
} exec_call;

struct executor {
    transport *t;
    audit_log *log;
    bool owns_log; /* the client's executor closes its log */
    exec_call *calls;
    size_t n;
    size_t cur;
    uint64_t job; /* the transport job in flight, 0 when none */
    char *sent_body; /* the body as sent (the resourceVersion filled in) */
    char *prev_rv;   /* the previous answer's metadata.resourceVersion */
    exec_status st;
};

executor *executor_new(transport *t, audit_log *log)
{
    executor *e = xcalloc(1, sizeof *e);
    e->t = t;
    e->log = log;
    return e;
}

static void calls_free(executor *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->calls[i].method);
        free(e->calls[i].path);
        free(e->calls[i].content_type);
        free(e->calls[i].body);
        free(e->calls[i].answer_rv);
    }
    free(e->calls);
    e->calls = NULL;
    e->n = 0;
    free(e->sent_body);
    e->sent_body = NULL;
    free(e->prev_rv);
    e->prev_rv = NULL;
}

static void audit(executor *e, const exec_call *c, long status, const char *message)
{
    char full[4096];
    snprintf(full, sizeof full, "%s%s", c->path, e->st.dry_run ? "?dryRun=All" : "");
    audit_entry ae = {.when = time(NULL), .dry_run = e->st.dry_run, .method = c->method, .path = full,
                      .content_type = c->content_type, .body = e->sent_body ? e->sent_body : c->body,
                      .status = status, .message = message};
    char err[300];
    if (audit_write(e->log, &ae, err, sizeof err) < 0 && e->st.state == EXEC_RUNNING) {
        /* the log must hold every call: stop before the next one */
        e->st.state = EXEC_FAILED;
        e->st.failed = e->cur;
        snprintf(e->st.message, sizeof e->st.message, "%s (nothing more is sent)", err);
    }
}

void executor_free(executor *e)
{
    if (!e)
        return;
    if (e->job) {
        transport_cancel(e->t, e->job);
        audit(e, &e->calls[e->cur], 0, "sent; the console closed before the answer came");
    }
    calls_free(e);
    if (e->owns_log)
        audit_close(e->log);
    free(e);
}

const exec_status *executor_status(const executor *e)
{
    return &e->st;
}

const char *executor_answer_rv(const executor *e, size_t i)
{
    return i < e->n ? e->calls[i].answer_rv : NULL;
}

void executor_reset(executor *e)
{
    if (e->st.state == EXEC_RUNNING)
        return;
    calls_free(e);
    uint64_t ch = e->st.changes;
    memset(&e->st, 0, sizeof e->st);
    e->st.changes = ch + 1;
}

void executor_call_label(const action_call *c, char *out, size_t outlen)
{
    /* .../namespaces/NS/RESOURCE/NAME[/SUB] */
    const char *p = strstr(c->path, "/namespaces/");
    const char *res = p ? strchr(p + 12, '/') : NULL;
    char resource[64] = "other";
    if (res) {
        res++;
        const char *name = strchr(res, '/');
        size_t n = name ? (size_t)(name - res) : strlen(res);
        const char *sub = name ? strchr(name + 1, '/') : NULL;
        snprintf(resource, sizeof resource, "%.*s%s%s", (int)(n < 40 ? n : 40), res, sub ? "/" : "",
                 sub ? sub + 1 : "");
    }
    const char *verb = strcmp(c->method, "PATCH") == 0 ? "patch"
                       : strcmp(c->method, "PUT") == 0 ? "update"
                       : strcmp(c->method, "DELETE") == 0 ? "delete"
                                                          : "create";
    snprintf(out, outlen, "%s %s", resource, verb);
}

/* The body with metadata.resourceVersion set to rv (a copy), or NULL when the body is no object. */
static char *with_rv(const char *body, const char *rv)
{
    cJSON *o = cJSON_Parse(body);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return NULL;
    }
    json_set_str(json_obj_child(o, "metadata"), "resourceVersion", rv);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *out = s ? xstrdup(s) : NULL;
    cJSON_free(s);
    return out;
}

static void on_done(void *ud, const transport_response *r);

/* Moves past the calls a dry run leaves out; true when one is left to send. */
static bool next_to_send(executor *e)
{
    while (e->cur < e->n && e->st.dry_run && e->calls[e->cur].needs_previous) {
        e->st.n_skipped++;
        e->cur++;
    }
    return e->cur < e->n;
}

static void done_message(executor *e)
{
    if (!e->st.dry_run)
        snprintf(e->st.message, sizeof e->st.message, "%s", e->n == 1 ? "sent" : "all calls sent");
    else if (e->st.n_skipped)
        snprintf(e->st.message, sizeof e->st.message,
                 "accepted by the server (dry run); %zu call(s) that need the ones before applied are checked when "
                 "sent",
                 e->st.n_skipped);
    else
        snprintf(e->st.message, sizeof e->st.message, "accepted by the server (dry run)");
}

static void finish(executor *e, exec_state state)
{
    e->st.state = state;
    e->st.changes++;
}

static void send_current(executor *e)
{
    const exec_call *c = &e->calls[e->cur];
    free(e->sent_body);
    e->sent_body = NULL;
    if (c->rv_from_previous && e->prev_rv && c->body)
        e->sent_body = with_rv(c->body, e->prev_rv);
    char path[4096];
    snprintf(path, sizeof path, "%s%s", c->path, e->st.dry_run ? "?dryRun=All" : "");
    action_call view = {.method = c->method, .path = c->path};
    char label[96];
    executor_call_label(&view, label, sizeof label);
    const char *body = e->sent_body ? e->sent_body : c->body;
    transport_request req = {.method = c->method, .path = path, .content_type = c->content_type, .body = body,
                             .body_len = body ? strlen(body) : 0, .label = label, .on_done = on_done, .ud = e};
    e->job = transport_submit(e->t, &req);
}

static void on_done(void *ud, const transport_response *r)
{
    executor *e = ud;
    e->job = 0;
    const exec_call *c = &e->calls[e->cur];
    e->st.http_code = r->http_code;
    char *words = apierror_describe(r, NULL);
    if (!words) {
        audit(e, c, r->http_code, e->st.dry_run ? "accepted by the server (dry run)" : "done");
        if (e->st.state != EXEC_RUNNING) { /* the audit log failed */
            free(words);
            e->st.changes++;
            return;
        }
        e->st.n_done++;
        cJSON *o = cJSON_Parse(r->body);
        const char *rv = json_str_at(o, "metadata", "resourceVersion", NULL);
        free(e->prev_rv);
        e->prev_rv = rv ? xstrdup(rv) : NULL;
        e->calls[e->cur].answer_rv = rv ? xstrdup(rv) : NULL;
        cJSON_Delete(o);
        e->cur++;
        if (next_to_send(e)) {
            e->st.changes++;
            send_current(e);
            return;
        }
        done_message(e);
        finish(e, EXEC_DONE);
        return;
    }
    audit(e, c, r->http_code, words);
    e->st.failed = e->cur;
    e->st.conflict = r->http_code == 409;
    e->st.forbidden = r->http_code == 403;
    if (e->n > 1)
        snprintf(e->st.message, sizeof e->st.message, "call %zu of %zu (%s %s) failed: %s%s", e->cur + 1, e->n,
                 c->method, c->path, words, e->cur > 0 && !e->st.dry_run ? "; the calls before it were sent" : "");
    else
        snprintf(e->st.message, sizeof e->st.message, "%s", words);
    free(words);
    finish(e, EXEC_FAILED);
}

int executor_run(executor *e, const action *a, bool dry_run, char *err, size_t errlen)
{
    if (e->st.state == EXEC_RUNNING)
        return set_err(err, errlen, "another action is still being sent");
    if (!a || a->n_calls == 0)
        return set_err(err, errlen, "the action has no call to send");
    if (!e->log)
        return set_err(err, errlen, "no audit log: nothing is sent");
    calls_free(e);
    uint64_t ch = e->st.changes;
    memset(&e->st, 0, sizeof e->st);
    e->st.changes = ch + 1;
    e->calls = xcalloc(a->n_calls, sizeof *e->calls);
    for (size_t i = 0; i < a->n_calls; i++) {
        const action_call *c = &a->calls[i];
        e->calls[i].method = xstrdup(c->method);
        e->calls[i].path = xstrdup(c->path);
        e->calls[i].content_type = c->content_type ? xstrdup(c->content_type) : NULL;
        e->calls[i].body = c->body ? xstrdup(c->body) : NULL;
        e->calls[i].rv_from_previous = c->rv_from_previous;
        e->calls[i].needs_previous = c->needs_previous;
    }
    e->n = a->n_calls;
    e->cur = 0;
    e->st.state = EXEC_RUNNING;
    e->st.dry_run = dry_run;
    e->st.n_calls = a->n_calls;
    if (!next_to_send(e)) { /* nothing a dry run can judge */
        done_message(e);
        finish(e, EXEC_DONE);
        return 0;
    }
    send_current(e);
    return 0;
}

/* ---- the client's executor, as a client task ------------------------------------------------- */

/* The transport's callbacks move it: the task only ties its life to the client's. */
static bool task_step(void *self)
{
    (void)self;
    return true;
}

static void task_free(void *self)
{
    executor_free(self);
}

static const client_task_ops executor_task = {.name = "executor", .step = task_step, .free = task_free};

executor *client_executor(client *c, const audit_identity *id, char *err, size_t errlen)
{
    executor *e = client_task_find(c, &executor_task);
    if (e)
        return e;
    audit_log *log = audit_open(NULL, id, err, errlen);
    if (!log)
        return NULL;
    e = executor_new(client_transport(c), log);
    e->owns_log = true;
    client_task_add(c, &executor_task, e);
    return e;
}
