/*
 * fuzz_hub_events.c - libFuzzer target: arbitrary bytes as the body of
 * POST /v1/events, through hub_batch_parse() (bounded JSON parsing and
 * the check of every event), the code that stands between the network
 * and the ingest SQL.
 *
 * Beyond "no crash", the target aborts when:
 *   - the status is other than DUKA_OK or DUKA_EINPUT (memory does not
 *     fail here), or DUKA_EINPUT comes without a message;
 *   - a batch is longer than HUB_MAX_EVENTS;
 *   - an event passed as valid has no type, or an id whose lower-case
 *     form is not 36 characters of a UUID, or data that is not an object
 *     (the SQL casts those without further checks);
 *   - a rejected event has an empty reason.
 *
 *   clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined
 *     -DHAVE_CONFIG_H -I<dir with config.h> -iquote src -iquote db
 *     -I/usr/include/postgresql tests/fuzz/fuzz_hub_events.c
 *     src/hub/hub_check.c src/hub/hub_json.c src/status.c -ljansson
 *   ./a.out -max_total_time=120 -max_len=20000
 */
#include "config.h"

#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct duka_err err = { 0, "" };
	struct hub_batch b;
	size_t i;
	int rc;

	rc = hub_batch_parse((const char *)data, size, &b, &err);
	assert(rc == DUKA_OK || rc == DUKA_EINPUT);
	if (rc != DUKA_OK) {
		assert(err.msg[0] != '\0');
		hub_batch_free(&b);
		return 0;
	}
	assert(b.n <= HUB_MAX_EVENTS);
	for (i = 0; i < b.n; i++) {
		const struct hub_event *e = &b.ev[i];

		if (e->error != NULL) {
			assert(e->error[0] != '\0');
			continue;
		}
		assert(e->type != NULL && e->id != NULL);
		assert(strlen(e->uuid) == 36);
		assert(strspn(e->uuid, "0123456789abcdef-") == 36);
		assert(json_is_object(json_object_get(e->obj, "data")));
	}
	hub_batch_free(&b);
	return 0;
}
