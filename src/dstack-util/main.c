/* dstack-util: the guest-side control utility of a dstack confidential VM. */
#include "cli.h"
#include "util/json_wipe.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
#define CMD(name, func, help) { name, func, help },
#include "commands.def"
#undef CMD
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs("dstack guest utility\n\nUsage: dstack-util <COMMAND>\n\nCommands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].help);
	fputs("  help             Print this message\n\nOptions:\n"
	      "  -h, --help     Print help\n  -V, --version  Print version\n", out);
}

int main(int argc, char **argv)
{
	ds_log_init();
	/* Keys pass through JSON (agent answers, app keys, env): whatever jansson
	 * frees is wiped first. */
	ds_json_wipe_on_free();
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	/* "help CMD" is "CMD --help", as clap does. */
	if (!strcmp(argv[1], "help") && argc > 2) {
		char *help_argv[] = { argv[2], "--help", NULL };

		for (size_t i = 0; i < NCOMMANDS; i++)
			if (!strcmp(argv[2], commands[i].name))
				return commands[i].run(2, help_argv);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("dstack-util %s\n", DSTACK_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "error: unrecognized subcommand '%s'\n\n"
		"Usage: dstack-util <COMMAND>\n\nFor more information, try '--help'.\n", argv[1]);
	return CLI_EXIT_USAGE;
}
