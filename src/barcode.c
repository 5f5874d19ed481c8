/*
 * barcode.c - recognising, checking and normalising scanned product codes.
 *
 * Check digits follow the GS1 General Specifications (mod 10, weights 3 and
 * 1 alternating from the rightmost data digit), and UPC-E expansion follows
 * the zero-suppression table chosen by the sixth data digit.
 */
#include "config.h"

#include <string.h>

#include "barcode.h"
#include "i18n.h"
#include "status.h"

/* Longest shop-internal code, in characters. */
#define BARCODE_INTERNAL_MAX (BARCODE_MAX - 1)

/* ASCII white space, without consulting the locale. */
static int
is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

/* ASCII digit, without consulting the locale. */
static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* Characters a shop may use in its own codes. */
static int
is_internal_char(int c)
{
	return (is_digit(c) || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '-');
}

/* 1 if the n characters at p are all digits. */
static int
all_digits(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)p[i]))
			return (0);
	}
	return (1);
}

/* GS1 mod-10 check digit over the first n digits. */
int
barcode_check_digit(const char *digits, size_t n)
{
	size_t	i;
	int	sum = 0, weight = 3;

	/* Weight 3 falls on the digit next to the check digit, then 1, 3... */
	for (i = n; i > 0; i--) {
		if (!is_digit((unsigned char)digits[i - 1]))
			return (-1);
		sum = (sum + weight * (digits[i - 1] - '0')) % 10;
		weight = 4 - weight;
	}
	return ((10 - sum) % 10);
}

/* 1 if the last of the n digits at p is the right check digit. */
static int
check_ok(const char *p, size_t n)
{
	return (barcode_check_digit(p, n - 1) == p[n - 1] - '0');
}

/*
 * Expand an 8-digit UPC-E (number system, six data digits, check digit)
 * into the 12-digit UPC-A it stands for, per the zero-suppression rules.
 */
static void
upce_expand(const char *e, char a[13])
{
	const char	*d = e + 1;	/* the six data digits */

	a[0] = e[0];
	switch (d[5]) {
	case '0':
	case '1':
	case '2':
		/* Manufacturer d1 d2 d6 0 0, item 0 0 d3 d4 d5. */
		memcpy(a + 1, d, 2);
		a[3] = d[5];
		memcpy(a + 4, "0000", 4);
		memcpy(a + 8, d + 2, 3);
		break;
	case '3':
		/* Manufacturer d1 d2 d3 0 0, item 0 0 0 d4 d5. */
		memcpy(a + 1, d, 3);
		memcpy(a + 4, "00000", 5);
		memcpy(a + 9, d + 3, 2);
		break;
	case '4':
		/* Manufacturer d1 d2 d3 d4 0, item 0 0 0 0 d5. */
		memcpy(a + 1, d, 4);
		memcpy(a + 5, "00000", 5);
		a[10] = d[4];
		break;
	default:
		/* Manufacturer d1..d5, item 0 0 0 0 d6. */
		memcpy(a + 1, d, 5);
		memcpy(a + 6, "0000", 4);
		a[10] = d[5];
		break;
	}
	a[11] = e[7];
	a[12] = '\0';
}

/* Refuse a GTIN whose last digit is wrong, saying which digit was expected. */
static int
bad_check(struct duka_err *err, const char *code, size_t n)
{
	return (duka_fail(err, DUKA_EINPUT,
	    _("Bad check digit in barcode %.*s: the last digit should be %d, "
	    "not %c."), (int)n, code, barcode_check_digit(code, n - 1),
	    code[n - 1]));
}

/*
 * Normalise an all-digit code of length n (8, 12, 13 or 14) into out; the
 * digits have been copied to a NUL-terminated buffer first.
 */
static int
normalize_gtin(const char *p, size_t n, char out[BARCODE_MAX],
    enum barcode_kind *kind, struct duka_err *err)
{
	char	upca[13];
	int	want;

	switch (n) {
	case 13:
		if (!check_ok(p, n))
			return (bad_check(err, p, n));
		memcpy(out, p, 14);
		*kind = BARCODE_EAN13;
		return (DUKA_OK);
	case 12:
		if (!check_ok(p, n))
			return (bad_check(err, p, n));
		out[0] = '0';
		memcpy(out + 1, p, 13);
		*kind = BARCODE_UPCA;
		return (DUKA_OK);
	case 14:
		if (!check_ok(p, n))
			return (bad_check(err, p, n));
		/* A leading 0 adds nothing to the check sum: drop it. */
		memcpy(out, p[0] == '0' ? p + 1 : p, p[0] == '0' ? 14 : 15);
		*kind = BARCODE_GTIN14;
		return (DUKA_OK);
	}

	/*
	 * Eight digits. Number system 0 is read as UPC-E first: GS1 keeps
	 * EAN-8 prefix 0 for restricted in-store use, while more than half
	 * of all UPC-E codes would also pass the EAN-8 check and never be
	 * expanded. Otherwise EAN-8 if its check digit fits, else UPC-E.
	 */
	if (p[0] == '0') {
		upce_expand(p, upca);
		if (check_ok(upca, 12)) {
			out[0] = '0';
			memcpy(out + 1, upca, 13);
			*kind = BARCODE_UPCE;
			return (DUKA_OK);
		}
	}
	if (check_ok(p, n)) {
		memcpy(out, p, 9);
		*kind = BARCODE_EAN8;
		return (DUKA_OK);
	}
	if (p[0] != '0' && p[0] != '1')
		return (bad_check(err, p, n));
	upce_expand(p, upca);
	if (check_ok(upca, 12)) {
		out[0] = '0';
		memcpy(out + 1, upca, 13);
		*kind = BARCODE_UPCE;
		return (DUKA_OK);
	}
	/* For a last data digit of 5-9 both readings want the same digit. */
	want = barcode_check_digit(upca, 11);
	if (want == barcode_check_digit(p, 7))
		return (bad_check(err, p, n));
	return (duka_fail(err, DUKA_EINPUT,
	    _("Bad check digit in barcode %s: the last digit should be %d as "
	    "EAN-8 or %d as UPC-E, not %c."), p, barcode_check_digit(p, 7),
	    want, p[7]));
}

/* Normalise a scanned or typed code; see barcode.h. */
int
barcode_normalize(const char *input, char out[BARCODE_MAX],
    enum barcode_kind *kind, struct duka_err *err)
{
	char		 buf[BARCODE_MAX];
	const char	*p = input, *end;
	size_t		 n, i;
	unsigned char	 c;

	while (is_space((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - p);

	if (n == 0)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("The barcode is empty.")));
	if (n > BARCODE_INTERNAL_MAX)
		return (duka_fail(err, DUKA_EINPUT,
		    _("The barcode is too long: %zu characters, at most %d."),
		    n, BARCODE_INTERNAL_MAX));
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (is_internal_char(c))
			continue;
		/* Name the byte so the user can see an invisible one. */
		if (c >= 0x20 && c < 0x7f)
			return (duka_fail(err, DUKA_EINPUT,
			    _("The barcode contains '%c', which is not "
			    "allowed; use letters, digits, '.', '_' and '-'."),
			    c));
		return (duka_fail(err, DUKA_EINPUT,
		    _("The barcode contains the byte 0x%02X, which is not "
		    "allowed; use letters, digits, '.', '_' and '-'."), c));
	}
	memcpy(buf, p, n);
	buf[n] = '\0';

	if (all_digits(buf, n) && (n == 8 || n == 12 || n == 13 || n == 14))
		return (normalize_gtin(buf, n, out, kind, err));

	for (i = 0; i < n; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	}
	memcpy(out, buf, n + 1);
	*kind = BARCODE_INTERNAL;
	return (DUKA_OK);
}

/* Whether a normalised code is a GTIN with a valid check digit. */
int
barcode_is_gtin(const char *code)
{
	size_t	n = strlen(code);

	if (n != 8 && n != 13 && n != 14)
		return (0);
	return (all_digits(code, n) && check_ok(code, n));
}

/* Stable, untranslated name of a barcode kind, safe to store. */
const char *
barcode_kind_name(enum barcode_kind k)
{
	switch (k) {
	case BARCODE_EAN13:
		return ("EAN-13");
	case BARCODE_EAN8:
		return ("EAN-8");
	case BARCODE_UPCA:
		return ("UPC-A");
	case BARCODE_UPCE:
		return ("UPC-E");
	case BARCODE_GTIN14:
		return ("GTIN-14");
	case BARCODE_INTERNAL:
		return ("internal");
	}
	return ("?");
}

/* Append the check digit to twelve digits, for generated EAN-13 codes. */
void
barcode_ean13_make(const char *twelve_digits, char out[14])
{
	if (strlen(twelve_digits) != 12 || !all_digits(twelve_digits, 12)) {
		out[0] = '\0';
		return;
	}
	memcpy(out, twelve_digits, 12);
	out[12] = (char)('0' + barcode_check_digit(twelve_digits, 12));
	out[13] = '\0';
}
