/* --once waits for the first lists (see once.h). The informers already retry every failure with
 * backoff (honouring Retry-After), as they do for the console; what a one-shot run adds is the
 * patience to wait for those retries instead of giving up at the first failure, and the judgement
 * of which failures are worth waiting for. */
#include <stdio.h>
#include <string.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/timeutil.h"
#include "tui/once.h"

/* A failure that another try may not meet: the server or the network having a bad moment. */
static bool failure_is_transient(const client_freshness *f)
{
    if (f->credentials_failed || f->state == FRESH_FORBIDDEN)
        return false;
    long code = f->fail_http_code;
    if (code == 429 || (code >= 500 && code <= 599))
        return true;
    if (code != 0 && code != 200)
        return false; /* 401, 403, 404, 400 ...: asking again gets the same answer */
    switch (f->fail_error_kind) {
    case TRANSPORT_OK:          /* an answer that was not a list (malformed, cut short) */
    case TRANSPORT_ERR_TIMEOUT:
    case TRANSPORT_ERR_NETWORK: /* reset, dropped mid-transfer */
        return true;
    default:
        return false;           /* refused, unresolvable, TLS: a wrong address or trust */
    }
}

static bool failure_is_credentials(const client_freshness *f)
{
    return f->credentials_failed || f->fail_http_code == 401;
}

static const char *failure_words(const client_freshness *f)
{
    return f->detail[0] ? f->detail : f->why[0] ? f->why : "failed";
}

once_read once_wait(struct client *c, unsigned required, unsigned optional, int timeout_ms, char *err,
                    size_t errlen)
{
    int64_t start = now_ms_monotonic();
    int64_t end = start + (timeout_ms > 0 ? timeout_ms : 30000);
    unsigned pending = required | optional;
    for (;;) {
        bool waiting_required = false;
        for (int k = 0; k < RES_KIND_COUNT; k++) {
            unsigned bit = 1u << k;
            client_freshness f;
            if (!(pending & bit) || !client_freshness_get(c, (res_kind)k, &f))
                continue;
            if (f.state == FRESH_OFF || f.relists > 0) { /* not watched, or listed once */
                pending &= ~bit;
                continue;
            }
            bool failed = f.state == FRESH_ERROR || f.state == FRESH_FORBIDDEN;
            if (failed && !failure_is_transient(&f)) {
                if (!(required & bit)) {
                    pending &= ~bit; /* a kind the output can do without */
                    continue;
                }
                set_err(err, errlen, "%s: %s", res_kind_name((res_kind)k), failure_words(&f));
                return failure_is_credentials(&f) ? ONCE_READ_CREDENTIALS : ONCE_READ_FAILED;
            }
            if (required & bit)
                waiting_required = true;
        }
        if (!pending)
            return ONCE_READ_OK;
        int64_t left = end - now_ms_monotonic();
        if (left <= 0) {
            if (!waiting_required)
                return ONCE_READ_OK; /* only optional kinds are late */
            /* "still failing after 30 s of retries (HostedCluster, Pod): server error 503: ..." */
            buf kinds = BUF_INIT;
            client_freshness first = {0};
            bool any_error = false;
            for (int k = 0; k < RES_KIND_COUNT; k++) {
                client_freshness f;
                if (!(pending & required & (1u << k)) || !client_freshness_get(c, (res_kind)k, &f))
                    continue;
                buf_printf(&kinds, "%s%s", kinds.len ? ", " : "", res_kind_name((res_kind)k));
                if (f.state == FRESH_ERROR && !any_error) {
                    first = f;
                    any_error = true;
                }
            }
            int secs = (int)((now_ms_monotonic() - start + 500) / 1000);
            if (any_error)
                set_err(err, errlen, "still failing after %d s of retries (%s): %s", secs, buf_str(&kinds),
                        failure_words(&first));
            else
                set_err(err, errlen, "no answer to the first list of %s after %d s", buf_str(&kinds), secs);
            buf_free(&kinds);
            return ONCE_READ_FAILED;
        }
        if (client_poll(c, -1, left > 200 ? 200 : (int)left, NULL) != 0) {
            set_err(err, errlen, "the network layer failed");
            return ONCE_READ_FAILED;
        }
    }
}
