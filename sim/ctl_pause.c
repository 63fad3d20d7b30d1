/* spec.pausedUntil as HyperShift parses it: Go's strconv.ParseBool, then an RFC 3339 time, else
 * invalid (which the operator reports but does not pause on). */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"

static bool go_parse_bool(const char *s, bool *out)
{
    static const char *yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

pause_state ctl_pause_eval(const char *value, time_t now, char *msg, size_t msglen)
{
    if (!value)
        return PAUSE_NONE;
    bool b;
    if (go_parse_bool(value, &b)) {
        if (!b)
            return PAUSE_NONE;
        snprintf(msg, msglen, "Reconciliation paused until field removed");
        return PAUSE_ACTIVE;
    }
    time_t until;
    if (rfc3339_parse(value, &until)) {
        if (now >= until)
            return PAUSE_NONE;
        snprintf(msg, msglen, "Reconciliation paused until: %.40s", value);
        return PAUSE_ACTIVE;
    }
    return PAUSE_INVALID;
}

void ctl_cond_reconciliation_active(cJSON *conds, pause_state ps, const char *msg, const char *active_reason,
                                    int64_t gen, const char *now)
{
    if (ps == PAUSE_ACTIVE)
        ctl_cond_set(conds, "ReconciliationActive", "False", "ReconciliationPaused", msg, NULL, gen, now);
    else if (ps == PAUSE_INVALID)
        ctl_cond_set(conds, "ReconciliationActive", "True", "InvalidPausedUntilValue",
                     "Invalid value provided for PausedUntil field", NULL, gen, now);
    else
        ctl_cond_set(conds, "ReconciliationActive", "True", active_reason, "Reconciliation active on resource", NULL,
                     gen, now);
}
