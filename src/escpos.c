/*
 * escpos.c - the ESC/POS encoder: receipt rows to printer commands.
 *
 * Alignment and bold are sent only when they change from one row to the
 * next, and set back to left and normal before the cut, so the printer is
 * left as ESC @ would leave it for whatever prints next.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "escpos.h"
#include "i18n.h"
#include "receipt.h"

#define ESC 0x1b
#define GS 0x1d
#define LF 0x0a

/*
 * Blank lines fed before the cut. GS V 66 should itself feed the last line
 * past the cutter, but many cheap clones cut at once as GS V 1 does, and
 * the cutter sits about four lines above the print head.
 */
#define ESCPOS_FEED_LINES 4

/* An output buffer sized before anything is written. */
struct obuf {
	unsigned char	*p;
	size_t		 n;
};

/* Append len bytes; the buffer was sized to hold them. */
static void
put(struct obuf *b, const void *bytes, size_t len)
{
	memcpy(b->p + b->n, bytes, len);
	b->n += len;
}

/* Append a three-byte command such as ESC a n. */
static void
put3(struct obuf *b, int c0, int c1, int c2)
{
	unsigned char cmd[3];

	cmd[0] = (unsigned char)c0;
	cmd[1] = (unsigned char)c1;
	cmd[2] = (unsigned char)c2;
	put(b, cmd, sizeof cmd);
}

/* Render the receipt's rows as ESC/POS commands. */
int
escpos_render(const struct receipt *r, int width, int kick_drawer,
    unsigned char **out, size_t *len, struct duka_err *err)
{
	static const unsigned char init[] = { ESC, '@', ESC, 't', 0 };
	static const unsigned char kick[] = { ESC, 'p', 0, 25, 250 };
	static const unsigned char cut[] = { GS, 'V', 66, 0 };
	struct receipt_layout *l;
	struct obuf b;
	size_t i, need;
	int align = RECEIPT_LEFT, bold = 0, rc;

	*out = NULL;
	*len = 0;
	if ((rc = receipt_layout(r, width, RECEIPT_ASCII, &l, err)) !=
	    DUKA_OK)
		return (rc);
	/* Per row at most ESC a n, ESC E n, the text and LF; then the end. */
	need = sizeof init + sizeof kick + 6 + 3 + sizeof cut;
	for (i = 0; i < l->n; i++)
		need += 6 + strlen(l->row[i].text) + 1;
	if ((b.p = malloc(need)) == NULL) {
		receipt_layout_free(l);
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	}
	b.n = 0;
	put(&b, init, sizeof init);
	if (kick_drawer)
		put(&b, kick, sizeof kick);
	for (i = 0; i < l->n; i++) {
		if ((int)l->row[i].align != align) {
			align = (int)l->row[i].align;
			put3(&b, ESC, 'a', align);
		}
		if ((l->row[i].bold != 0) != bold) {
			bold = l->row[i].bold != 0;
			put3(&b, ESC, 'E', bold);
		}
		put(&b, l->row[i].text, strlen(l->row[i].text));
		b.p[b.n++] = LF;
	}
	if (bold)
		put3(&b, ESC, 'E', 0);
	if (align != RECEIPT_LEFT)
		put3(&b, ESC, 'a', RECEIPT_LEFT);
	put3(&b, ESC, 'd', ESCPOS_FEED_LINES);
	put(&b, cut, sizeof cut);
	receipt_layout_free(l);
	*out = b.p;
	*len = b.n;
	return (DUKA_OK);
}

/* Plain text to printer bytes; see escpos.h. */
int
escpos_text(const char *text, unsigned char **out, size_t *len,
    struct duka_err *err)
{
	static const unsigned char init[] = { ESC, '@', ESC, 't', 0 };
	static const unsigned char cut[] = { GS, 'V', 66, 0 };
	const unsigned char *p;
	struct obuf b;
	size_t need;

	*out = NULL;
	*len = 0;
	need = sizeof init + strlen(text) + 1 + 3 + sizeof cut;
	if ((b.p = malloc(need)) == NULL)
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	b.n = 0;
	put(&b, init, sizeof init);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\n' || (*p >= 0x20 && *p < 0x7f))
			b.p[b.n++] = *p;
		else if ((*p & 0xC0) != 0x80)	/* a character's first byte */
			b.p[b.n++] = '?';
	}
	if (b.n > sizeof init && b.p[b.n - 1] != LF)
		b.p[b.n++] = LF;
	put3(&b, ESC, 'd', ESCPOS_FEED_LINES);
	put(&b, cut, sizeof cut);
	*out = b.p;
	*len = b.n;
	return (DUKA_OK);
}
