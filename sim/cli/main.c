/*
 * ksim: a fast, faithful simulator of Kubernetes scheduling and autoscaling.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"

/* One command a line, so that branches adding commands merge cleanly. */
/* clang-format off */
static const struct cli_command *const commands[] = {
    &cli_run_cmd,
    &cli_validate_cmd,
    &cli_score_cmd,
    &cli_list_cmd,
    &cli_version_cmd,
    &cli_plot_cmd,
    &cli_diff_cmd,
    &cli_report_cmd,
    &cli_load_cmd,
    &cli_hpa_calc_cmd,
    &cli_compare_cmd,
    &cli_sweep_cmd,
    &cli_merge_cmd,
    &cli_plan_cmd,
    NULL,
};
/* clang-format on */

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ksim %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'ksim %s --help')\n", cmd);
    return CLI_USAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_option_is(const char *arg, const char *lng, const char *shrt)
{
    size_t n = lng ? strlen(lng) : 0;
    if (lng && strncmp(arg, lng, n) == 0 && (arg[n] == '\0' || arg[n] == '='))
        return 1;
    return shrt && strcmp(arg, shrt) == 0;
}

const char *cli_option_value(int argc, char **argv, int *i)
{
    const char *eq = strchr(argv[*i], '=');
    if (argv[*i][0] == '-' && argv[*i][1] == '-' && eq)
        return eq + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int cli_each_folder(int argc, char **argv, int (*each)(const char *dir))
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(argv[0], "unknown option '%s'", argv[i]);
    if (argc < 2)
        return cli_usage_error(argv[0], "missing RESULTS_DIR");
    int rc = CLI_OK;
    for (int i = 1; i < argc && rc == CLI_OK; i++)
        rc = each(argv[i]);
    return rc;
}

static void print_help(FILE *f)
{
    fprintf(f, "usage: ksim <command> [options]\n\n"
               "A fast, faithful simulator of Kubernetes scheduling and autoscaling.\n\n"
               "commands:\n");
    for (int i = 0; commands[i]; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n'ksim <command> --help' describes a command.\n"
               "exit codes: 0 success, 1 bad input or failed run, 2 usage error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (cli_is_help(name) || strcmp(name, "help") == 0) {
        if (argc > 2) {
            for (int i = 0; commands[i]; i++) {
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    fputs(commands[i]->usage, stdout);
                    return CLI_OK;
                }
            }
        }
        print_help(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0)
        return cli_version_cmd.run(1, argv + 1);
    for (int i = 0; commands[i]; i++) {
        if (strcmp(commands[i]->name, name) == 0) {
            for (int a = 2; a < argc; a++) {
                if (strcmp(argv[a], "--") == 0)
                    break;
                if (cli_is_help(argv[a])) {
                    fputs(commands[i]->usage, stdout);
                    return CLI_OK;
                }
            }
            return commands[i]->run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "ksim: unknown command '%s' (see 'ksim --help')\n", name);
    return CLI_USAGE;
}
