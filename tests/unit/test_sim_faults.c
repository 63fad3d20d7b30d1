/* Unit tests for sim/faults.c: the --faults grammar (good, bad, hostile) and the decisions it makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sim/faults.h"

static sim_faults *parse_ok(const char *spec)
{
    char err[256] = "";
    sim_faults *f = sim_faults_parse(spec, 42, err, sizeof err);
    if (!f)
        fail_msg("spec \"%s\" rejected: %s", spec, err);
    return f;
}

/* The spec must be rejected with a message that contains want. */
static void parse_bad(const char *spec, const char *want)
{
    char err[256] = "";
    sim_faults *f = sim_faults_parse(spec, 42, err, sizeof err);
    if (f) {
        sim_faults_free(f);
        fail_msg("spec \"%s\" accepted", spec);
    }
    if (!strstr(err, want))
        fail_msg("spec \"%s\": error \"%s\" lacks \"%s\"", spec, err, want);
}

static void test_full_spec(void **state)
{
    (void)state;
    sim_faults *f = parse_ok("latency=200ms,error=500@0.1,error=503@0.05,error=429@10%:retry-after=2,"
                             "drop-watch=20s,stall-watch@0.2,truncate@0.05,malformed@.05,reset@0.02,"
                             "only=GET|PATCH,path=/apis/hyper*");
    assert_int_equal(f->latency_ms, 200);
    assert_true(f->latency_p == 1.0);
    assert_int_equal(f->n_errors, 3);
    assert_int_equal(f->errors[0].code, 500);
    assert_true(f->errors[0].p == 0.1);
    assert_int_equal(f->errors[0].retry_after_s, 0);
    assert_int_equal(f->errors[2].code, 429);
    assert_true(f->errors[2].p == 0.1);
    assert_int_equal(f->errors[2].retry_after_s, 2);
    assert_int_equal(f->drop_watch_ms, 20000);
    assert_true(f->stall_watch_p == 0.2);
    assert_true(f->truncate_p == 0.05);
    assert_true(f->malformed_p == 0.05);
    assert_true(f->reset_p == 0.02);
    assert_int_equal(f->methods, SIM_FAULT_GET | SIM_FAULT_PATCH);
    assert_int_equal(f->n_paths, 1);
    assert_string_equal(f->paths[0], "/apis/hyper*");
    assert_false(sim_faults_empty(f));
    sim_faults_free(f);
}

static void test_empty_and_spaces(void **state)
{
    (void)state;
    sim_faults *f = parse_ok("");
    assert_true(sim_faults_empty(f));
    sim_fault_plan p = sim_faults_decide(f, "GET", "/api", false);
    assert_int_equal(p.error_code, 0);
    assert_false(p.reset);
    sim_faults_free(f);
    f = parse_ok("  \n");
    assert_true(sim_faults_empty(f));
    sim_faults_free(f);
    f = sim_faults_parse(NULL, 1, NULL, 0);
    assert_non_null(f);
    sim_faults_free(f);
    f = parse_ok(" latency=1s@50% , error=429@1 ");
    assert_int_equal(f->latency_ms, 1000);
    assert_true(f->latency_p == 0.5);
    assert_int_equal(f->errors[0].retry_after_s, 1); /* 429 always carries Retry-After */
    sim_faults_free(f);
    /* only= and path= alone scope nothing: still empty */
    f = parse_ok("only=GET,path=/api*");
    assert_true(sim_faults_empty(f));
    sim_faults_free(f);
}

static void test_bad_specs(void **state)
{
    (void)state;
    parse_bad("bogus=1", "unknown item \"bogus\"");
    parse_bad("bogus@0.1", "unknown item \"bogus@...\"");
    parse_bad("latency", "not NAME=VALUE");
    parse_bad("latency=fast", "not a duration");
    parse_bad("latency=-5s", "not a duration");
    parse_bad("latency=2h", "not a duration");
    parse_bad("latency=1s@2", "not a share");
    parse_bad("error=500", "expected error=CODE@SHARE");
    parse_bad("error=404@0.1", "code must be 429");
    parse_bad("error=abc@0.1", "code must be 429");
    parse_bad("error=500@1.5", "not a share");
    parse_bad("error=500@-0.1", "not a share");
    parse_bad("error=500@", "not a share");
    parse_bad("error=500@0.1:retry=2", "retry-after=SECONDS");
    parse_bad("error=429@0.1:retry-after=x", "retry-after=SECONDS");
    parse_bad("error=429@0.1:retry-after=99999", "retry-after=SECONDS");
    parse_bad("error=500@0.6,error=503@0.5", "add up to more than 1");
    parse_bad("drop-watch=0s", "between 1ms and 1h");
    parse_bad("truncate@", "not a share");
    parse_bad("reset@101%", "not a share");
    parse_bad("malformed@0.1.2", "not a share");
    parse_bad("stall-watch@1e-3", "not a share");
    parse_bad("only=GET|FETCH", "unknown method \"FETCH\"");
    parse_bad("only=", "unknown method");
    parse_bad("path=apis", "must start with '/'");
    parse_bad("latency=1s,,reset@0.1", "empty item");
    parse_bad("reset@0.1,", "empty item");
}

static void test_hostile_specs(void **state)
{
    (void)state;
    char *big = malloc(SIM_FAULTS_MAX_SPEC + 2);
    memset(big, 'a', SIM_FAULTS_MAX_SPEC + 1);
    big[SIM_FAULTS_MAX_SPEC + 1] = '\0';
    parse_bad(big, "longer than");
    free(big);
    parse_bad("latency=1s\x1b[2J", "control character");
    char many[512] = "";
    for (int i = 0; i < SIM_FAULTS_MAX_ERRORS + 1; i++)
        strcat(many, i ? ",error=500@0.01" : "error=500@0.01");
    parse_bad(many, "at most");
    parse_bad("error=500@0.000000000000000000000000000000000000000000000000000000000000000001", "too long");
    parse_bad("latency=99999999999999999999h", "not a duration");
    parse_bad("=", "unknown item");
    parse_bad("@", "unknown item");
    parse_bad("path=/a,path=/b,path=/c,path=/d,path=/e,path=/f,path=/g,path=/h,path=/i", "at most");
}

static void test_glob(void **state)
{
    (void)state;
    assert_true(sim_glob_match("/apis/hyper*", "/apis/hypershift.openshift.io/v1beta1"));
    assert_true(sim_glob_match("*", ""));
    assert_true(sim_glob_match("/api/v1/*/pods", "/api/v1/namespaces/x/pods"));
    assert_true(sim_glob_match("*log", "/api/v1/namespaces/x/pods/p/log"));
    assert_false(sim_glob_match("/apis/hyper*", "/api/v1"));
    assert_false(sim_glob_match("/api", "/api/v1"));
    assert_false(sim_glob_match("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

/* The decisions: scope, shares, and the same sequence for the same seed. */
static void test_decide(void **state)
{
    (void)state;
    sim_faults *f = parse_ok("error=503@1,only=PATCH,path=/apis/*");
    assert_int_equal(sim_faults_decide(f, "PATCH", "/apis/x", false).error_code, 503);
    assert_int_equal(sim_faults_decide(f, "GET", "/apis/x", false).error_code, 0);
    assert_int_equal(sim_faults_decide(f, "PATCH", "/api/v1", false).error_code, 0);
    assert_int_equal(sim_faults_decide(NULL, "PATCH", "/apis/x", false).error_code, 0);
    sim_faults_free(f);

    f = parse_ok("drop-watch=5s,stall-watch@1,truncate@1,latency=10ms");
    sim_fault_plan w = sim_faults_decide(f, "GET", "/api/v1/pods", true);
    assert_true(w.stall_watch);
    assert_int_equal(w.drop_watch_ms, 5000);
    assert_false(w.truncate); /* body faults are for plain responses */
    assert_int_equal(w.latency_ms, 10);
    sim_fault_plan g = sim_faults_decide(f, "GET", "/api/v1/pods", false);
    assert_true(g.truncate);
    assert_false(g.stall_watch);
    assert_int_equal(g.drop_watch_ms, 0);
    sim_faults_free(f);

    /* About the share asked for, and deterministic from the seed. */
    char err[64];
    sim_faults *a = sim_faults_parse("error=500@0.25,reset@0.1", 7, err, sizeof err);
    sim_faults *b = sim_faults_parse("error=500@0.25,reset@0.1", 7, err, sizeof err);
    sim_faults *c = sim_faults_parse("error=500@0.25,reset@0.1", 8, err, sizeof err);
    int errors = 0, resets = 0, same_ab = 0, same_ac = 0;
    for (int i = 0; i < 4000; i++) {
        sim_fault_plan pa = sim_faults_decide(a, "GET", "/api", false);
        sim_fault_plan pb = sim_faults_decide(b, "GET", "/api", false);
        sim_fault_plan pc = sim_faults_decide(c, "GET", "/api", false);
        errors += pa.error_code == 500;
        resets += pa.reset;
        same_ab += pa.error_code == pb.error_code && pa.reset == pb.reset;
        same_ac += pa.error_code == pc.error_code && pa.reset == pc.reset;
    }
    assert_in_range(errors, 850, 1150);
    assert_in_range(resets, 300, 500);
    assert_int_equal(same_ab, 4000);
    assert_true(same_ac < 4000);
    sim_faults_free(a);
    sim_faults_free(b);
    sim_faults_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_spec), cmocka_unit_test(test_empty_and_spaces), cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_hostile_specs), cmocka_unit_test(test_glob), cmocka_unit_test(test_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
