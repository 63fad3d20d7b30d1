/* The Status replies the store answers with, worded as kube-apiserver words them. */
#include "sim/store_internal.h"

#include <stdlib.h>

sim_reply store_not_found(const sim_kind *k, const char *name)
{
    char q[160];
    sim_kind_qualified(k, q, sizeof q);
    char *m = xasprintf("%s \"%s\" not found", q, name);
    sim_reply r = sim_reply_status(404, "NotFound", m, k, name);
    free(m);
    return r;
}

sim_reply store_conflict_modified(const sim_kind *k, const char *name)
{
    char q[160];
    sim_kind_qualified(k, q, sizeof q);
    char *m = xasprintf("Operation cannot be fulfilled on %s \"%s\": the object has been modified; please apply your "
                        "changes to the latest version and try again",
                        q, name);
    sim_reply r = sim_reply_status(409, "Conflict", m, k, name);
    free(m);
    return r;
}

sim_reply store_no_such_resource(void)
{
    return sim_reply_status(404, "NotFound", "the server could not find the requested resource", NULL, NULL);
}

sim_reply store_bad_request(const char *msg)
{
    return sim_reply_status(400, "BadRequest", msg, NULL, NULL);
}

/* A Status from the validation hook: its own code (422 normally). */
sim_reply store_reply_from_status(cJSON *st)
{
    int64_t code = 422;
    json_int_at(&code, st, "code", NULL);
    return reply_obj((int)code, st);
}

sim_reply store_expired(const char *msg)
{
    return sim_reply_status(410, "Expired", msg, NULL, NULL);
}
