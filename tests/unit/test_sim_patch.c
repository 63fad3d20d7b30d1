/* Unit tests for the patch engines: the RFC 7386 appendix, the RFC 6902 appendix and more, and the
 * strategic-merge subset (lists merged by name, $patch: delete). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "sim/patch.h"

/* Single quotes stand for double quotes, to keep the cases readable. */
static cJSON *J(const char *text)
{
    char *t = xstrdup(text);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    cJSON *j = cJSON_Parse(t);
    free(t);
    if (!j)
        fail_msg("bad JSON in test: %s", text);
    return j;
}

static void assert_json(const cJSON *got, const char *want_text)
{
    cJSON *want = J(want_text);
    if (!cJSON_Compare(got, want, true)) {
        char *g = cJSON_PrintUnformatted(got);
        fail_msg("got %s, want %s", g ? g : "(null)", want_text);
    }
    cJSON_Delete(want);
}

typedef struct pcase {
    const char *doc, *patch, *want; /* want NULL: the patch must fail */
} pcase;

static void test_merge_rfc7386(void **state)
{
    (void)state;
    static const pcase cases[] = {
        {"{'a':'b'}", "{'a':'c'}", "{'a':'c'}"},
        {"{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"},
        {"{'a':'b'}", "{'a':null}", "{}"},
        {"{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"},
        {"{'a':['b']}", "{'a':'c'}", "{'a':'c'}"},
        {"{'a':'c'}", "{'a':['b']}", "{'a':['b']}"},
        {"{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"},
        {"{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"},
        {"['a','b']", "['c','d']", "['c','d']"},
        {"{'a':'b'}", "['c']", "['c']"},
        {"{'a':'foo'}", "null", "null"},
        {"{'a':'foo'}", "'bar'", "'bar'"},
        {"{'e':null}", "{'a':1}", "{'e':null,'a':1}"},
        {"[1,2]", "{'a':'b','c':null}", "{'a':'b'}"},
        {"{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"},
        /* Kubernetes-shaped: nested maps merge, lists replace, null deletes an annotation */
        {"{'metadata':{'annotations':{'a':'1','b':'2'}},'spec':{'list':[1,2,3]}}",
         "{'metadata':{'annotations':{'a':null}},'spec':{'list':[4]}}",
         "{'metadata':{'annotations':{'b':'2'}},'spec':{'list':[4]}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *doc = J(cases[i].doc), *patch = J(cases[i].patch);
        cJSON *got = sim_merge_patch(doc, patch);
        assert_json(got, cases[i].want);
        cJSON_Delete(got);
        cJSON_Delete(patch);
    }
    /* NULL target */
    cJSON *patch = J("{'a':{'b':1}}");
    cJSON *got = sim_merge_patch(NULL, patch);
    assert_json(got, "{'a':{'b':1}}");
    cJSON_Delete(got);
    cJSON_Delete(patch);
    /* members keep their place */
    cJSON *doc = J("{'apiVersion':'v1','kind':'K','metadata':{'name':'x'},'spec':{'a':1},'status':{}}");
    patch = J("{'metadata':{'labels':{'l':'1'}},'spec':{'b':2}}");
    got = sim_merge_patch(doc, patch);
    const char *order[] = {"apiVersion", "kind", "metadata", "spec", "status"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(cJSON_GetArrayItem(got, i)->string, order[i]);
    cJSON_Delete(got);
    cJSON_Delete(patch);
}

static void run_json_cases(const pcase *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *doc = J(cases[i].doc), *ops = J(cases[i].patch);
        char err[256] = "";
        bool ok = sim_json_patch(&doc, ops, err, sizeof err);
        if (cases[i].want) {
            if (!ok)
                fail_msg("case %zu: %s failed: %s", i, cases[i].patch, err);
            assert_json(doc, cases[i].want);
        } else {
            if (ok)
                fail_msg("case %zu: %s should fail", i, cases[i].patch);
            assert_true(err[0] != '\0');
        }
        cJSON_Delete(doc);
        cJSON_Delete(ops);
    }
}

static void test_json_patch_rfc6902(void **state)
{
    (void)state;
    static const pcase cases[] = {
        /* A.1 - A.16 */
        {"{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}"},
        {"{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}"},
        {"{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}"},
        {"{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}"},
        {"{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}"},
        {"{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
         "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
         "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"},
        {"{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
         "{'foo':['all','cows','eat','grass']}"},
        {"{'baz':'qux','foo':['a',2,'c']}",
         "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
         "{'baz':'qux','foo':['a',2,'c']}"},
        {"{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]", NULL},
        {"{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
         "{'foo':'bar','child':{'grandchild':{}}}"},
        {"{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}"},
        {"{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]", NULL},
        {"{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}"},
        {"{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", NULL},
        {"{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}"},
        /* more */
        {"{'a':1}", "[{'op':'remove','path':'/b'}]", NULL},
        {"{'a':[1]}", "[{'op':'remove','path':'/a/1'}]", NULL},
        {"{'a':[1]}", "[{'op':'add','path':'/a/2','value':3}]", NULL},
        {"{'a':[1]}", "[{'op':'add','path':'/a/01','value':3}]", NULL},
        {"{'a':[1]}", "[{'op':'replace','path':'/a/-','value':3}]", NULL},
        {"{'a':1}", "[{'op':'replace','path':'/b','value':2}]", NULL},
        {"{'a':1}", "[{'op':'replace','path':'','value':[1]}]", "[1]"},
        {"{'a':1}", "[{'op':'add','path':'','value':{'b':2}}]", "{'b':2}"},
        {"{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}"},
        {"{'a':{'b':1}}", "[{'op':'copy','from':'/x','path':'/c'}]", NULL},
        {"{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", NULL},
        {"{'a':1}", "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}"},
        {"{'a':1}", "[{'op':'bogus','path':'/a'}]", NULL},
        {"{'a':1}", "[{'path':'/a'}]", NULL},
        {"{'a':1}", "[{'op':'add','value':1}]", NULL},
        {"{'a':1}", "[{'op':'add','path':'/b'}]", NULL},
        {"{'a':1}", "[{'op':'add','path':'b','value':1}]", NULL},
        {"{'a':1}", "[{'op':'add','path':'/~2','value':1}]", NULL},
        {"{'a':1}", "['not an op']", NULL},
        {"{'a':1}", "[]", "{'a':1}"},
        {"{'a':1}", "{'op':'add'}", NULL},
        /* the annotation hcptui writes to force an upgrade: '/' in a key as ~1 */
        {"{'metadata':{'annotations':{}}}",
         "[{'op':'add','path':'/metadata/annotations/hypershift.openshift.io~1force-upgrade-to','value':'q:4.18'}]",
         "{'metadata':{'annotations':{'hypershift.openshift.io/force-upgrade-to':'q:4.18'}}}"},
        {"{'metadata':{'annotations':{'hypershift.openshift.io/force-upgrade-to':'x'}}}",
         "[{'op':'remove','path':'/metadata/annotations/hypershift.openshift.io~1force-upgrade-to'}]",
         "{'metadata':{'annotations':{}}}"},
        {"{'metadata':{}}",
         "[{'op':'add','path':'/metadata/annotations/hypershift.openshift.io~1force-upgrade-to','value':'x'}]", NULL},
        /* test of objects and arrays compares deeply; a failed test stops the rest */
        {"{'a':{'b':[1,{'c':null}]}}", "[{'op':'test','path':'/a','value':{'b':[1,{'c':null}]}}]",
         "{'a':{'b':[1,{'c':null}]}}"},
        {"{'a':{'b':[1,2]}}", "[{'op':'test','path':'/a/b','value':[2,1]}]", NULL},
        {"{'a':1}", "[{'op':'test','path':'/missing','value':null}]", NULL},
    };
    run_json_cases(cases, sizeof cases / sizeof cases[0]);

    /* error wording that reaches a person */
    cJSON *doc = J("{'spec':{}}"), *ops = J("[{'op':'remove','path':'/spec/replicas'}]");
    char err[256];
    assert_false(sim_json_patch(&doc, ops, err, sizeof err));
    assert_string_equal(err, "remove operation does not apply: doc is missing path: \"/spec/replicas\": missing value");
    cJSON_Delete(ops);
    ops = J("[{'op':'test','path':'/spec','value':1}]");
    assert_false(sim_json_patch(&doc, ops, err, sizeof err));
    assert_string_equal(err, "testing value /spec failed: test failed");
    cJSON_Delete(ops);
    cJSON_Delete(doc);
}

static void test_strategic_merge(void **state)
{
    (void)state;
    static const pcase cases[] = {
        /* merge-patch behaviour for maps and scalars */
        {"{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'b':'2','a':null}}}",
         "{'metadata':{'labels':{'b':'2'}}}"},
        /* containers merge by name: update one, keep the other, add a third */
        {"{'spec':{'containers':[{'name':'etcd','image':'e:1','args':['x']},{'name':'metrics','image':'m:1'}]}}",
         "{'spec':{'containers':[{'name':'etcd','image':'e:2'},{'name':'new','image':'n:1'}]}}",
         "{'spec':{'containers':[{'name':'etcd','image':'e:2','args':['x']},{'name':'metrics','image':'m:1'},"
         "{'name':'new','image':'n:1'}]}}"},
        /* $patch: delete removes an item; deleting a missing one is fine */
        {"{'spec':{'volumes':[{'name':'a'},{'name':'b'}]}}",
         "{'spec':{'volumes':[{'name':'a','$patch':'delete'},{'name':'zz','$patch':'delete'}]}}",
         "{'spec':{'volumes':[{'name':'b'}]}}"},
        /* env inside a container merges by name too */
        {"{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}",
         "{'spec':{'containers':[{'name':'c','env':[{'name':'B','value':'3'}]}]}}",
         "{'spec':{'containers':[{'name':'c','env':[{'name':'A','value':'1'},{'name':'B','value':'3'}]}]}}"},
        /* container ports merge by containerPort, Service ports by port, mounts by mountPath */
        {"{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80},{'containerPort':443,'protocol':'TCP'}]}]}}",
         "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':443,'name':'https'}]}]}}",
         "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80},"
         "{'containerPort':443,'protocol':'TCP','name':'https'}]}]}}"},
        {"{'spec':{'ports':[{'port':80,'targetPort':8080}]}}", "{'spec':{'ports':[{'port':443},{'port':80,'$patch':'delete'}]}}",
         "{'spec':{'ports':[{'port':443}]}}"},
        {"{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/a','name':'v1'}]}]}}",
         "{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/a','readOnly':true}]}]}}",
         "{'spec':{'containers':[{'name':'c','volumeMounts':[{'mountPath':'/a','name':'v1','readOnly':true}]}]}}"},
        /* status conditions merge by type */
        {"{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}",
         "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
         "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]}}"},
        /* other lists replace; directives are dropped */
        {"{'spec':{'args':['a','b']}}", "{'$setElementOrder/containers':[{'name':'x'}],'spec':{'args':['c']}}",
         "{'spec':{'args':['c']}}"},
        /* a list where there was none */
        {"{'spec':{}}", "{'spec':{'containers':[{'name':'a','$patch':'merge'}]}}",
         "{'spec':{'containers':[{'name':'a'}]}}"},
        /* $patch: replace on a map */
        {"{'spec':{'a':1,'b':2}}", "{'spec':{'$patch':'replace','c':3}}", "{'spec':{'c':3}}"},
        /* null deletes a merged list */
        {"{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':null}}", "{'spec':{}}"},
        /* an item without the merge key is an error */
        {"{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'image':'x'}]}}", NULL},
        {"{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':['x']}}", NULL},
        {"{'a':1}", "[1]", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *doc = J(cases[i].doc), *patch = J(cases[i].patch);
        char err[256] = "";
        cJSON *got = sim_strategic_merge_patch(doc, patch, err, sizeof err);
        if (cases[i].want) {
            if (!got)
                fail_msg("case %zu failed: %s", i, err);
            assert_json(got, cases[i].want);
        } else {
            if (got)
                fail_msg("case %zu should fail", i);
            assert_true(err[0] != '\0');
        }
        cJSON_Delete(got);
        cJSON_Delete(patch);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_rfc7386),
        cmocka_unit_test(test_json_patch_rfc6902),
        cmocka_unit_test(test_strategic_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
