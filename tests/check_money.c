/*
 * check_money.c - unit tests for money.c: parsing, formatting, rounding,
 * VAT and discounts, each driven by a table of good and bad inputs.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "status.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

/* A value no parser produces from the tables, to prove outputs untouched. */
#define SENTINEL ((int64_t)0x5a5a5a5a5a5a5a5aLL)

/* Assert that err holds a refusal whose message contains want. */
static void
assert_refused(int rc, const struct duka_err *err, const char *input,
    const char *want)
{
	ck_assert_msg(rc == DUKA_EINPUT, "\"%s\": rc %d, want DUKA_EINPUT",
	    input, rc);
	ck_assert_int_eq(err->code, DUKA_EINPUT);
	ck_assert_msg(strstr(err->msg, want) != NULL,
	    "\"%s\": message \"%s\" lacks \"%s\"", input, err->msg, want);
}

/* Inputs money_parse must accept, with the cents they mean. */
static const struct {
	const char	*text;
	int64_t		 cents;
} money_good[] = {
	{ "1250", 125000 },
	{ "1,250.50", 125050 },
	{ "1250.5", 125050 },
	{ "1250.50", 125050 },
	{ "KSh 1,250.50", 125050 },
	{ "KSh1250", 125000 },
	{ "KES 1,250.50", 125050 },
	{ "Ksh 12", 1200 },
	{ "ksh12", 1200 },
	{ "KSH 12", 1200 },
	{ "kes 0.5", 50 },
	{ "KSh   7", 700 },
	{ "KSh\t7", 700 },
	{ "  12  ", 1200 },
	{ "\t12\r\n", 1200 },
	{ "-12", -1200 },
	{ "-3.05", -305 },
	{ "-KSh 3.05", -305 },
	{ "KSh -3.05", -305 },
	{ "KSh-3.05", -305 },
	{ " -KSh3.05 ", -305 },
	{ "0", 0 },
	{ "0.00", 0 },
	{ "-0", 0 },
	{ "-0.00", 0 },
	{ ".5", 50 },
	{ "0.01", 1 },
	{ "-0.01", -1 },
	{ "1.5", 150 },
	{ "007", 700 },
	{ "999", 99900 },
	{ "1,000", 100000 },
	{ "1,000,000", 100000000 },
	{ "12,345,678.90", 1234567890 },
	{ "000000000000000000000000001", 100 },
	{ "92,233,720,368,547,758.07", INT64_MAX },
	{ "92233720368547758.07", INT64_MAX },
	{ "-92,233,720,368,547,758.08", INT64_MIN },
	{ "KSh -92233720368547758.08", INT64_MIN },
};

/* Inputs money_parse must refuse, with a phrase the reason must contain. */
static const struct {
	const char	*text;
	const char	*reason;
} money_bad[] = {
	{ "", "No amount" },
	{ "   ", "No amount" },
	{ "-", "no digits" },
	{ "KSh", "no digits" },
	{ "KSh -", "no digits" },
	{ ".", "no digits" },
	{ "-.", "no digits" },
	{ "abc", "not a number" },
	{ "+5", "not a number" },
	{ "--5", "not a number" },
	{ "- 5", "not a number" },
	{ "-KSh -5", "not a number" },
	{ "KShs 12", "not a number" },
	{ "USD 12", "not a number" },
	{ "K12", "not a number" },
	{ ",125", "not a number" },
	{ "12.345", "more than 2 decimal" },
	{ "0.001", "more than 2 decimal" },
	{ "1,250.505", "more than 2 decimal" },
	{ "0.000000000000000000000000001", "more than 2 decimal" },
	{ "1.2345.6", "more than one decimal point" },
	{ "12.3456e3", "exponent" },
	{ "1e3", "exponent" },
	{ "1E3", "exponent" },
	{ "1.5e2", "exponent" },
	{ "1.2.3", "more than one decimal point" },
	{ "1..2", "more than one decimal point" },
	{ "12abc", "unexpected" },
	{ "12 34", "unexpected" },
	{ "12-", "unexpected" },
	{ "12%", "unexpected" },
	{ "0x10", "unexpected" },
	{ "KSh 12 KSh", "unexpected" },
	{ "12\x01", "unexpected" },
	{ "1,25.00", "thousands separator" },
	{ "12,50", "thousands separator" },
	{ "1250,000", "thousands separator" },
	{ "1,,250", "thousands separator" },
	{ "1,250,", "thousands separator" },
	{ "1,2500", "thousands separator" },
	{ "1.250,50", "thousands separator" },
	{ "12.", "after the decimal point" },
	{ "12345678901234567890", "too large" },
	{ "99999999999999999999999999", "too large" },
	{ "92233720368547758.08", "too large" },
	{ "92,233,720,368,547,758.08", "too large" },
	{ "-92233720368547758.09", "too large" },
	{ "184467440737095516.16", "too large" },
};

/* Values with their exact money_format and money_format_ksh text. */
static const struct {
	int64_t		 cents;
	const char	*plain;
	const char	*ksh;
} money_fmt[] = {
	{ 0, "0.00", "KSh 0.00" },
	{ 1, "0.01", "KSh 0.01" },
	{ -1, "-0.01", "KSh -0.01" },
	{ 5, "0.05", "KSh 0.05" },
	{ 10, "0.10", "KSh 0.10" },
	{ 100, "1.00", "KSh 1.00" },
	{ -305, "-3.05", "KSh -3.05" },
	{ 99999, "999.99", "KSh 999.99" },
	{ 100000, "1,000.00", "KSh 1,000.00" },
	{ 125050, "1,250.50", "KSh 1,250.50" },
	{ -125050, "-1,250.50", "KSh -1,250.50" },
	{ 10000000, "100,000.00", "KSh 100,000.00" },
	{ 100000000, "1,000,000.00", "KSh 1,000,000.00" },
	{ INT64_MAX, "92,233,720,368,547,758.07",
	    "KSh 92,233,720,368,547,758.07" },
	{ INT64_MIN, "-92,233,720,368,547,758.08",
	    "KSh -92,233,720,368,547,758.08" },
};

/* Quantities qty_parse must accept. */
static const struct {
	const char	*text;
	int64_t		 thousandths;
} qty_good[] = {
	{ "3", 3000 },
	{ "0.25", 250 },
	{ "0.250", 250 },
	{ "1.5", 1500 },
	{ ".5", 500 },
	{ "-1", -1000 },
	{ "-0.25", -250 },
	{ "0.001", 1 },
	{ " 2 ", 2000 },
	{ "0", 0 },
	{ "10.000", 10000 },
	{ "1000", 1000000 },
	{ "9223372036854775.807", INT64_MAX },
	{ "-9223372036854775.808", INT64_MIN },
};

/* Quantities qty_parse must refuse. */
static const struct {
	const char	*text;
	const char	*reason;
} qty_bad[] = {
	{ "", "No quantity" },
	{ " ", "No quantity" },
	{ "-", "no digits" },
	{ "abc", "not a number" },
	{ "KSh 3", "not a number" },
	{ "1e3", "exponent" },
	{ "0.0001", "more than 3 decimal" },
	{ "1.2345", "more than 3 decimal" },
	{ "1,500", "comma" },
	{ "1,5", "comma" },
	{ "1.2.3", "more than one decimal point" },
	{ "1kg", "unexpected" },
	{ "3.", "after the decimal point" },
	{ "9223372036854775.808", "too large" },
	{ "-9223372036854775.809", "too large" },
	{ "99999999999999999999", "too large" },
};

/* Quantities with their exact qty_format text. */
static const struct {
	int64_t		 thousandths;
	const char	*text;
} qty_fmt[] = {
	{ 3000, "3" },
	{ 250, "0.25" },
	{ 1500, "1.5" },
	{ -250, "-0.25" },
	{ 0, "0" },
	{ 1, "0.001" },
	{ -1, "-0.001" },
	{ 10, "0.01" },
	{ 100, "0.1" },
	{ 1000000, "1000" },
	{ 1234567, "1234.567" },
	{ -3000, "-3" },
	{ INT64_MAX, "9223372036854775.807" },
	{ INT64_MIN, "-9223372036854775.808" },
};

/* Line amounts; ok 0 means the result does not fit and must be refused. */
static const struct {
	int64_t	unit;
	int64_t	qty;
	int	ok;
	int64_t	want;
} mul_cases[] = {
	{ 12000, 250, 1, 3000 },	/* 0.250 kg at 120.00 = 30.00 */
	{ 10, 333, 1, 3 },		/* 0.333 at 0.10 = 0.0333 */
	{ 10, 350, 1, 4 },		/* 0.035 rounds up */
	{ -10, 350, 1, -4 },
	{ 10, -350, 1, -4 },
	{ -10, -350, 1, 4 },
	{ 1, 500, 1, 1 },		/* exactly half a cent */
	{ -1, 500, 1, -1 },
	{ 1, -500, 1, -1 },
	{ 1, 499, 1, 0 },
	{ -1, 499, 1, 0 },
	{ 1, 1500, 1, 2 },
	{ -1, 1500, 1, -2 },
	{ 3, 2500, 1, 8 },		/* 7.5 */
	{ 12345, 1000, 1, 12345 },
	{ 9999, 3000, 1, 29997 },
	{ 0, 123456, 1, 0 },
	{ 100, 0, 1, 0 },
	{ INT64_MAX, 1000, 1, INT64_MAX },
	{ INT64_MIN, 1000, 1, INT64_MIN },
	{ INT64_MAX, -1000, 1, -INT64_MAX },
	{ INT64_MAX, 999, 1, INT64_C(9214148664817921031) },
	{ INT64_MIN, 999, 1, INT64_C(-9214148664817921032) },
	{ INT64_MAX, 1, 1, INT64_C(9223372036854776) },
	{ INT64_MIN, 1, 1, INT64_C(-9223372036854776) },
	{ INT64_C(10000000000000000), 2000, 1, INT64_C(20000000000000000) },
	{ INT64_MAX / 2, 2000, 1, INT64_MAX - 1 },
	{ -INT64_C(4611686018427387904), 2000, 1, INT64_MIN },
	{ INT64_C(4611686018427387904), 2000, 0, 0 },
	{ INT64_MIN, -1000, 0, 0 },
	{ INT64_MAX, 2000, 0, 0 },
	{ INT64_MAX, 1001, 0, 0 },
	{ INT64_MIN, INT64_MIN, 0, 0 },
	{ INT64_MAX, INT64_MAX, 0, 0 },
};

/* money_div_round cases, den > 0. */
static const struct {
	int64_t	num;
	int64_t	den;
	int64_t	want;
} div_cases[] = {
	{ 7, 2, 4 },
	{ -7, 2, -4 },
	{ 5, 2, 3 },
	{ -5, 2, -3 },
	{ 3, 6, 1 },
	{ -3, 6, -1 },
	{ 1, 3, 0 },
	{ 2, 3, 1 },
	{ -2, 3, -1 },
	{ -1, 3, 0 },
	{ 0, 5, 0 },
	{ 10, 5, 2 },
	{ -10, 5, -2 },
	{ INT64_MAX, 1, INT64_MAX },
	{ INT64_MIN, 1, INT64_MIN },
	{ INT64_MAX, 2, INT64_C(4611686018427387904) },
	{ INT64_MIN, 2, INT64_C(-4611686018427387904) },
	{ INT64_MIN, INT64_MAX, -1 },
	{ INT64_MAX, INT64_MAX, 1 },
	{ INT64_MAX / 2, INT64_MAX, 0 },
	{ INT64_MAX / 2 + 1, INT64_MAX, 1 },
	{ -(INT64_MAX / 2), INT64_MAX, 0 },
	{ -(INT64_MAX / 2) - 1, INT64_MAX, -1 },
};

/* VAT splits of tax-inclusive amounts. */
static const struct {
	int64_t		gross;
	enum tax_class	class;
	int64_t		net;
	int64_t		vat;
} vat_cases[] = {
	{ 11600, TAX_STANDARD, 10000, 1600 },
	{ -11600, TAX_STANDARD, -10000, -1600 },
	{ 100, TAX_STANDARD, 86, 14 },
	{ -100, TAX_STANDARD, -86, -14 },
	{ 1, TAX_STANDARD, 1, 0 },
	{ -1, TAX_STANDARD, -1, 0 },
	{ 4, TAX_STANDARD, 3, 1 },	/* 0.5517 rounds up */
	{ 3, TAX_STANDARD, 3, 0 },	/* 0.4138 rounds down */
	{ -4, TAX_STANDARD, -3, -1 },
	{ 29, TAX_STANDARD, 25, 4 },	/* exact: 29 * 16 / 116 = 4 */
	{ 0, TAX_STANDARD, 0, 0 },
	{ 125050, TAX_STANDARD, 107802, 17248 },
	{ 11600, TAX_ZERO, 11600, 0 },
	{ 11600, TAX_EXEMPT, 11600, 0 },
	{ -11600, TAX_EXEMPT, -11600, 0 },
	{ INT64_MAX, TAX_STANDARD, INT64_C(7951182790392048109),
	    INT64_C(1272189246462727698) },
	{ INT64_MIN, TAX_STANDARD, INT64_C(-7951182790392048110),
	    INT64_C(-1272189246462727698) },
	{ INT64_MIN, TAX_ZERO, INT64_MIN, 0 },
};

/* Discounts; ok 0 means the percentage must be refused. */
static const struct {
	int64_t	amount;
	int64_t	bp;
	int	ok;
	int64_t	want;
} pct_cases[] = {
	{ 10000, 1000, 1, 1000 },
	{ 12345, 1250, 1, 1543 },	/* 1543.125 */
	{ 5, 1000, 1, 1 },		/* 0.5 */
	{ -5, 1000, 1, -1 },
	{ 4, 1250, 1, 1 },		/* 0.5 */
	{ 3, 1250, 1, 0 },		/* 0.375 */
	{ 100, 0, 1, 0 },
	{ 100, 10000, 1, 100 },
	{ INT64_MAX, 10000, 1, INT64_MAX },
	{ INT64_MIN, 10000, 1, INT64_MIN },
	{ INT64_MAX, 5000, 1, INT64_C(4611686018427387904) },
	{ INT64_MIN, 5000, 1, INT64_C(-4611686018427387904) },
	{ INT64_MAX, 1, 1, INT64_C(922337203685478) },
	{ 100, -1, 0, 0 },
	{ 100, 10001, 0, 0 },
	{ 100, INT64_MIN, 0, 0 },
	{ 100, INT64_MAX, 0, 0 },
};

/* Percentages percent_parse must accept. */
static const struct {
	const char	*text;
	int64_t		 bp;
} percent_good[] = {
	{ "12.5", 1250 },
	{ "12.5%", 1250 },
	{ "16 %", 1600 },
	{ " 7.25 ", 725 },
	{ "0", 0 },
	{ "0%", 0 },
	{ "100", 10000 },
	{ "100%", 10000 },
	{ "100.00", 10000 },
	{ "0.01", 1 },
	{ ".5", 50 },
	{ "050", 5000 },
};

/* Percentages percent_parse must refuse. */
static const struct {
	const char	*text;
	const char	*reason;
} percent_bad[] = {
	{ "", "No percentage" },
	{ "%", "not a number" },
	{ "-", "not a number" },
	{ "abc", "not a number" },
	{ "100.01", "between 0 and 100" },
	{ "101", "between 0 and 100" },
	{ "-5", "between 0 and 100" },
	{ "-0.5", "between 0 and 100" },
	{ "99999999999999999999", "between 0 and 100" },
	{ "12.345", "more than 2 decimal" },
	{ "1e2", "exponent" },
	{ "12,5", "comma" },
	{ "12%%", "unexpected" },
	{ "12.5 % x", "unexpected" },
	{ "12.", "after the decimal point" },
	{ "1.2.3", "more than one decimal point" },
};

/* Spellings of tax classes that must be accepted. */
static const struct {
	const char	*text;
	enum tax_class	 class;
} tax_good[] = {
	{ "standard", TAX_STANDARD },
	{ " Standard ", TAX_STANDARD },
	{ "STANDARD", TAX_STANDARD },
	{ "S", TAX_STANDARD },
	{ "s", TAX_STANDARD },
	{ "vat", TAX_STANDARD },
	{ "VAT", TAX_STANDARD },
	{ "16", TAX_STANDARD },
	{ "16%", TAX_STANDARD },
	{ "zero", TAX_ZERO },
	{ "Z", TAX_ZERO },
	{ "zero-rated", TAX_ZERO },
	{ "Zero-Rated", TAX_ZERO },
	{ "ZERO RATED", TAX_ZERO },
	{ "0", TAX_ZERO },
	{ "0%", TAX_ZERO },
	{ "exempt", TAX_EXEMPT },
	{ "Exempt", TAX_EXEMPT },
	{ "E", TAX_EXEMPT },
	{ "e\n", TAX_EXEMPT },
};

/* Tax class spellings that must be refused. */
static const char *const tax_bad[] = {
	"", " ", "16.0", "8", "x", "standardx", "zero-rate", "exempted",
	"invalid", "zero  rated", "1 6", "s s",
};

START_TEST(test_money_parse_good)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;
	int		rc;

	duka_err_clear(&err);
	rc = money_parse(money_good[_i].text, &v, &err);
	ck_assert_msg(rc == DUKA_OK, "\"%s\" refused: %s", money_good[_i].text,
	    err.msg);
	ck_assert_msg(v == money_good[_i].cents, "\"%s\" gave %lld",
	    money_good[_i].text, (long long)v);
}
END_TEST

START_TEST(test_money_parse_bad)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;

	duka_err_clear(&err);
	assert_refused(money_parse(money_bad[_i].text, &v, &err), &err,
	    money_bad[_i].text, money_bad[_i].reason);
	ck_assert(v == SENTINEL);
	/* A NULL err is allowed and must not crash. */
	ck_assert_int_eq(money_parse(money_bad[_i].text, &v, NULL),
	    DUKA_EINPUT);
	ck_assert(v == SENTINEL);
}
END_TEST

START_TEST(test_money_format)
{
	char		buf[MONEY_MAX_TEXT];
	int64_t		v = SENTINEL;

	money_format(money_fmt[_i].cents, buf, sizeof buf);
	ck_assert_str_eq(buf, money_fmt[_i].plain);
	ck_assert_int_eq(money_parse(buf, &v, NULL), DUKA_OK);
	ck_assert(v == money_fmt[_i].cents);

	money_format_ksh(money_fmt[_i].cents, buf, sizeof buf);
	ck_assert_str_eq(buf, money_fmt[_i].ksh);
	v = SENTINEL;
	ck_assert_int_eq(money_parse(buf, &v, NULL), DUKA_OK);
	ck_assert(v == money_fmt[_i].cents);
}
END_TEST

START_TEST(test_money_format_small)
{
	char	buf[MONEY_MAX_TEXT];

	/* Exactly enough room: the text and its NUL. */
	money_format(100, buf, 5);
	ck_assert_str_eq(buf, "1.00");
	/* One byte short: visibly not a number rather than clipped. */
	money_format(125050, buf, 8);
	ck_assert_str_eq(buf, "#######");
	money_format_ksh(125050, buf, 12);
	ck_assert_str_eq(buf, "###########");
	qty_format(1500, buf, 3);
	ck_assert_str_eq(buf, "##");
	money_format(100, buf, 1);
	ck_assert_str_eq(buf, "");
	/* A zero length writes nothing at all. */
	buf[0] = 'x';
	money_format(100, buf, 0);
	ck_assert_int_eq(buf[0], 'x');
}
END_TEST

START_TEST(test_qty_parse_good)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;

	duka_err_clear(&err);
	ck_assert_msg(qty_parse(qty_good[_i].text, &v, &err) == DUKA_OK,
	    "\"%s\" refused: %s", qty_good[_i].text, err.msg);
	ck_assert_msg(v == qty_good[_i].thousandths, "\"%s\" gave %lld",
	    qty_good[_i].text, (long long)v);
}
END_TEST

START_TEST(test_qty_parse_bad)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;

	duka_err_clear(&err);
	assert_refused(qty_parse(qty_bad[_i].text, &v, &err), &err,
	    qty_bad[_i].text, qty_bad[_i].reason);
	ck_assert(v == SENTINEL);
}
END_TEST

START_TEST(test_qty_format)
{
	char	buf[MONEY_MAX_TEXT];
	int64_t	v = SENTINEL;

	qty_format(qty_fmt[_i].thousandths, buf, sizeof buf);
	ck_assert_str_eq(buf, qty_fmt[_i].text);
	ck_assert_int_eq(qty_parse(buf, &v, NULL), DUKA_OK);
	ck_assert(v == qty_fmt[_i].thousandths);
}
END_TEST

START_TEST(test_mul_qty)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;
	int		rc;

	duka_err_clear(&err);
	rc = money_mul_qty(mul_cases[_i].unit, mul_cases[_i].qty, &v, &err);
	if (mul_cases[_i].ok) {
		ck_assert_int_eq(rc, DUKA_OK);
		ck_assert_msg(v == mul_cases[_i].want, "%lld * %lld gave %lld",
		    (long long)mul_cases[_i].unit, (long long)mul_cases[_i].qty,
		    (long long)v);
	} else {
		assert_refused(rc, &err, "mul", "too large");
		ck_assert(v == SENTINEL);
	}
}
END_TEST

START_TEST(test_div_round)
{
	int64_t	v;

	v = money_div_round(div_cases[_i].num, div_cases[_i].den);
	ck_assert_msg(v == div_cases[_i].want, "%lld / %lld gave %lld",
	    (long long)div_cases[_i].num, (long long)div_cases[_i].den,
	    (long long)v);
}
END_TEST

START_TEST(test_vat_split)
{
	int64_t	net = SENTINEL, vat = SENTINEL;

	ck_assert_int_eq(vat_split(vat_cases[_i].gross, vat_cases[_i].class,
	    &net, &vat, NULL), DUKA_OK);
	ck_assert_msg(net == vat_cases[_i].net && vat == vat_cases[_i].vat,
	    "%lld: net %lld vat %lld", (long long)vat_cases[_i].gross,
	    (long long)net, (long long)vat);
	ck_assert(net + vat == vat_cases[_i].gross);
}
END_TEST

START_TEST(test_vat_split_bad_class)
{
	struct duka_err	err;
	int64_t		net = SENTINEL, vat = SENTINEL;

	duka_err_clear(&err);
	assert_refused(vat_split(11600, (enum tax_class)7, &net, &vat, &err),
	    &err, "class 7", "tax class");
	ck_assert(net == SENTINEL && vat == SENTINEL);
}
END_TEST

START_TEST(test_money_percent)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;
	int		rc;

	duka_err_clear(&err);
	rc = money_percent(pct_cases[_i].amount, pct_cases[_i].bp, &v, &err);
	if (pct_cases[_i].ok) {
		ck_assert_int_eq(rc, DUKA_OK);
		ck_assert_msg(v == pct_cases[_i].want, "%lld at %lld bp: %lld",
		    (long long)pct_cases[_i].amount,
		    (long long)pct_cases[_i].bp, (long long)v);
	} else {
		assert_refused(rc, &err, "percent", "between 0 and 100");
		ck_assert(v == SENTINEL);
	}
}
END_TEST

START_TEST(test_percent_parse_good)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;

	duka_err_clear(&err);
	ck_assert_msg(percent_parse(percent_good[_i].text, &v, &err) ==
	    DUKA_OK, "\"%s\" refused: %s", percent_good[_i].text, err.msg);
	ck_assert(v == percent_good[_i].bp);
}
END_TEST

START_TEST(test_percent_parse_bad)
{
	struct duka_err	err;
	int64_t		v = SENTINEL;

	duka_err_clear(&err);
	assert_refused(percent_parse(percent_bad[_i].text, &v, &err), &err,
	    percent_bad[_i].text, percent_bad[_i].reason);
	ck_assert(v == SENTINEL);
}
END_TEST

START_TEST(test_tax_parse_good)
{
	struct duka_err	err;
	enum tax_class	c = (enum tax_class)99;

	duka_err_clear(&err);
	ck_assert_msg(tax_class_parse(tax_good[_i].text, &c, &err) == DUKA_OK,
	    "\"%s\" refused: %s", tax_good[_i].text, err.msg);
	ck_assert_int_eq(c, tax_good[_i].class);
}
END_TEST

START_TEST(test_tax_parse_bad)
{
	struct duka_err	err;
	enum tax_class	c = (enum tax_class)99;

	duka_err_clear(&err);
	assert_refused(tax_class_parse(tax_bad[_i], &c, &err), &err,
	    tax_bad[_i], "tax class");
	ck_assert_int_eq(c, 99);
}
END_TEST

START_TEST(test_tax_classes)
{
	static const struct {
		enum tax_class	 class;
		int64_t		 bp;
		const char	*name;
	} t[] = {
		{ TAX_STANDARD, 1600, "standard" },
		{ TAX_ZERO, 0, "zero" },
		{ TAX_EXEMPT, 0, "exempt" },
	};
	enum tax_class	c;
	int		i;

	for (i = 0; i < NELEM(t); i++) {
		ck_assert(tax_rate_bp(t[i].class) == t[i].bp);
		ck_assert_str_eq(tax_class_name(t[i].class), t[i].name);
		/* The stored name must read back as the same class. */
		ck_assert_int_eq(tax_class_parse(t[i].name, &c, NULL), DUKA_OK);
		ck_assert_int_eq(c, t[i].class);
	}
	ck_assert(tax_rate_bp((enum tax_class)3) == -1);
	ck_assert_str_eq(tax_class_name((enum tax_class)3), "invalid");
}
END_TEST

/* Build the suite: one loop test per table. */
static Suite *
money_suite(void)
{
	Suite	*s = suite_create("money");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_money_parse_good, 0, NELEM(money_good));
	tcase_add_loop_test(tc, test_money_parse_bad, 0, NELEM(money_bad));
	tcase_add_loop_test(tc, test_qty_parse_good, 0, NELEM(qty_good));
	tcase_add_loop_test(tc, test_qty_parse_bad, 0, NELEM(qty_bad));
	tcase_add_loop_test(tc, test_percent_parse_good, 0,
	    NELEM(percent_good));
	tcase_add_loop_test(tc, test_percent_parse_bad, 0, NELEM(percent_bad));
	tcase_add_loop_test(tc, test_tax_parse_good, 0, NELEM(tax_good));
	tcase_add_loop_test(tc, test_tax_parse_bad, 0, NELEM(tax_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_money_format, 0, NELEM(money_fmt));
	tcase_add_test(tc, test_money_format_small);
	tcase_add_loop_test(tc, test_qty_format, 0, NELEM(qty_fmt));
	suite_add_tcase(s, tc);

	tc = tcase_create("arith");
	tcase_add_loop_test(tc, test_mul_qty, 0, NELEM(mul_cases));
	tcase_add_loop_test(tc, test_div_round, 0, NELEM(div_cases));
	tcase_add_loop_test(tc, test_vat_split, 0, NELEM(vat_cases));
	tcase_add_test(tc, test_vat_split_bad_class);
	tcase_add_loop_test(tc, test_money_percent, 0, NELEM(pct_cases));
	tcase_add_test(tc, test_tax_classes);
	suite_add_tcase(s, tc);
	return (s);
}

/* Run the suite; the exit status is what make check reads. */
int
main(void)
{
	SRunner	*sr = srunner_create(money_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
