/*
 * hub.c - duka-hub's command line: init-db, serve, and the administration
 * of shops, tills and the catalogue.
 *
 * Options are "--name value" or "--name=value" and may come anywhere after
 * the command words. The database is --db CONNINFO, else $DUKA_HUB_DB, else
 * libpq's defaults (PGHOST, PGDATABASE, ...).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hub.h"
#include "i18n.h"

#define MAX_BARCODES 32

struct opts {
	const char *db, *listen, *shop, *name, *sku, *price, *cost;
	const char *tax_class, *category, *unit, *catalog;
	const char *barcodes[MAX_BARCODES];
	int nbarcodes, threads, inactive, help;
	const char *words[4];	/* command words and positional arguments */
	int nwords;
};

static const char usage_text[] = N_(
"usage: duka-hub [--db CONNINFO] COMMAND ...\n"
"\n"
"  init-db                          create or upgrade the hub's schema\n"
"  serve --listen HOST:PORT [--threads N]\n"
"                                   answer the tills (port 0: any free one)\n"
"  shop add CODE [--name NAME] [--catalog till|hub]\n"
"  shop set CODE --catalog till|hub  who may change the shop's catalogue\n"
"  shop show CODE                   the shop and its M-PESA callback path\n"
"  shop list\n"
"  till add --shop CODE [--name NAME] prints the till's token (once)\n"
"  till list --shop CODE\n"
"  till revoke ID                   the till's token stops working\n"
"  product set --shop CODE --sku SKU --name NAME --price PRICE\n"
"      [--barcode CODE]... [--tax-class standard|zero|exempt]\n"
"      [--category TEXT] [--unit piece|kg|litre] [--cost PRICE] [--inactive]\n"
"  product import --shop CODE FILE.csv  many at once (columns sku, name,\n"
"      price, barcodes, tax_class, category, unit, cost, active)\n"
"\n"
"The database is --db CONNINFO, else $DUKA_HUB_DB, else libpq's defaults.\n"
"See duka-hub(8).\n");

static int
usage(FILE *out)
{
	fputs(_(usage_text), out);
	return out == stdout ? DUKA_OK : DUKA_EUSAGE;
}

/* Options that take a value, and where it goes. */
static const char **
opt_slot(struct opts *o, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "db", offsetof(struct opts, db) },
		{ "listen", offsetof(struct opts, listen) },
		{ "shop", offsetof(struct opts, shop) },
		{ "name", offsetof(struct opts, name) },
		{ "sku", offsetof(struct opts, sku) },
		{ "price", offsetof(struct opts, price) },
		{ "cost", offsetof(struct opts, cost) },
		{ "tax-class", offsetof(struct opts, tax_class) },
		{ "category", offsetof(struct opts, category) },
		{ "unit", offsetof(struct opts, unit) },
		{ "catalog", offsetof(struct opts, catalog) },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return (const char **)((char *)o + names[i].off);
	return NULL;
}

static int
opts_parse(int argc, char **argv, struct opts *o, struct duka_err *err)
{
	const char **slot, *value;
	char name[32];
	int i;

	memset(o, 0, sizeof *o);
	o->threads = 4;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;

		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (o->nwords == (int)(sizeof o->words /
			    sizeof o->words[0]))
				return duka_fail(err, DUKA_EUSAGE,
				    _("too many arguments: %s"), a);
			o->words[o->nwords++] = a;
			continue;
		}
		a += 2;
		if (strcmp(a, "help") == 0) {
			o->help = 1;
			continue;
		}
		if (strcmp(a, "version") == 0) {
			o->help = 2;
			continue;
		}
		if (strcmp(a, "inactive") == 0) {
			o->inactive = 1;
			continue;
		}
		eq = strchr(a, '=');
		snprintf(name, sizeof name, "%.*s", eq != NULL ?
		    (int)(eq - a) : (int)strlen(a), a);
		if (eq != NULL)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else
			return duka_fail(err, DUKA_EUSAGE,
			    _("--%s needs a value"), name);
		if (strcmp(name, "barcode") == 0) {
			if (o->nbarcodes == MAX_BARCODES)
				return duka_fail(err, DUKA_EUSAGE,
				    _("at most %d barcodes"), MAX_BARCODES);
			o->barcodes[o->nbarcodes++] = value;
			continue;
		}
		if (strcmp(name, "threads") == 0) {
			char *end;
			long n = strtol(value, &end, 10);

			if (*end != '\0' || n < 1 || n > 256)
				return duka_fail(err, DUKA_EUSAGE,
				    _("--threads wants a number from 1 to "
				    "256"));
			o->threads = (int)n;
			continue;
		}
		if ((slot = opt_slot(o, name)) == NULL)
			return duka_fail(err, DUKA_EUSAGE,
			    _("unknown option --%s"), name);
		*slot = value;
	}
	return DUKA_OK;
}

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

static int
shop_code_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 40 && strchr("abcdefghijklmnopqrstuvwxyz"
	    "0123456789", s[0]) != NULL && strspn(s,
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int
cmd_init_db(PGconn *c, struct duka_err *err)
{
	int rc, from, to;

	if ((rc = hub_db_migrate(c, &from, &to, err)) != DUKA_OK)
		return rc;
	if (from == to)
		printf(_("the hub's schema is up to date (version %d)\n"), to);
	else
		printf(_("the hub's schema went from version %d to %d\n"),
		    from, to);
	return DUKA_OK;
}

/* Print the shop code's details; DUKA_ENOTFOUND if there is none. */
static int
shop_print(PGconn *c, const char *code, struct duka_err *err)
{
	const char *params[1] = { code };
	PGresult *res;

	res = hub_db_exec(c, "SELECT code, name, callback_key, catalog, "
	    "(SELECT count(*) FROM tills t WHERE t.shop_id = s.shop_id AND "
	    "t.revoked_at IS NULL) FROM shops s WHERE code = $1", 1, params,
	    NULL, err);
	if (res == NULL)
		return DUKA_EDB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return duka_fail(err, DUKA_ENOTFOUND, _("no shop \"%s\""),
		    code);
	}
	printf("shop: %s\nname: %s\ncallback_key: %s\n"
	    "callback_path: /v1/stk/callback/%s\ncatalog: %s\ntills: %s\n",
	    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 2),
	    PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
	PQclear(res);
	return DUKA_OK;
}

static int
catalog_mode_ok(const char *s, struct duka_err *err)
{
	if (s == NULL || strcmp(s, "till") == 0 || strcmp(s, "hub") == 0)
		return DUKA_OK;
	return duka_fail(err, DUKA_EUSAGE, _("--catalog is \"till\" (the "
	    "tills' product changes reach the hub) or \"hub\" (only duka-hub "
	    "product set changes the catalogue), not \"%s\""), s);
}

static int
cmd_shop(PGconn *c, struct opts *o, struct duka_err *err)
{
	const char *verb = o->nwords > 1 ? o->words[1] : "";
	const char *code = o->nwords > 2 ? o->words[2] : NULL;
	unsigned char key[32];
	char keyhex[65], sqlstate[6];
	const char *params[4];
	PGresult *res;
	int rc;

	if (strcmp(verb, "list") == 0) {
		int i;

		res = hub_db_exec(c, "SELECT code, name, catalog, (SELECT "
		    "count(*) FROM tills t WHERE t.shop_id = s.shop_id AND "
		    "t.revoked_at IS NULL) FROM shops s ORDER BY code", 0, NULL,
		    NULL, err);
		if (res == NULL)
			return DUKA_EDB;
		for (i = 0; i < PQntuples(res); i++)
			printf("%s\t%s\tcatalog=%s\ttills=%s\n",
			    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
		PQclear(res);
		return DUKA_OK;
	}
	if (code == NULL)
		return duka_fail(err, DUKA_EUSAGE, _("shop %s: which shop? "
		    "(a code like nairobi-1)"), verb);
	if (strcmp(verb, "show") == 0)
		return shop_print(c, code, err);
	if ((rc = catalog_mode_ok(o->catalog, err)) != DUKA_OK)
		return rc;
	if (strcmp(verb, "set") == 0) {
		if (o->catalog == NULL && o->name == NULL)
			return duka_fail(err, DUKA_EUSAGE, _("shop set: nothing "
			    "to change (--catalog, --name)"));
		if (o->name != NULL && !text_ok(o->name, 200))
			return duka_fail(err, DUKA_EINPUT, _("--name must be 1 "
			    "to 200 characters of text"));
		params[0] = code;
		params[1] = o->catalog;
		params[2] = o->name;
		res = hub_db_exec(c, "UPDATE shops SET catalog = "
		    "coalesce($2, catalog), name = coalesce($3, name) "
		    "WHERE code = $1", 3, params, NULL, err);
		if (res == NULL)
			return DUKA_EDB;
		rc = strcmp(PQcmdTuples(res), "1") == 0;
		PQclear(res);
		if (!rc)
			return duka_fail(err, DUKA_ENOTFOUND,
			    _("no shop \"%s\""), code);
		return shop_print(c, code, err);
	}
	if (strcmp(verb, "add") != 0)
		return duka_fail(err, DUKA_EUSAGE, _("shop: add, set, show or "
		    "list, not \"%s\""), verb);
	if (!shop_code_ok(code))
		return duka_fail(err, DUKA_EINPUT, _("a shop code is 1 to 40 "
		    "lower-case letters, digits, - and _, starting with a "
		    "letter or digit: \"%s\" is not one"), code);
	if (o->name != NULL && !text_ok(o->name, 200))
		return duka_fail(err, DUKA_EINPUT, _("--name must be 1 to 200 "
		    "characters of text"));
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(keyhex, sizeof keyhex, key, sizeof key);
	params[0] = code;
	params[1] = o->name != NULL ? o->name : code;
	params[2] = keyhex;
	params[3] = o->catalog != NULL ? o->catalog : "till";
	res = hub_db_exec(c, "INSERT INTO shops(code, name, callback_key, "
	    "catalog) VALUES ($1, $2, $3, $4)", 4, params, sqlstate, err);
	if (res == NULL)
		return strcmp(sqlstate, "23505") == 0 ? duka_fail(err,
		    DUKA_EINPUT, _("there is already a shop \"%s\""), code) :
		    DUKA_EDB;
	PQclear(res);
	return shop_print(c, code, err);
}

static int
cmd_till(PGconn *c, struct opts *o, struct duka_err *err)
{
	const char *verb = o->nwords > 1 ? o->words[1] : "";
	unsigned char secret[32], hash[32];
	char sechex[65], hashtext[2 + 65];
	const char *params[3];
	PGresult *res;
	int i;

	if (strcmp(verb, "revoke") == 0) {
		if (o->nwords < 3 || strspn(o->words[2], "0123456789") !=
		    strlen(o->words[2]) || strlen(o->words[2]) > 18 ||
		    o->words[2][0] == '\0')
			return duka_fail(err, DUKA_EUSAGE,
			    _("till revoke: which till? (its number)"));
		params[0] = o->words[2];
		res = hub_db_exec(c, "UPDATE tills SET revoked_at = now() "
		    "WHERE till_id = $1::bigint AND revoked_at IS NULL", 1,
		    params, NULL, err);
		if (res == NULL)
			return DUKA_EDB;
		i = strcmp(PQcmdTuples(res), "1") == 0;
		PQclear(res);
		if (!i)
			return duka_fail(err, DUKA_ENOTFOUND, _("no till %s "
			    "with a valid token"), o->words[2]);
		printf(_("till %s: token revoked\n"), o->words[2]);
		return DUKA_OK;
	}
	if (o->shop == NULL)
		return duka_fail(err, DUKA_EUSAGE, _("till %s: which shop? "
		    "(--shop CODE)"), verb);
	if (strcmp(verb, "list") == 0) {
		params[0] = o->shop;
		res = hub_db_exec(c, "SELECT t.till_id, t.name, t.created_at,"
		    " coalesce(t.revoked_at::text, '') FROM tills t JOIN shops"
		    " s USING (shop_id) WHERE s.code = $1 ORDER BY t.till_id",
		    1, params, NULL, err);
		if (res == NULL)
			return DUKA_EDB;
		for (i = 0; i < PQntuples(res); i++)
			printf("%s\t%s\t%s%s%s\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 3)[0] ? "\trevoked " : "",
			    PQgetvalue(res, i, 3));
		PQclear(res);
		return DUKA_OK;
	}
	if (strcmp(verb, "add") != 0)
		return duka_fail(err, DUKA_EUSAGE, _("till: add, list or "
		    "revoke, not \"%s\""), verb);
	if (o->name != NULL && !text_ok(o->name, 200))
		return duka_fail(err, DUKA_EINPUT, _("--name must be 1 to 200 "
		    "characters of text"));
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(sechex, sizeof sechex, secret, sizeof secret);
	crypto_generichash(hash, sizeof hash, (unsigned char *)sechex, 64,
	    NULL, 0);
	memcpy(hashtext, "\\x", 2);
	sodium_bin2hex(hashtext + 2, sizeof hashtext - 2, hash, sizeof hash);
	params[0] = o->shop;
	params[1] = o->name != NULL ? o->name : "till";
	params[2] = hashtext;
	res = hub_db_exec(c, "INSERT INTO tills(shop_id, name, token_hash) "
	    "SELECT shop_id, $2, $3::bytea FROM shops WHERE code = $1 "
	    "RETURNING till_id", 3, params, NULL, err);
	sodium_memzero(secret, sizeof secret);
	if (res == NULL)
		return DUKA_EDB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return duka_fail(err, DUKA_ENOTFOUND, _("no shop \"%s\""),
		    o->shop);
	}
	printf("dk1.%s.%s\n", PQgetvalue(res, 0, 0), sechex);
	fprintf(stderr, _("till %s added to shop %s; put the token above in "
	    "its duka.conf ([hub] token): it is not shown again\n"),
	    PQgetvalue(res, 0, 0), o->shop);
	sodium_memzero(sechex, sizeof sechex);
	PQclear(res);
	return DUKA_OK;
}

static int
cmd_product(PGconn *c, struct opts *o, struct duka_err *err)
{
	struct hub_product_text t;
	struct hub_product p;
	int64_t seq;
	int rc;

	if (o->nwords >= 2 && strcmp(o->words[1], "import") == 0) {
		if (o->shop == NULL || o->nwords != 3)
			return duka_fail(err, DUKA_EUSAGE, _("product import "
			    "needs --shop CODE and a CSV file (- for standard "
			    "input)"));
		return hub_product_import(c, o->shop, o->words[2], err);
	}
	if (o->nwords < 2 || strcmp(o->words[1], "set") != 0)
		return duka_fail(err, DUKA_EUSAGE, _("product: set or "
		    "import"));
	if (o->shop == NULL || o->sku == NULL || o->name == NULL ||
	    o->price == NULL)
		return duka_fail(err, DUKA_EUSAGE, _("product set needs --shop, "
		    "--sku, --name and --price"));
	memset(&t, 0, sizeof t);
	t.sku = o->sku;
	t.name = o->name;
	t.price = o->price;
	t.cost = o->cost;
	t.tax_class = o->tax_class;
	t.category = o->category;
	t.unit = o->unit;
	t.barcodes = o->barcodes;
	t.nbarcodes = o->nbarcodes;
	t.inactive = o->inactive;
	if ((rc = hub_product_check(&t, &p, err)) != DUKA_OK)
		return rc;
	if ((rc = hub_catalog_set(c, o->shop, &p, &seq, err)) != DUKA_OK)
		return rc;
	printf(_("%s: %s set in shop %s's catalogue (cursor %lld)\n"), p.sku,
	    p.name, o->shop, (long long)seq);
	return DUKA_OK;
}

int
main(int argc, char **argv)
{
	struct duka_err err = { 0, "" };
	struct opts o;
	const char *cmd, *conninfo;
	PGconn *c;
	int rc;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	if (sodium_init() < 0) {
		fprintf(stderr, "duka-hub: libsodium cannot start\n");
		return DUKA_EFAIL;
	}
	if ((rc = opts_parse(argc, argv, &o, &err)) != DUKA_OK) {
		fprintf(stderr, "duka-hub: %s\n", err.msg);
		return rc;
	}
	if (o.help == 2) {
		printf("duka-hub %s\n", PACKAGE_VERSION);
		return DUKA_OK;
	}
	if (o.help)
		return usage(stdout);
	if (o.nwords == 0)
		return usage(stderr);
	cmd = o.words[0];
	conninfo = o.db != NULL ? o.db : getenv("DUKA_HUB_DB");
	hub_db_configure(conninfo);
	if (strcmp(cmd, "serve") == 0) {
		int v;

		if (o.listen == NULL) {
			fprintf(stderr, _("duka-hub: serve needs --listen "
			    "HOST:PORT\n"));
			return DUKA_EUSAGE;
		}
		/* Refuse to serve a database without (the newest) schema. */
		if ((c = hub_db(&err)) == NULL ||
		    hub_db_version(c, &v, &err) != DUKA_OK) {
			fprintf(stderr, "duka-hub: %s\n", err.msg);
			hub_db_close();
			return DUKA_EDB;
		}
		hub_db_close();
		if (v != hub_migrations[hub_migrations_count - 1].version) {
			fprintf(stderr, _("duka-hub: the database's schema is "
			    "at version %d, this duka-hub needs %d: run "
			    "duka-hub init-db\n"), v,
			    hub_migrations[hub_migrations_count - 1].version);
			return DUKA_EDB;
		}
		rc = hub_http_serve(o.listen, o.threads, &err);
		if (rc != DUKA_OK)
			fprintf(stderr, "duka-hub: %s\n", err.msg);
		hub_db_configure(NULL);
		return rc;
	}
	if (strcmp(cmd, "init-db") != 0 && strcmp(cmd, "shop") != 0 &&
	    strcmp(cmd, "till") != 0 && strcmp(cmd, "product") != 0) {
		fprintf(stderr, _("duka-hub: unknown command \"%s\"\n"), cmd);
		return usage(stderr);
	}
	if ((c = hub_db(&err)) == NULL) {
		fprintf(stderr, "duka-hub: %s\n", err.msg);
		return DUKA_EDB;
	}
	if (strcmp(cmd, "init-db") == 0)
		rc = cmd_init_db(c, &err);
	else if (strcmp(cmd, "shop") == 0)
		rc = cmd_shop(c, &o, &err);
	else if (strcmp(cmd, "till") == 0)
		rc = cmd_till(c, &o, &err);
	else
		rc = cmd_product(c, &o, &err);
	if (rc != DUKA_OK)
		fprintf(stderr, "duka-hub: %s\n", err.msg);
	hub_db_close();
	hub_db_configure(NULL);
	return rc;
}
