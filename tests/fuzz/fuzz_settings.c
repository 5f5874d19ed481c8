/*
 * fuzz_settings.c - libFuzzer target: arbitrary bytes read as a duka.conf.
 *
 * Each input is written to a file in a private temporary directory and
 * read with settings_load_file(), the same path every real file takes
 * (open, the line reader, inih, the key table). Beyond "no crash", the
 * target aborts when an invariant of settings.h is broken:
 *   - a failure returns DUKA_ECONFIG with a message that names the file,
 *     and leaves the settings exactly as they were;
 *   - a success leaves every value in its documented range, every string
 *     terminated and free of control characters, and reading the same file
 *     again changes nothing.
 *
 *   clang -std=c11 -g -fsanitize=fuzzer,address,undefined -I<dir with
 *     config.h> -Isrc src/status.c src/money.c src/settings.c
 *     tests/fuzz/fuzz_settings.c $(pkg-config --cflags --libs inih)
 *   ./a.out -max_total_time=60 CORPUS_DIR
 * The file goes under $TMPDIR, else /dev/shm, else /tmp.
 */
#include "config.h"

/* POSIX.1-2008 (mkdtemp) when config.h has not asked for more. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "status.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[256];
static char	path[300];

/* Remove the temporary file and directory when the fuzzer exits. */
static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

/* Make the private directory that holds the file under test. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*base = getenv("TMPDIR");
	struct stat	 sb;

	(void)argc;
	(void)argv;
	/* A disk-backed /tmp is ~60 times slower than memory here. */
	if (base == NULL || *base != '/')
		base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ?
		    "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/fuzz_settings.XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(path, sizeof path, "%s/duka.conf", dir);
	atexit(cleanup);
	return (0);
}

/* Whether the string member m of size n is terminated and has no control
 * characters. */
static int
text_ok(const char *m, size_t n)
{
	const char	*end = memchr(m, '\0', n);
	const char	*p;

	if (end == NULL)
		return (0);
	for (p = m; p < end; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return (0);
	}
	return (1);
}

#define TEXT_OK(s, m) text_ok((s)->m, sizeof (s)->m)

/* Whether s satisfies every documented range. */
static int
settings_sane(const struct settings *s)
{
	return (TEXT_OK(s, shop_name) && TEXT_OK(s, shop_address) &&
	    TEXT_OK(s, kra_pin) && TEXT_OK(s, shop_phone) &&
	    TEXT_OK(s, currency) && TEXT_OK(s, timezone) &&
	    TEXT_OK(s, till_id) && TEXT_OK(s, database) &&
	    TEXT_OK(s, theme) && TEXT_OK(s, printer) &&
	    (s->kra_pin[0] == '\0' || strlen(s->kra_pin) == 11) &&
	    strcmp(s->currency, "KES") == 0 &&
	    s->timezone[0] != '\0' && s->timezone[0] != '/' &&
	    s->till_id[0] != '\0' &&
	    (s->database[0] == '\0' || s->database[0] == '/') &&
	    s->max_discount_bp >= 0 && s->max_discount_bp <= 10000 &&
	    s->max_sale_lines >= 1 && s->max_sale_lines <= 10000 &&
	    s->min_sale_cents >= 0 && s->min_sale_cents <= s->max_sale_cents &&
	    s->near_expiry_days >= 0 && s->near_expiry_days <= 3650 &&
	    (s->allow_negative_stock == 0 || s->allow_negative_stock == 1) &&
	    s->reorder_window_days >= 1 && s->reorder_window_days <= 365 &&
	    s->safety_stock_bp >= 0 && s->safety_stock_bp <= 10000 &&
	    s->review_period_days >= 1 && s->review_period_days <= 365 &&
	    (strcmp(s->theme, "dark") == 0 || strcmp(s->theme, "light") == 0) &&
	    s->idle_timeout_s >= 0 && s->idle_timeout_s <= 86400 &&
	    (s->printer_width == 32 || s->printer_width == 42 ||
	    s->printer_width == 48));
}

/* Write the input as the file, read it, and check the invariants. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings	s, before, again;
	struct duka_err	e;
	int		fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || (size > 0 && write(fd, data, size) != (ssize_t)size)) {
		perror(path);
		abort();
	}
	close(fd);

	settings_defaults(&s);
	memcpy(&before, &s, sizeof s);
	duka_err_clear(&e);
	rc = settings_load_file(&s, path, 1, &e);
	if (rc != DUKA_OK) {
		if (rc != DUKA_ECONFIG || e.code != rc ||
		    strncmp(e.msg, path, strlen(path)) != 0 ||
		    memcmp(&s, &before, sizeof s) != 0)
			abort();
		return (0);
	}
	if (!settings_sane(&s))
		abort();

	/* Reading the same file again on top gives the same settings. */
	memcpy(&again, &s, sizeof s);
	if (settings_load_file(&again, path, 1, &e) != DUKA_OK ||
	    memcmp(&again, &s, sizeof s) != 0)
		abort();
	return (0);
}
