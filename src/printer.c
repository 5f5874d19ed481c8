/*
 * printer.c - bytes to a device, a file or a raw TCP port, with timeouts.
 *
 * Every descriptor is opened non-blocking and every wait is a poll() with
 * a deadline, so a dead printer costs the attendant at most a few seconds.
 * The deadline for sending restarts whenever the printer takes some bytes:
 * a slow printer that keeps reading is not cut off, one that has stopped
 * is. When sending to a network printer times out, the connection is reset
 * rather than closed, so the kernel does not go on feeding a half receipt
 * to the printer in the background after we reported a failure.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "printer.h"

/* What was being done when something failed, for the message. */
enum stage {
	STAGE_CREATE,		/* opening a file: target */
	STAGE_OPEN,
	STAGE_CONNECT,
	STAGE_WRITE,
};

/* Milliseconds on a clock that never jumps. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * Wait until fd can be written or deadline (now_ms) passes: 0 when it can
 * (or has an error the next write will report), -1 with errno ETIMEDOUT or
 * poll's error otherwise.
 */
static int
wait_writable(int fd, int64_t deadline)
{
	struct pollfd p;
	int64_t left;
	int n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0) {
			errno = ETIMEDOUT;
			return (-1);
		}
		p.fd = fd;
		p.events = POLLOUT;
		p.revents = 0;
		n = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n > 0)
			return (0);
		if (n == 0) {
			errno = ETIMEDOUT;
			return (-1);
		}
		if (errno != EINTR)
			return (-1);
	}
}

/*
 * Write all len bytes to the non-blocking fd (with send(MSG_NOSIGNAL) for
 * a socket), waiting at most timeout_ms whenever no byte goes through:
 * 0, or -1 with errno.
 */
static int
write_all(int fd, int sock, const unsigned char *bytes, size_t len,
    int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		if (sock)
			n = send(fd, bytes + off, len - off, MSG_NOSIGNAL);
		else
			n = write(fd, bytes + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			deadline = now_ms() + timeout_ms;
			continue;
		}
		if (n == 0) {
			/* A device that takes nothing without saying why. */
			errno = EIO;
			return (-1);
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return (-1);
		if (wait_writable(fd, deadline) != 0)
			return (-1);
	}
	return (0);
}

/* Turn errno e at stage into a message the attendant can act on. */
static int
fail_errno(struct duka_err *err, const char *target, enum stage stage,
    int e, int timeout_ms)
{
	switch (e) {
	case ETIMEDOUT:
		if (stage == STAGE_CONNECT)
			return (duka_fail(err, DUKA_EFAIL,
			    _("Printer \"%s\" did not answer within %d ms (is "
			    "it switched on, and is the address right?)."),
			    target, timeout_ms));
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" took no data for %d ms (out of paper, "
		    "cover open or offline?); the receipt was not fully "
		    "printed."), target, timeout_ms));
	case ECONNREFUSED:
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" refused the connection: nothing listens "
		    "on that port (is the printer switched on, and is the port "
		    "right?)."), target));
	case EPIPE:
	case ECONNRESET:
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" closed the connection before the whole "
		    "receipt was sent."), target));
	case ENOENT:
		if (stage == STAGE_CREATE)
			return (duka_fail(err, DUKA_EFAIL,
			    _("Cannot create the printer file \"%s\": its "
			    "folder does not exist."), target));
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" does not exist (is the printer plugged in "
		    "and switched on, and is [printer] device in duka.conf "
		    "right?)."), target));
	case EACCES:
	case EPERM:
		return (duka_fail(err, DUKA_EFAIL,
		    _("No permission to write to printer \"%s\" (the user "
		    "running duka needs write access to it, for example by "
		    "membership of the lp group)."), target));
	case ENXIO:
	case ENODEV:
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" is not there (unplugged or switched "
		    "off?)."), target));
	case EISDIR:
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" is a folder, not a device or a file."),
		    target));
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" cannot be reached over the network "
		    "(%s)."), target, strerror(e)));
	}
	return (duka_fail(err, DUKA_EFAIL, _("Printer \"%s\": %s."), target,
	    strerror(e)));
}

/* Open a device or file and send the bytes. */
static int
send_path(const char *target, const char *path, int create,
    const unsigned char *bytes, size_t len, int timeout_ms,
    struct duka_err *err)
{
	struct stat st;
	int fd, flags, rc = DUKA_OK;

	/* Non-blocking: a serial or parallel port may block in open(). */
	flags = O_WRONLY | O_APPEND | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	if (create)
		flags |= O_CREAT;
	if ((fd = open(path, flags, 0666)) == -1)
		return (fail_errno(err, target, create ? STAGE_CREATE :
		    STAGE_OPEN, errno, timeout_ms));
	/* A FIFO could raise SIGPIPE, and nothing else is a printer. */
	if (fstat(fd, &st) != 0)
		rc = fail_errno(err, target, STAGE_OPEN, errno, timeout_ms);
	else if (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
		rc = duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\" is neither a device nor a regular file."),
		    target);
	else if (write_all(fd, 0, bytes, len, timeout_ms) != 0)
		rc = fail_errno(err, target, STAGE_WRITE, errno, timeout_ms);
	if (close(fd) != 0 && rc == DUKA_OK && errno != EINTR)
		rc = fail_errno(err, target, STAGE_WRITE, errno, timeout_ms);
	return (rc);
}

/*
 * Connect to one address within deadline: the connected socket, or -1
 * with errno.
 */
static int
connect_one(const struct addrinfo *ai, int64_t deadline)
{
	socklen_t elen = sizeof (int);
	int fd, e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return (-1);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return (fd);
	/* A non-blocking connect interrupted goes on in the background. */
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	if (wait_writable(fd, deadline) != 0)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) != 0)
		goto fail;
	if (e != 0) {
		errno = e;
		goto fail;
	}
	return (fd);
fail:
	e = errno;
	close(fd);
	errno = e;
	return (-1);
}

/* Connect to host:port and send the bytes. */
static int
send_tcp(const char *target, const char *host, const char *port,
    const unsigned char *bytes, size_t len, int timeout_ms,
    struct duka_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct linger lg;
	int64_t deadline;
	int fd = -1, gai, e = ETIMEDOUT, rc = DUKA_OK;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		return (duka_fail(err, DUKA_EFAIL,
		    _("Printer \"%s\": cannot find host \"%s\" (%s)."), target,
		    host, gai == EAI_SYSTEM ? strerror(errno) :
		    gai_strerror(gai)));
	/* One deadline for all the addresses a name has. */
	deadline = now_ms() + timeout_ms;
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		if ((fd = connect_one(ai, deadline)) == -1)
			e = errno;
	freeaddrinfo(res);
	if (fd == -1)
		return (fail_errno(err, target, STAGE_CONNECT, e, timeout_ms));
	if (write_all(fd, 1, bytes, len, timeout_ms) != 0) {
		e = errno;
		lg.l_onoff = 1;
		lg.l_linger = 0;
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		rc = fail_errno(err, target, STAGE_WRITE, e, timeout_ms);
	}
	close(fd);
	return (rc);
}

/*
 * Split "host:port" or "[v6]:port" into host and port: 0, or -1 when
 * target has no such shape or the port is not 1..65535.
 */
static int
split_host_port(const char *target, char *host, size_t hn, char *port,
    size_t pn)
{
	const char *colon, *h = target, *he;
	unsigned long v;
	char *end;

	if (target[0] == '[') {
		h = target + 1;
		if ((he = strchr(h, ']')) == NULL || he[1] != ':')
			return (-1);
		colon = he + 1;
	} else {
		if ((colon = strrchr(target, ':')) == NULL)
			return (-1);
		he = colon;
		/* An IPv6 address needs its brackets to tell the port. */
		if (memchr(h, ':', (size_t)(he - h)) != NULL)
			return (-1);
	}
	if (he == h || (size_t)(he - h) >= hn || strlen(colon + 1) >= pn ||
	    colon[1] < '0' || colon[1] > '9' || strlen(colon + 1) > 5)
		return (-1);
	errno = 0;
	v = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return (-1);
	memcpy(host, h, (size_t)(he - h));
	host[he - h] = '\0';
	snprintf(port, pn, "%lu", v);
	return (0);
}

/* Send bytes to a file, a device or a network printer. */
int
printer_send(const char *target, const unsigned char *bytes, size_t len,
    int timeout_ms, struct duka_err *err)
{
	char host[256], port[8];

	if (timeout_ms <= 0)
		timeout_ms = PRINTER_TIMEOUT_MS;
	if (target == NULL || target[0] == '\0')
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("No printer is set ([printer] device in duka.conf).")));
	if (strncmp(target, "file:", 5) == 0) {
		if (target[5] == '\0')
			return (duka_fail(err, DUKA_EINPUT,
			    _("Printer \"%s\" names no file (write "
			    "file:/path/to/file)."), target));
		return (send_path(target, target + 5, 1, bytes, len,
		    timeout_ms, err));
	}
	if (strchr(target, '/') != NULL)
		return (send_path(target, target, 0, bytes, len, timeout_ms,
		    err));
	if (split_host_port(target, host, sizeof host, port, sizeof port) != 0)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Printer \"%s\" is not a device path (/dev/usb/lp0), a "
		    "file (file:PATH) or a network printer (HOST:PORT, with a "
		    "port from 1 to 65535)."), target));
	return (send_tcp(target, host, port, bytes, len, timeout_ms, err));
}
