/* OpenShift versions: parsing, their order, and the order of version texts (see version.h). */
#include "client/version.h"

#include <ctype.h>
#include <string.h>

/* Reads a bounded decimal number; false when there is no digit or it is absurdly large. */
static bool read_num(const char **p, int *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s))
        return false;
    long v = 0;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (*s - '0');
        if (v > 1000000)
            return false;
        s++;
    }
    *out = (int)v;
    *p = s;
    return true;
}

/* Suffixes that name a payload architecture, not a prerelease ("4.19.3-multi"). */
static bool arch_suffix(const char *s)
{
    static const char *const arches[] = {"multi", "x86_64", "amd64", "aarch64", "arm64", "ppc64le", "s390x"};
    for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++)
        if (strcmp(s, arches[i]) == 0)
            return true;
    return false;
}

bool version_parse(const char *s, ocp_version *out)
{
    if (!s || !out)
        return false;
    ocp_version v;
    memset(&v, 0, sizeof v);
    const char *p = s;
    if (*p == 'v')
        p++;
    if (!read_num(&p, &v.major) || *p != '.')
        return false;
    p++;
    if (!read_num(&p, &v.minor))
        return false;
    if (*p == '.') {
        p++;
        if (!read_num(&p, &v.patch))
            return false;
        v.has_patch = true;
    }
    if (*p == '-') {
        p++;
        size_t len = strcspn(p, "+");
        if (len == 0 || len >= sizeof v.pre)
            return false;
        for (size_t i = 0; i < len; i++)
            if (!isalnum((unsigned char)p[i]) && p[i] != '.' && p[i] != '-' && p[i] != '_')
                return false;
        memcpy(v.pre, p, len);
        v.pre[len] = '\0';
        if (arch_suffix(v.pre))
            v.pre[0] = '\0';
        p += len;
    }
    if (*p == '+') {
        p++;
        if (!*p)
            return false;
        for (; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
                return false;
    }
    if (*p)
        return false;
    *out = v;
    return true;
}

static int cmp_int(long a, long b)
{
    return (a > b) - (a < b);
}

/* Semver prerelease order: dot-separated fields, numbers numerically and below words. */
static int cmp_pre(const char *a, const char *b)
{
    while (*a && *b) {
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        bool na = la > 0 && strspn(a, "0123456789") >= la;
        bool nb = lb > 0 && strspn(b, "0123456789") >= lb;
        int c;
        if (na && nb)
            c = la != lb ? cmp_int((long)la, (long)lb) : strncmp(a, b, la);
        else if (na || nb)
            c = na ? -1 : 1;
        else {
            c = strncmp(a, b, la < lb ? la : lb);
            if (!c)
                c = cmp_int((long)la, (long)lb);
        }
        if (c)
            return c;
        a += la + (a[la] == '.');
        b += lb + (b[lb] == '.');
    }
    return cmp_int(*a != '\0', *b != '\0');
}

int version_compare(const ocp_version *a, const ocp_version *b)
{
    int c = cmp_int(a->major, b->major);
    if (!c)
        c = cmp_int(a->minor, b->minor);
    if (!c)
        c = cmp_int(a->patch, b->patch);
    if (c)
        return c;
    if (!a->pre[0] || !b->pre[0])
        return cmp_int(a->pre[0] == '\0', b->pre[0] == '\0'); /* a release sorts above its prereleases */
    return cmp_pre(a->pre, b->pre);
}

int version_minor_index(const ocp_version *v)
{
    if (v->major == 4)
        return v->minor;
    if (v->major == 5)
        return 23 + v->minor;
    return -1;
}

/* Compares the digit runs at *pa and *pb numerically (any length, leading zeros ignored), advancing both. */
static int compare_number(const char **pa, const char **pb)
{
    const char *a = *pa, *b = *pb;
    while (*a == '0' && isdigit((unsigned char)a[1]))
        a++;
    while (*b == '0' && isdigit((unsigned char)b[1]))
        b++;
    size_t la = 0, lb = 0;
    while (isdigit((unsigned char)a[la]))
        la++;
    while (isdigit((unsigned char)b[lb]))
        lb++;
    *pa = a + la;
    *pb = b + lb;
    if (la != lb)
        return la < lb ? -1 : 1;
    int c = memcmp(a, b, la);
    return (c > 0) - (c < 0);
}

/* The order of version texts as text: digit runs numerically, a pre-release ("-rc.1") below what
 * continues the release. For what does not parse as a version, and for ties. */
static int text_order(const char *a, const char *b)
{
    if (!a)
        a = "";
    if (!b)
        b = "";
    if (*a == 'v')
        a++;
    if (*b == 'v')
        b++;
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            int c = compare_number(&a, &b);
            if (c)
                return c;
            continue;
        }
        if (*a != *b) {
            /* A pre-release ("-rc.1") sorts before anything that continues the release ('.'). */
            if (*a == '-' && *b == '.')
                return -1;
            if (*a == '.' && *b == '-')
                return 1;
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        }
        a++;
        b++;
    }
    if (!*a && !*b)
        return 0;
    /* One ended: "4.20.0" > "4.20.0-rc.1", but "4.20" < "4.20.1". */
    if (!*a)
        return *b == '-' ? 1 : -1;
    return *a == '-' ? -1 : 1;
}

int version_order(const char *a, const char *b)
{
    ocp_version x, y;
    if (version_parse(a, &x) && version_parse(b, &y)) {
        int c = version_compare(&x, &y);
        if (c)
            return c;
    }
    return text_order(a, b); /* not versions, or the same version written differently */
}
