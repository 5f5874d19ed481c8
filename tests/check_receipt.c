/*
 * check_receipt.c - tests for receipt.c (the slip's text layout),
 * escpos.c (printer bytes, against a golden copy written out by hand
 * below) and printer.c (files, devices, and a TCP listener started here on
 * 127.0.0.1: delivery, refusal, a printer that stops reading, a connect
 * that is never answered, a printer that hangs up).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "escpos.h"
#include "printer.h"
#include "receipt.h"
#include "status.h"
#include "testutil.h"
#include "text.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define HAS(b, n, s) (memmem((b), (n), (s), strlen(s)) != NULL)

/* Whether wcswidth(3) can be trusted as a second opinion on widths. */
static int have_utf8_locale;

/* Fill a line; name and unit are copied. */
static struct receipt_line
mkline(const char *name, const char *unit, int64_t qty, int64_t price,
    int64_t amount, int64_t discount, enum tax_class tax)
{
	struct receipt_line l;

	memset(&l, 0, sizeof l);
	snprintf(l.name, sizeof l.name, "%s", name);
	snprintf(l.unit, sizeof l.unit, "%s", unit);
	l.qty = qty;
	l.unit_price = price;
	l.amount = amount;
	l.discount = discount;
	l.tax = tax;
	return l;
}

/* Fill a tender. */
static struct receipt_tender
mktender(const char *kind, const char *ref, int64_t amount, int64_t tendered)
{
	struct receipt_tender t;

	memset(&t, 0, sizeof t);
	snprintf(t.kind, sizeof t.kind, "%s", kind);
	snprintf(t.reference, sizeof t.reference, "%s", ref);
	t.amount = amount;
	t.tendered = tendered;
	return t;
}

/* Add a line that must be accepted. */
static void
add_line(struct receipt *r, struct receipt_line l)
{
	struct duka_err err = { 0, "" };

	if (receipt_add_line(r, &l, &err) != DUKA_OK)
		ck_abort_msg("receipt_add_line %s: %s", l.name, err.msg);
}

/* Add a tender that must be accepted. */
static void
add_tender(struct receipt *r, struct receipt_tender t)
{
	struct duka_err err = { 0, "" };

	if (receipt_add_tender(r, &t, &err) != DUKA_OK)
		ck_abort_msg("receipt_add_tender %s: %s", t.kind, err.msg);
}

/* The shop header every test receipt has. */
static struct receipt *
shop_receipt(void)
{
	struct settings s;
	struct receipt *r;

	ck_assert_ptr_nonnull(r = receipt_new());
	settings_defaults(&s);
	snprintf(s.shop_name, sizeof s.shop_name, "Duka la Mama");
	snprintf(s.shop_address, sizeof s.shop_address, "Moi Avenue, Nairobi");
	snprintf(s.kra_pin, sizeof s.kra_pin, "P051234567X");
	snprintf(s.shop_phone, sizeof s.shop_phone, "0712 345 678");
	snprintf(s.till_id, sizeof s.till_id, "1");
	receipt_set_shop(r, &s);
	snprintf(r->number, sizeof r->number, "1-000123");
	snprintf(r->attendant, sizeof r->attendant, "Wanjiku");
	snprintf(r->time, sizeof r->time, "2024-05-01 14:32");
	return r;
}

/*
 * The golden receipt: a single piece, two pieces with a line discount, a
 * weighed item, a zero-rated item, a sale discount, the three tax classes,
 * M-PESA plus cash with change. The sale module's arithmetic: 250 + 130
 * - 10 + 20 + 55 - 5 = 440.00, of which A 365.00 (VAT 50.34), Z 55.00,
 * E 20.00.
 */
static struct receipt *
golden_receipt(void)
{
	struct receipt *r = shop_receipt();

	add_line(r, mkline("Caf\xc3\xa9 Tanga 500g", "", 1000, 25000, 25000, 0,
	    TAX_STANDARD));
	add_line(r, mkline("Sugar 2kg", "", 2000, 6500, 13000, 1000,
	    TAX_STANDARD));
	add_line(r, mkline("Sukuma wiki", "kg", 250, 8000, 2000, 0,
	    TAX_EXEMPT));
	add_line(r, mkline("Maziwa Lala 500ml", "", 1000, 5500, 5500, 0,
	    TAX_ZERO));
	r->sale_discount = 500;
	r->total = 44000;
	r->vat[TAX_STANDARD].gross = 36500;
	r->vat[TAX_STANDARD].vat = 5034;
	r->vat[TAX_ZERO].gross = 5500;
	r->vat[TAX_EXEMPT].gross = 2000;
	r->vat_total = 5034;
	add_tender(r, mktender("M-PESA", "SGH7K2LM9P", 30000, 0));
	add_tender(r, mktender("Cash", "", 14000, 20000));
	return r;
}

/* The golden receipt as text, 32 columns, counted by hand. */
static const char golden_text_32[] =
	"          Duka la Mama\n"
	"      Moi Avenue, Nairobi\n"
	"        PIN: P051234567X\n"
	"       Tel: 0712 345 678\n"
	"--------------------------------\n"
	"Caf\xc3\xa9 Tanga 500g         250.00 A\n"
	"Sugar 2kg\n"
	"  2 x 65.00             130.00 A\n"
	"  Discount                -10.00\n"
	"Sukuma wiki\n"
	"  0.25 kg x 80.00        20.00 E\n"
	"Maziwa Lala 500ml        55.00 Z\n"
	"--------------------------------\n"
	"Subtotal                  445.00\n"
	"Discount                   -5.00\n"
	"TOTAL                 KSh 440.00\n"
	"--------------------------------\n"
	"Rate          Taxable        VAT\n"
	"A=16%          365.00      50.34\n"
	"Z=0%            55.00       0.00\n"
	"E=Exempt        20.00       0.00\n"
	"Total VAT                  50.34\n"
	"--------------------------------\n"
	"M-PESA                    300.00\n"
	"  Ref: SGH7K2LM9P\n"
	"Cash                      200.00\n"
	"CHANGE                     60.00\n"
	"--------------------------------\n"
	"Receipt No.             1-000123\n"
	"Till                           1\n"
	"Served by                Wanjiku\n"
	"Date            2024-05-01 14:32\n"
	"--------------------------------\n"
	"Asante kwa kununua! / Thank you!\n";

/*
 * The same receipt as ESC/POS bytes with the drawer kick. A string ends
 * after every hex escape, so that the next character cannot extend it.
 */
#define ESC "\x1b"
#define GS "\x1d"
#define SEP "--------------------------------\n"
static const char golden_escpos_32[] =
	ESC "@" ESC "t" "\x00"			/* initialise, PC437 */
	ESC "p" "\x00" "\x19" "\xfa"		/* drawer kick */
	ESC "a" "\x01" ESC "E" "\x01"		/* centered, bold */
	"Duka la Mama\n"
	ESC "E" "\x00"
	"Moi Avenue, Nairobi\n"
	"PIN: P051234567X\n"
	"Tel: 0712 345 678\n"
	ESC "a" "\x00"
	SEP
	"Cafe Tanga 500g         250.00 A\n"	/* transliterated */
	"Sugar 2kg\n"
	"  2 x 65.00             130.00 A\n"
	"  Discount                -10.00\n"
	"Sukuma wiki\n"
	"  0.25 kg x 80.00        20.00 E\n"
	"Maziwa Lala 500ml        55.00 Z\n"
	SEP
	"Subtotal                  445.00\n"
	"Discount                   -5.00\n"
	ESC "E" "\x01"
	"TOTAL                 KSh 440.00\n"
	ESC "E" "\x00"
	SEP
	"Rate          Taxable        VAT\n"
	"A=16%          365.00      50.34\n"
	"Z=0%            55.00       0.00\n"
	"E=Exempt        20.00       0.00\n"
	"Total VAT                  50.34\n"
	SEP
	"M-PESA                    300.00\n"
	"  Ref: SGH7K2LM9P\n"
	"Cash                      200.00\n"
	"CHANGE                     60.00\n"
	SEP
	"Receipt No.             1-000123\n"
	"Till                           1\n"
	"Served by                Wanjiku\n"
	"Date            2024-05-01 14:32\n"
	SEP
	ESC "a" "\x01"
	"Asante kwa kununua! / Thank you!\n"
	ESC "a" "\x00"
	ESC "d" "\x04"				/* feed 4 lines */
	GS "V" "B" "\x00";			/* partial cut (66 = 'B') */
#define GOLDEN_ESCPOS_LEN (sizeof golden_escpos_32 - 1)

/* The drawer kick, as it must appear. */
static const unsigned char kick_bytes[] = { 0x1b, 'p', 0, 25, 250 };

/*
 * Offset of the first difference between got and want, or -1 when they
 * are the same bytes and length. Every golden comparison goes through it.
 */
static long
first_diff(const unsigned char *got, size_t glen, const unsigned char *want,
    size_t wlen)
{
	size_t i;

	for (i = 0; i < glen && i < wlen; i++)
		if (got[i] != want[i])
			return (long)i;
	return glen == wlen ? -1 : (long)i;
}

/* Fail with the offset and neighbourhood of the first difference. */
static void
assert_same_bytes(const unsigned char *got, size_t glen,
    const unsigned char *want, size_t wlen, const char *what)
{
	long d = first_diff(got, glen, want, wlen);

	ck_assert_msg(d < 0, "%s: first difference at byte %ld (got %zu "
	    "bytes, want %zu): got 0x%02x, want 0x%02x; got text there: "
	    "\"%.40s\"", what, d, glen, wlen,
	    (size_t)d < glen ? got[d] : 0, (size_t)d < wlen ? want[d] : 0,
	    (size_t)d < glen ? (const char *)got + d : "");
}

/* Display width by the C library, or by receipt.c without a locale. */
static size_t
oracle_width(const char *s)
{
	wchar_t w[1024];
	size_t n;
	int cols;

	if (!have_utf8_locale)
		return receipt_text_width(s);
	n = mbstowcs(w, s, NELEM(w) - 1);
	ck_assert_msg(n != (size_t)-1, "invalid multibyte text: \"%s\"", s);
	cols = wcswidth(w, n);
	ck_assert_msg(cols >= 0, "unprintable text: \"%s\"", s);
	return (size_t)cols;
}

/*
 * Check every line of text: valid UTF-8, no control characters, no
 * trailing space, at most width columns by both receipt.c and the C
 * library. Returns the number of lines.
 */
static int
assert_lines_fit(const char *text, size_t len, int width)
{
	char line[2048];
	const char *p = text, *nl;
	size_t n, i;
	int lines = 0;

	ck_assert_msg(text_utf8_valid(text, len), "receipt is not UTF-8");
	ck_assert_msg(len > 0 && text[len - 1] == '\n', "no final newline");
	while (p < text + len) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		ck_assert_ptr_nonnull(nl);
		n = (size_t)(nl - p);
		ck_assert_uint_lt(n, sizeof line);
		memcpy(line, p, n);
		line[n] = '\0';
		for (i = 0; i < n; i++)
			ck_assert_msg((unsigned char)line[i] >= 0x20 &&
			    line[i] != 0x7f, "control byte in \"%s\"", line);
		ck_assert_msg(n == 0 || line[n - 1] != ' ',
		    "trailing space in \"%s\"", line);
		ck_assert_msg(receipt_text_width(line) <= (size_t)width,
		    "%d columns: \"%s\" is %zu wide", width, line,
		    receipt_text_width(line));
		ck_assert_msg(oracle_width(line) <= (size_t)width,
		    "%d columns: \"%s\" is %zu wide by wcswidth", width, line,
		    oracle_width(line));
		lines++;
		p = nl + 1;
	}
	return lines;
}

/* A receipt that stretches the layout: long UTF-8 names, CJK, discounts. */
static struct receipt *
busy_receipt(int refund)
{
	struct receipt *r = shop_receipt();

	snprintf(r->shop_name, sizeof r->shop_name,
	    "Supermarket ya Jamii na Wanawake wa Kariobangi Kaskazini");
	snprintf(r->shop_address, sizeof r->shop_address,
	    "Plot 1234/56, Kariobangi North Road, opposite the Chief's "
	    "camp, P.O. Box 12345-00100 Nairobi");
	add_line(r, mkline("Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xe2\x80\x94 "
	    "Caf\xc3\xa9 \xc3\x91" "and\xc3\xba M\xc3\xbcller family pack "
	    "\xe8\x8c\xb6\xe8\x8c\xb6\xe8\x8c\xb6", "", 2000, 65000, 130000,
	    5000, TAX_STANDARD));
	add_line(r, mkline("Unga wa ngano Exe 2kg", "", 1000, 19500, 19500, 0,
	    TAX_ZERO));
	/* One word longer than any paper: cut inside, as a last resort. */
	add_line(r, mkline("Supercalifragilisticexpialidocious-"
	    "extra-long-product-code-XYZ", "", 3000, 100, 300, 0, TAX_EXEMPT));
	add_line(r, mkline("Nyanya (tomatoes) \xe8\x8c\xb6\xe8\x8c\xb6", "kg",
	    1250, 12000, 15000, 1500, TAX_EXEMPT));
	add_line(r, mkline("Big spender item", "", 1000, 99999999999,
	    99999999999, 0, TAX_STANDARD));
	r->sale_discount = 2000;
	r->total = 130000 - 5000 + 19500 + 300 + 15000 - 1500 - 2000 +
	    99999999999;
	r->vat[TAX_STANDARD].gross = 125000 - 2000 + 99999999999;
	r->vat[TAX_STANDARD].vat = 13793109793;
	r->vat[TAX_ZERO].gross = 19500;
	r->vat[TAX_EXEMPT].gross = 300 + 13500;
	r->vat_total = r->vat[TAX_STANDARD].vat;
	add_tender(r, mktender("M-PESA", "SGH7K2LM9P", 100000, 0));
	add_tender(r, mktender("Cash", "", r->total - 100000,
	    r->total - 100000 + 50000));
	r->refund = refund;
	r->reprint = refund;
	return r;
}

START_TEST(test_text_width)
{
	static const struct {
		const char	*s;
		size_t		 w;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "caf\xc3\xa9", 4 },			/* é precomposed */
		{ "cafe\xcc\x81", 4 },			/* e + combining acute */
		{ "\xe8\x8c\xb6", 2 },			/* CJK tea */
		{ "\xef\xbc\xa1", 2 },			/* fullwidth A */
		{ "a\xe2\x80\x8b" "b", 2 },		/* zero-width space */
		{ "\xe2\x80\x94", 1 },			/* em dash */
		{ "\xf0\x9f\x8d\x9e", 2 },		/* emoji bread */
		{ "\xff", 1 },				/* invalid byte */
		{ "\xc3", 1 },				/* truncated */
		{ "\xe0\x80\xaf", 3 },			/* overlong: 3 bad */
		{ "\xed\xa0\x80", 3 },			/* surrogate */
	};
	int i;

	for (i = 0; i < NELEM(cases); i++)
		ck_assert_msg(receipt_text_width(cases[i].s) == cases[i].w,
		    "case %d: width %zu, want %zu", i,
		    receipt_text_width(cases[i].s), cases[i].w);
}
END_TEST

START_TEST(test_ascii)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e", "Creme brulee" },
		{ "M\xc3\xbcller", "Muller" },
		{ "Stra\xc3\x9f" "e", "Strasse" },
		{ "\xc3\x91" "and\xc3\xba", "Nandu" },
		{ "\xc5\x81\xc3\xb3" "d\xc5\xba", "Lodz" },
		{ "\xc5\x92uvre \xc4\xb3", "OEuvre ij" },
		{ "\xc5\xbd\xc5\xa1\xc4\x87\xc5\xb8\xc5\xbf\xc5\x91", "ZscYso" },
		{ "a \xe2\x80\x94 b \xe2\x80\x93 c", "a - b - c" },
		{ "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x98it\xe2\x80\x99s",
		    "\"quoted\" 'it's" },
		{ "wait\xe2\x80\xa6", "wait..." },
		{ "\xe2\x82\xac" "5 \xc2\xa3" "3", "EUR5 GBP3" },
		{ "cafe\xcc\x81", "cafe" },
		{ "tea \xe8\x8c\xb6!", "tea ?!" },
		{ "\xff" "x", "?x" },
		{ "tab\there\x1b@", "tab here @" },
		{ "\xc2\x9b" "1m", " 1m" },			/* C1 CSI */
		{ "a\xe2\x80\x8b" "b\xef\xbb\xbf", "ab" },
		{ "\xc2\xa0" "\xc2\xbd" " \xc3\x97" "2", " 1/2 x2" },
	};
	char buf[64];
	size_t n;
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		n = receipt_ascii(cases[i].in, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, cases[i].out) == 0,
		    "case %d: \"%s\", want \"%s\"", i, buf, cases[i].out);
		ck_assert_uint_eq(n, strlen(cases[i].out));
	}
	/* Like snprintf: truncated, NUL-terminated, full length returned. */
	ck_assert_uint_eq(receipt_ascii("Stra\xc3\x9f" "e", buf, 5), 7);
	ck_assert_str_eq(buf, "Stra");
	ck_assert_uint_eq(receipt_ascii("abc", NULL, 0), 3);
}
END_TEST

/* Every code point comes out as printable ASCII, whatever it is. */
START_TEST(test_ascii_every_code_point)
{
	unsigned char in[5];
	char out[16];
	uint32_t cp;
	size_t n, i;

	for (cp = 1; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			in[0] = (unsigned char)cp, n = 1;
		} else if (cp < 0x800) {
			in[0] = (unsigned char)(0xc0 | cp >> 6);
			in[1] = (unsigned char)(0x80 | (cp & 0x3f)), n = 2;
		} else if (cp < 0x10000) {
			in[0] = (unsigned char)(0xe0 | cp >> 12);
			in[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			in[2] = (unsigned char)(0x80 | (cp & 0x3f)), n = 3;
		} else {
			in[0] = (unsigned char)(0xf0 | cp >> 18);
			in[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			in[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			in[3] = (unsigned char)(0x80 | (cp & 0x3f)), n = 4;
		}
		in[n] = '\0';
		n = receipt_ascii((const char *)in, out, sizeof out);
		ck_assert_msg(n <= 3, "U+%04X gives %zu bytes", cp, n);
		for (i = 0; i < n; i++)
			ck_assert_msg(out[i] >= 0x20 && out[i] < 0x7f,
			    "U+%04X gives byte 0x%02x", cp,
			    (unsigned char)out[i]);
		/* Latin Extended-A: always a letter, the table is aligned. */
		if (cp >= 0x100 && cp < 0x180 && cp != 0x149)
			ck_assert_msg((out[0] | 0x20) >= 'a' &&
			    (out[0] | 0x20) <= 'z', "U+%04X gives \"%s\"", cp,
			    out);
	}
}
END_TEST

static const int widths[] = { 32, 42, 48 };

/* Sale and refund at every width: every line fits, nothing is lost. */
START_TEST(test_layout_fits)
{
	static const char *const words[] = {
		"Cr\xc3\xa8me", "Caf\xc3\xa9", "M\xc3\xbcller", "family",
		"pack", "\xe8\x8c\xb6\xe8\x8c\xb6\xe8\x8c\xb6", "Unga",
		"Nyanya", "Kariobangi", "P051234567X", "0712 345 678",
		"1-000123", "Wanjiku", "2024-05-01 14:32", "SGH7K2LM9P",
		"A=16%", "Z=0%", "E=Exempt", "Asante kwa kununua!",
		"999,999,999.99 A",
	};
	struct duka_err err = { 0, "" };
	struct receipt *r;
	char *out, *joined;
	size_t len, i, j, k;
	int refund, lines;

	for (refund = 0; refund <= 1; refund++) {
		r = busy_receipt(refund);
		for (i = 0; i < (size_t)NELEM(widths); i++) {
			if (receipt_format_text(r, widths[i], &out, &len,
			    &err) != DUKA_OK)
				ck_abort_msg("width %d: %s", widths[i],
				    err.msg);
			ck_assert_uint_eq(strlen(out), len);
			lines = assert_lines_fit(out, len, widths[i]);
			ck_assert_int_gt(lines, 30);
			/* Wrapped words survive whole on some line. */
			for (j = 0; j < (size_t)NELEM(words); j++)
				ck_assert_msg(strstr(out, words[j]) != NULL,
				    "width %d: \"%s\" missing in\n%s",
				    widths[i], words[j], out);
			/* The over-long word is cut, but nothing is lost. */
			ck_assert_ptr_nonnull(joined = strdup(out));
			for (j = k = 0; j < len; j++)
				if (out[j] != '\n')
					joined[k++] = out[j];
			joined[k] = '\0';
			ck_assert_msg(strstr(joined, "Supercalifragilistic"
			    "expialidocious-extra-long-product-code-XYZ") !=
			    NULL, "width %d: long word lost in\n%s",
			    widths[i], out);
			free(joined);
			ck_assert_int_eq(strstr(out, "REFUND") != NULL,
			    refund);
			ck_assert_int_eq(strstr(out, "COPY / NAKALA") != NULL,
			    refund);
			ck_assert_int_eq(strstr(out, "CHANGE") != NULL,
			    !refund);
			ck_assert_int_eq(strstr(out, "-1,300.00 A") != NULL,
			    refund);
			ck_assert_int_eq(strstr(out, " 1,300.00 A") != NULL,
			    !refund);
			free(out);
		}
		receipt_free(r);
	}
}
END_TEST

/* The ASCII layout the printer gets fits in bytes, not just columns. */
START_TEST(test_layout_ascii_fits)
{
	struct duka_err err = { 0, "" };
	struct receipt_layout *l;
	struct receipt *r = busy_receipt(0);
	size_t i, k;
	int w;

	for (w = 0; w < NELEM(widths); w++) {
		if (receipt_layout(r, widths[w], RECEIPT_ASCII, &l, &err) !=
		    DUKA_OK)
			ck_abort_msg("%s", err.msg);
		ck_assert_int_eq(l->width, widths[w]);
		for (i = 0; i < l->n; i++) {
			ck_assert_msg(strlen(l->row[i].text) <=
			    (size_t)widths[w], "%d: \"%s\"", widths[w],
			    l->row[i].text);
			for (k = 0; l->row[i].text[k] != '\0'; k++)
				ck_assert_msg(l->row[i].text[k] >= 0x20 &&
				    l->row[i].text[k] < 0x7f, "\"%s\"",
				    l->row[i].text);
		}
		receipt_layout_free(l);
	}
	receipt_free(r);
}
END_TEST

/* A name wraps at a space onto a second line instead of being cut. */
START_TEST(test_long_name_wraps)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = shop_receipt();
	char *out;
	size_t len;

	add_line(r, mkline("Kimbo Vegetable Fat Cooking Fat 1kg Tin", "", 1000,
	    39900, 39900, 0, TAX_STANDARD));
	r->total = 39900;
	r->vat[TAX_STANDARD].gross = 39900;
	r->vat[TAX_STANDARD].vat = 5503;
	r->vat_total = 5503;
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_OK);
	ck_assert_msg(strstr(out, "\nKimbo Vegetable Fat Cooking Fat\n"
	    "1kg Tin\n"
	    "  1 x 399.00            399.00 A\n") != NULL, "%s", out);
	free(out);
	/* At 48 columns it fits beside its amount, with one space. */
	ck_assert_int_eq(receipt_format_text(r, 48, &out, &len, &err),
	    DUKA_OK);
	ck_assert_msg(strstr(out, "\nKimbo Vegetable Fat Cooking Fat 1kg Tin"
	    " 399.00 A\n") != NULL, "%s", out);
	free(out);
	receipt_free(r);
}
END_TEST

START_TEST(test_bad_width)
{
	static const int bad[] = { 0, -1, 1, 31, 33, 40, 41, 43, 47, 49, 64,
	    80, 1000, INT32_MIN, INT32_MAX };
	struct duka_err err = { 0, "" };
	struct receipt_layout *l = (void *)1;
	struct receipt *r = golden_receipt();
	unsigned char *bytes = (void *)1;
	char *out = (void *)1, want[32];
	size_t len = 99;
	int i;

	for (i = 0; i < NELEM(bad); i++) {
		snprintf(want, sizeof want, "width %d ", bad[i]);
		ck_assert_int_eq(receipt_format_text(r, bad[i], &out, &len,
		    &err), DUKA_EINPUT);
		ck_assert_ptr_null(out);
		ck_assert_uint_eq(len, 0);
		ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
		ck_assert_int_eq(escpos_render(r, bad[i], 1, &bytes, &len,
		    &err), DUKA_EINPUT);
		ck_assert_ptr_null(bytes);
		ck_assert_int_eq(receipt_layout(r, bad[i], 0, &l, &err),
		    DUKA_EINPUT);
		ck_assert_ptr_null(l);
		ck_assert_int_eq(receipt_width_ok(bad[i]), 0);
	}
	for (i = 0; i < NELEM(widths); i++)
		ck_assert_int_eq(receipt_width_ok(widths[i]), 1);
	receipt_free(r);
}
END_TEST

/* Plain text for the printer: initialised, printable ASCII only (one
 * '?' per other character, an escape too), fed and cut. */
START_TEST(test_escpos_text)
{
	static const unsigned char want[] = {
		0x1b, '@', 0x1b, 't', 0, 'Z', ' ', '?', 'x', '\n', 'a', '?', 'b',
		'\n', 0x1b, 'd', 4, 0x1d, 'V', 66, 0,
	};
	struct duka_err err = { 0, "" };
	unsigned char *bytes = NULL;
	size_t len = 0;

	ck_assert_int_eq(escpos_text("Z \xc3\xa9x\na\x1b" "b", &bytes, &len,
	    &err), DUKA_OK);
	ck_assert_uint_eq(len, sizeof want);
	ck_assert(memcmp(bytes, want, len) == 0);
	free(bytes);
}
END_TEST

/* Fields the caller wrote badly are refused with the field's name. */
START_TEST(test_bad_fields)
{
	struct duka_err err = { 0, "" };
	struct receipt *r;
	char *out;
	size_t len;

	r = golden_receipt();
	memset(r->shop_name, 'x', sizeof r->shop_name);
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err.msg, "shop name"));
	receipt_free(r);

	r = golden_receipt();
	memset(r->number, '1', sizeof r->number);
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "receipt number"));
	receipt_free(r);

	r = golden_receipt();
	r->total = -1;
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "negative"));
	receipt_free(r);

	r = golden_receipt();
	r->vat[TAX_ZERO].gross = -5;
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_EINPUT);
	receipt_free(r);

	r = golden_receipt();
	r->total = INT64_MAX;
	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "too large"));
	receipt_free(r);
}
END_TEST

START_TEST(test_add_refused)
{
	static const struct {
		const char	*name;
		int64_t		 qty, price, amount, discount;
		int		 tax;
		const char	*want;
	} lines[] = {
		{ "", 1000, 100, 100, 0, TAX_STANDARD, "name" },
		{ "bad \xff utf8", 1000, 100, 100, 0, TAX_STANDARD, "UTF-8" },
		{ "Soap", 0, 100, 100, 0, TAX_STANDARD, "quantity" },
		{ "Soap", -1000, 100, 100, 0, TAX_STANDARD, "quantity" },
		{ "Soap", 1000, -100, 100, 0, TAX_STANDARD, "negative" },
		{ "Soap", 1000, 100, -100, 0, TAX_STANDARD, "negative" },
		{ "Soap", 1000, 100, 100, -1, TAX_STANDARD, "discount" },
		{ "Soap", 1000, 100, 100, 101, TAX_STANDARD, "discount" },
		{ "Soap", 1000, 100, 100, 0, 3, "tax class" },
		{ "Soap", 1000, 100, 100, 0, -1, "tax class" },
	};
	static const struct {
		const char	*kind;
		int64_t		 amount, tendered;
		const char	*want;
	} tenders[] = {
		{ "", 100, 0, "kind" },
		{ "Cash", 0, 0, "more than 0" },
		{ "Cash", -100, 0, "more than 0" },
		{ "Cash", 100, 99, "less than" },
		{ "Cash", 100, -1, "less than" },
	};
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	struct receipt_line l;
	struct receipt_tender t;
	size_t nl = r->nlines, nt = r->ntenders;
	int i;

	for (i = 0; i < NELEM(lines); i++) {
		l = mkline(lines[i].name, "", lines[i].qty, lines[i].price,
		    lines[i].amount, lines[i].discount,
		    (enum tax_class)lines[i].tax);
		ck_assert_int_eq(receipt_add_line(r, &l, &err), DUKA_EINPUT);
		ck_assert_msg(strstr(err.msg, lines[i].want) != NULL,
		    "line %d: \"%s\" lacks \"%s\"", i, err.msg, lines[i].want);
		ck_assert_uint_eq(r->nlines, nl);
	}
	l = mkline("Soap", "", 1000, 100, 100, 0, TAX_STANDARD);
	memset(l.name, 'x', sizeof l.name);
	ck_assert_int_eq(receipt_add_line(r, &l, &err), DUKA_EINPUT);
	l = mkline("Soap", "", 1000, 100, 100, 0, TAX_STANDARD);
	memset(l.unit, 'k', sizeof l.unit);
	ck_assert_int_eq(receipt_add_line(r, &l, &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "unit"));
	ck_assert_uint_eq(r->nlines, nl);
	for (i = 0; i < NELEM(tenders); i++) {
		t = mktender(tenders[i].kind, "", tenders[i].amount,
		    tenders[i].tendered);
		ck_assert_int_eq(receipt_add_tender(r, &t, &err), DUKA_EINPUT);
		ck_assert_msg(strstr(err.msg, tenders[i].want) != NULL,
		    "tender %d: \"%s\" lacks \"%s\"", i, err.msg,
		    tenders[i].want);
		ck_assert_uint_eq(r->ntenders, nt);
	}
	t = mktender("Card", "", 100, 0);
	memset(t.reference, 'r', sizeof t.reference);
	ck_assert_int_eq(receipt_add_tender(r, &t, &err), DUKA_EINPUT);
	ck_assert_uint_eq(r->ntenders, nt);
	receipt_free(r);
}
END_TEST

/* Many lines: the arrays grow, and nothing is dropped. */
START_TEST(test_many_lines)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = shop_receipt();
	char name[32], *out, *p;
	size_t len;
	int i, seen = 0;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "Item %03d", i);
		add_line(r, mkline(name, "", 1000, 100, 100, 0, TAX_ZERO));
	}
	ck_assert_uint_eq(r->nlines, 300);
	ck_assert_int_eq(receipt_format_text(r, 42, &out, &len, &err),
	    DUKA_OK);
	for (p = out; (p = strstr(p, "Item ")) != NULL; p++)
		seen++;
	ck_assert_int_eq(seen, 300);
	ck_assert_ptr_nonnull(strstr(out, "Item 299"));
	free(out);
	receipt_free(r);
}
END_TEST

START_TEST(test_golden_text)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	char *out;
	size_t len;

	ck_assert_int_eq(receipt_format_text(r, 32, &out, &len, &err),
	    DUKA_OK);
	assert_same_bytes((unsigned char *)out, len,
	    (const unsigned char *)golden_text_32, sizeof golden_text_32 - 1,
	    "text receipt");
	assert_lines_fit(out, len, 32);
	free(out);
	receipt_free(r);
}
END_TEST

START_TEST(test_golden_escpos)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	unsigned char *out, *again;
	size_t len, len2;

	ck_assert_int_eq(escpos_render(r, 32, 1, &out, &len, &err), DUKA_OK);
	assert_same_bytes(out, len, (const unsigned char *)golden_escpos_32,
	    GOLDEN_ESCPOS_LEN, "ESC/POS receipt");
	/* Deterministic: the same receipt gives the same bytes. */
	ck_assert_int_eq(escpos_render(r, 32, 1, &again, &len2, &err),
	    DUKA_OK);
	assert_same_bytes(again, len2, out, len, "second rendering");
	free(out);
	free(again);
	receipt_free(r);
}
END_TEST

/* The golden comparison catches a change in any single byte. */
START_TEST(test_golden_catches_one_byte)
{
	unsigned char copy[sizeof golden_escpos_32];
	size_t i;

	memcpy(copy, golden_escpos_32, GOLDEN_ESCPOS_LEN);
	ck_assert_int_eq(first_diff(copy, GOLDEN_ESCPOS_LEN,
	    (const unsigned char *)golden_escpos_32, GOLDEN_ESCPOS_LEN), -1);
	for (i = 0; i < GOLDEN_ESCPOS_LEN; i++) {
		copy[i] ^= 0x01;
		ck_assert_int_eq(first_diff(copy, GOLDEN_ESCPOS_LEN,
		    (const unsigned char *)golden_escpos_32,
		    GOLDEN_ESCPOS_LEN), (long)i);
		copy[i] ^= 0x01;
	}
	ck_assert_int_eq(first_diff(copy, GOLDEN_ESCPOS_LEN - 1,
	    (const unsigned char *)golden_escpos_32, GOLDEN_ESCPOS_LEN),
	    (long)GOLDEN_ESCPOS_LEN - 1);
}
END_TEST

/* Count the places needle occurs in hay. */
static int
count_bytes(const unsigned char *hay, size_t n, const unsigned char *needle,
    size_t m)
{
	size_t i;
	int c = 0;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			c++;
	return c;
}

/* The drawer opens only when asked, and nothing else changes. */
START_TEST(test_drawer_kick)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	unsigned char *with, *without;
	size_t wlen, nlen;

	ck_assert_int_eq(escpos_render(r, 42, 1, &with, &wlen, &err),
	    DUKA_OK);
	ck_assert_int_eq(escpos_render(r, 42, 0, &without, &nlen, &err),
	    DUKA_OK);
	ck_assert_int_eq(count_bytes(with, wlen, kick_bytes,
	    sizeof kick_bytes), 1);
	ck_assert_int_eq(count_bytes(without, nlen, kick_bytes,
	    sizeof kick_bytes), 0);
	ck_assert_int_eq(count_bytes(without, nlen,
	    (const unsigned char *)"\x1bp", 2), 0);
	ck_assert_uint_eq(wlen, nlen + sizeof kick_bytes);
	/* Right after ESC @ ESC t 0; the rest identical. */
	ck_assert_int_eq(memcmp(with + 5, kick_bytes, sizeof kick_bytes), 0);
	ck_assert_int_eq(memcmp(with, without, 5), 0);
	ck_assert_int_eq(memcmp(with + 10, without + 5, nlen - 5), 0);
	free(with);
	free(without);
	receipt_free(r);
}
END_TEST

/*
 * Walk ESC/POS bytes: only the commands escpos.h lists, text that is
 * printable ASCII, and lines of at most width bytes. Returns the number of
 * ESC and GS commands.
 */
static int
walk_escpos(const unsigned char *b, size_t n, int width)
{
	size_t i = 0, col = 0;
	int cmds = 0;

	while (i < n) {
		if (b[i] == 0x1b || b[i] == 0x1d) {
			size_t clen = 0;

			ck_assert_uint_lt(i + 1, n);
			if (b[i] == 0x1b && b[i + 1] == '@')
				clen = 2;
			else if (b[i] == 0x1b && b[i + 1] != 0 &&
			    strchr("taEd", b[i + 1]) != NULL)
				clen = 3;
			else if (b[i] == 0x1b && b[i + 1] == 'p')
				clen = 5;
			else if (b[i] == 0x1d && b[i + 1] == 'V')
				clen = 4;
			ck_assert_msg(clen != 0, "unknown command 0x%02x 0x%02x "
			    "at %zu", b[i], b[i + 1], i);
			ck_assert_uint_le(i + clen, n);
			i += clen;
			cmds++;
			continue;
		}
		if (b[i] == '\n') {
			col = 0;
			i++;
			continue;
		}
		ck_assert_msg(b[i] >= 0x20 && b[i] < 0x7f,
		    "byte 0x%02x at %zu is not printable ASCII", b[i], i);
		col++;
		ck_assert_msg(col <= (size_t)width, "line too long at %zu", i);
		i++;
	}
	return cmds;
}

/* UTF-8 names reach the printer as ASCII; no name can send a command. */
START_TEST(test_escpos_ascii_only)
{
	struct duka_err err = { 0, "" };
	struct receipt *r, *plain;
	unsigned char *out, *ref;
	size_t len, rlen;
	int w, cmds, refcmds;

	r = busy_receipt(0);
	add_line(r, mkline("Evil \x1b@\x1dV\x42\x01 name\x7f", "", 1000, 100,
	    100, 0, TAX_ZERO));
	plain = busy_receipt(0);
	add_line(plain, mkline("Plain name", "", 1000, 100, 100, 0, TAX_ZERO));
	for (w = 0; w < NELEM(widths); w++) {
		ck_assert_int_eq(escpos_render(r, widths[w], 0, &out, &len,
		    &err), DUKA_OK);
		ck_assert_int_eq(escpos_render(plain, widths[w], 0, &ref,
		    &rlen, &err), DUKA_OK);
		cmds = walk_escpos(out, len, widths[w]);
		refcmds = walk_escpos(ref, rlen, widths[w]);
		ck_assert_int_eq(cmds, refcmds);
		ck_assert(HAS(out, len, "Creme brulee - Cafe Nandu"));
		ck_assert(HAS(out, len, "Muller"));
		ck_assert(HAS(out, len, "pack"));
		ck_assert(HAS(out, len, "???"));
		ck_assert(HAS(out, len, "Evil  @ VB  name "));
		ck_assert(!HAS(out, len, "\xc3"));
		free(out);
		free(ref);
	}
	receipt_free(r);
	receipt_free(plain);
}
END_TEST

/* A refund reprint says so, in bold, centered. */
START_TEST(test_escpos_refund_copy)
{
	static const char want[] = ESC "E" "\x01" "REFUND\n" "COPY / NAKALA\n"
	    ESC "a" "\x00" ESC "E" "\x00" "---";
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	unsigned char *out;
	size_t len;

	r->refund = 1;
	r->reprint = 1;
	ck_assert_int_eq(escpos_render(r, 48, 0, &out, &len, &err), DUKA_OK);
	ck_assert_ptr_nonnull(memmem(out, len, want, sizeof want - 1));
	ck_assert(HAS(out, len, "KSh -440.00\n"));
	ck_assert(HAS(out, len, "-250.00 A\n"));
	ck_assert(!HAS(out, len, "CHANGE"));
	free(out);
	receipt_free(r);
}
END_TEST

/* Read a whole file. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	FILE *f;
	long n;

	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(buf = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The golden receipt rendered for 32 columns, with a drawer kick. */
static unsigned char *
golden_bytes(size_t *len)
{
	struct duka_err err = { 0, "" };
	struct receipt *r = golden_receipt();
	unsigned char *out;

	ck_assert_int_eq(escpos_render(r, 32, 1, &out, len, &err), DUKA_OK);
	receipt_free(r);
	return out;
}

/* file:PATH creates the file and appends, like paper. */
START_TEST(test_printer_file)
{
	struct duka_err err = { 0, "" };
	unsigned char *bytes, *got;
	char dir[256], target[512];
	size_t len, glen;

	bytes = golden_bytes(&len);
	tu_tmpdir(dir, sizeof dir);
	snprintf(target, sizeof target, "file:%s/slips.bin", dir);
	ck_assert_int_eq(printer_send(target, bytes, len, 1000, &err),
	    DUKA_OK);
	got = slurp(target + 5, &glen);
	assert_same_bytes(got, glen, bytes, len, "file printer");
	free(got);
	ck_assert_int_eq(printer_send(target, bytes, len, 1000, &err),
	    DUKA_OK);
	got = slurp(target + 5, &glen);
	ck_assert_uint_eq(glen, 2 * len);
	ck_assert_int_eq(memcmp(got + len, bytes, len), 0);
	free(got);
	/* An existing regular file named by its path is appended to too. */
	ck_assert_int_eq(printer_send(target + 5, bytes, len, 1000, &err),
	    DUKA_OK);
	got = slurp(target + 5, &glen);
	ck_assert_uint_eq(glen, 3 * len);
	free(got);
	/* A character device. */
	ck_assert_int_eq(printer_send("/dev/null", bytes, len, 1000, &err),
	    DUKA_OK);
	free(bytes);
}
END_TEST

/* Paths that are no printer, each with a message that says why. */
START_TEST(test_printer_bad_paths)
{
	struct duka_err err = { 0, "" };
	char dir[256], target[600], fifo[512];
	int rfd;

	ck_assert_int_eq(printer_send("/dev/usb/lp-duka-none", (const
	    unsigned char *)"x", 1, 500, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "\"/dev/usb/lp-duka-none\" does not "
	    "exist") != NULL, "%s", err.msg);

	tu_tmpdir(dir, sizeof dir);
	snprintf(target, sizeof target, "file:%s/no/such/dir/out.bin", dir);
	ck_assert_int_eq(printer_send(target, (const unsigned char *)"x", 1,
	    500, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "does not exist") != NULL, "%s",
	    err.msg);

	ck_assert_int_eq(printer_send(dir, (const unsigned char *)"x", 1,
	    500, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "is a folder") != NULL, "%s", err.msg);

	/* A FIFO (with a reader, so that open succeeds) is refused. */
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_ne(rfd = open(fifo, O_RDONLY | O_NONBLOCK), -1);
	ck_assert_int_eq(printer_send(fifo, (const unsigned char *)"x", 1,
	    500, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "neither a device nor a regular file")
	    != NULL, "%s", err.msg);
	close(rfd);
}
END_TEST

/* Writing where we may not says so (root passes file modes: use sysfs). */
START_TEST(test_printer_permission)
{
	struct duka_err err = { 0, "" };
	char dir[256], path[512];
	const char *target = NULL;
	int fd;

	if (geteuid() != 0) {
		tu_tmpdir(dir, sizeof dir);
		snprintf(path, sizeof path, "%s/locked", dir);
		ck_assert_int_ne(fd = open(path, O_CREAT | O_WRONLY, 0), -1);
		close(fd);
		target = path;
	} else if ((fd = open("/sys/kernel/notes", O_WRONLY)) == -1 &&
	    errno == EACCES)
		target = "/sys/kernel/notes";
	else if (fd != -1)
		close(fd);
	if (target == NULL)
		return;		/* nothing here refuses root: no case */
	ck_assert_int_eq(printer_send(target, (const unsigned char *)"x", 1,
	    500, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "No permission") != NULL &&
	    strstr(err.msg, target) != NULL && strstr(err.msg, "lp group"),
	    "%s", err.msg);
}
END_TEST

START_TEST(test_printer_bad_targets)
{
	static const char *const bad[] = {
		"printer", "lp0", "host:", ":9100", "host:0", "host:65536",
		"host:12a", "host:123456", "host:-1", "host:+9", "host: 9",
		"file:", "[::1]9100", "::1:9100", "[::1]:", "[]:9100",
		"a:b:9100",
	};
	struct duka_err err = { 0, "" };
	int i;

	for (i = 0; i < NELEM(bad); i++) {
		ck_assert_int_eq(printer_send(bad[i], (const unsigned char *)
		    "x", 1, 100, &err), DUKA_EINPUT);
		ck_assert_msg(strstr(err.msg, bad[i]) != NULL, "%s: %s",
		    bad[i], err.msg);
	}
	ck_assert_int_eq(printer_send("", (const unsigned char *)"x", 1, 100,
	    &err), DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "No printer is set"));
	ck_assert_int_eq(printer_send(NULL, (const unsigned char *)"x", 1,
	    100, &err), DUKA_EINPUT);
}
END_TEST

/* A TCP socket on 127.0.0.1 with a port the kernel chose. */
static int
tcp_socket(int *port, int rcvbuf)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int fd;

	ck_assert_int_ne(fd = socket(AF_INET, SOCK_STREAM, 0), -1);
	if (rcvbuf > 0)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof rcvbuf), 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Milliseconds since some fixed moment. */
static long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A network printer gets exactly the bytes; the connection then ends. */
START_TEST(test_printer_tcp)
{
	struct duka_err err = { 0, "" };
	unsigned char *bytes, buf[65536];
	struct addrinfo *ai;
	char target[64];
	size_t len, got = 0;
	ssize_t n;
	int lfd, cfd, port;

	bytes = golden_bytes(&len);
	ck_assert_uint_lt(len, sizeof buf);
	lfd = tcp_socket(&port, 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	/* A receipt fits in the socket buffers: send, then read. */
	snprintf(target, sizeof target, "127.0.0.1:%d", port);
	if (printer_send(target, bytes, len, 2000, &err) != DUKA_OK)
		ck_abort_msg("%s", err.msg);
	ck_assert_int_ne(cfd = accept(lfd, NULL, NULL), -1);
	while ((n = read(cfd, buf + got, sizeof buf - got)) > 0)
		got += (size_t)n;
	ck_assert_int_eq(n, 0);		/* end of file: the sender closed */
	assert_same_bytes(buf, got, bytes, len, "network printer");
	close(cfd);
	/* localhost by name too, where the system knows the name. */
	if (getaddrinfo("localhost", NULL, NULL, &ai) != 0)
		goto out;
	freeaddrinfo(ai);
	snprintf(target, sizeof target, "localhost:%d", port);
	if (printer_send(target, bytes, 16, 2000, &err) != DUKA_OK)
		ck_abort_msg("%s", err.msg);
	ck_assert_int_ne(cfd = accept(lfd, NULL, NULL), -1);
	got = 0;
	while ((n = read(cfd, buf + got, sizeof buf - got)) > 0)
		got += (size_t)n;
	assert_same_bytes(buf, got, bytes, 16, "localhost");
	close(cfd);
out:
	close(lfd);
	free(bytes);
}
END_TEST

/* A port where nothing listens: refused, at once. */
START_TEST(test_printer_refused)
{
	struct duka_err err = { 0, "" };
	char target[64];
	long t0;
	int fd, port;

	/* Bound but not listening: the port stays ours and refuses. */
	fd = tcp_socket(&port, 0);
	snprintf(target, sizeof target, "127.0.0.1:%d", port);
	t0 = ms_now();
	ck_assert_int_eq(printer_send(target, (const unsigned char *)"x", 1,
	    3000, &err), DUKA_EFAIL);
	ck_assert_int_lt(ms_now() - t0, 1000);
	ck_assert_msg(strstr(err.msg, "refused the connection") != NULL &&
	    strstr(err.msg, target) != NULL, "%s", err.msg);
	close(fd);
}
END_TEST

/* A printer that stops reading: a timeout, not a hang. */
START_TEST(test_printer_send_timeout)
{
	struct duka_err err = { 0, "" };
	size_t big = 32u << 20;
	unsigned char *bytes;
	char target[64];
	long t0, took;
	int lfd, port;

	/* A tiny receive window and no accept: nobody ever reads. */
	lfd = tcp_socket(&port, 4096);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_ptr_nonnull(bytes = calloc(1, big));
	snprintf(target, sizeof target, "127.0.0.1:%d", port);
	t0 = ms_now();
	ck_assert_int_eq(printer_send(target, bytes, big, 300, &err),
	    DUKA_EFAIL);
	took = ms_now() - t0;
	ck_assert_msg(took >= 300 && took < 3000, "took %ld ms", took);
	ck_assert_msg(strstr(err.msg, "took no data for 300 ms") != NULL,
	    "%s", err.msg);
	free(bytes);
	close(lfd);
}
END_TEST

/* A connection that is never answered: a timeout, not a hang. */
START_TEST(test_printer_connect_timeout)
{
	struct duka_err err = { 0, "" };
	struct sockaddr_in a;
	char target[64];
	long t0, took;
	int lfd, port, filler;

	/* Backlog 0 and one queued connection: Linux drops further SYNs. */
	lfd = tcp_socket(&port, 0);
	ck_assert_int_eq(listen(lfd, 0), 0);
	ck_assert_int_ne(filler = socket(AF_INET, SOCK_STREAM, 0), -1);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ck_assert_int_eq(connect(filler, (struct sockaddr *)&a, sizeof a), 0);
	snprintf(target, sizeof target, "127.0.0.1:%d", port);
	t0 = ms_now();
	ck_assert_int_eq(printer_send(target, (const unsigned char *)"x", 1,
	    300, &err), DUKA_EFAIL);
	took = ms_now() - t0;
	ck_assert_msg(took >= 300 && took < 3000, "took %ld ms", took);
	ck_assert_msg(strstr(err.msg, "did not answer within 300 ms") != NULL,
	    "%s", err.msg);
	close(filler);
	close(lfd);
}
END_TEST

/* A printer that hangs up mid-receipt: a message, and no SIGPIPE. */
START_TEST(test_printer_hangup)
{
	struct duka_err err = { 0, "" };
	size_t big = 32u << 20;
	unsigned char *bytes;
	struct linger lg = { 1, 0 };
	char target[64];
	pid_t pid;
	int lfd, port, cfd, status;

	/* SIGPIPE kills this test if printer.c ever raises it. */
	signal(SIGPIPE, SIG_DFL);
	lfd = tcp_socket(&port, 4096);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		/* Take the connection, let some bytes in, then reset it. */
		if ((cfd = accept(lfd, NULL, NULL)) == -1)
			_exit(1);
		usleep(100 * 1000);
		setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		close(cfd);
		_exit(0);
	}
	ck_assert_ptr_nonnull(bytes = calloc(1, big));
	snprintf(target, sizeof target, "127.0.0.1:%d", port);
	ck_assert_int_eq(printer_send(target, bytes, big, 2000, &err),
	    DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "closed the connection") != NULL,
	    "%s", err.msg);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "listener failed");
	free(bytes);
	close(lfd);
}
END_TEST

static Suite *
receipt_suite(void)
{
	Suite *s = suite_create("receipt");
	TCase *tc;

	tc = tcase_create("text");
	tcase_add_test(tc, test_text_width);
	tcase_add_test(tc, test_ascii);
	tcase_add_test(tc, test_ascii_every_code_point);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_test(tc, test_layout_fits);
	tcase_add_test(tc, test_layout_ascii_fits);
	tcase_add_test(tc, test_long_name_wraps);
	tcase_add_test(tc, test_bad_width);
	tcase_add_test(tc, test_escpos_text);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_add_refused);
	tcase_add_test(tc, test_many_lines);
	tcase_add_test(tc, test_golden_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("escpos");
	tcase_add_test(tc, test_golden_escpos);
	tcase_add_test(tc, test_golden_catches_one_byte);
	tcase_add_test(tc, test_drawer_kick);
	tcase_add_test(tc, test_escpos_ascii_only);
	tcase_add_test(tc, test_escpos_refund_copy);
	suite_add_tcase(s, tc);

	tc = tcase_create("printer");
	tcase_add_test(tc, test_printer_file);
	tcase_add_test(tc, test_printer_bad_paths);
	tcase_add_test(tc, test_printer_permission);
	tcase_add_test(tc, test_printer_bad_targets);
	tcase_add_test(tc, test_printer_tcp);
	tcase_add_test(tc, test_printer_refused);
	tcase_add_test(tc, test_printer_send_timeout);
	tcase_add_test(tc, test_printer_connect_timeout);
	tcase_add_test(tc, test_printer_hangup);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* Only for wcswidth's second opinion; messages stay untranslated. */
	have_utf8_locale = setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
	    setlocale(LC_CTYPE, "en_US.UTF-8") != NULL;
	return tu_run(receipt_suite());
}
