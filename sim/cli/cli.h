#ifndef KSIM_CLI_CLI_H
#define KSIM_CLI_CLI_H
/*
 * The ksim command: a table of subcommands, one file each (git builtin/,
 * tmux cmd-*.c). Every command returns an exit code:
 *   0 success, 1 bad input or a failed run, 2 usage error.
 * Errors are one line on stderr.
 */

#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_USAGE 2

struct cli_command {
    const char *name;
    const char *summary;               /* one line for `ksim help` */
    const char *usage;                 /* the full --help text */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

extern const struct cli_command cli_run_cmd;
extern const struct cli_command cli_validate_cmd;
extern const struct cli_command cli_list_cmd;
extern const struct cli_command cli_version_cmd;
extern const struct cli_command cli_score_cmd;
extern const struct cli_command cli_plot_cmd;
extern const struct cli_command cli_compare_cmd;
extern const struct cli_command cli_sweep_cmd;
extern const struct cli_command cli_merge_cmd;
extern const struct cli_command cli_plan_cmd;
extern const struct cli_command cli_load_cmd;
extern const struct cli_command cli_hpa_calc_cmd;

/* Prints "ksim <cmd>: <message>" and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether arg is -h or --help. */
int cli_is_help(const char *arg);

/*
 * Reads an option value: for "--name=value" returns value; for "--name"
 * or "-x" takes the next argument (advancing *i). NULL when missing.
 */
const char *cli_option_value(int argc, char **argv, int *i);
/*
 * For commands whose arguments are folders and nothing else (plot, report):
 * a usage error for any option or for none at all, else each(folder) in
 * turn, stopping at the first that does not return CLI_OK.
 */
int cli_each_folder(int argc, char **argv, int (*each)(const char *dir));

/* Whether argv[i] is the option long ("--seed", also "--seed=...") or short ("-o"). */
int cli_option_is(const char *arg, const char *lng, const char *shrt);

/* The results tools besides plot: regression checks and the HTML report. */
extern const struct cli_command cli_diff_cmd;
extern const struct cli_command cli_report_cmd;

#endif
