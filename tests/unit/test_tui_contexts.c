/* Unit tests for tui/contexts: context names from kubeconfig text (the --demo :ctx completion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "client/kubeconfig.h"
#include "tui/contexts.h"

static int names_of(const char *yaml, char ***v, size_t *n, char *err, size_t errlen)
{
    return contexts_from_text(yaml, yaml ? strlen(yaml) : 0, v, n, err, errlen);
}

static void test_contexts_real(void **state)
{
    (void)state;
    /* the shape hcpsim writes */
    const char *yaml = "apiVersion: v1\n"
                       "kind: Config\n"
                       "clusters:\n"
                       "- name: hcpsim\n"
                       "  cluster:\n"
                       "    server: https://127.0.0.1:1\n"
                       "contexts:\n"
                       "- name: hcpsim\n"
                       "  context:\n"
                       "    cluster: hcpsim\n"
                       "    user: hcpsim-admin\n"
                       "- name: hcpsim-token\n"
                       "  context: {cluster: hcpsim, user: hcpsim-admin-token}\n"
                       "current-context: hcpsim\n";
    char **v;
    size_t n;
    char err[256];
    assert_int_equal(names_of(yaml, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "hcpsim");
    assert_string_equal(v[1], "hcpsim-token");
    assert_null(v[2]);
    kube_strv_free(v, n);

    /* no contexts at all: an empty list, not an error */
    assert_int_equal(names_of("apiVersion: v1\nkind: Config\n", &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    kube_strv_free(v, n);
    assert_int_equal(names_of("contexts: []\n", &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    kube_strv_free(v, n);
}

static void test_contexts_hostile(void **state)
{
    (void)state;
    char **v;
    size_t n;
    char err[256];
    /* not YAML, not a map, contexts not a list */
    assert_int_equal(names_of("contexts: [a, {", &v, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "kubeconfig: line"));
    assert_null(v);
    assert_int_equal(names_of("- a\n- b\n", &v, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "must be a map, got a list"));
    assert_int_equal(names_of("contexts: prod\n", &v, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "contexts must be a list"));
    assert_int_equal(names_of(NULL, &v, &n, err, sizeof err), -1);
    assert_int_equal(names_of("", &v, &n, err, sizeof err), -1);

    /* unusable entries are skipped, duplicates listed once, the rest kept in order */
    const char *yaml = "contexts:\n"
                       "- name: b\n"
                       "- just a string\n"
                       "- name: [x, y]\n"
                       "- name: ~\n"
                       "- name: \"\"\n"
                       "- name: \"bad\\x1b[31m\"\n"
                       "- name: \"nul\\0inside\"\n"
                       "- context: {cluster: c}\n"
                       "- name: a\n"
                       "- name: b\n"
                       "- name: \"null\"\n";
    assert_int_equal(names_of(yaml, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "b");
    assert_string_equal(v[1], "a");
    assert_string_equal(v[2], "null"); /* quoted: a name, not a null */
    kube_strv_free(v, n);

    /* an alias bomb costs nothing and yields the names once */
    const char *bomb = "x: &a {name: boom}\n"
                       "contexts: [*a, *a, *a, *a]\n";
    assert_int_equal(names_of(bomb, &v, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "boom");
    kube_strv_free(v, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contexts_real),
        cmocka_unit_test(test_contexts_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
