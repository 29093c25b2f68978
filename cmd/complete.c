/* complete.c - `pprofkit __complete WHAT [ARGS]`: the words shell completion offers, one per
 * line, from the command and flag tables themselves, so that completions/pprofkit.bash and
 * completions/_pprofkit never drift from them. Hidden: not in the usage text.
 *
 *   __complete commands            command names and aliases, and help
 *   __complete flags               every flag as -NAME (a boolean) or -NAME= (takes a value),
 *                                  then the -COMMAND flags, -help and -version
 *   __complete values FLAG [PROFILE...]
 *                                  the values of FLAG when they are a fixed set: true/false for
 *                                  a boolean, the units for -unit, the sample types of the
 *                                  first PROFILE that reads for -sample_index; nothing otherwise
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Flags whose values are a fixed set (the flag must also be in the flag table). */
static const struct {
	const char *flag;
	const char *const *values;
} fixed[] = {
    {"unit", (const char *const[]){"minimum", "auto", "B", "kB", "MB", "GB", "TB", "PB", "ns", "us",
                                   "ms", "s", "hrs", NULL}},
    {"flame_colors", (const char *const[]){"hot", "mem", "io", "package", NULL}},
    {"symbolize",
     (const char *const[]){"none", "local", "fastlocal", "remote", "force", "demangle=none",
                           "demangle=full", "demangle=templates", "demangle=default", NULL}},
    {"format", (const char *const[]){"text", "json", "csv", NULL}},
};

/* -sample_index: the sample types of the first profile on the line that can be read. */
static void sample_types(int argc, char **argv)
{
	pk_ctx *ctx = pk_ctx_new();
	if (!ctx)
		return;
	for (int i = 0; i < argc; i++) {
		pk_profile *p = NULL;
		if (pk_profile_read(ctx, &p, argv[i]) != PK_OK)
			continue;
		for (size_t t = 0; t < pk_profile_sample_type_count(p); t++) {
			const char *type = pk_profile_sample_type(p, t, NULL);
			if (type && *type)
				printf("%s\n", type);
		}
		pk_profile_free(p);
		break;
	}
	pk_ctx_free(ctx);
}

int cli_complete(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "commands") == 0) {
		for (const struct pk_cmd *c = cli_commands; c->name; c++) {
			printf("%s\n", c->name);
			for (const char *const *a = c->aliases; a && *a; a++)
				printf("%s\n", *a);
		}
		printf("help\n");
		return CLI_EXIT_OK;
	}
	if (argc >= 1 && strcmp(argv[0], "flags") == 0) {
		cli_list_flags(stdout);
		for (const struct pk_cmd *c = cli_commands; c->name; c++)
			printf("-%s%s\n", c->name, c->takes_re ? "=" : "");
		printf("-help\n-version\n");
		return CLI_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[0], "values") == 0) {
		const char *flag = argv[1] + strspn(argv[1], "-");
		int is_bool = 0;
		if (!cli_flag_info(flag, &is_bool))
			return CLI_EXIT_OK;
		if (is_bool) {
			printf("true\nfalse\n");
		} else if (cli_flag_info("sample_index", NULL) &&
		           cli_flag_info(flag, NULL) == cli_flag_info("sample_index", NULL)) {
			sample_types(argc - 2, argv + 2);
		} else {
			for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
				if (cli_flag_info(flag, NULL) == cli_flag_info(fixed[i].flag, NULL))
					for (const char *const *v = fixed[i].values; *v; v++)
						printf("%s\n", *v);
		}
		return CLI_EXIT_OK;
	}
	return cli_usage_error("__complete: want commands, flags or values FLAG [PROFILE...]");
}
