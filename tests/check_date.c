/* check_date.c - date parsing, calendar arithmetic and the shop's day. */
#include "config.h"

#include "date.h"
#include "testutil.h"

static const struct {
	const char *in;
	const char *out;	/* NULL: refused */
} parse_cases[] = {
	{ "2026-11-25", "2026-11-25" },
	{ " 2026-11-25 ", "2026-11-25" },
	{ "25/11/2026", "2026-11-25" },
	{ "2024-02-29", "2024-02-29" },
	{ "2000-02-29", "2000-02-29" },
	{ "2026-12-31", "2026-12-31" },
	{ "2026-02-30", NULL },
	{ "30/02/2026", NULL },
	{ "2025-02-29", NULL },
	{ "2100-02-29", NULL },
	{ "2026-04-31", NULL },
	{ "2026-13-01", NULL },
	{ "2026-00-10", NULL },
	{ "2026-01-00", NULL },
	{ "1999-12-31", NULL },
	{ "2026-1-5", NULL },
	{ "2026/11/25", NULL },
	{ "tomorrow", NULL },
	{ "", NULL },
	{ "   ", NULL },
	{ "2026-11-25x", NULL },
	{ "20261125", NULL },
	{ "2026-11-2a", NULL },
};

START_TEST(test_parse)
{
	struct duka_err err = { 0, "" };
	char out[DATE_LEN] = "unchanged";
	int rc = date_parse(parse_cases[_i].in, out, &err);

	if (parse_cases[_i].out != NULL) {
		ck_assert_msg(rc == DUKA_OK, "%s: %s", parse_cases[_i].in,
		    err.msg);
		ck_assert_str_eq(out, parse_cases[_i].out);
	} else {
		ck_assert_msg(rc == DUKA_EINPUT, "%s accepted",
		    parse_cases[_i].in);
		ck_assert_str_ne(err.msg, "");
	}
}
END_TEST

START_TEST(test_arithmetic)
{
	char out[DATE_LEN];

	ck_assert_int_eq(date_diff_days("2026-11-25", "2026-11-25"), 0);
	ck_assert_int_eq(date_diff_days("2026-11-25", "2026-12-25"), 30);
	ck_assert_int_eq(date_diff_days("2026-12-25", "2026-11-25"), -30);
	ck_assert_int_eq(date_diff_days("2024-02-28", "2024-03-01"), 2);
	ck_assert_int_eq(date_diff_days("2026-01-01", "2027-01-01"), 365);
	date_add_days("2026-12-31", 1, out);
	ck_assert_str_eq(out, "2027-01-01");
	date_add_days("2024-03-01", -1, out);
	ck_assert_str_eq(out, "2024-02-29");
	date_add_days("2026-11-25", 30, out);
	ck_assert_str_eq(out, "2026-12-25");
}
END_TEST

START_TEST(test_business_day_in_nairobi)
{
	struct duka_err err = { 0, "" };
	char out[DATE_LEN], ts[TIMESTAMP_LEN];

	ck_assert_int_eq(date_set_timezone("Africa/Nairobi", &err), DUKA_OK);
	/* 22:30 UTC is 01:30 the next day in Nairobi (UTC+3). */
	setenv("DUKA_NOW", "2026-11-25T22:30:00Z", 1);
	date_today(out);
	ck_assert_str_eq(out, "2026-11-26");
	date_now_timestamp(ts);
	ck_assert_str_eq(ts, "2026-11-25T22:30:00.000Z");
	setenv("DUKA_NOW", "2026-11-25T20:59:59Z", 1);
	date_today(out);
	ck_assert_str_eq(out, "2026-11-25");
	unsetenv("DUKA_NOW");
	date_now_timestamp(ts);
	ck_assert_int_eq(strlen(ts), 24);
	ck_assert_int_eq(ts[23], 'Z');
}
END_TEST

START_TEST(test_bad_timezone)
{
	struct duka_err err = { 0, "" };

	ck_assert_int_eq(date_set_timezone("Africa/Narobi", &err), DUKA_ECONFIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "Narobi"));
	ck_assert_int_eq(date_set_timezone("../../etc/passwd", &err),
	    DUKA_ECONFIG);
	ck_assert_int_eq(date_set_timezone("", &err), DUKA_ECONFIG);
}
END_TEST

static Suite *
date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("date");

	tcase_add_loop_test(tc, test_parse, 0,
	    (int)(sizeof parse_cases / sizeof parse_cases[0]));
	tcase_add_test(tc, test_arithmetic);
	tcase_add_test(tc, test_business_day_in_nairobi);
	tcase_add_test(tc, test_bad_timezone);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(date_suite());
}
