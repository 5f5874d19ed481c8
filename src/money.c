/*
 * money.c - exact money, quantity, percentage and VAT arithmetic.
 *
 * All parsing goes through one decimal scanner (dec_scan) that reads digits
 * into an unsigned 64-bit magnitude, so that INT64_MIN parses like any other
 * value and overflow is caught digit by digit. Products that could exceed
 * 64 bits are split into parts small enough to multiply exactly, because
 * __int128 does not exist on 32-bit targets.
 */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "i18n.h"
#include "money.h"
#include "status.h"

/* Why a number was refused; indexes the per-noun message tables below. */
enum dec_reason {
	DEC_OK = 0,
	DEC_EMPTY,		/* nothing but spaces */
	DEC_NODIGITS,		/* "-", "KSh", "." */
	DEC_NOTNUMBER,		/* "abc", "+5" */
	DEC_DECIMALS,		/* too many decimals */
	DEC_NOFRAC,		/* "12." */
	DEC_GROUPING,		/* "1,25.00", "12,50" */
	DEC_COMMA,		/* a comma where none is allowed */
	DEC_POINTS,		/* "1.2.3" */
	DEC_EXPONENT,		/* "1e3" */
	DEC_JUNK,		/* "12abc" */
	DEC_TOOLARGE,		/* does not fit in int64_t */
	DEC_RANGE,		/* fits, but outside what the caller allows */
	DEC_NREASONS
};

static const char *const money_reasons[DEC_NREASONS] = {
	[DEC_OK] = "",
	[DEC_EMPTY] = N_("No amount was given."),
	[DEC_NODIGITS] = N_("The amount has no digits."),
	[DEC_NOTNUMBER] = N_("The amount is not a number; type it like "
	    "1,250.50."),
	[DEC_DECIMALS] = N_("The amount has more than 2 decimal places."),
	[DEC_NOFRAC] = N_("The amount has no digits after the decimal point."),
	[DEC_GROUPING] = N_("The amount has a misplaced thousands separator "
	    "(','); write it like 1,250.50."),
	[DEC_COMMA] = N_("The amount has a comma where none is allowed."),
	[DEC_POINTS] = N_("The amount has more than one decimal point."),
	[DEC_EXPONENT] = N_("The amount uses exponent notation ('e'), which is "
	    "not accepted."),
	[DEC_JUNK] = N_("The amount has unexpected characters after the "
	    "number."),
	[DEC_TOOLARGE] = N_("The amount is too large."),
	[DEC_RANGE] = N_("The amount is out of range."),
};

static const char *const qty_reasons[DEC_NREASONS] = {
	[DEC_OK] = "",
	[DEC_EMPTY] = N_("No quantity was given."),
	[DEC_NODIGITS] = N_("The quantity has no digits."),
	[DEC_NOTNUMBER] = N_("The quantity is not a number; type it like 3 or "
	    "0.25."),
	[DEC_DECIMALS] = N_("The quantity has more than 3 decimal places."),
	[DEC_NOFRAC] = N_("The quantity has no digits after the decimal "
	    "point."),
	[DEC_GROUPING] = N_("The quantity has a comma; use a point for "
	    "decimals, like 1.5."),
	[DEC_COMMA] = N_("The quantity has a comma; use a point for decimals, "
	    "like 1.5."),
	[DEC_POINTS] = N_("The quantity has more than one decimal point."),
	[DEC_EXPONENT] = N_("The quantity uses exponent notation ('e'), which "
	    "is not accepted."),
	[DEC_JUNK] = N_("The quantity has unexpected characters after the "
	    "number."),
	[DEC_TOOLARGE] = N_("The quantity is too large."),
	[DEC_RANGE] = N_("The quantity is out of range."),
};

static const char *const percent_reasons[DEC_NREASONS] = {
	[DEC_OK] = "",
	[DEC_EMPTY] = N_("No percentage was given."),
	[DEC_NODIGITS] = N_("The percentage has no digits."),
	[DEC_NOTNUMBER] = N_("The percentage is not a number; type it like "
	    "12.5."),
	[DEC_DECIMALS] = N_("The percentage has more than 2 decimal places."),
	[DEC_NOFRAC] = N_("The percentage has no digits after the decimal "
	    "point."),
	[DEC_GROUPING] = N_("The percentage has a comma; use a point for "
	    "decimals, like 12.5."),
	[DEC_COMMA] = N_("The percentage has a comma; use a point for "
	    "decimals, like 12.5."),
	[DEC_POINTS] = N_("The percentage has more than one decimal point."),
	[DEC_EXPONENT] = N_("The percentage uses exponent notation ('e'), "
	    "which is not accepted."),
	[DEC_JUNK] = N_("The percentage has unexpected characters after the "
	    "number."),
	[DEC_TOOLARGE] = N_("The percentage must be between 0 and 100."),
	[DEC_RANGE] = N_("The percentage must be between 0 and 100."),
};

/* How one kind of number is written. */
struct dec_rules {
	int	decimals;	/* most digits allowed after the point */
	int	grouping;	/* 1 if well-placed ',' separators may appear */
};

static const struct dec_rules money_rules = { 2, 1 };
static const struct dec_rules qty_rules = { 3, 0 };
static const struct dec_rules percent_rules = { 2, 0 };

/* Magnitude of INT64_MIN, the largest a negative number may reach. */
#define NEG_LIMIT ((uint64_t)INT64_MAX + 1)

/* ASCII white space, without the locale that isspace() would consult. */
static int
is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

/* ASCII digit test, locale-free for the same reason. */
static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* ASCII lower case, so that "KSH" and "Ksh" compare equal in any locale. */
static int
to_lower(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A' + 'a');
	return (c);
}

/* Step past white space. */
static const char *
skip_space(const char *p)
{
	while (is_space((unsigned char)*p))
		p++;
	return (p);
}

/*
 * Read an unsigned decimal number at p into mag, scaled by 10^decimals, and
 * leave *endp at the first character that is not part of it. The magnitude
 * may not exceed limit. A misplaced separator is reported first, then an
 * exponent, then too many decimals, so "1.2.3" says "two points" rather
 * than anything about its digits.
 */
static enum dec_reason
dec_scan(const char *p, const struct dec_rules *rules, uint64_t limit,
    uint64_t *mag, const char **endp)
{
	uint64_t	 v = 0;
	int		 int_digits = 0, frac_digits = 0, in_frac = 0;
	int		 grouped = 0, group_len = 0, toomany = 0, d;
	unsigned char	 c;

	if (!is_digit((unsigned char)*p) && *p != '.')
		return (*p == '\0' ? DEC_NODIGITS : DEC_NOTNUMBER);

	for (;; p++) {
		c = (unsigned char)*p;
		if (is_digit(c)) {
			if (in_frac) {
				/*
				 * Keep scanning past too many decimals: a
				 * comma or point later ("1.250,50") is the
				 * more useful thing to report.
				 */
				if (++frac_digits > rules->decimals) {
					toomany = 1;
					continue;
				}
			} else {
				int_digits++;
				if (grouped && ++group_len > 3)
					return (DEC_GROUPING);
				if (!grouped)
					group_len++;
			}
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, (uint64_t)(c - '0'),
			    &v) || v > limit)
				return (DEC_TOOLARGE);
		} else if (c == ',') {
			if (!rules->grouping)
				return (DEC_COMMA);
			/*
			 * A separator must follow 1-3 digits the first time
			 * and exactly 3 after that, and never in the decimals.
			 */
			if (in_frac || int_digits == 0 ||
			    (grouped && group_len != 3) ||
			    (!grouped && group_len > 3))
				return (DEC_GROUPING);
			grouped = 1;
			group_len = 0;
		} else if (c == '.') {
			if (in_frac)
				return (DEC_POINTS);
			if (grouped && group_len != 3)
				return (DEC_GROUPING);
			in_frac = 1;
		} else
			break;
	}
	if (grouped && !in_frac && group_len != 3)
		return (DEC_GROUPING);
	if (int_digits == 0 && frac_digits == 0)
		return (DEC_NODIGITS);
	if (in_frac && frac_digits == 0)
		return (DEC_NOFRAC);
	if (*p == 'e' || *p == 'E')
		return (DEC_EXPONENT);
	if (toomany)
		return (DEC_DECIMALS);

	/* Scale the digits read so far to the unit of the result. */
	for (d = frac_digits; d < rules->decimals; d++) {
		if (__builtin_mul_overflow(v, 10, &v) || v > limit)
			return (DEC_TOOLARGE);
	}
	*mag = v;
	*endp = p;
	return (DEC_OK);
}

/* Turn a sign and a magnitude already checked against NEG_LIMIT into int64. */
static int64_t
apply_sign(int neg, uint64_t mag)
{
	if (!neg)
		return ((int64_t)mag);
	if (mag == NEG_LIMIT)
		return (INT64_MIN);
	return (-(int64_t)mag);
}

/*
 * If p starts with a currency prefix (KSh or KES, any case), return the
 * character after it, else return p.
 */
static const char *
skip_currency(const char *p)
{
	if (to_lower((unsigned char)p[0]) != 'k')
		return (p);
	if (to_lower((unsigned char)p[1]) == 's' &&
	    to_lower((unsigned char)p[2]) == 'h')
		return (p + 3);
	if (to_lower((unsigned char)p[1]) == 'e' &&
	    to_lower((unsigned char)p[2]) == 's')
		return (p + 3);
	return (p);
}

/*
 * Parse a signed decimal number with an optional currency prefix; the shared
 * body of money_parse and qty_parse.
 */
static enum dec_reason
signed_parse(const char *text, const struct dec_rules *rules, int currency,
    int64_t *out)
{
	const char	*p, *q;
	uint64_t	 mag;
	enum dec_reason	 why;
	int		 neg = 0;

	p = skip_space(text);
	if (*p == '\0')
		return (DEC_EMPTY);
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (currency) {
		q = skip_currency(p);
		if (q != p) {
			p = skip_space(q);
			if (!neg && *p == '-') {
				neg = 1;
				p++;
			}
		}
	}
	why = dec_scan(p, rules, neg ? NEG_LIMIT : (uint64_t)INT64_MAX, &mag,
	    &p);
	if (why != DEC_OK)
		return (why);
	if (*skip_space(p) != '\0')
		return (DEC_JUNK);
	*out = apply_sign(neg, mag);
	return (DEC_OK);
}

/* Parse an amount of money; see money.h for what is accepted. */
int
money_parse(const char *text, int64_t *cents, struct duka_err *err)
{
	enum dec_reason	why;
	int64_t		v;

	why = signed_parse(text, &money_rules, 1, &v);
	if (why != DEC_OK)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _(money_reasons[why])));
	*cents = v;
	return (DUKA_OK);
}

/* Parse a quantity in thousandths of a unit; see money.h. */
int
qty_parse(const char *text, int64_t *thousandths, struct duka_err *err)
{
	enum dec_reason	why;
	int64_t		v;

	why = signed_parse(text, &qty_rules, 0, &v);
	if (why != DEC_OK)
		return (duka_fail(err, DUKA_EINPUT, "%s", _(qty_reasons[why])));
	*thousandths = v;
	return (DUKA_OK);
}

/* Parse a percentage between 0 and 100 into basis points. */
int
percent_parse(const char *text, int64_t *bp, struct duka_err *err)
{
	const char	*p;
	uint64_t	 mag = 0;
	enum dec_reason	 why;

	p = skip_space(text);
	if (*p == '\0')
		why = DEC_EMPTY;
	else if (*p == '-' && (is_digit((unsigned char)p[1]) || p[1] == '.'))
		why = DEC_RANGE;	/* a negative discount is a surcharge */
	else
		why = dec_scan(p, &percent_rules, 10000, &mag, &p);
	if (why == DEC_OK) {
		p = skip_space(p);
		if (*p == '%')
			p = skip_space(p + 1);
		if (*p != '\0')
			why = DEC_JUNK;
	}
	if (why != DEC_OK)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _(percent_reasons[why])));
	*bp = (int64_t)mag;
	return (DUKA_OK);
}

/*
 * Write the magnitude of v, in units of 10^-decimals, into tmp (which must
 * hold MONEY_MAX_TEXT bytes) with an optional ',' every three integer digits
 * and, if trim, without trailing zero decimals; return the length.
 */
static size_t
dec_render(int64_t v, int decimals, int group, int trim, const char *prefix,
    char *tmp)
{
	char		 rev[MONEY_MAX_TEXT];
	uint64_t	 mag;
	size_t		 n = 0, len = 0, plen;
	int		 i, digits = 0;

	/* Negate in unsigned arithmetic, where INT64_MIN has a magnitude. */
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	/* Build the digits backwards: decimals, point, grouped integer. */
	for (i = 0; i < decimals; i++) {
		rev[n++] = (char)('0' + mag % 10);
		mag /= 10;
	}
	if (trim) {
		/* rev[0] is the last decimal; drop zeros from that end. */
		while (n > 0 && rev[0] == '0')
			memmove(rev, rev + 1, --n);
	}
	if (n > 0)
		rev[n++] = '.';
	do {
		if (group && digits > 0 && digits % 3 == 0)
			rev[n++] = ',';
		rev[n++] = (char)('0' + mag % 10);
		mag /= 10;
		digits++;
	} while (mag != 0);

	plen = strlen(prefix);
	memcpy(tmp, prefix, plen);
	len = plen;
	if (v < 0)
		tmp[len++] = '-';
	while (n > 0)
		tmp[len++] = rev[--n];
	tmp[len] = '\0';
	return (len);
}

/*
 * Copy a rendered number to the caller's buffer, or fill the buffer with
 * '#' if it does not fit: a clipped "1,250" for 1,250,000.00 would be read
 * as a real amount.
 */
static void
dec_copy(const char *tmp, size_t tlen, char *buf, size_t len)
{
	if (len == 0)
		return;
	if (tlen < len) {
		memcpy(buf, tmp, tlen + 1);
		return;
	}
	memset(buf, '#', len - 1);
	buf[len - 1] = '\0';
}

/* Format cents as "1,250.50". */
void
money_format(int64_t cents, char *buf, size_t len)
{
	char	tmp[MONEY_MAX_TEXT];

	dec_copy(tmp, dec_render(cents, 2, 1, 0, "", tmp), buf, len);
}

/* Format cents as "KSh 1,250.50". */
void
money_format_ksh(int64_t cents, char *buf, size_t len)
{
	char	tmp[MONEY_MAX_TEXT];

	dec_copy(tmp, dec_render(cents, 2, 1, 0, "KSh ", tmp), buf, len);
}

/* Format thousandths as the shortest exact decimal, "0.25". */
void
qty_format(int64_t thousandths, char *buf, size_t len)
{
	char	tmp[MONEY_MAX_TEXT];

	dec_copy(tmp, dec_render(thousandths, 3, 0, 1, "", tmp), buf, len);
}

/* Divide, rounding half away from zero. */
int64_t
money_div_round(int64_t num, int64_t den)
{
	int64_t	q, r;

	assert(den > 0);
	if (den <= 0)
		return (0);
	q = num / den;
	r = num % den;
	/* Compare |r| with den - |r| rather than 2|r| with den: no overflow. */
	if (r > 0 && r >= den - r)
		q++;
	else if (r < 0 && -r >= den + r)
		q--;
	return (q);
}

/*
 * Compute a * b / d rounded half away from zero, where 0 < d < 2^31 and
 * |b| <= d, without a 128-bit intermediate: split a into
 * a1 * d + a0 so that a * b / d = a1 * b + a0 * b / d, where a0 * b is small.
 * C division truncates, so a0 has the sign of a and every term has the sign
 * of the result: rounding the last term rounds the whole. Returns 0, or -1
 * if the result does not fit.
 */
static int
muldiv_small(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	int64_t	a1 = a / d, a0 = a % d, hi, r;

	if (__builtin_mul_overflow(a1, b, &hi) ||
	    __builtin_add_overflow(hi, money_div_round(a0 * b, d), &r))
		return (-1);
	*out = r;
	return (0);
}

/* Line amount: unit price times quantity in thousandths. */
int
money_mul_qty(int64_t unit_cents, int64_t qty_thousandths, int64_t *out,
    struct duka_err *err)
{
	int64_t	q1 = qty_thousandths / 1000, q0 = qty_thousandths % 1000;
	int64_t	whole, part, r;

	/*
	 * unit * qty / 1000 = unit * q1 + unit * q0 / 1000; the second term
	 * has |q0| < 1000 so muldiv_small does it exactly. Both terms carry
	 * the sign of the product, so no partial sum overflows unless the
	 * result does.
	 */
	if (__builtin_mul_overflow(unit_cents, q1, &whole) ||
	    muldiv_small(unit_cents, q0, 1000, &part) != 0 ||
	    __builtin_add_overflow(whole, part, &r))
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("The line amount is too large.")));
	*out = r;
	return (DUKA_OK);
}

/* Basis points of VAT for a class. */
int64_t
tax_rate_bp(enum tax_class c)
{
	switch (c) {
	case TAX_STANDARD:
		return (1600);
	case TAX_ZERO:
	case TAX_EXEMPT:
		return (0);
	}
	return (-1);
}

/* Stable identifier of a class, for storage. */
const char *
tax_class_name(enum tax_class c)
{
	switch (c) {
	case TAX_STANDARD:
		return ("standard");
	case TAX_ZERO:
		return ("zero");
	case TAX_EXEMPT:
		return ("exempt");
	}
	return ("invalid");
}

/* Every spelling of a tax class that people and files use. */
static const struct {
	const char	*word;
	enum tax_class	 class;
} tax_words[] = {
	{ "standard", TAX_STANDARD },
	{ "s", TAX_STANDARD },
	{ "vat", TAX_STANDARD },
	{ "16", TAX_STANDARD },
	{ "16%", TAX_STANDARD },
	{ "zero", TAX_ZERO },
	{ "z", TAX_ZERO },
	{ "zero-rated", TAX_ZERO },
	{ "zero rated", TAX_ZERO },
	{ "0", TAX_ZERO },
	{ "0%", TAX_ZERO },
	{ "exempt", TAX_EXEMPT },
	{ "e", TAX_EXEMPT },
};

/* Parse a tax class name or one of its common spellings. */
int
tax_class_parse(const char *text, enum tax_class *out, struct duka_err *err)
{
	const char	*p, *end;
	size_t		 i, j, n;

	p = skip_space(text);
	end = p + strlen(p);
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - p);
	for (i = 0; i < sizeof tax_words / sizeof tax_words[0]; i++) {
		if (strlen(tax_words[i].word) != n)
			continue;
		for (j = 0; j < n; j++) {
			if (to_lower((unsigned char)p[j]) !=
			    tax_words[i].word[j])
				break;
		}
		if (j == n) {
			*out = tax_words[i].class;
			return (DUKA_OK);
		}
	}
	return (duka_fail(err, DUKA_EINPUT, "%s",
	    _("Unknown tax class; use standard (16%), zero (zero-rated) or "
	    "exempt.")));
}

/* Split a VAT-inclusive amount into net and VAT. */
int
vat_split(int64_t gross_cents, enum tax_class c, int64_t *net, int64_t *vat,
    struct duka_err *err)
{
	int64_t	rate = tax_rate_bp(c), v, n;

	if (rate < 0)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("Unknown tax class.")));
	/*
	 * vat = gross * rate / (10000 + rate); rate < 10000 + rate, so
	 * muldiv_small applies, and |vat| <= |gross| with the same sign, so
	 * gross - vat cannot overflow; the checks stay for any future rate.
	 */
	if (muldiv_small(gross_cents, rate, 10000 + rate, &v) != 0 ||
	    __builtin_sub_overflow(gross_cents, v, &n))
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("The amount is too large to split into VAT.")));
	*net = n;
	*vat = v;
	return (DUKA_OK);
}

/* A percentage of an amount, for discounts. */
int
money_percent(int64_t amount, int64_t percent_bp, int64_t *out,
    struct duka_err *err)
{
	int64_t	r;

	if (percent_bp < 0 || percent_bp > 10000)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("The percentage must be between 0 and 100.")));
	/* bp <= 10000, so |result| <= |amount| and nothing can overflow. */
	if (muldiv_small(amount, percent_bp, 10000, &r) != 0)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("The amount is too large.")));
	*out = r;
	return (DUKA_OK);
}
