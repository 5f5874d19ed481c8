/*
 * printer.h - sending bytes (ESC/POS from escpos.h, or text) to a printer.
 *
 * A printer is named by a target string, as in [printer] device of
 * duka.conf:
 *
 *   file:PATH      append to the file PATH, creating it; for tests, and
 *                  for shops that want a copy of every slip on disk
 *   HOST:PORT      a network printer's raw TCP port ("192.168.1.50:9100",
 *                  "printer.local:9100", "[fe80::1]:9100")
 *   /dev/usb/lp0   any name with a '/': a device (or an existing regular
 *                  file, appended to) that must already exist; a missing
 *                  device is an error, not a new file
 *
 * Nothing blocks forever: connecting waits at most timeout_ms, and so does
 * each wait for the printer to take more bytes (a printer out of paper
 * stops reading). The one wait not bounded here is the name lookup of a
 * HOST that is not a numeric address, which the resolver bounds itself
 * (resolv.conf timeout and attempts). A write never raises SIGPIPE.
 *
 * A failure is a status and a translated message naming the printer and
 * the likely cause: DUKA_EINPUT for a target that names no printer,
 * DUKA_EFAIL when the printer cannot be reached or stops taking data. A
 * failure never undoes anything done before the call: the caller keeps
 * the sale and offers a reprint. Bytes already sent may have printed.
 */
#ifndef DUKA_PRINTER_H
#define DUKA_PRINTER_H

#include <stddef.h>

#include "status.h"

#define PRINTER_TIMEOUT_MS 5000		/* used when timeout_ms <= 0 */

/* Send len bytes to target; see above. */
int	printer_send(const char *target, const unsigned char *bytes,
	    size_t len, int timeout_ms, struct duka_err *err);

#endif
