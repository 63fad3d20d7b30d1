/* A HostedCluster with a version history and conditions, shared by the JSONPath and Table tests. */
#ifndef HCP_TESTS_UNIT_SIM_HC_FIXTURE_H
#define HCP_TESTS_UNIT_SIM_HC_FIXTURE_H

static const char *hc_json =
    "{\"metadata\":{\"name\":\"hc1\",\"namespace\":\"clusters\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
    "\"spec\":{\"replicas\":3},"
    "\"status\":{\"version\":{\"history\":["
    "{\"state\":\"Partial\",\"version\":\"4.17.2\"},"
    "{\"state\":\"Completed\",\"version\":\"4.16.9\"},"
    "{\"state\":\"Completed\",\"version\":\"4.16.1\"}]},"
    "\"conditions\":[{\"type\":\"Progressing\",\"status\":\"True\"},"
    "{\"type\":\"Available\",\"status\":\"False\",\"message\":\"waiting\"},{\"status\":\"x\"}],"
    "\"flag\":true,\"n\":7}}";

#endif
