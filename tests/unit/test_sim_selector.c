/* Unit tests for label and field selectors: every operator, whitespace, the apiserver's error wording,
 * hostile input, and the fields each kind supports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "sim/selector.h"

static cJSON *with_labels(const char *labels_json)
{
    buf b = BUF_INIT;
    buf_printf(&b, "{\"metadata\":{\"name\":\"x\",\"labels\":%s}}", labels_json);
    cJSON *o = cJSON_Parse(buf_str(&b));
    buf_free(&b);
    assert_non_null(o);
    return o;
}

/* Parses sel (must succeed) and tells whether it selects an object with these labels. */
static bool sel_matches(const char *sel, const char *labels_json)
{
    char err[512] = "";
    sim_label_selector *ls = sim_label_selector_parse(sel, err, sizeof err);
    if (!ls)
        fail_msg("selector \"%s\" did not parse: %s", sel, err);
    cJSON *o = with_labels(labels_json);
    bool m = sim_label_selector_matches(ls, o);
    cJSON_Delete(o);
    sim_label_selector_free(ls);
    return m;
}

/* Parses sel, which must fail, and returns the message (static buffer). */
static const char *sel_error(const char *sel)
{
    static char err[512];
    err[0] = '\0';
    sim_label_selector *ls = sim_label_selector_parse(sel, err, sizeof err);
    if (ls)
        fail_msg("selector \"%.80s\" parsed but should not", sel);
    assert_true(err[0] != '\0');
    return err;
}

static void test_label_operators(void **state)
{
    (void)state;
    const char *l = "{\"app\":\"etcd\",\"tier\":\"db\",\"n\":\"7\"}";
    assert_true(sel_matches("app=etcd", l));
    assert_true(sel_matches("app==etcd", l));
    assert_false(sel_matches("app=web", l));
    assert_true(sel_matches("app!=web", l));
    assert_false(sel_matches("app!=etcd", l));
    assert_true(sel_matches("missing!=x", l)); /* != selects objects without the label too */
    assert_true(sel_matches("app in (web, etcd)", l));
    assert_false(sel_matches("app in (web,api)", l));
    assert_true(sel_matches("app notin (web,api)", l));
    assert_false(sel_matches("app notin (etcd)", l));
    assert_true(sel_matches("missing notin (etcd)", l));
    assert_false(sel_matches("missing in (etcd)", l));
    assert_true(sel_matches("app", l));
    assert_false(sel_matches("missing", l));
    assert_true(sel_matches("!missing", l));
    assert_false(sel_matches("!app", l));
    assert_true(sel_matches("n>5", l));
    assert_false(sel_matches("n<5", l));
    assert_false(sel_matches("app>5", l)); /* not a number: no match */
    assert_true(sel_matches("app=etcd,tier=db", l));
    assert_false(sel_matches("app=etcd,tier=web", l));
    assert_true(sel_matches("", l));
    assert_true(sel_matches("tier in (db),!missing,app", l));
    /* "k=" is the empty value; "in" is an ordinary word as a value */
    assert_true(sel_matches("e=", "{\"e\":\"\"}"));
    assert_false(sel_matches("e=", l));
    assert_true(sel_matches("k in (in, notin)", "{\"k\":\"notin\"}"));
    assert_true(sel_matches("k in (,a)", "{\"k\":\"\"}"));
    /* prefixed keys */
    assert_true(sel_matches("hypershift.openshift.io/hosted-control-plane=clusters-a",
                            "{\"hypershift.openshift.io/hosted-control-plane\":\"clusters-a\"}"));
    /* no labels at all */
    cJSON *bare = cJSON_Parse("{\"metadata\":{\"name\":\"x\"}}");
    char err[256];
    sim_label_selector *ls = sim_label_selector_parse("!a,b!=c", err, sizeof err);
    assert_non_null(ls);
    assert_true(sim_label_selector_matches(ls, bare));
    sim_label_selector_free(ls);
    ls = sim_label_selector_parse("a", err, sizeof err);
    assert_false(sim_label_selector_matches(ls, bare));
    sim_label_selector_free(ls);
    cJSON_Delete(bare);
    /* NULL selects everything */
    assert_true(sim_label_selector_matches(NULL, NULL));
}

static void test_label_whitespace(void **state)
{
    (void)state;
    const char *l = "{\"app\":\"etcd\",\"tier\":\"db\"}";
    assert_true(sel_matches("  app = etcd  ", l));
    assert_true(sel_matches("app\t==\tetcd ,\n tier != web", l));
    assert_true(sel_matches("app in(etcd)", l));
    assert_true(sel_matches("app in ( a , etcd )", l));
    assert_true(sel_matches(" ! missing ", l));
}

static void test_label_errors(void **state)
{
    (void)state;
    assert_string_equal(sel_error("app in (a"), "unable to parse requirement: found '', expected: ',' or ')'");
    assert_string_equal(sel_error("app in a)"), "unable to parse requirement: found 'a' expected: '('");
    assert_string_equal(sel_error("app notin"), "unable to parse requirement: found '' expected: '('");
    assert_string_equal(sel_error("=x"), "found '=', expected: !, identifier, or 'end of string'");
    assert_string_equal(sel_error("app=x,"), "found '', expected: identifier after ','");
    assert_string_equal(sel_error("app=x y"), "found 'y', expected: ',' or 'end of string'");
    assert_string_equal(sel_error("app x"), "unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, gt, lt");
    assert_string_equal(sel_error(")"), "found ')', expected: !, identifier, or 'end of string'");
    assert_string_equal(sel_error("app in (a))"), "found ')', expected: ',' or 'end of string'");
    assert_string_equal(sel_error("app in ((a)"), "unable to parse requirement: found '(', expected: ',', ')' or identifier");
    assert_string_equal(sel_error("app=(x)"), "unable to parse requirement: found '(', expected: identifier");
    assert_string_equal(sel_error("!"), "unable to parse requirement: found '', expected: identifier");
    assert_true(sel_matches("in=x", "{\"in\":\"x\"}")); /* a keyword is a key in key position, as upstream */
    assert_true(sel_matches("in in (x)", "{\"in\":\"x\"}"));
    assert_non_null(strstr(sel_error("n>x"), "the value must be an integer"));
    assert_non_null(strstr(sel_error("-bad=x"), "unable to parse requirement: key: Invalid value: \"-bad\""));
    assert_non_null(strstr(sel_error("a=-bad-"), "a valid label must be an empty string"));
    assert_non_null(strstr(sel_error("Bad_Prefix/x=y"), "prefix part"));
    assert_non_null(strstr(sel_error("p/=y"), "name part must be non-empty"));
    assert_non_null(strstr(sel_error("a,,b"), "expected: identifier after ','"));
    assert_non_null(strstr(sel_error("a<=3"), "unable to parse requirement"));
}

static void test_label_hostile(void **state)
{
    (void)state;
    /* 10 KB key and value: refused with a short message, no overflow */
    size_t n = 10 * 1024;
    char *big = malloc(n + 8);
    memset(big, 'a', n);
    big[n] = '\0';
    const char *e = sel_error(big);
    assert_non_null(strstr(e, "name part must be no more than 63 characters"));
    assert_true(strlen(e) < 512);
    memcpy(big, "k=", 2);
    assert_non_null(strstr(sel_error(big), "must be no more than 63 characters"));
    memcpy(big, "k in (", 6); /* and no closing paren */
    sel_error(big);
    free(big);
    /* deep parentheses, unbalanced */
    sel_error("((((((((((");
    sel_error("a in (b,(c))");
    sel_error("a notin ()x");
    /* non-ASCII is not a label character */
    assert_non_null(strstr(sel_error("app=\xc3\xa9tcd"), "a valid label"));
    assert_non_null(strstr(sel_error("\xe2\x98\x83=x"), "key: Invalid value"));
    /* control characters and a lone backslash */
    sel_error("a=\x01");
    sel_error("a=\\");
    /* "()" is the empty value set: valid and selects the empty label */
    assert_true(sel_matches("k in ()", "{\"k\":\"\"}"));
    /* error buffer of size 0 or NULL is fine */
    assert_null(sim_label_selector_parse("a in (", NULL, 0));
}

/* ---- field selectors ------------------------------------------------------------------------------ */

static bool field_matches(sim_kind_id id, const char *sel, const char *obj_json)
{
    char err[256] = "";
    sim_field_selector *fs = sim_field_selector_parse(sim_kind_get(id), sel, err, sizeof err);
    if (!fs)
        fail_msg("field selector \"%s\" did not parse: %s", sel, err);
    cJSON *o = cJSON_Parse(obj_json);
    assert_non_null(o);
    bool m = sim_field_selector_matches(fs, o);
    cJSON_Delete(o);
    sim_field_selector_free(fs);
    return m;
}

static const char *field_error(sim_kind_id id, const char *sel)
{
    static char err[256];
    err[0] = '\0';
    sim_field_selector *fs = sim_field_selector_parse(sim_kind_get(id), sel, err, sizeof err);
    if (fs)
        fail_msg("field selector \"%.80s\" parsed but should not", sel);
    return err;
}

static void test_field_selectors(void **state)
{
    (void)state;
    const char *pod = "{\"metadata\":{\"name\":\"etcd-0\",\"namespace\":\"clusters-a\"},"
                      "\"spec\":{\"nodeName\":\"node-1\"},\"status\":{\"phase\":\"Running\"}}";
    assert_true(field_matches(SIM_POD, "metadata.name=etcd-0", pod));
    assert_true(field_matches(SIM_POD, "metadata.name==etcd-0", pod));
    assert_false(field_matches(SIM_POD, "metadata.name!=etcd-0", pod));
    assert_true(field_matches(SIM_POD, "metadata.namespace=clusters-a,status.phase=Running", pod));
    assert_false(field_matches(SIM_POD, "metadata.namespace=clusters-a,status.phase!=Running", pod));
    assert_true(field_matches(SIM_POD, "spec.nodeName=node-1", pod));
    assert_true(field_matches(SIM_POD, " spec.nodeName = node-1 ", pod));
    assert_true(field_matches(SIM_POD, "", pod));
    assert_true(field_matches(SIM_POD, "status.podIP=", pod)); /* a missing field is the empty string */
    assert_false(field_matches(SIM_POD, "status.podIP!=", pod));
    /* escapes */
    assert_true(field_matches(SIM_CONFIGMAP, "metadata.name=a\\,b\\=c\\\\", "{\"metadata\":{\"name\":\"a,b=c\\\\\"}}"));
    /* events */
    const char *ev = "{\"metadata\":{\"name\":\"e1\",\"namespace\":\"n\"},\"involvedObject\":{\"kind\":\"HostedCluster\","
                     "\"namespace\":\"clusters\",\"name\":\"a\",\"uid\":\"u-1\"},\"reason\":\"Upgrade\",\"type\":\"Warning\"}";
    assert_true(field_matches(SIM_EVENT, "involvedObject.kind=HostedCluster,involvedObject.name=a", ev));
    assert_true(field_matches(SIM_EVENT, "involvedObject.namespace=clusters,involvedObject.uid=u-1", ev));
    assert_true(field_matches(SIM_EVENT, "reason=Upgrade,type!=Normal", ev));
    assert_false(field_matches(SIM_EVENT, "type=Normal", ev));
    /* errors */
    assert_string_equal(field_error(SIM_HOSTEDCLUSTER, "spec.nodeName=x"), "field label not supported: spec.nodeName");
    assert_string_equal(field_error(SIM_HOSTEDCLUSTER, "status.phase=x"), "field label not supported: status.phase");
    assert_string_equal(field_error(SIM_POD, "reason=x"), "field label not supported: reason");
    assert_string_equal(field_error(SIM_EVENT, "spec.nodeName=x"), "field label not supported: spec.nodeName");
    assert_string_equal(field_error(SIM_POD, "metadata.name"),
                        "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    assert_non_null(strstr(field_error(SIM_POD, "metadata.name=a\\x"), "invalid escape sequence"));
    assert_non_null(strstr(field_error(SIM_POD, "metadata.name=a\\"), "unterminated escape sequence"));
    /* hostile: 10 KB of field name */
    char *big = malloc(10 * 1024 + 8);
    memset(big, 'f', 10 * 1024);
    strcpy(big + 10 * 1024, "=x");
    const char *e = field_error(SIM_POD, big);
    assert_non_null(strstr(e, "field label not supported: ffff"));
    assert_true(strlen(e) < 256);
    free(big);
    assert_true(sim_field_selector_matches(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_operators), cmocka_unit_test(test_label_whitespace),
        cmocka_unit_test(test_label_errors),    cmocka_unit_test(test_label_hostile),
        cmocka_unit_test(test_field_selectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
