#include "sim/faults.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/timeutil.h"

/* A share: "0.1", ".5", "1", "0", or "10%" / "2.5%". */
static bool parse_share(const char *s, double *out)
{
    if (!*s || strspn(s, "0123456789.%") != strlen(s))
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s)
        return false;
    if (*end == '%') {
        v /= 100.0;
        end++;
    }
    if (*end || !(v >= 0.0 && v <= 1.0))
        return false;
    *out = v;
    return true;
}

static bool parse_uint(const char *s, long max, long *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
        return false;
    long v = strtol(s, NULL, 10);
    if (v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_duration(const char *s, int64_t *ms)
{
    /* At most an hour: longer is a typo, and keeps sleeps and sums far from overflow. */
    return duration_parse_ms(s, ms) && *ms >= 0 && *ms <= 3600 * 1000;
}

static bool parse_methods(sim_faults *f, const char *list, char *err, size_t errlen)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"GET", SIM_FAULT_GET}, {"POST", SIM_FAULT_POST}, {"PUT", SIM_FAULT_PUT},
        {"PATCH", SIM_FAULT_PATCH}, {"DELETE", SIM_FAULT_DELETE},
    };
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, "|");
        bool found = false;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && strncmp(names[i].name, p, n) == 0) {
                f->methods |= names[i].bit;
                found = true;
            }
        if (!found)
            return set_err(err, errlen, "faults: only=%s: unknown method \"%.*s\" (GET, POST, PUT, PATCH, DELETE)",
                           list, (int)n, p),
                   false;
        if (!p[n])
            return true;
        p += n + 1;
    }
}

/* error=CODE@P[:retry-after=S] */
static bool parse_error(sim_faults *f, const char *v, char *err, size_t errlen)
{
    if (f->n_errors == SIM_FAULTS_MAX_ERRORS)
        return set_err(err, errlen, "faults: at most %d error items", SIM_FAULTS_MAX_ERRORS), false;
    char tmp[64];
    if (strlen(v) >= sizeof tmp)
        return set_err(err, errlen, "faults: error=%.40s...: too long", v), false;
    strcpy(tmp, v);
    char *at = strchr(tmp, '@');
    if (!at)
        return set_err(err, errlen, "faults: error=%s: expected error=CODE@SHARE, e.g. error=503@0.1", v), false;
    *at = '\0';
    char *share = at + 1;
    char *opt = strchr(share, ':');
    if (opt)
        *opt++ = '\0';
    long code;
    if (!parse_uint(tmp, 999, &code) || (code != 429 && code != 500 && code != 502 && code != 503 && code != 504))
        return set_err(err, errlen, "faults: error=%s: code must be 429, 500, 502, 503 or 504", v), false;
    sim_fault_error *e = &f->errors[f->n_errors];
    if (!parse_share(share, &e->p))
        return set_err(err, errlen, "faults: error=%s: \"%s\" is not a share between 0 and 1 (0.1 or 10%%)", v, share), false;
    e->code = (int)code;
    e->retry_after_s = code == 429 ? 1 : 0;
    if (opt) {
        long secs;
        if (strncmp(opt, "retry-after=", 12) != 0 || !parse_uint(opt + 12, 3600, &secs))
            return set_err(err, errlen, "faults: error=%s: expected :retry-after=SECONDS (0 to 3600)", v), false;
        e->retry_after_s = (int)secs;
    }
    double total = 0;
    for (size_t i = 0; i <= f->n_errors; i++)
        total += f->errors[i].p;
    if (total > 1.0 + 1e-9)
        return set_err(err, errlen, "faults: the error shares add up to more than 1"), false;
    f->n_errors++;
    return true;
}

/* The items of the form NAME@P. */
static double *share_slot(sim_faults *f, const char *name)
{
    if (strcmp(name, "stall-watch") == 0)
        return &f->stall_watch_p;
    if (strcmp(name, "truncate") == 0)
        return &f->truncate_p;
    if (strcmp(name, "malformed") == 0)
        return &f->malformed_p;
    if (strcmp(name, "reset") == 0)
        return &f->reset_p;
    return NULL;
}

static bool parse_item(sim_faults *f, char *item, char *err, size_t errlen)
{
    char *eq = strchr(item, '=');
    char *at = strchr(item, '@');
    if (at && (!eq || at < eq)) { /* NAME@P */
        *at = '\0';
        double *slot = share_slot(f, item);
        if (!slot)
            return set_err(err, errlen, "faults: unknown item \"%s@...\"", item), false;
        if (!parse_share(at + 1, slot))
            return set_err(err, errlen, "faults: %s@%s: not a share between 0 and 1 (0.1 or 10%%)", item, at + 1), false;
        return true;
    }
    if (!eq)
        return set_err(err, errlen, "faults: \"%s\" is not NAME=VALUE or NAME@SHARE", item), false;
    *eq = '\0';
    const char *name = item, *v = eq + 1;
    if (strcmp(name, "latency") == 0) {
        char tmp[64];
        if (strlen(v) >= sizeof tmp)
            return set_err(err, errlen, "faults: latency value too long"), false;
        strcpy(tmp, v);
        char *share = strchr(tmp, '@');
        if (share)
            *share++ = '\0';
        f->latency_p = 1.0;
        if (!parse_duration(tmp, &f->latency_ms))
            return set_err(err, errlen, "faults: latency=%s: not a duration up to 1h (200ms, 2s)", v), false;
        if (share && !parse_share(share, &f->latency_p))
            return set_err(err, errlen, "faults: latency=%s: \"%s\" is not a share between 0 and 1", v, share), false;
        return true;
    }
    if (strcmp(name, "error") == 0)
        return parse_error(f, v, err, errlen);
    if (strcmp(name, "drop-watch") == 0) {
        if (!parse_duration(v, &f->drop_watch_ms) || f->drop_watch_ms == 0)
            return set_err(err, errlen, "faults: drop-watch=%s: not a duration between 1ms and 1h", v), false;
        return true;
    }
    if (strcmp(name, "only") == 0)
        return parse_methods(f, v, err, errlen);
    if (strcmp(name, "path") == 0) {
        if (f->n_paths == SIM_FAULTS_MAX_PATHS)
            return set_err(err, errlen, "faults: at most %d path items", SIM_FAULTS_MAX_PATHS), false;
        if (v[0] != '/')
            return set_err(err, errlen, "faults: path=%s: must start with '/'", v), false;
        f->paths[f->n_paths++] = xstrdup(v);
        return true;
    }
    return set_err(err, errlen, "faults: unknown item \"%s\"", name), false;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

sim_faults *sim_faults_parse(const char *spec, uint64_t seed, char *err, size_t errlen)
{
    if (!spec)
        spec = "";
    if (strlen(spec) > SIM_FAULTS_MAX_SPEC) {
        set_err(err, errlen, "faults: the spec is longer than %d characters", SIM_FAULTS_MAX_SPEC);
        return NULL;
    }
    for (const char *p = spec; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            set_err(err, errlen, "faults: the spec contains a control character");
            return NULL;
        }
    sim_faults *f = xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    f->rng = seed ^ 0x9e3779b97f4a7c15ULL;
    char *copy = xstrdup(spec);
    f->spec = xstrdup(trim(copy));
    bool ok = true;
    if (f->spec[0]) {
        strcpy(copy, f->spec);
        /* strtok_r would skip empty items; an empty item is a mistake worth reporting. */
        char *p = copy;
        for (;;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            char *item = trim(p);
            if (!*item) {
                ok = false;
                set_err(err, errlen, "faults: empty item in \"%s\"", f->spec);
                break;
            }
            if (!(ok = parse_item(f, item, err, errlen)))
                break;
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    free(copy);
    if (!ok) {
        sim_faults_free(f);
        return NULL;
    }
    return f;
}

void sim_faults_free(sim_faults *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_paths; i++)
        free(f->paths[i]);
    free(f->spec);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

bool sim_faults_empty(const sim_faults *f)
{
    return !f || (f->latency_ms == 0 && f->n_errors == 0 && f->drop_watch_ms == 0 && f->stall_watch_p == 0 &&
                  f->truncate_p == 0 && f->malformed_p == 0 && f->reset_p == 0);
}

bool sim_glob_match(const char *glob, const char *s)
{
    /* Iterative matching with one backtrack point: linear-ish, no recursion on hostile globs. */
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*glob == '*') {
            star = glob++;
            resume = s;
        } else if (*glob == *s) {
            glob++;
            s++;
        } else if (star) {
            glob = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*glob == '*')
        glob++;
    return *glob == '\0';
}

/* splitmix64: small, fast, and the same sequence on every platform. */
static double next_share(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0; /* [0, 1) */
}

static unsigned method_bit(const char *m)
{
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
        return SIM_FAULT_GET;
    if (strcmp(m, "POST") == 0)
        return SIM_FAULT_POST;
    if (strcmp(m, "PUT") == 0)
        return SIM_FAULT_PUT;
    if (strcmp(m, "PATCH") == 0)
        return SIM_FAULT_PATCH;
    if (strcmp(m, "DELETE") == 0)
        return SIM_FAULT_DELETE;
    return 0;
}

static bool in_scope(const sim_faults *f, const char *method, const char *path)
{
    if (f->methods && !(f->methods & method_bit(method)))
        return false;
    if (f->n_paths == 0)
        return true;
    for (size_t i = 0; i < f->n_paths; i++)
        if (sim_glob_match(f->paths[i], path))
            return true;
    return false;
}

sim_fault_plan sim_faults_decide(sim_faults *f, const char *method, const char *path, bool watch)
{
    sim_fault_plan plan = {0};
    if (sim_faults_empty(f) || !in_scope(f, method, path))
        return plan;
    pthread_mutex_lock(&f->lock);
    /* Every draw is taken whatever the outcome, so one request's faults never shift the next one's. */
    double r_latency = next_share(&f->rng), r_error = next_share(&f->rng), r_reset = next_share(&f->rng);
    double r_body = next_share(&f->rng), r_stall = next_share(&f->rng);
    pthread_mutex_unlock(&f->lock);

    if (f->latency_ms && r_latency < f->latency_p)
        plan.latency_ms = f->latency_ms;
    double acc = 0;
    for (size_t i = 0; i < f->n_errors; i++) {
        acc += f->errors[i].p;
        if (r_error < acc) {
            plan.error_code = f->errors[i].code;
            plan.retry_after_s = f->errors[i].retry_after_s;
            break;
        }
    }
    plan.reset = r_reset < f->reset_p;
    if (watch) {
        plan.stall_watch = r_stall < f->stall_watch_p;
        plan.drop_watch_ms = f->drop_watch_ms;
    } else if (r_body < f->truncate_p) {
        plan.truncate = true;
    } else if (r_body < f->truncate_p + f->malformed_p) {
        plan.malformed = true;
    }
    return plan;
}
