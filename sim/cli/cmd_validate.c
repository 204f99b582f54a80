#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/io/scenario/scenario.h"

static const char usage[] = "usage: ksim validate SCENARIO...\n"
                            "\n"
                            "Checks scenarios (and the manifests they include) without running\n"
                            "them. Prints 'ok: FILE' for each valid one and one error line for\n"
                            "each invalid one; exits 1 if any is invalid.\n";

static int cmd_validate(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("validate", "missing SCENARIO");
    int rc = CLI_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("validate", "unknown option '%s'", argv[i]);
    }
    for (int i = 1; i < argc; i++) {
        struct diag d;
        diag_clear(&d);
        struct scenario *s = scenario_load(argv[i], NULL, 0, -1, &d);
        if (!s) {
            fprintf(stderr, "%s\n", d.text);
            rc = CLI_FAIL;
            continue;
        }
        printf("ok: %s\n", argv[i]);
        scenario_free(s);
    }
    return rc;
}

const struct cli_command cli_validate_cmd = {"validate", "check scenarios without running them",
                                             usage, cmd_validate};
