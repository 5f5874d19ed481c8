/* main.c - duka's entry point: locale, translations, then the command line. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* No library may print a number with a decimal comma. */
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	/* DUKA_LOCALEDIR lets the tests use translations not yet installed. */
	const char *dir = getenv("DUKA_LOCALEDIR");

	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
	return cli_main(argc, argv);
}
