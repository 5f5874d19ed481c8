/*
 * escpos.h - a receipt as ESC/POS bytes for thermal receipt printers.
 *
 * Hand-written because no library does it and the subset needed is tiny:
 *
 *   ESC @          1b 40        initialise (clears bold, alignment)
 *   ESC t 0        1b 74 00     character table PC437 (a known state)
 *   ESC p 0 25 250 1b 70 00 19 fa  pulse drawer pin 2: 50 ms on, 500 ms off
 *   ESC a n        1b 61 n      align: 0 left, 1 center
 *   ESC E n        1b 45 n      bold off (0) or on (1)
 *   LF             0a           print the line
 *   ESC d n        1b 64 n      feed n lines, so the cut clears the text
 *   GS V 66 0      1d 56 42 00  feed to the cutter and cut partially
 *
 * The rows are those of receipt_layout with RECEIPT_ASCII: the cheap
 * printers print CP437/PC850, not UTF-8, so names are transliterated
 * (é -> e, — -> -, unknown -> ?) before the layout, and every text byte
 * sent is printable ASCII: no name can smuggle in a command. The output is
 * a pure function of its arguments (no time, no state), so it can be
 * compared byte for byte.
 */
#ifndef DUKA_ESCPOS_H
#define DUKA_ESCPOS_H

#include <stddef.h>

#include "receipt.h"
#include "status.h"

/*
 * Render r for a printer width columns wide (32, 42 or 48), with a drawer
 * kick when kick_drawer is nonzero (cash sales). The kick comes right
 * after the initialisation, so the drawer opens while the slip prints.
 * On success *out is a buffer of *len bytes the caller frees with free();
 * on failure *out is NULL. Fails as receipt_layout does.
 */
int	escpos_render(const struct receipt *r, int width, int kick_drawer,
	    unsigned char **out, size_t *len, struct duka_err *err);

/*
 * Plain text (lines ending in '\n', such as a Z report laid out for the
 * slip's width) as ESC/POS: initialise, the text with every byte outside
 * printable ASCII shown as '?' (one '?' per UTF-8 character), a feed and
 * the cut. *out is freed by the caller with free(); NULL on failure.
 */
int	escpos_text(const char *text, unsigned char **out, size_t *len,
	    struct duka_err *err);

#endif
