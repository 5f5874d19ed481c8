/*
 * fuzz_money.c - libFuzzer target for money.c.
 *
 * The input is parsed as text by every parser, and its first 16 bytes are
 * also read as two int64 values for the arithmetic. Round trips must hold
 * (format then parse gives the same value), refusals must leave outputs
 * untouched and say why, and where the compiler has a 128-bit type the
 * rounding is checked against a plain wide-integer reference. The module
 * itself never uses 128-bit types; only this oracle does.
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "status.h"

#define SENTINEL ((int64_t)0x5a5a5a5a5a5a5a5aLL)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A refusal must have the input-error code and a message to show. */
static void
check_refusal(int rc, const struct duka_err *err)
{
	assert(rc == DUKA_EINPUT);
	assert(err->code == DUKA_EINPUT);
	assert(err->msg[0] != '\0');
}

/* money_format and money_format_ksh must both parse back to v. */
static void
money_round_trip(int64_t v)
{
	char	buf[MONEY_MAX_TEXT];
	int64_t	back = SENTINEL;

	money_format(v, buf, sizeof buf);
	assert(money_parse(buf, &back, NULL) == DUKA_OK && back == v);
	back = SENTINEL;
	money_format_ksh(v, buf, sizeof buf);
	assert(strncmp(buf, "KSh ", 4) == 0);
	assert(money_parse(buf, &back, NULL) == DUKA_OK && back == v);
}

/* qty_format must parse back to v. */
static void
qty_round_trip(int64_t v)
{
	char	buf[MONEY_MAX_TEXT];
	int64_t	back = SENTINEL;

	qty_format(v, buf, sizeof buf);
	assert(qty_parse(buf, &back, NULL) == DUKA_OK && back == v);
}

/* A short buffer gets the whole text or only '#', never a clipped number. */
static void
short_buffer(int64_t v, size_t len)
{
	char	full[MONEY_MAX_TEXT], buf[MONEY_MAX_TEXT];
	size_t	i, n;

	money_format(v, full, sizeof full);
	memset(buf, 'x', sizeof buf);
	money_format(v, buf, len);
	if (len == 0) {
		assert(buf[0] == 'x');
		return;
	}
	n = strlen(full);
	if (n < len) {
		assert(strcmp(buf, full) == 0);
		return;
	}
	for (i = 0; i < len - 1; i++)
		assert(buf[i] == '#');
	assert(buf[len - 1] == '\0');
}

/* Parse text with every parser and check what each one promises. */
static void
fuzz_text(const char *s)
{
	struct duka_err	err;
	enum tax_class	c = (enum tax_class)99, c2;
	int64_t		v = SENTINEL;
	int		rc;

	duka_err_clear(&err);
	rc = money_parse(s, &v, &err);
	if (rc == DUKA_OK)
		money_round_trip(v);
	else {
		check_refusal(rc, &err);
		assert(v == SENTINEL);
	}

	v = SENTINEL;
	duka_err_clear(&err);
	rc = qty_parse(s, &v, &err);
	if (rc == DUKA_OK)
		qty_round_trip(v);
	else {
		check_refusal(rc, &err);
		assert(v == SENTINEL);
	}

	v = SENTINEL;
	duka_err_clear(&err);
	rc = percent_parse(s, &v, &err);
	if (rc == DUKA_OK)
		assert(v >= 0 && v <= 10000);
	else {
		check_refusal(rc, &err);
		assert(v == SENTINEL);
	}

	duka_err_clear(&err);
	rc = tax_class_parse(s, &c, &err);
	if (rc == DUKA_OK) {
		assert(tax_rate_bp(c) >= 0);
		assert(tax_class_parse(tax_class_name(c), &c2, NULL) ==
		    DUKA_OK && c2 == c);
	} else {
		check_refusal(rc, &err);
		assert(c == (enum tax_class)99);
	}
}

#ifdef __SIZEOF_INT128__
/* Reference rounding, half away from zero, in 128 bits. */
static __int128
ref_div_round(__int128 n, __int128 d)
{
	__int128	q = n / d, r = n % d;

	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return (q);
}

/* Whether a 128-bit value fits in int64_t. */
static int
fits64(__int128 x)
{
	return (x >= INT64_MIN && x <= INT64_MAX);
}
#endif

/* Check the arithmetic on two arbitrary int64 values. */
static void
fuzz_arith(int64_t a, int64_t b)
{
	struct duka_err	err;
	int64_t		out = SENTINEL, net, vat, d, bp;
	int		rc, k;

	money_round_trip(a);
	qty_round_trip(a);
	short_buffer(a, (size_t)((uint64_t)b % MONEY_MAX_TEXT));

	duka_err_clear(&err);
	rc = money_mul_qty(a, b, &out, &err);
#ifdef __SIZEOF_INT128__
	{
		__int128	want = ref_div_round((__int128)a * b, 1000);

		if (fits64(want))
			assert(rc == DUKA_OK && out == (int64_t)want);
		else {
			check_refusal(rc, &err);
			assert(out == SENTINEL);
		}
	}
#else
	if (rc != DUKA_OK)
		check_refusal(rc, &err);
#endif

	/* Any positive divisor, including INT64_MAX. */
	d = b > 0 ? b : (b == INT64_MIN ? INT64_MAX : (b == 0 ? 1 : -b));
	out = money_div_round(a, d);
#ifdef __SIZEOF_INT128__
	assert(out == (int64_t)ref_div_round(a, d));
#endif

	for (k = TAX_STANDARD; k <= TAX_EXEMPT; k++) {
		net = vat = SENTINEL;
		assert(vat_split(a, (enum tax_class)k, &net, &vat, NULL) ==
		    DUKA_OK);
		assert(net + vat == a);
		if (a >= 0)
			assert(vat >= 0 && vat <= a);
		else
			assert(vat <= 0 && vat >= a);
		if (tax_rate_bp((enum tax_class)k) == 0)
			assert(vat == 0);
#ifdef __SIZEOF_INT128__
		{
			int64_t	rate = tax_rate_bp((enum tax_class)k);

			assert(vat == (int64_t)ref_div_round((__int128)a * rate,
			    10000 + rate));
		}
#endif
		/* A refund splits as the mirror image of the sale. */
		if (a != INT64_MIN) {
			int64_t	net2, vat2;

			assert(vat_split(-a, (enum tax_class)k, &net2, &vat2,
			    NULL) == DUKA_OK);
			assert(net2 == -net && vat2 == -vat);
		}
	}

	bp = (int64_t)((uint64_t)b % 10001);
	out = SENTINEL;
	assert(money_percent(a, bp, &out, NULL) == DUKA_OK);
#ifdef __SIZEOF_INT128__
	assert(out == (int64_t)ref_div_round((__int128)a * bp, 10000));
#endif
	out = SENTINEL;
	duka_err_clear(&err);
	rc = money_percent(a, b, &out, &err);
	if (b < 0 || b > 10000) {
		check_refusal(rc, &err);
		assert(out == SENTINEL);
	} else
		assert(rc == DUKA_OK);
}

/* One fuzz input: libFuzzer's data is not NUL-terminated, so copy it. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	int64_t	 a, b;

	s = malloc(size + 1);
	if (s == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_text(s);
	free(s);

	if (size >= 16) {
		memcpy(&a, data, sizeof a);
		memcpy(&b, data + 8, sizeof b);
		fuzz_arith(a, b);
	}
	return (0);
}
