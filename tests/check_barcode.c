/*
 * check_barcode.c - unit tests for barcode.c: GS1 check digits, UPC-A/UPC-E
 * expansion, GTIN-14 and shop-internal codes, from tables of real codes and
 * deliberately broken ones.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "barcode.h"
#include "status.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

/* Codes that must be accepted, with their normal form and kind. */
static const struct {
	const char		*input;
	const char		*out;
	enum barcode_kind	 kind;
} bc_good[] = {
	/* Published EAN-13s, and a Kenyan (616) code made for the demo. */
	{ "4006381333931", "4006381333931", BARCODE_EAN13 },
	{ " 4006381333931\r\n", "4006381333931", BARCODE_EAN13 },
	{ "5000112548167", "5000112548167", BARCODE_EAN13 },
	{ "9780306406157", "9780306406157", BARCODE_EAN13 },
	{ "5901234123457", "5901234123457", BARCODE_EAN13 },
	{ "6161234567890", "6161234567890", BARCODE_EAN13 },
	{ "0000000000000", "0000000000000", BARCODE_EAN13 },
	/* UPC-A becomes its EAN-13 form. */
	{ "036000291452", "0036000291452", BARCODE_UPCA },
	{ "042100005264", "0042100005264", BARCODE_UPCA },
	{ "\t012000003455 ", "0012000003455", BARCODE_UPCA },
	/* EAN-8 is kept. */
	{ "96385074", "96385074", BARCODE_EAN8 },
	{ "73513537", "73513537", BARCODE_EAN8 },
	{ "10000007", "10000007", BARCODE_EAN8 },
	/*
	 * Valid as both EAN-8 and UPC-E: number system 0 reads as UPC-E
	 * (EAN-8 prefix 0 is for restricted in-store use), 1 as EAN-8.
	 */
	{ "00000000", "0000000000000", BARCODE_UPCE },
	{ "01234558", "0012345000058", BARCODE_UPCE },
	/* UPC-E, one per zero-suppression case, expanded to EAN-13 form. */
	{ "04252614", "0042100005264", BARCODE_UPCE },	/* d6 = 1 */
	{ "01234505", "0012000003455", BARCODE_UPCE },	/* d6 = 0 */
	{ "01234514", "0012100003454", BARCODE_UPCE },	/* d6 = 1 */
	{ "01234523", "0012200003453", BARCODE_UPCE },	/* d6 = 2 */
	{ "01234531", "0012300000451", BARCODE_UPCE },	/* d6 = 3 */
	{ "01234543", "0012340000053", BARCODE_UPCE },	/* d6 = 4 */
	{ "06543217", "0065100004327", BARCODE_UPCE },
	{ "11234540", "0112340000050", BARCODE_UPCE },	/* number system 1 */
	{ "19876502", "0198000007652", BARCODE_UPCE },
	/* GTIN-14: a leading 0 is dropped. */
	{ "10012345678902", "10012345678902", BARCODE_GTIN14 },
	{ "00012345678905", "0012345678905", BARCODE_GTIN14 },
	{ "04006381333931", "4006381333931", BARCODE_GTIN14 },
	/* Shop-internal codes, upper-cased. */
	{ "abc-12", "ABC-12", BARCODE_INTERNAL },
	{ "Sugar_2kg.v1", "SUGAR_2KG.V1", BARCODE_INTERNAL },
	{ " x ", "X", BARCODE_INTERNAL },
	{ "1", "1", BARCODE_INTERNAL },
	{ "12345", "12345", BARCODE_INTERNAL },
	{ "123456789", "123456789", BARCODE_INTERNAL },
	{ "12345678901", "12345678901", BARCODE_INTERNAL },
	{ "123456789012345", "123456789012345", BARCODE_INTERNAL },
	{ "4006381333931X", "4006381333931X", BARCODE_INTERNAL },
	{ "-", "-", BARCODE_INTERNAL },
	{ "12345678901234567890123456789012",
	    "12345678901234567890123456789012", BARCODE_INTERNAL },
	{ "abcdefghijklmnopqrstuvwxyz.-_789",
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-_789", BARCODE_INTERNAL },
};

/* Codes that must be refused, with phrases the reason must contain. */
static const struct {
	const char	*input;
	const char	*reason;
	const char	*detail;
} bc_bad[] = {
	{ "", "empty", "empty" },
	{ "   ", "empty", "empty" },
	{ "\r\n", "empty", "empty" },
	{ "4006381333932", "check digit", "should be 1, not 2" },
	{ "5000112548160", "check digit", "should be 7, not 0" },
	{ "036000291453", "check digit", "should be 2, not 3" },
	{ "96385075", "check digit", "should be 4, not 5" },
	{ "04252615", "check digit", "should be 0 as EAN-8 or 4 as UPC-E" },
	{ "11234541", "check digit", "should be 8 as EAN-8 or 0 as UPC-E" },
	{ "01234559", "check digit", "should be 8, not 9" },
	{ "01234530", "check digit", "should be 4 as EAN-8 or 1 as UPC-E" },
	{ "10012345678903", "check digit", "should be 2, not 3" },
	{ "00012345678904", "check digit", "should be 5, not 4" },
	{ "123456789012345678901234567890123", "too long", "at most 32" },
	{ "     123456789012345678901234567890123   ", "too long", "33" },
	{ "ABC 123", "not allowed", "' '" },
	{ "abc/1", "not allowed", "'/'" },
	{ "40063813+33931", "not allowed", "'+'" },
	{ "caf\xc3\xa9", "not allowed", "0xC3" },
	{ "abc\x01", "not allowed", "0x01" },
	{ "abc\tdef", "not allowed", "0x09" },
	{ "\x7f", "not allowed", "0x7F" },
};

/* barcode_check_digit over a prefix of a string. */
static const struct {
	const char	*digits;
	size_t		 n;
	int		 want;
} cd_cases[] = {
	{ "400638133393", 12, 1 },
	{ "4006381333931", 12, 1 },
	{ "03600029145", 11, 2 },
	{ "9638507", 7, 4 },
	{ "0042100005264", 12, 4 },
	{ "1001234567890", 13, 2 },
	{ "", 0, 0 },
	{ "0", 1, 0 },
	{ "1", 1, 7 },
	{ "12a", 3, -1 },
	{ "12a", 2, 3 },
};

/* barcode_is_gtin on normalised and other strings. */
static const struct {
	const char	*code;
	int		 want;
} gtin_cases[] = {
	{ "4006381333931", 1 },
	{ "96385074", 1 },
	{ "10012345678902", 1 },
	{ "0036000291452", 1 },
	{ "0000000000000", 1 },
	{ "036000291452", 0 },		/* UPC-A is never a normal form */
	{ "4006381333932", 0 },
	{ "400638133393a", 0 },
	{ "ABC", 0 },
	{ "", 0 },
	{ "12345", 0 },
};

/* barcode_ean13_make inputs; an empty want means refused. */
static const struct {
	const char	*twelve;
	const char	*want;
} make_cases[] = {
	{ "616123456789", "6161234567890" },
	{ "616000000001", "6160000000012" },
	{ "500011254816", "5000112548167" },
	{ "400638133393", "4006381333931" },
	{ "000000000000", "0000000000000" },
	{ "12345", "" },
	{ "61612345678a", "" },
	{ "6161234567890", "" },
	{ "", "" },
};

START_TEST(test_normalize_good)
{
	struct duka_err		err;
	char			out[BARCODE_MAX], again[BARCODE_MAX];
	enum barcode_kind	kind = (enum barcode_kind)99, kind2;

	duka_err_clear(&err);
	ck_assert_msg(barcode_normalize(bc_good[_i].input, out, &kind, &err) ==
	    DUKA_OK, "\"%s\" refused: %s", bc_good[_i].input, err.msg);
	ck_assert_str_eq(out, bc_good[_i].out);
	ck_assert_int_eq(kind, bc_good[_i].kind);

	/* The normal form is a fixed point, and a GTIN exactly when scanned. */
	ck_assert_int_eq(barcode_normalize(out, again, &kind2, NULL), DUKA_OK);
	ck_assert_str_eq(again, out);
	ck_assert_int_eq(barcode_is_gtin(out), kind != BARCODE_INTERNAL);
}
END_TEST

START_TEST(test_normalize_bad)
{
	struct duka_err		err;
	char			out[BARCODE_MAX] = "untouched";
	enum barcode_kind	kind = (enum barcode_kind)99;

	duka_err_clear(&err);
	ck_assert_int_eq(barcode_normalize(bc_bad[_i].input, out, &kind, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(err.code, DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, bc_bad[_i].reason) != NULL &&
	    strstr(err.msg, bc_bad[_i].detail) != NULL,
	    "\"%s\": message \"%s\" lacks \"%s\" or \"%s\"", bc_bad[_i].input,
	    err.msg, bc_bad[_i].reason, bc_bad[_i].detail);
	ck_assert_str_eq(out, "untouched");
	ck_assert_int_eq(kind, 99);
	ck_assert_int_eq(barcode_normalize(bc_bad[_i].input, out, &kind, NULL),
	    DUKA_EINPUT);
}
END_TEST

START_TEST(test_check_digit)
{
	ck_assert_int_eq(barcode_check_digit(cd_cases[_i].digits,
	    cd_cases[_i].n), cd_cases[_i].want);
}
END_TEST

START_TEST(test_is_gtin)
{
	ck_assert_msg(barcode_is_gtin(gtin_cases[_i].code) ==
	    gtin_cases[_i].want, "\"%s\"", gtin_cases[_i].code);
}
END_TEST

START_TEST(test_ean13_make)
{
	char	out[14] = "xxxxxxxxxxxxx";

	barcode_ean13_make(make_cases[_i].twelve, out);
	ck_assert_str_eq(out, make_cases[_i].want);
	if (out[0] != '\0')
		ck_assert_int_eq(barcode_is_gtin(out), 1);
}
END_TEST

/* Every single-digit error in a real EAN-13 must be caught. */
START_TEST(test_single_digit_errors)
{
	static const char	 good[] = "4006381333931";
	char			 code[sizeof good], out[BARCODE_MAX];
	struct duka_err		 err;
	enum barcode_kind	 kind;
	size_t			 pos;
	char			 d;

	for (pos = 0; pos < sizeof good - 1; pos++) {
		for (d = '0'; d <= '9'; d++) {
			if (d == good[pos])
				continue;
			memcpy(code, good, sizeof good);
			code[pos] = d;
			ck_assert_msg(barcode_normalize(code, out, &kind,
			    &err) == DUKA_EINPUT, "%s accepted", code);
		}
	}
}
END_TEST

START_TEST(test_kind_names)
{
	static const struct {
		enum barcode_kind	 kind;
		const char		*name;
	} t[] = {
		{ BARCODE_EAN13, "EAN-13" },
		{ BARCODE_EAN8, "EAN-8" },
		{ BARCODE_UPCA, "UPC-A" },
		{ BARCODE_UPCE, "UPC-E" },
		{ BARCODE_GTIN14, "GTIN-14" },
		{ BARCODE_INTERNAL, "internal" },
	};
	int	i;

	for (i = 0; i < NELEM(t); i++)
		ck_assert_str_eq(barcode_kind_name(t[i].kind), t[i].name);
	ck_assert_str_eq(barcode_kind_name((enum barcode_kind)42), "?");
}
END_TEST

/* Build the suite: one loop test per table. */
static Suite *
barcode_suite(void)
{
	Suite	*s = suite_create("barcode");
	TCase	*tc;

	tc = tcase_create("normalize");
	tcase_add_loop_test(tc, test_normalize_good, 0, NELEM(bc_good));
	tcase_add_loop_test(tc, test_normalize_bad, 0, NELEM(bc_bad));
	tcase_add_test(tc, test_single_digit_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("gtin");
	tcase_add_loop_test(tc, test_check_digit, 0, NELEM(cd_cases));
	tcase_add_loop_test(tc, test_is_gtin, 0, NELEM(gtin_cases));
	tcase_add_loop_test(tc, test_ean13_make, 0, NELEM(make_cases));
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);
	return (s);
}

/* Run the suite; the exit status is what make check reads. */
int
main(void)
{
	SRunner	*sr = srunner_create(barcode_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
