/*
 * hub_check.c - what a till's batch of events must look like.
 *
 * Pure C, no database (tests/fuzz/fuzz_hub_events.c drives it): checks the
 * body of POST /v1/events and every event against the shape the till sends
 * (src/sale.c, refund.c, stock.c, catalog.c, ... where outbox_add() builds
 * them), so that every value the ingest SQL casts is known to fit. An event
 * that fails is answered in "rejected" with its reason; the rest of the
 * batch goes on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"

/* What a field of an event's data may hold. */
enum kind {
	K_INT,		/* integer (int64) */
	K_UINT,		/* integer >= 0 */
	K_STR,		/* string of at most 1000 bytes */
	K_KEY,		/* non-empty string of at most 100 bytes (sku, ...) */
	K_BOOL,
	K_TIME,		/* RFC 3339 timestamp */
	K_STRS,		/* array of K_KEY */
	K_OBJS,		/* array of objects, each checked against sub */
	K_ANY,		/* any JSON value, stored as sent */
};

struct field {
	const char *name;
	unsigned char kind;
	unsigned char required;
	unsigned char nullable;
	const struct field *sub;
};

#define REQ(n, k)	{ n, k, 1, 0, NULL }
#define OPT(n, k)	{ n, k, 0, 1, NULL }
#define END		{ NULL, 0, 0, 0, NULL }

static const struct field line_fields[] = {
	OPT("line_no", K_INT), OPT("product_id", K_INT), REQ("sku", K_KEY),
	OPT("name", K_STR), REQ("qty", K_INT), OPT("shelf_price", K_INT),
	REQ("unit_price", K_INT), OPT("discount", K_INT),
	REQ("amount", K_INT), REQ("vat", K_INT), OPT("tax_class", K_KEY),
	OPT("allocations", K_ANY), END
};

static const struct field payment_fields[] = {
	OPT("payment_id", K_INT), REQ("method", K_KEY), REQ("state", K_KEY), REQ("amount", K_INT),
	OPT("change", K_INT), OPT("reference", K_STR), OPT("verified", K_BOOL),
	END
};

static const struct field sale_fields[] = {
	REQ("sale_id", K_INT), OPT("refund_of", K_INT), OPT("till", K_STR),
	OPT("receipt_no", K_INT), OPT("receipt", K_STR),
	OPT("original", K_STR), OPT("state", K_KEY), REQ("at", K_TIME),
	OPT("business_day", K_STR), OPT("user", K_STR),
	OPT("customer_id", K_INT), REQ("gross", K_INT),
	REQ("discount", K_INT), REQ("total", K_INT), REQ("vat", K_INT),
	OPT("reason", K_STR), OPT("damaged", K_BOOL),
	{ "lines", K_OBJS, 1, 0, line_fields },
	{ "payments", K_OBJS, 1, 0, payment_fields }, END
};

static const struct field refund_fields[] = {
	REQ("sale_id", K_INT), REQ("refund_of", K_INT), OPT("till", K_STR),
	OPT("receipt_no", K_INT), OPT("receipt", K_STR),
	OPT("original", K_STR), OPT("state", K_KEY), REQ("at", K_TIME),
	OPT("business_day", K_STR), OPT("user", K_STR),
	OPT("customer_id", K_INT), REQ("gross", K_INT),
	REQ("discount", K_INT), REQ("total", K_INT), REQ("vat", K_INT),
	OPT("reason", K_STR), OPT("damaged", K_BOOL),
	{ "lines", K_OBJS, 1, 0, line_fields },
	{ "payments", K_OBJS, 1, 0, payment_fields }, END
};

static const struct field stock_fields[] = {
	REQ("movement_id", K_INT), OPT("product_id", K_INT),
	REQ("sku", K_KEY), OPT("batch_id", K_INT), REQ("qty", K_INT),
	REQ("reason", K_KEY), OPT("unit_cost", K_INT),
	OPT("unit_price", K_INT), OPT("reference", K_STR),
	OPT("user", K_STR), OPT("note", K_STR), OPT("at", K_TIME), END
};

static const struct field payment_update_fields[] = {
	REQ("payment_id", K_INT), OPT("sale_id", K_INT), OPT("method", K_KEY),
	REQ("state", K_KEY), OPT("amount", K_INT), OPT("reference", K_STR),
	OPT("verified", K_BOOL), OPT("at", K_TIME), OPT("sale_state", K_KEY),
	END
};

/* A deleted product carries only product_id, sku and deleted. */
static const struct field product_fields[] = {
	OPT("product_id", K_INT), REQ("sku", K_KEY), OPT("name", K_STR),
	OPT("category", K_STR), OPT("unit", K_KEY), OPT("price", K_UINT),
	OPT("cost", K_INT), OPT("tax_class", K_KEY),
	OPT("reorder_level", K_INT), OPT("reorder_qty", K_INT),
	OPT("pack_size", K_INT), OPT("tracks_expiry", K_BOOL),
	OPT("active", K_BOOL), OPT("deleted", K_BOOL),
	OPT("barcodes", K_STRS), END
};

/* Types the till sends; fields NULL = stored raw, not projected. */
static const struct event_type {
	const char *name;
	const struct field *fields;
} event_types[] = {
	{ "sale.completed", sale_fields },
	{ "sale.refunded", refund_fields },
	{ "stock.moved", stock_fields },
	{ "product.changed", product_fields },
	{ "shift.opened", NULL },
	{ "shift.cash", NULL },
	{ "shift.closed", NULL },
	{ "customer.changed", NULL },
	{ "customer.paid", NULL },
	{ "order.changed", NULL },
	{ "payment.updated", payment_update_fields },
};

/* YYYY-MM-DDTHH:MM:SS, then fraction and zone, at most 40 bytes. */
static int
time_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, n = strlen(s);

	if (n < sizeof shape - 1 || n > 40)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') :
		    (shape[i] == 'T' ? (s[i] != 'T' && s[i] != ' ') :
		    s[i] != shape[i]))
			return 0;
	}
	for (; i < n; i++)
		if (strchr("0123456789.:+-Z", s[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Check obj against fields; on failure write the reason into why (size
 * len) and return 0. prefix names the enclosing field for the message.
 */
static int
fields_ok(json_t *obj, const struct field *fields, const char *prefix,
    char *why, size_t len)
{
	const struct field *f;
	json_t *v, *item;
	size_t i;

	for (f = fields; f->name != NULL; f++) {
		v = json_object_get(obj, f->name);
		if (v == NULL || json_is_null(v)) {
			if (v == NULL && !f->required)
				continue;
			if (v != NULL && f->nullable)
				continue;
			snprintf(why, len, "data.%s%s is missing", prefix,
			    f->name);
			return 0;
		}
		switch (f->kind) {
		case K_INT:
			if (!json_is_integer(v))
				goto type;
			break;
		case K_UINT:
			if (!json_is_integer(v))
				goto type;
			if (json_integer_value(v) < 0) {
				snprintf(why, len, "data.%s%s must not be "
				    "negative", prefix, f->name);
				return 0;
			}
			break;
		case K_STR:
			if (!json_is_string(v))
				goto type;
			if (json_string_length(v) > 1000) {
				snprintf(why, len, "data.%s%s is too long",
				    prefix, f->name);
				return 0;
			}
			break;
		case K_KEY:
			if (!json_is_string(v))
				goto type;
			if (json_string_length(v) == 0 ||
			    json_string_length(v) > 100) {
				snprintf(why, len, "data.%s%s must be 1 to 100 "
				    "bytes", prefix, f->name);
				return 0;
			}
			break;
		case K_BOOL:
			if (!json_is_boolean(v))
				goto type;
			break;
		case K_TIME:
			if (!json_is_string(v))
				goto type;
			if (!time_ok(json_string_value(v))) {
				snprintf(why, len, "data.%s%s is not an RFC "
				    "3339 time", prefix, f->name);
				return 0;
			}
			break;
		case K_STRS:
			if (!json_is_array(v) || json_array_size(v) > 100)
				goto type;
			json_array_foreach(v, i, item) {
				if (!json_is_string(item) ||
				    json_string_length(item) == 0 ||
				    json_string_length(item) > 100) {
					snprintf(why, len, "data.%s%s[%zu] must "
					    "be a string of 1 to 100 bytes",
					    prefix, f->name, i);
					return 0;
				}
			}
			break;
		case K_OBJS:
			if (!json_is_array(v) || json_array_size(v) > 1000)
				goto type;
			json_array_foreach(v, i, item) {
				char sub[64];

				if (!json_is_object(item)) {
					snprintf(why, len, "data.%s%s[%zu] must "
					    "be an object", prefix, f->name, i);
					return 0;
				}
				snprintf(sub, sizeof sub, "%s[%zu].", f->name,
				    i);
				if (!fields_ok(item, f->sub, sub, why, len))
					return 0;
			}
			break;
		default:
			break;
		}
		continue;
type:
		snprintf(why, len, "data.%s%s has the wrong type (%s expected)",
		    prefix, f->name, f->kind == K_INT || f->kind == K_UINT ?
		    "integer" : f->kind == K_BOOL ? "true or false" :
		    f->kind == K_STRS ? "array of strings" :
		    f->kind == K_OBJS ? "array of objects" : "string");
		return 0;
	}
	return 1;
}

/* 8-4-4-4-12 hexadecimal digits. */
static int
uuid_ok(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (strchr("0123456789abcdefABCDEF", s[i]) == NULL) {
			return 0;
		}
	}
	return 1;
}

/*
 * The reasons are per thread: hub_event_check() returns a pointer into
 * this buffer, valid until the next call in the same thread.
 */
static __thread char check_why[256];

const char *
hub_event_check(json_t *ev, const char **id, const char **type)
{
	const struct event_type *t = NULL;
	json_t *v, *data;
	size_t i;

	*id = NULL;
	*type = NULL;
	if (!json_is_object(ev))
		return "an event must be an object";
	v = json_object_get(ev, "id");
	if (!json_is_string(v))
		return "id is missing or not a string";
	*id = json_string_value(v);
	if (!uuid_ok(*id))
		return "id is not a UUID";
	v = json_object_get(ev, "type");
	if (!json_is_string(v))
		return "type is missing or not a string";
	*type = json_string_value(v);
	for (i = 0; i < sizeof event_types / sizeof event_types[0]; i++)
		if (strcmp(event_types[i].name, *type) == 0)
			t = &event_types[i];
	if (t == NULL) {
		snprintf(check_why, sizeof check_why, "unknown event type "
		    "\"%.60s\"", *type);
		return check_why;
	}
	v = json_object_get(ev, "at");
	if (!json_is_string(v) || !time_ok(json_string_value(v)))
		return "at is missing or not an RFC 3339 time";
	data = json_object_get(ev, "data");
	if (!json_is_object(data))
		return "data is missing or not an object";
	if (t->fields != NULL &&
	    !fields_ok(data, t->fields, "", check_why, sizeof check_why))
		return check_why;
	if (strcmp(t->name, "product.changed") == 0 &&
	    !json_is_true(json_object_get(data, "deleted"))) {
		if (!json_is_string(json_object_get(data, "name")))
			return "data.name is missing";
		if (!json_is_integer(json_object_get(data, "price")))
			return "data.price is missing";
	}
	return NULL;
}

void
hub_batch_free(struct hub_batch *b)
{
	free(b->ev);
	json_decref(b->root);
	memset(b, 0, sizeof *b);
}

int
hub_batch_parse(const char *body, size_t len, struct hub_batch *b,
    struct duka_err *err)
{
	json_t *events, *till, *ev;
	size_t i, j, n;

	memset(b, 0, sizeof *b);
	if ((b->root = hub_json_parse(body, len, HUB_MAX_DEPTH, err)) == NULL)
		return DUKA_EINPUT;
	if (!json_is_object(b->root))
		return duka_fail(err, DUKA_EINPUT,
		    "the body must be a JSON object");
	till = json_object_get(b->root, "till");
	if (till != NULL && !json_is_string(till) && !json_is_integer(till) &&
	    !json_is_null(till))
		return duka_fail(err, DUKA_EINPUT,
		    "\"till\" must be a string or an integer");
	events = json_object_get(b->root, "events");
	if (!json_is_array(events))
		return duka_fail(err, DUKA_EINPUT,
		    "\"events\" is missing or not an array");
	n = json_array_size(events);
	if (n > HUB_MAX_EVENTS)
		return duka_fail(err, DUKA_EINPUT,
		    "%zu events in one batch; at most %d", n, HUB_MAX_EVENTS);
	if (n > 0 && (b->ev = calloc(n, sizeof *b->ev)) == NULL)
		return duka_fail(err, DUKA_EFAIL, "out of memory");
	b->n = n;
	json_array_foreach(events, i, ev) {
		struct hub_event *e = &b->ev[i];

		e->obj = ev;
		e->error = hub_event_check(ev, &e->id, &e->type);
		if (e->error != NULL) {
			/* Keep the reason: the buffer is reused. */
			if (e->error == check_why) {
				json_t *s = json_string(check_why);

				if (json_object_set_new(ev, "_error", s) < 0)
					e->error = "invalid event";
				else
					e->error = json_string_value(s);
			}
			continue;
		}
		for (j = 0; j < 36; j++)
			e->uuid[j] = (char)(e->id[j] >= 'A' && e->id[j] <= 'F' ?
			    e->id[j] - 'A' + 'a' : e->id[j]);
		e->uuid[36] = '\0';
		for (j = 0; j < i; j++)
			if (b->ev[j].error == NULL && !b->ev[j].duplicate &&
			    strcmp(b->ev[j].uuid, e->uuid) == 0)
				e->duplicate = 1;
		if (!e->duplicate && strcmp(e->type, "product.changed") == 0)
			b->has_products = 1;
	}
	return DUKA_OK;
}
