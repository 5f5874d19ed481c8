/*
 * fuzz_field_check.c - libFuzzer target for ui/field_check.c, the checks of
 * what is typed into the products and stock forms.
 *
 * The input is given as text to every check. A check that accepts must
 * give a value its parser agrees with (an amount or quantity of 0 or more,
 * a quantity above 0 for fc_qty, days from 0 to 365, a positive number);
 * a check that refuses must say why, starting with the field's label.
 *
 * It links against libduka.a (the checks call catalog.c's and money.c's
 * parsers), for example:
 *   clang -g -fsanitize=fuzzer,address,undefined -I. -Isrc -Idb -Iui \
 *       tests/fuzz/fuzz_field_check.c libduka.a $(pkg-config --libs \
 *       ncursesw sqlite3 libcurl jansson libsodium) -lxlsxwriter -linih \
 *       -lcsv -lpthread -o fuzz_field_check
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field_check.h"
#include "status.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define LABEL "Field"

/* A refusal says why, after the label. */
static void
check_refusal(int rc, const struct duka_err *err)
{
	assert(rc != DUKA_OK);
	assert(err->msg[0] != '\0');
	assert(strncmp(err->msg, LABEL ": ", strlen(LABEL) + 2) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const checks[])(const char *, void *,
	    struct duka_err *) = {
		fc_amount, fc_qty, fc_qty_zero, fc_date, fc_unit, fc_tax,
		fc_yesno, fc_days, fc_barcode, fc_number,
	};
	struct duka_err err;
	char *text;
	size_t i;
	int rc;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		memset(&err, 0, sizeof err);
		rc = checks[i](text, (void *)LABEL, &err);
		if (rc != DUKA_OK) {
			check_refusal(rc, &err);
			continue;
		}
		if (checks[i] == fc_amount)
			assert(fc_parse_amount(text, -1) >= 0);
		else if (checks[i] == fc_qty)
			assert(fc_parse_qty(text, -1) > 0);
		else if (checks[i] == fc_qty_zero)
			assert(fc_parse_qty(text, -1) >= 0);
		else if (checks[i] == fc_days)
			assert(fc_parse_number(text, -1) >= 0 &&
			    fc_parse_number(text, -1) <= 365);
		else if (checks[i] == fc_number)
			assert(fc_parse_number(text, -1) > 0);
	}
	free(text);
	return 0;
}
