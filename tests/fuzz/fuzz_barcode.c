/*
 * fuzz_barcode.c - libFuzzer target for barcode.c.
 *
 * Every accepted code must normalise to a fixed point of the same family, be
 * a GTIN exactly when it is not internal, and contain only allowed
 * characters; every refusal must leave the outputs alone and say why. An
 * all-digit GTIN-length code refused for its check digit must be accepted
 * once that digit is corrected.
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "status.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The kind that normalising a normal form again must report. */
static enum barcode_kind
renormalized_kind(enum barcode_kind k, const char *out)
{
	switch (k) {
	case BARCODE_UPCA:
	case BARCODE_UPCE:
		return (BARCODE_EAN13);
	case BARCODE_GTIN14:
		return (strlen(out) == 13 ? BARCODE_EAN13 : BARCODE_GTIN14);
	default:
		return (k);
	}
}

/* Check everything an accepted code promises. */
static void
check_accepted(const char *out, enum barcode_kind kind)
{
	char			again[BARCODE_MAX];
	enum barcode_kind	kind2;
	size_t			n = strlen(out), i;

	assert(n >= 1 && n <= BARCODE_MAX - 1);
	for (i = 0; i < n; i++) {
		assert((out[i] >= '0' && out[i] <= '9') ||
		    (out[i] >= 'A' && out[i] <= 'Z') || out[i] == '.' ||
		    out[i] == '_' || out[i] == '-');
	}
	assert(barcode_normalize(out, again, &kind2, NULL) == DUKA_OK);
	assert(strcmp(again, out) == 0);
	assert(kind2 == renormalized_kind(kind, out));
	assert(barcode_is_gtin(out) == (kind != BARCODE_INTERNAL));
	switch (kind) {
	case BARCODE_EAN13:
	case BARCODE_UPCA:
	case BARCODE_UPCE:
		assert(n == 13);
		break;
	case BARCODE_EAN8:
		assert(n == 8);
		break;
	case BARCODE_GTIN14:
		assert(n == 13 || n == 14);
		break;
	case BARCODE_INTERNAL:
		break;
	}
	assert(barcode_kind_name(kind)[0] != '\0');
}

/*
 * An accepted UPC-E must expand as the GS1 table says, written here as
 * templates (N number system, a-f data digits, C check digit) so that the
 * oracle shares no code with the module.
 */
static void
check_upce(const char *s, const char *out)
{
	static const char *const tmpl[10] = {
		"Nabf0000cdeC", "Nabf0000cdeC", "Nabf0000cdeC",
		"Nabc00000deC", "Nabcd00000eC", "Nabcde0000fC",
		"Nabcde0000fC", "Nabcde0000fC", "Nabcde0000fC",
		"Nabcde0000fC",
	};
	const char	*t, *e;
	char		 want[13];
	size_t		 i;

	e = s + strspn(s, " \t\r\n\v\f");
	assert(strspn(e, "0123456789") == 8);
	t = tmpl[e[6] - '0'];
	for (i = 0; i < 12; i++) {
		if (t[i] == 'N')
			want[i] = e[0];
		else if (t[i] == 'C')
			want[i] = e[7];
		else if (t[i] >= 'a' && t[i] <= 'f')
			want[i] = e[1 + (t[i] - 'a')];
		else
			want[i] = t[i];
	}
	want[12] = '\0';
	assert(out[0] == '0' && strcmp(out + 1, want) == 0);
}

/* If s is a GTIN-length run of digits, the corrected code must pass. */
static void
check_corrected(const char *s)
{
	char			fixed[BARCODE_MAX], out[BARCODE_MAX];
	enum barcode_kind	kind;
	size_t			n = strlen(s);
	int			cd;

	if (n != 8 && n != 12 && n != 13 && n != 14)
		return;
	if (strspn(s, "0123456789") != n)
		return;
	memcpy(fixed, s, n + 1);
	cd = barcode_check_digit(fixed, n - 1);
	assert(cd >= 0 && cd <= 9);
	fixed[n - 1] = (char)('0' + cd);
	assert(barcode_normalize(fixed, out, &kind, NULL) == DUKA_OK);
	assert(kind != BARCODE_INTERNAL);
}

/* One fuzz input: libFuzzer's data is not NUL-terminated, so copy it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct duka_err		 err;
	char			 out[BARCODE_MAX], made[14];
	char			*s;
	enum barcode_kind	 kind = (enum barcode_kind)99;
	int			 rc;

	s = malloc(size + 1);
	if (s == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	memset(out, 'u', sizeof out);
	duka_err_clear(&err);
	rc = barcode_normalize(s, out, &kind, &err);
	if (rc == DUKA_OK) {
		check_accepted(out, kind);
		if (kind == BARCODE_UPCE)
			check_upce(s, out);
	} else {
		size_t	i;

		assert(rc == DUKA_EINPUT && err.code == DUKA_EINPUT);
		assert(err.msg[0] != '\0');
		assert(kind == (enum barcode_kind)99);
		for (i = 0; i < sizeof out; i++)
			assert(out[i] == 'u');
		check_corrected(s);
	}

	/* Twelve leading digits always make a valid EAN-13. */
	if (size >= 12 && strspn(s, "0123456789") >= 12) {
		char	twelve[13];

		memcpy(twelve, s, 12);
		twelve[12] = '\0';
		barcode_ean13_make(twelve, made);
		assert(strlen(made) == 13 && barcode_is_gtin(made));
		assert(barcode_normalize(made, out, &kind, NULL) == DUKA_OK);
		assert(kind == BARCODE_EAN13 && strcmp(out, made) == 0);
	}
	free(s);
	return (0);
}
