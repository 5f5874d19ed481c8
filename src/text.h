/*
 * text.h - small helpers for text that people type: trimming, UTF-8
 * checks, names, LIKE patterns. No allocation; callers own every buffer.
 */
#ifndef DUKA_TEXT_H
#define DUKA_TEXT_H

#include <stddef.h>

#include "status.h"

/* Remove leading and trailing white space in place. */
void text_trim(char *s);
/* Copy s without surrounding white space into out; -1 if it did not fit
 * (out then holds a truncated copy). */
int text_trim_copy(const char *s, char *out, size_t n);
/* 1 if s is one or more ASCII digits and nothing else. */
int text_is_digits(const char *s);
/* Offset of the first byte of the n at s that is not valid UTF-8, or n. */
size_t text_utf8_bad_at(const char *s, size_t n);
/* 1 if the n bytes at s are valid UTF-8 (no overlongs, no surrogates). */
int text_utf8_valid(const char *s, size_t n);
/* Number of UTF-8 characters in the n bytes at s. */
size_t text_utf8_chars(const char *s, size_t n);
/*
 * Check a name (product, category, supplier): valid UTF-8, no control
 * characters, 1..max characters. what is the translated field name.
 */
int text_check_name(const char *s, size_t max, const char *what,
    struct duka_err *err);
/* A LIKE pattern matching s as a prefix, with % _ \ escaped by '\'. */
void text_like_prefix(const char *s, char *out, size_t n);

#endif
