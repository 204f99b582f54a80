#include <stdio.h>

#include "models/kube/plugins.h"
#include "models/load/load.h"
#include "models/placement/placement.h"
#include "sim/cli/cli.h"

static const char usage[] = "usage: ksim list\n"
                            "\n"
                            "Lists what a scenario can name: placement policies (spec.scheduler."
                            "policy),\nkube-scheduler plugins, batch arrival processes, duration "
                            "distributions and load models.\n";

static int cmd_list(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error("list", "unexpected argument '%s'", argv[1]);
    printf("placement policies (spec.scheduler.policy):\n");
    for (int i = 0; placement_registry[i]; i++) {
        const struct placement_ops *ops = placement_registry[i];
        printf("  %-14s %s\n", ops->name, ops->summary);
        printf("  %-14s kube filters honoured: %s\n", "",
               ops->honours ? ops->honours : PLACEMENT_HONOURS);
        /* Preemption is the kube framework's PostFilter (models/kube/preemption.c). */
        printf("  %-14s preemption: %s\n", "",
               ops == &placement_kube_ops
                   ? "DefaultPreemption when the profile enables it (the default profile does)"
                   : "never (a pod that fits nowhere waits)");
    }
    printf("\nkube-scheduler plugins (policy kube; KubeSchedulerConfiguration names):\n");
    for (int i = 0; plugins_registry[i]; i++) {
        char points[160];
        plugins_points(plugins_registry[i], points, sizeof points);
        printf("  %-32s %s\n  %-32s %s\n", plugins_registry[i]->name, points, "",
               plugins_registry[i]->summary);
    }
    printf("\nbatch arrival processes (workloads.batch[].arrivals.process):\n"
           "  %-14s %s\n  %-14s %s\n",
           "poisson", "exponential gaps with mean 60/ratePerMinute seconds (seeded)", "uniform",
           "one pod every 60/ratePerMinute seconds exactly");
    printf("\nbatch duration distributions (workloads.batch[].duration.distribution):\n"
           "  %-14s %s\n  %-14s %s\n  %-14s %s\n",
           "constant", "every pod runs for 'value'", "exponential",
           "exponential with the given 'mean' (seeded)", "lognormal",
           "lognormal with the given 'median' and 'sigma' (seeded)");
    printf("\nload models (load: {<name in camelCase>: {...}}, combined with sum: or product:):\n");
    for (int i = 0; load_registry[i]; i++)
        printf("  %-14s %s\n", load_registry[i]->name, load_registry[i]->summary);
    return CLI_OK;
}

const struct cli_command cli_list_cmd = {"list", "list policies and other registries", usage,
                                         cmd_list};
