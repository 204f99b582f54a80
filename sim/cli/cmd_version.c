#include <stdio.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>
#include <yaml.h>

#include "sim/cli/cli.h"

static const char usage[] = "usage: ksim version\n"
                            "\n"
                            "Prints ksim's version, the Kubernetes versions whose behaviour it\n"
                            "follows, and the library versions it was built with.\n";

static int cmd_version(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("ksim %s\n", KSIM_VERSION);
    printf("kubernetes semantics: %s\n", KSIM_KUBERNETES_VERSION);
    printf("libyaml %s, cJSON %s, GSL %s\n", yaml_get_version_string(), cJSON_Version(),
           GSL_VERSION);
    return CLI_OK;
}

const struct cli_command cli_version_cmd = {"version", "print version information", usage,
                                            cmd_version};
