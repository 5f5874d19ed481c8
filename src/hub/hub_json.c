/*
 * hub_json.c - parsing JSON from the network with bounds.
 *
 * jansson recurses once per nesting level up to its own limit of 2048;
 * a body of "[[[[..." would make every request walk that deep, so the depth
 * is checked first by a scan that understands strings and nothing else.
 */
#include "config.h"

#include <string.h>

#include "hub.h"

/* The deepest nesting of [ and { in buf, outside strings, or -1 past max. */
static int
json_depth(const char *buf, size_t len, int max)
{
	int depth = 0, deepest = 0, in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = buf[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
			continue;
		}
		switch (ch) {
		case '"':
			in_string = 1;
			break;
		case '[':
		case '{':
			if (++depth > max)
				return -1;
			if (depth > deepest)
				deepest = depth;
			break;
		case ']':
		case '}':
			depth--;
			break;
		default:
			break;
		}
	}
	return deepest;
}

json_t *
hub_json_parse(const char *buf, size_t len, int max_depth,
    struct duka_err *err)
{
	json_error_t jerr;
	json_t *root;

	if (len == 0) {
		duka_fail(err, DUKA_EINPUT, "empty body: JSON expected");
		return NULL;
	}
	if (json_depth(buf, len, max_depth) < 0) {
		duka_fail(err, DUKA_EINPUT, "JSON nested deeper than %d levels",
		    max_depth);
		return NULL;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		duka_fail(err, DUKA_EINPUT, "malformed JSON at line %d column "
		    "%d: %s", jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	return root;
}
