#include "sim/cli/snapopt.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"

void snapopt_init(struct snapopt *o, int argc)
{
    memset(o, 0, sizeof *o);
    o->files = xcalloc(argc > 0 ? (size_t)argc : 1, sizeof *o->files);
}

void snapopt_release(struct snapopt *o)
{
    free(o->files);
    memset(o, 0, sizeof *o);
}

int snapopt_parse(struct snapopt *o, const char *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (cli_option_is(a, "--pod", NULL)) {
        if (!(o->pod = cli_option_value(argc, argv, i)) || !*o->pod) {
            cli_usage_error(cmd, "--pod needs NAME or NAMESPACE/NAME");
            return -1;
        }
    } else if (cli_option_is(a, "--config", NULL)) {
        if (!(o->config = cli_option_value(argc, argv, i))) {
            cli_usage_error(cmd, "--config needs a file");
            return -1;
        }
    } else if (cli_option_is(a, "--seed", NULL)) {
        const char *v = cli_option_value(argc, argv, i);
        char *end;
        if (!v || !*v || *v == '-' || (o->seed = strtoull(v, &end, 10), *end)) {
            cli_usage_error(cmd, "--seed needs a non-negative integer, got '%s'", v ? v : "");
            return -1;
        }
    } else if (strcmp(a, "--") == 0) {
        while (++*i < argc)
            o->files[o->nfiles++] = argv[*i];
    } else if (a[0] == '-' && a[1]) {
        return 0;
    } else {
        o->files[o->nfiles++] = a;
    }
    return 1;
}

int snapopt_finish(const struct snapopt *o, const char *cmd)
{
    if (!o->nfiles)
        return cli_usage_error(cmd, "missing FILE (Nodes and Pods, e.g. kubectl get "
                                    "nodes,pods -A -o yaml)");
    return CLI_OK;
}
