/* Fault injection for the simulator (--faults SPEC and PUT /hcpsim/v1/faults). A real kube-apiserver
 * has nothing like it: it exists so that tests can prove a client copes with a slow, failing or
 * misbehaving server.
 *
 * Grammar (items separated by commas; spaces around items are ignored):
 *   latency=DUR[@P]          add DUR (Go duration: 200ms, 2s) before answering, to a share P of requests
 *   error=CODE@P[:retry-after=S]   answer a Status error instead: CODE is 429, 500, 502, 503 or 504;
 *                            429 always sends Retry-After (default 1 s); the shares of all error items add up to at most 1
 *   drop-watch=DUR           cut every watch stream (no final chunk) DUR after it started
 *   stall-watch@P            a share P of watches stay open but send nothing until their timeout
 *   truncate@P               the body stops half-way and the connection closes
 *   malformed@P              the body is complete but is not valid JSON
 *   reset@P                  the connection closes without any response
 *   only=METHOD[|METHOD...]  faults apply only to these methods (GET, POST, PUT, PATCH, DELETE)
 *   path=GLOB                faults apply only to paths matching GLOB ('*' matches anything,
 *                            '/' included); repeat to allow several
 * P is a share: 0.1, .25, 1 or 10%. The draws come from one generator seeded by --seed, so a
 * sequence of requests meets the same faults on every run. The empty spec means no faults. */
#ifndef HCP_SIM_FAULTS_H
#define HCP_SIM_FAULTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_FAULTS_MAX_SPEC 4096
#define SIM_FAULTS_MAX_ERRORS 8
#define SIM_FAULTS_MAX_PATHS 8

enum {
    SIM_FAULT_GET = 1u << 0,
    SIM_FAULT_POST = 1u << 1,
    SIM_FAULT_PUT = 1u << 2,
    SIM_FAULT_PATCH = 1u << 3,
    SIM_FAULT_DELETE = 1u << 4,
};

typedef struct sim_fault_error {
    int code;
    double p;
    int retry_after_s; /* 0: no Retry-After header */
} sim_fault_error;

/* The parsed spec. Fields are public so that tests and docs can see what a spec means. */
typedef struct sim_faults {
    int64_t latency_ms;
    double latency_p;
    sim_fault_error errors[SIM_FAULTS_MAX_ERRORS];
    size_t n_errors;
    int64_t drop_watch_ms; /* 0: never */
    double stall_watch_p, truncate_p, malformed_p, reset_p;
    unsigned methods; /* SIM_FAULT_* bits; 0 = every method */
    char *paths[SIM_FAULTS_MAX_PATHS];
    size_t n_paths;
    char *spec; /* the text it was parsed from */
    uint64_t rng;
    pthread_mutex_t lock; /* guards rng */
} sim_faults;

/* What to do to one request. */
typedef struct sim_fault_plan {
    int64_t latency_ms;
    int error_code; /* 0: none */
    int retry_after_s;
    bool reset, truncate, malformed; /* plain responses */
    bool stall_watch;                /* watches */
    int64_t drop_watch_ms;
} sim_fault_plan;

/* NULL + a clear message in err when the spec is bad. spec NULL or "" gives an empty (no-op) set. */
sim_faults *sim_faults_parse(const char *spec, uint64_t seed, char *err, size_t errlen);
void sim_faults_free(sim_faults *f);
/* True when the spec does nothing at all. */
bool sim_faults_empty(const sim_faults *f);
/* Decides (thread-safe) the faults for one request. f NULL: none. */
sim_fault_plan sim_faults_decide(sim_faults *f, const char *method, const char *path, bool watch);
/* '*' globbing, as path= uses it. */
bool sim_glob_match(const char *glob, const char *s);

#endif
