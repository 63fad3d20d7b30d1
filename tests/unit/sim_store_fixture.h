/* What the store tests share (include after cmocka.h): a store on a fixed clock
 * (2026-07-04T00:00:00Z), JSON written with single quotes, and short forms of the store's calls. */
#ifndef HCP_TESTS_UNIT_SIM_STORE_FIXTURE_H
#define HCP_TESTS_UNIT_SIM_STORE_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/store.h"

static inline time_t fixed_clock(void *clock)
{
    (void)clock;
    return 1783123200; /* 2026-07-04T00:00:00Z */
}

static inline sim_store *new_store(size_t window)
{
    sim_store_opts o = {0};
    o.event_window = window;
    o.now = fixed_clock;
    return sim_store_new(&o);
}

static inline const sim_kind *K(sim_kind_id id)
{
    return sim_kind_get(id);
}

/* Parses JSON written with single quotes (easier to read in C). */
static inline cJSON *J(const char *text)
{
    char *t = xstrdup(text);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    cJSON *j = cJSON_Parse(t);
    free(t);
    assert_non_null(j);
    return j;
}

static inline int create(sim_store *s, sim_kind_id id, const char *ns, const char *json)
{
    cJSON *o = J(json);
    sim_reply r = sim_store_create(s, K(id), ns, o, NULL);
    cJSON_Delete(o);
    cJSON_Delete(r.body);
    return r.code;
}

/* create() of a printf template; the object must be created (201). */
static inline void createf(sim_store *s, sim_kind_id id, const char *ns, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline void createf(sim_store *s, sim_kind_id id, const char *ns, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *json = NULL;
    if (vasprintf(&json, fmt, ap) < 0)
        abort();
    va_end(ap);
    assert_int_equal(create(s, id, ns, json), 201);
    free(json);
}

/* PUT of a body (single quotes); the reply's code. */
static inline int update_code(sim_store *s, sim_kind_id id, const char *ns, const char *name, const char *json,
                              sim_subresource sub)
{
    cJSON *o = J(json);
    sim_reply r = sim_store_update(s, K(id), ns, name, o, sub, NULL);
    cJSON_Delete(o);
    cJSON_Delete(r.body);
    return r.code;
}

static inline void mkns(sim_store *s, const char *name)
{
    char js[200];
    snprintf(js, sizeof js, "{'metadata':{'name':'%s'}}", name);
    assert_int_equal(create(s, SIM_NAMESPACE, NULL, js), 201);
}

static inline char *get_rv(sim_store *s, sim_kind_id id, const char *ns, const char *name)
{
    sim_reply r = sim_store_get(s, K(id), ns, name, SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    char *rv = xstrdup(json_str_at(r.body, "metadata", "resourceVersion", NULL));
    cJSON_Delete(r.body);
    return rv;
}

static inline int64_t get_int(sim_store *s, sim_kind_id id, const char *ns, const char *name, const char *a,
                       const char *b)
{
    sim_reply r = sim_store_get(s, K(id), ns, name, SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    int64_t v = -1;
    json_int_at(&v, r.body, a, b, NULL);
    cJSON_Delete(r.body);
    return v;
}

static inline sim_reply patch(sim_store *s, sim_kind_id id, const char *ns, const char *name, sim_patch_type t,
                       const char *json, sim_subresource sub)
{
    char *body = xstrdup(json);
    for (char *p = body; *p; p++)
        if (*p == '\'')
            *p = '"';
    sim_reply r = sim_store_patch(s, K(id), ns, name, t, body, strlen(body), sub, NULL);
    free(body);
    return r;
}

static inline int patch_code(sim_store *s, sim_kind_id id, const char *ns, const char *name, sim_patch_type t,
                      const char *json, sim_subresource sub)
{
    sim_reply r = patch(s, id, ns, name, t, json, sub);
    cJSON_Delete(r.body);
    return r.code;
}

static inline int del(sim_store *s, sim_kind_id id, const char *ns, const char *name)
{
    sim_reply r = sim_store_delete(s, K(id), ns, name, NULL);
    cJSON_Delete(r.body);
    return r.code;
}

static inline void assert_status(sim_reply r, int code, const char *reason, const char *message)
{
    assert_int_equal(r.code, code);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Status");
    assert_string_equal(json_str_at(r.body, "status", NULL), "Failure");
    assert_string_equal(json_str_at(r.body, "reason", NULL), reason);
    if (message)
        assert_string_equal(json_str_at(r.body, "message", NULL), message);
    int64_t c = 0;
    assert_true(json_int_at(&c, r.body, "code", NULL));
    assert_int_equal(c, code);
    cJSON_Delete(r.body);
}

#define HC "{'metadata':{'name':'%s','labels':{'app':'%s'}},'spec':{'release':{'image':'x'}}}"

#endif
