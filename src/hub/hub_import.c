/*
 * hub_import.c - products for the hub's catalogue, one from the command
 * line (duka-hub product set) or many from a CSV file (duka-hub product
 * import), checked the same way.
 *
 * An import reads and checks the whole file first; one bad row means
 * nothing is written and every bad row (up to 20) is named with its line.
 * The good file is then written in one transaction under the shop's
 * catalogue lock, so the tills see all of it or none.
 *
 * Columns, named in the first row in any order and case: sku, name, price
 * (required), barcodes (codes separated by spaces, "|" or ";"), tax_class,
 * category, unit, cost, active (yes/no). An empty cell means "keep what
 * the product has"; an empty barcodes cell keeps the barcodes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "hub.h"
#include "i18n.h"
#include "money.h"

#define IMPORT_MAX_ERRORS 20
#define IMPORT_MAX_CODES 32
#define IMPORT_MAX_FIELD 4096

/* Plain text for names and codes: no control characters. */
static int
text_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int
hub_product_check(const struct hub_product_text *t, struct hub_product *p,
    struct duka_err *err)
{
	enum tax_class tax;
	int rc, i;

	memset(p, 0, sizeof *p);
	if (t->sku == NULL || !text_ok(t->sku, 64) ||
	    strchr(t->sku, ' ') != NULL)
		return duka_fail(err, DUKA_EINPUT, _("the SKU must be 1 to 64 "
		    "characters without spaces"));
	if (t->name == NULL || !text_ok(t->name, 200))
		return duka_fail(err, DUKA_EINPUT, _("the name must be 1 to 200 "
		    "characters of text"));
	if (t->price == NULL)
		return duka_fail(err, DUKA_EINPUT, _("the price is missing"));
	p->sku = t->sku;
	p->name = t->name;
	if ((rc = money_parse(t->price, &p->price, err)) != DUKA_OK)
		return rc;
	if (p->price < 0)
		return duka_fail(err, DUKA_EINPUT, _("a price cannot be "
		    "negative"));
	p->cost = -1;
	if (t->cost != NULL) {
		if ((rc = money_parse(t->cost, &p->cost, err)) != DUKA_OK)
			return rc;
		if (p->cost < 0)
			return duka_fail(err, DUKA_EINPUT, _("a cost cannot be "
			    "negative"));
	}
	if (t->tax_class != NULL) {
		if ((rc = tax_class_parse(t->tax_class, &tax, err)) != DUKA_OK)
			return rc;
		p->tax_class = tax_class_name(tax);
	}
	if (t->unit != NULL && strcmp(t->unit, "piece") != 0 &&
	    strcmp(t->unit, "kg") != 0 && strcmp(t->unit, "litre") != 0)
		return duka_fail(err, DUKA_EINPUT, _("the unit is piece, kg or "
		    "litre, not \"%.40s\""), t->unit);
	p->unit = t->unit;
	if (t->category != NULL && t->category[0] != '\0' &&
	    !text_ok(t->category, 100))
		return duka_fail(err, DUKA_EINPUT, _("the category must be at "
		    "most 100 characters of text"));
	p->category = t->category;
	for (i = 0; i < t->nbarcodes; i++)
		if (!text_ok(t->barcodes[i], 64) ||
		    strchr(t->barcodes[i], ' ') != NULL)
			return duka_fail(err, DUKA_EINPUT, _("the barcode "
			    "\"%.64s\" is not 1 to 64 characters without "
			    "spaces"), t->barcodes[i]);
	if (t->barcodes != NULL && t->nbarcodes > 0) {
		p->barcodes = t->barcodes;
		p->nbarcodes = t->nbarcodes;
	}
	p->active = t->inactive ? 0 : -1;
	return DUKA_OK;
}

enum column {
	C_SKU, C_NAME, C_PRICE, C_BARCODES, C_TAX, C_CATEGORY, C_UNIT, C_COST,
	C_ACTIVE, C_COUNT
};

static const char *const column_names[C_COUNT] = {
	"sku", "name", "price", "barcodes", "tax_class", "category", "unit",
	"cost", "active"
};

/* One data row: its fields by column (NULL: empty or absent). */
struct row {
	char *f[C_COUNT];
	long line;
};

struct reader {
	int map[64];		/* file column -> enum column, -1 ignored */
	int ncols;
	int header_done;
	int col;		/* current file column */
	long line;
	char *f[C_COUNT];	/* fields of the row being read */
	struct row *rows;
	size_t nrows, cap;
	int nerrors;
	int failed;		/* out of memory, or a broken header */
	struct duka_err *err;
	const char *path;
};

static void
report(struct reader *r, long line, const char *msg)
{
	if (r->nerrors++ < IMPORT_MAX_ERRORS)
		fprintf(stderr, "%s:%ld: %s\n", r->path, line, msg);
}

static void
on_field(void *data, size_t len, void *cls)
{
	struct reader *r = cls;
	int col = r->col++;
	char *copy;
	int i;

	if (r->failed)
		return;
	if (!r->header_done) {
		/* A spreadsheet's UTF-8 byte order mark. */
		if (col == 0 && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
			data = (char *)data + 3;
			len -= 3;
		}
		if (col >= (int)(sizeof r->map / sizeof r->map[0])) {
			r->failed = 1;
			duka_fail(r->err, DUKA_EINPUT, _("%s: too many "
			    "columns"), r->path);
			return;
		}
		r->map[col] = -1;
		for (i = 0; i < C_COUNT; i++)
			if (strlen(column_names[i]) == len &&
			    strncasecmp(column_names[i], data, len) == 0)
				r->map[col] = i;
		r->ncols = col + 1;
		return;
	}
	if (col >= r->ncols || r->map[col] < 0 || len == 0)
		return;
	if ((copy = malloc(len + 1)) == NULL) {
		r->failed = 1;
		duka_fail(r->err, DUKA_EFAIL, _("out of memory"));
		return;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	free(r->f[r->map[col]]);
	r->f[r->map[col]] = copy;
}

static void
on_row(int c, void *cls)
{
	struct reader *r = cls;
	int i, seen[C_COUNT] = { 0 };

	r->line++;
	r->col = 0;
	if (r->failed)
		return;
	if (!r->header_done) {
		r->header_done = 1;
		for (i = 0; i < r->ncols; i++) {
			if (r->map[i] < 0)
				continue;
			if (seen[r->map[i]]++) {
				r->failed = 1;
				duka_fail(r->err, DUKA_EINPUT, _("%s:1: the "
				    "column %s is there twice"), r->path,
				    column_names[r->map[i]]);
				return;
			}
		}
		if (!seen[C_SKU] || !seen[C_NAME] || !seen[C_PRICE]) {
			r->failed = 1;
			duka_fail(r->err, DUKA_EINPUT, _("%s:1: the first row "
			    "must name the columns, with at least sku, name "
			    "and price"), r->path);
		}
		return;
	}
	for (i = 0; i < C_COUNT && r->f[i] == NULL; i++)
		;
	if (i == C_COUNT)
		return;		/* an empty line */
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct row *p = realloc(r->rows, cap * sizeof *p);

		if (p == NULL) {
			r->failed = 1;
			duka_fail(r->err, DUKA_EFAIL, _("out of memory"));
			return;
		}
		r->rows = p;
		r->cap = cap;
	}
	memcpy(r->rows[r->nrows].f, r->f, sizeof r->f);
	r->rows[r->nrows].line = r->line;
	r->nrows++;
	memset(r->f, 0, sizeof r->f);
}

/* Split a barcodes cell in place on spaces, "|" and ";". */
static int
split_codes(char *s, const char *codes[IMPORT_MAX_CODES])
{
	char *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(s, " |;", &save); tok != NULL;
	    tok = strtok_r(NULL, " |;", &save)) {
		if (n == IMPORT_MAX_CODES)
			return -1;
		codes[n++] = tok;
	}
	return n;
}

/* A row as a product; DUKA_EINPUT with the reason in err. */
static int
row_product(struct row *w, const char *codes[IMPORT_MAX_CODES],
    struct hub_product *p, struct duka_err *err)
{
	struct hub_product_text t;
	const char *a = w->f[C_ACTIVE];

	memset(&t, 0, sizeof t);
	t.sku = w->f[C_SKU];
	t.name = w->f[C_NAME];
	t.price = w->f[C_PRICE];
	t.cost = w->f[C_COST];
	t.tax_class = w->f[C_TAX];
	t.category = w->f[C_CATEGORY];
	t.unit = w->f[C_UNIT];
	if (w->f[C_BARCODES] != NULL) {
		t.nbarcodes = split_codes(w->f[C_BARCODES], codes);
		if (t.nbarcodes < 0)
			return duka_fail(err, DUKA_EINPUT, _("more than %d "
			    "barcodes"), IMPORT_MAX_CODES);
		t.barcodes = codes;
	}
	if (a != NULL) {
		if (strcasecmp(a, "no") == 0 || strcmp(a, "0") == 0 ||
		    strcasecmp(a, "false") == 0)
			t.inactive = 1;
		else if (strcasecmp(a, "yes") != 0 && strcmp(a, "1") != 0 &&
		    strcasecmp(a, "true") != 0)
			return duka_fail(err, DUKA_EINPUT, _("active is yes or "
			    "no, not \"%.20s\""), a);
	}
	if (hub_product_check(&t, p, err) != DUKA_OK)
		return DUKA_EINPUT;
	if (a != NULL && !t.inactive)
		p->active = 1;
	return DUKA_OK;
}

/* Read path whole into r; DUKA_OK also when rows have errors. */
static int
import_read(struct reader *r, const char *path, struct duka_err *err)
{
	struct csv_parser csv;
	char buf[65536];
	FILE *f;
	size_t n;
	int rc = DUKA_OK;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return duka_fail(err, DUKA_EINPUT, _("cannot open %s: %s"),
		    path, strerror(errno));
	csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	while (!r->failed && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&csv, buf, n, on_field, on_row, r) != n) {
			rc = duka_fail(err, DUKA_EINPUT, _("%s:%ld: not CSV: "
			    "%s"), path, r->line + 1,
			    csv_strerror(csv_error(&csv)));
			break;
		}
		if (csv_get_buffer_size(&csv) > IMPORT_MAX_FIELD) {
			rc = duka_fail(err, DUKA_EINPUT, _("%s:%ld: a field "
			    "is too long"), path, r->line + 1);
			break;
		}
	}
	if (rc == DUKA_OK && !r->failed && ferror(f))
		rc = duka_fail(err, DUKA_EINPUT, _("cannot read %s: %s"),
		    path, strerror(errno));
	if (rc == DUKA_OK && !r->failed &&
	    csv_fini(&csv, on_field, on_row, r) != 0)
		rc = duka_fail(err, DUKA_EINPUT, _("%s:%ld: not CSV: %s"),
		    path, r->line + 1, csv_strerror(csv_error(&csv)));
	csv_free(&csv);
	if (f != stdin)
		fclose(f);
	if (rc == DUKA_OK && r->failed)
		rc = r->err->code;
	if (rc == DUKA_OK && !r->header_done)
		rc = duka_fail(err, DUKA_EINPUT, _("%s is empty"), path);
	return rc;
}

int
hub_product_import(PGconn *c, const char *shop, const char *path,
    struct duka_err *err)
{
	struct reader r;
	struct hub_product *p = NULL;
	const char *(*codes)[IMPORT_MAX_CODES] = NULL;
	struct duka_err rowerr;
	char shop_id[24];
	int64_t seq = 0;
	size_t i;
	int rc;

	memset(&r, 0, sizeof r);
	r.err = err;
	r.path = path;
	if ((rc = import_read(&r, path, err)) != DUKA_OK)
		goto out;
	if (r.nrows > 0 && ((p = calloc(r.nrows, sizeof *p)) == NULL ||
	    (codes = calloc(r.nrows, sizeof *codes)) == NULL)) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto out;
	}
	for (i = 0; i < r.nrows; i++) {
		duka_err_clear(&rowerr);
		if (row_product(&r.rows[i], codes[i], &p[i], &rowerr) !=
		    DUKA_OK)
			report(&r, r.rows[i].line, rowerr.msg);
	}
	if (r.nerrors > 0) {
		rc = duka_fail(err, DUKA_EINPUT, ngettext("%s: %d row is "
		    "wrong; nothing was changed", "%s: %d rows are wrong; "
		    "nothing was changed", r.nerrors), path, r.nerrors);
		goto out;
	}
	if ((rc = hub_catalog_begin(c, shop, shop_id, err)) != DUKA_OK)
		goto out;
	for (i = 0; rc == DUKA_OK && i < r.nrows; i++)
		rc = hub_catalog_put(c, shop_id, &p[i], &seq, err);
	if (rc != DUKA_OK) {
		hub_catalog_end(c, 0, NULL);
		goto out;
	}
	if ((rc = hub_catalog_end(c, 1, err)) != DUKA_OK)
		goto out;
	printf(ngettext("%zu product set in shop %s's catalogue (cursor "
	    "%lld)\n", "%zu products set in shop %s's catalogue (cursor "
	    "%lld)\n", r.nrows), r.nrows, shop, (long long)seq);
out:
	for (i = 0; i < r.nrows; i++)
		for (int k = 0; k < C_COUNT; k++)
			free(r.rows[i].f[k]);
	for (int k = 0; k < C_COUNT; k++)
		free(r.f[k]);
	free(r.rows);
	free(p);
	free(codes);
	return rc;
}
