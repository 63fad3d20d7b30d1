/* The printer columns' JSONPath subset (sim/jsonpath.c): the first-match rule, filters, indexes, and
 * malformed paths that must answer nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "sim/jsonpath.h"
#include "tests/unit/sim_hc_fixture.h"

static void test_jsonpath(void **state)
{
    (void)state;
    cJSON *o = cJSON_Parse(hc_json);
    const cJSON *v;
    v = sim_jsonpath_first(o, ".status.version.history[?(@.state==\"Completed\")].version");
    assert_string_equal(v->valuestring, "4.16.9"); /* the first match only */
    v = sim_jsonpath_first(o, ".status.version.history[?(@.state!=\"\")].state");
    assert_string_equal(v->valuestring, "Partial");
    v = sim_jsonpath_first(o, ".status.version.history[0].state");
    assert_string_equal(v->valuestring, "Partial");
    v = sim_jsonpath_first(o, ".status.version.history[2].version");
    assert_string_equal(v->valuestring, "4.16.1");
    v = sim_jsonpath_first(o, ".status.conditions[?(@.type==\"Available\")].message");
    assert_string_equal(v->valuestring, "waiting");
    v = sim_jsonpath_first(o, "{.spec.replicas}");
    assert_int_equal(v->valueint, 3);
    v = sim_jsonpath_first(o, ".status.version.history[*].version");
    assert_string_equal(v->valuestring, "4.17.2");
    /* an element without the key matches neither == nor != */
    v = sim_jsonpath_first(o, ".status.conditions[?(@.type!=\"Progressing\")].status");
    assert_string_equal(v->valuestring, "False");
    assert_null(sim_jsonpath_first(o, ".status.version.history[9].state"));
    assert_null(sim_jsonpath_first(o, ".status.conditions[?(@.type==\"Degraded\")].status"));
    assert_null(sim_jsonpath_first(o, ".spec.missing"));
    assert_null(sim_jsonpath_first(o, ".spec.replicas.deeper"));
    /* malformed paths answer nothing rather than crash */
    const char *bad[] = {"status", ".", "..status", ".status[", ".status.conditions[?(@.type==\"x)]",
                         ".status.conditions[?(@type==\"x\")]", ".status.conditions[?(@.type~\"x\")]",
                         ".status.conditions[-1]", ".status.conditions[99999999]", "{", "}", "[0]", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sim_jsonpath_first(o, bad[i]) && strcmp(bad[i], "") != 0)
            fail_msg("malformed path \"%s\" matched", bad[i]);
    assert_null(sim_jsonpath_first(o, NULL));
    /* deep nesting stops at the depth limit */
    char deep[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(deep, ".a");
    assert_null(sim_jsonpath_first(o, deep));
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
