/* Exponential backoff with full jitter (see backoff.h). */
#include "client/backoff.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void backoff_init(backoff *b, int64_t base_ms, double factor, int64_t cap_ms, uint64_t seed)
{
    b->base_ms = base_ms < 1 ? 1 : base_ms;
    b->factor = factor < 1.0 || factor != factor ? 1.0 : factor;
    b->cap_ms = cap_ms < b->base_ms ? b->base_ms : cap_ms;
    b->attempt = 0;
    /* splitmix64 of the seed: any seed (0 included) gives a non-zero xorshift state. */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    b->rng = z ? z : 0x2545F4914F6CDD1Dull;
}

void backoff_reset(backoff *b)
{
    b->attempt = 0;
}

int64_t backoff_ceiling_ms(const backoff *b, unsigned attempt)
{
    /* Multiply step by step so that the cap stops the growth before any overflow. */
    double c = (double)b->base_ms;
    for (unsigned i = 0; i < attempt && c < (double)b->cap_ms; i++)
        c *= b->factor;
    if (c >= (double)b->cap_ms)
        return b->cap_ms;
    return (int64_t)c;
}

static uint64_t rng_next(backoff *b)
{
    uint64_t x = b->rng; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    b->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

uint64_t backoff_rand_upto(backoff *b, uint64_t n)
{
    if (n == UINT64_MAX)
        return rng_next(b);
    return rng_next(b) % (n + 1);
}

int64_t backoff_next_ms(backoff *b)
{
    int64_t ceiling = backoff_ceiling_ms(b, b->attempt);
    if (b->attempt < 64)
        b->attempt++;
    return (int64_t)backoff_rand_upto(b, (uint64_t)ceiling);
}

int64_t backoff_next_with_floor_ms(backoff *b, int64_t retry_after_ms, int64_t max_ms)
{
    int64_t d = backoff_next_ms(b);
    if (retry_after_ms > d)
        d = retry_after_ms;
    if (max_ms > 0 && d > max_ms)
        d = max_ms;
    return d;
}

static int month_index(const char *m)
{
    static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (strncmp(m, names[i], 3) == 0)
            return i;
    return -1;
}

/* IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), the form RFC 9110 says senders must use. */
static bool parse_http_date(const char *s, time_t *out)
{
    char wd[4], mon[4], zone[4];
    int day, year, hh, mm, ss, used = 0;
    if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", wd, &day, mon, &year, &hh, &mm,
               &ss, zone, &used) != 8)
        return false;
    if (s[used] != '\0' || strcmp(zone, "GMT") != 0)
        return false;
    int m = month_index(mon);
    if (m < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || year < 1970)
        return false;
    struct tm tm = {.tm_year = year - 1900, .tm_mon = m, .tm_mday = day, .tm_hour = hh, .tm_min = mm, .tm_sec = ss};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *out = t;
    return true;
}

bool backoff_parse_retry_after(const char *value, time_t now, int64_t *ms_out)
{
    if (!value)
        return false;
    while (*value == ' ' || *value == '\t')
        value++;
    size_t n = strlen(value);
    while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\r' || value[n - 1] == '\n'))
        n--;
    if (n == 0 || n > 64)
        return false;
    char tmp[65];
    memcpy(tmp, value, n);
    tmp[n] = '\0';
    if (isdigit((unsigned char)tmp[0])) {
        int64_t secs = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isdigit((unsigned char)tmp[i]))
                return false;
            if (secs > 100000000) /* ~3 years: beyond any sane wait; saturate rather than overflow */
                continue;
            secs = secs * 10 + (tmp[i] - '0');
        }
        *ms_out = secs * 1000;
        return true;
    }
    time_t when;
    if (!parse_http_date(tmp, &when))
        return false;
    *ms_out = when > now ? (int64_t)(when - now) * 1000 : 0;
    return true;
}
