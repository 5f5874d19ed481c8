/* text.c - trimming, UTF-8 and name checks for typed text. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "text.h"

void
text_trim(char *s)
{
	size_t n, skip = 0;

	while (isspace((unsigned char)s[skip]))
		skip++;
	n = strlen(s + skip);
	memmove(s, s + skip, n + 1);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

int
text_trim_copy(const char *s, char *out, size_t n)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n) {
		memcpy(out, s, n - 1);
		out[n - 1] = '\0';
		return -1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int
text_is_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

size_t
text_utf8_bad_at(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len, k;
	unsigned cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		else
			return i;
		if (len > n - i)
			return i;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* No overlong forms, no surrogates, nothing past Unicode. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

int
text_utf8_valid(const char *s, size_t n)
{
	return text_utf8_bad_at(s, n) == n;
}

size_t
text_utf8_chars(const char *s, size_t n)
{
	size_t i, chars = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	return chars;
}

int
text_check_name(const char *s, size_t max, const char *what,
    struct duka_err *err)
{
	size_t n = strlen(s), i;

	if (n == 0)
		return duka_fail(err, DUKA_EINPUT, _("the %s is empty"), what);
	if (!text_utf8_valid(s, n))
		return duka_fail(err, DUKA_EINPUT,
		    _("the %s is not valid UTF-8 text"), what);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return duka_fail(err, DUKA_EINPUT,
			    _("the %s \"%.40s\" holds a control character"),
			    what, s);
	if (text_utf8_chars(s, n) > max)
		return duka_fail(err, DUKA_EINPUT,
		    _("the %s \"%.40s...\" is longer than %zu characters"), what,
		    s, max);
	return DUKA_OK;
}

void
text_like_prefix(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < n; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '%';
	out[o] = '\0';
}
