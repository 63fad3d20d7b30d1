#include "common/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool rfc3339_parse(const char *s, time_t *out)
{
    int y, mo, d, h, mi, se;
    if (!s || strlen(s) < 20)
        return false;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
        s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p)
        return false;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = timegm(&tm) - offset;
    return true;
}

void rfc3339_format(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool duration_parse_ms(const char *s, int64_t *ms_out)
{
    if (!s || !*s)
        return false;
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    if (strcmp(p, "0") == 0) {
        *ms_out = 0;
        return true;
    }
    double total = 0;
    bool any = false;
    while (*p) {
        if (!isdigit((unsigned char)*p) && *p != '.')
            return false;
        double v = 0, scale = 1;
        bool frac = false, got = false;
        while (isdigit((unsigned char)*p) || (*p == '.' && !frac)) {
            if (*p == '.') {
                frac = true;
            } else if (frac) {
                scale /= 10;
                v += (*p - '0') * scale;
                got = true;
            } else {
                v = v * 10 + (*p - '0');
                got = true;
            }
            p++;
        }
        if (!got)
            return false;
        double unit;
        if (strncmp(p, "ns", 2) == 0) {
            unit = 1e-6;
            p += 2;
        } else if (strncmp(p, "us", 2) == 0 || strncmp(p, "\xc2\xb5s", 3) == 0) {
            unit = 1e-3;
            p += (*p == 'u') ? 2 : 3;
        } else if (strncmp(p, "ms", 2) == 0) {
            unit = 1;
            p += 2;
        } else if (*p == 's') {
            unit = 1000;
            p++;
        } else if (*p == 'm') {
            unit = 60000;
            p++;
        } else if (*p == 'h') {
            unit = 3600000;
            p++;
        } else {
            return false;
        }
        total += v * unit;
        any = true;
        if (total > 9.2e15)
            return false;
    }
    if (!any)
        return false;
    *ms_out = (int64_t)(neg ? -total : total);
    return true;
}

void age_format(int64_t seconds, char *out, size_t outlen)
{
    /* The same steps as kubectl's HumanDuration, so ages read the same in both tools. */
    long long s = seconds < 0 ? 0 : (long long)seconds, m = s / 60, h = s / 3600, d = s / 86400;
    if (s < 120)
        snprintf(out, outlen, "%llds", s);
    else if (m < 10 && s % 60)
        snprintf(out, outlen, "%lldm%llds", m, s % 60);
    else if (m < 180)
        snprintf(out, outlen, "%lldm", m);
    else if (h < 8 && m % 60)
        snprintf(out, outlen, "%lldh%lldm", h, m % 60);
    else if (h < 48)
        snprintf(out, outlen, "%lldh", h);
    else if (h < 192 && h % 24)
        snprintf(out, outlen, "%lldd%lldh", d, h % 24);
    else if (d < 730)
        snprintf(out, outlen, "%lldd", d);
    else if (d < 2920 && d % 365)
        snprintf(out, outlen, "%lldy%lldd", d / 365, d % 365);
    else
        snprintf(out, outlen, "%lldy", d / 365);
}

int64_t now_ms_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
