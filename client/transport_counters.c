/* Request counters per label (see transport.h), each with the watched kind its requests feed. */
#include <stdio.h>
#include <string.h>

#include "client/transport_internal.h"
#include "common/buf.h"

/* The counter of a request's label (created on first use); the first request of a label says
 * which watched kind the counter feeds. */
size_t transport_counter_index(transport *t, const transport_request *req)
{
    const char *label = req->label && *req->label ? req->label : "other";
    for (size_t i = 0; i < t->ncounters; i++)
        if (strncmp(t->counters[i].label, label, sizeof t->counters[i].label - 1) == 0)
            return i;
    if (t->ncounters == t->capcounters) {
        t->capcounters = t->capcounters ? t->capcounters * 2 : 16;
        t->counters = xrealloc(t->counters, t->capcounters * sizeof *t->counters);
    }
    transport_counter *c = &t->counters[t->ncounters];
    memset(c, 0, sizeof *c);
    snprintf(c->label, sizeof c->label, "%s", label);
    c->has_kind = req->has_kind && (unsigned)req->kind < RES_KIND_COUNT;
    c->kind = c->has_kind ? req->kind : RES_HOSTEDCLUSTER;
    return t->ncounters++;
}

size_t transport_counter_count(const transport *t)
{
    return t->ncounters;
}

const transport_counter *transport_counter_at(const transport *t, size_t i)
{
    return i < t->ncounters ? &t->counters[i] : NULL;
}

const transport_counter *transport_counter_find(const transport *t, const char *label)
{
    for (size_t i = 0; i < t->ncounters; i++)
        if (strcmp(t->counters[i].label, label) == 0)
            return &t->counters[i];
    return NULL;
}

void transport_counter_total(const transport *t, transport_counter *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->label, sizeof out->label, "total");
    for (size_t i = 0; i < t->ncounters; i++) {
        const transport_counter *c = &t->counters[i];
        out->count += c->count;
        out->errors += c->errors;
        out->refused += c->refused;
        out->retries += c->retries;
        out->bytes_in += c->bytes_in;
        out->bytes_out += c->bytes_out;
        out->lines += c->lines;
        out->lines_dropped += c->lines_dropped;
        out->latency_sum_ms += c->latency_sum_ms;
        if (c->latency_max_ms > out->latency_max_ms)
            out->latency_max_ms = c->latency_max_ms;
    }
}
