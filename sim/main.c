/* hcpsim: the management-cluster simulator as a command. Serves until SIGTERM or SIGINT. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/server.h"

static const char usage_text[] =
    "usage: hcpsim --kubeconfig FILE [--listen HOST:PORT] [--readonly-kubeconfig FILE]\n"
    "              [--fleet demo|none|N] [--seed S] [--faults SPEC] [--request-log FILE] [--tick MS]\n"
    "              [--crds DIR]\n"
    "\n"
    "A simulated OpenShift Hosted Control Planes management cluster: a kube-apiserver over HTTPS\n"
    "that kubectl and hcptui can use. It writes the kubeconfig files once it answers.\n"
    "\n"
    "  --listen HOST:PORT           where to listen (default 127.0.0.1:0, a free port)\n"
    "  --kubeconfig FILE            write the admin kubeconfig here (contexts hcpsim, hcpsim-token)\n"
    "  --readonly-kubeconfig FILE   write the read-only kubeconfig here (context hcpsim-readonly)\n"
    "  --fleet demo|none|N          what the cluster holds (default demo; N grows N hosted clusters)\n"
    "  --seed S                     seed for --fleet N and for --faults draws (default 1)\n"
    "  --faults SPEC                inject faults, e.g. latency=200ms,error=503@0.1 (docs/simulator.md)\n"
    "  --request-log FILE           append one line per request: time identity method path status ms\n"
    "  --tick MS                    controller tick in milliseconds (default 1000; 0 = manual ticks)\n"
    "  --crds DIR                   serve OpenAPI v3 for the CustomResourceDefinitions in DIR\n"
    "  --help                       this text\n";

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "hcpsim: %s%s\n", what, arg);
    fputs(usage_text, stderr);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno)
        return false;
    *out = (uint64_t)v;
    return true;
}

int main(int argc, char **argv)
{
    enum { OPT_LISTEN = 1, OPT_KUBECONFIG, OPT_RO, OPT_FLEET, OPT_SEED, OPT_FAULTS, OPT_LOG, OPT_TICK, OPT_CRDS, OPT_HELP };
    static const struct option opts[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
        {"readonly-kubeconfig", required_argument, NULL, OPT_RO},
        {"fleet", required_argument, NULL, OPT_FLEET},
        {"seed", required_argument, NULL, OPT_SEED},
        {"faults", required_argument, NULL, OPT_FAULTS},
        {"request-log", required_argument, NULL, OPT_LOG},
        {"tick", required_argument, NULL, OPT_TICK},
        {"crds", required_argument, NULL, OPT_CRDS},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    sim_server_config cfg = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 1000};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN: cfg.listen = optarg; break;
        case OPT_KUBECONFIG: cfg.kubeconfig_path = optarg; break;
        case OPT_RO: cfg.readonly_kubeconfig_path = optarg; break;
        case OPT_FLEET: cfg.fleet = optarg; break;
        case OPT_SEED:
            if (!parse_u64(optarg, &cfg.seed))
                return usage_error("--seed: not a non-negative integer: ", optarg);
            break;
        case OPT_FAULTS: cfg.faults = optarg; break;
        case OPT_LOG: cfg.request_log = optarg; break;
        case OPT_CRDS: cfg.crd_dir = optarg; break;
        case OPT_TICK: {
            uint64_t t;
            if (!parse_u64(optarg, &t) || t > 3600000)
                return usage_error("--tick: want milliseconds from 0 to 3600000, not ", optarg);
            cfg.tick_ms = (int)t;
            break;
        }
        case OPT_HELP: fputs(usage_text, stdout); return 0;
        default:
            return usage_error("unknown option or missing value: ", argv[optind - 1] ? argv[optind - 1] : "");
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument: ", argv[optind]);
    if (!cfg.kubeconfig_path)
        return usage_error("--kubeconfig FILE is required", "");

    /* Block the stop signals before any thread exists, so that only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    char err[512] = "";
    sim_server *s = sim_server_start(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "hcpsim: %s\n", err);
        /* a bad --faults, --fleet or --listen value is a usage error; anything else a failure to start */
        bool usage = strncmp(err, "faults:", 7) == 0 || strncmp(err, "bad listen address", 18) == 0 ||
                     strstr(err, "fleet") != NULL || strncmp(err, "--crds", 6) == 0;
        return usage ? 2 : 1;
    }
    fprintf(stderr, "hcpsim: serving %s (kubeconfig %s)\n", sim_server_url(s), cfg.kubeconfig_path);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "hcpsim: %s, shutting down\n", sig == SIGINT ? "interrupted" : "terminated");
    sim_server_stop(s);
    return 0;
}
