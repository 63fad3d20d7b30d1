/* A job's memory and its line delivery (see transport_internal.h): shared by the door to libcurl
 * (transport.c) and the end of an attempt (transport_finish.c). */
#include <stdlib.h>

#include "client/transport_internal.h"

void transport_job_detach_easy(transport *t, job *j)
{
    if (j->easy) {
        if (j->state == JOB_RUNNING)
            curl_multi_remove_handle(t->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
    curl_slist_free_all(j->headers);
    j->headers = NULL;
}

void transport_job_free(transport *t, job *j)
{
    transport_job_detach_easy(t, j);
    buf_free(&j->resp);
    free(j->hdr_content_type);
    free(j->hdr_retry_after);
    transport_lines_free(&j->lines);
    free(j->method);
    free(j->path);
    free(j->accept);
    free(j->content_type);
    free(j->body);
    free(j->err_text);
    free(j);
}

void transport_job_unlink(transport *t, job *j)
{
    for (job **pp = &t->jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            j->next = NULL;
            return;
        }
}

bool transport_deliver_line(void *ud, const char *line, size_t len)
{
    job *j = ud;
    if (j->cancelled)
        return false;
    transport_counter *c = &j->t->counters[j->counter];
    if (line) {
        j->nlines++;
        c->lines++;
    } else {
        j->ndropped++;
        c->lines_dropped++;
    }
    if (j->on_line)
        j->on_line(j->ud, line, len);
    return !j->cancelled;
}
