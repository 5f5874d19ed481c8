#!/usr/bin/env python3
"""tui_latency.py - keystroke-to-screen time of the till's sale screen.

    tui_latency.py MODE DUKA DB CODES SCANS [BATCH [WORDS]]

MODE is "tmux" or "pty". DUKA runs as `DUKA --db DB till sale` in an 80x24
terminal; CODES holds "barcode|price in cents" lines. SCANS scans are sent
one at a time, as a scanner types them (the digits and Enter in one write);
every BATCH scans the sale is voided (F11, y), so that a sale holds at most
BATCH lines, as at a real counter.

What is timed, per scan: from just before the scan's bytes are handed to
the terminal until the last byte of the screen update that they cause has
come out of the terminal (the output is then quiet for QUIET_MS; the quiet
wait itself is not counted).

- tmux: duka runs in a tmux pane (tmux is the terminal). One control-mode
  client (tmux -C) sends each scan as a send-keys command and receives the
  pane's output as %output notifications the moment tmux has read and
  parsed it; no process is started per scan. This is keystroke -> tmux ->
  pty -> duka -> pty -> tmux: what a terminal adds is in the figure, only
  the painting of pixels is not.
- pty: duka runs on a pseudo-terminal this script holds; the scan is
  written to the master and the update read from it. This is duka alone,
  without a terminal emulator.

WORDS (one a line) are then typed letter by letter into the sale's code
field, each letter timed the same way (the as-you-type search over the
catalogue and the redraw of its hits), Esc clearing the field after each.

After each batch the screen is checked (tmux: capture-pane) for the line
count and the total; the figures say how many checks failed. At the end
VmHWM and VmRSS of the till come from /proc/PID/status.

Prints one line per figure; exits 0 unless the till could not be driven.
"""
import atexit
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import fcntl
import time

QUIET_MS = 25
TIMEOUT_S = 10
COLS, ROWS = 80, 24
F11 = b"\x1b[23~"


def kes(cents):
    return "{:,}.{:02d}".format(cents // 100, cents % 100)


def proc_mem(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                k, v = line.split(":", 1)
                out[k] = int(v.split()[0])
    return out


def sched_ns(pid):
    """(time run on a CPU, time waited for one) of the process, in ns:
    the scheduler's counts."""
    with open("/proc/%d/schedstat" % pid) as f:
        run, wait = f.read().split()[:2]
        return int(run), int(wait)


def pct(sorted_ms, p):
    i = min(len(sorted_ms) - 1, int(round(p / 100.0 * (len(sorted_ms) - 1))))
    return sorted_ms[i]


class PtyTill:
    """duka on a pseudo-terminal of our own."""

    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", ROWS, COLS, 0, 0))
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.out = bytearray()
        atexit.register(self._kill)

    def _kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    def send(self, data):
        os.write(self.fd, data)

    def read_until_quiet(self, first_timeout):
        """Read until QUIET_MS without output; returns (first, last)
        arrival times, or (None, None) if nothing came within
        first_timeout."""
        first = last = None
        timeout = first_timeout
        while True:
            r, _, _ = select.select([self.fd], [], [], timeout)
            if not r:
                return first, last
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return first, last
            now = time.perf_counter()
            if not data:
                return first, last
            self.out += data
            if first is None:
                first = now
            last = now
            timeout = QUIET_MS / 1000.0

    def wait_text(self, text):
        end = time.time() + TIMEOUT_S
        while text.encode() not in self.out and time.time() < end:
            self.read_until_quiet(0.2)
        return text.encode() in self.out

    def screen(self):
        return None		# no emulator here: checks come from tmux mode

    def stop(self):
        os.kill(self.pid, signal.SIGTERM)
        end = time.time() + TIMEOUT_S
        while time.time() < end:
            self.read_until_quiet(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return -1


class TmuxTill:
    """duka in a tmux pane, driven by one control-mode client."""

    def __init__(self, argv, env):
        self.sock = "duka-bench-%d" % os.getpid()
        self.env = env
        self.tmux = ["tmux", "-u", "-f", "/dev/null", "-L", self.sock]
        # Whatever happens to this script, its tmux server goes with it.
        atexit.register(subprocess.run, self.tmux + ["kill-server"],
                        env=env, stderr=subprocess.DEVNULL)
        subprocess.run(self.tmux + [
            "new-session", "-d", "-s", "bench", "-x", str(COLS),
            "-y", str(ROWS), "--"] + argv, env=env, check=True)
        subprocess.run(self.tmux + ["set-option", "-t", "bench",
                                    "window-size", "manual"], env=env)
        self.pid = int(subprocess.run(
            self.tmux + ["list-panes", "-t", "bench", "-F", "#{pane_pid}"],
            env=env, check=True, capture_output=True,
            text=True).stdout.split()[0])
        self.ctl = subprocess.Popen(
            self.tmux + ["-C", "attach-session", "-t", "bench"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            bufsize=0)
        self.fd = self.ctl.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""

    def send_keys(self, *keys):
        cmd = "send-keys -t bench " + " ".join(keys) + "\n"
        self.ctl.stdin.write(cmd.encode())

    def send(self, data):
        # data is a scan ("digits\r") or F11 / "y"
        if data == F11:
            self.send_keys("F11")
        elif data == b"\x1b":
            self.send_keys("Escape")
        elif data.endswith(b"\r"):
            self.send_keys(data[:-1].decode(), "Enter")
        else:
            self.send_keys("-l", data.decode())

    def _lines(self, timeout):
        """Complete control-mode lines read within timeout, each with its
        arrival time."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return None
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return []
        now = time.perf_counter()
        if not data:
            return None
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        return [(now, l) for l in lines]

    def read_until_quiet(self, first_timeout):
        first = last = None
        timeout = first_timeout
        while True:
            got = self._lines(timeout)
            if got is None:
                return first, last
            for now, line in got:
                if line.startswith(b"%output "):
                    if first is None:
                        first = now
                    last = now
            if first is not None:
                timeout = QUIET_MS / 1000.0

    def screen(self):
        return subprocess.run(
            self.tmux + ["capture-pane", "-p", "-t", "bench"],
            env=self.env, capture_output=True, text=True).stdout

    def wait_text(self, text):
        end = time.time() + TIMEOUT_S
        while time.time() < end:
            if text in self.screen():
                return True
            self.read_until_quiet(0.1)
        return False

    def stop(self):
        os.kill(self.pid, signal.SIGTERM)
        end = time.time() + TIMEOUT_S
        while time.time() < end:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            self.read_until_quiet(0.05)
        try:
            self.ctl.stdin.close()
        except OSError:
            pass
        subprocess.run(self.tmux + ["kill-server"], env=self.env,
                       stderr=subprocess.DEVNULL)
        self.ctl.wait()
        return 0


def main():
    mode, duka, db, codes_file, scans = sys.argv[1:6]
    scans = int(scans)
    batch = int(sys.argv[6]) if len(sys.argv) > 6 else 50
    words = []
    if len(sys.argv) > 7:
        with open(sys.argv[7]) as f:
            words = [w.strip() for w in f if w.strip()]
    codes = []
    with open(codes_file) as f:
        for line in f:
            code, price = line.strip().split("|")
            codes.append((code, int(price)))
    # In tmux, the terminal tmux emulates; on our own pty, an xterm.
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8",
               TERM="screen-256color" if mode == "tmux" else
               "xterm-256color")
    env.pop("TMUX", None)
    argv = [duka, "--db", db, "till", "sale"]
    till = TmuxTill(argv, env) if mode == "tmux" else PtyTill(argv, env)
    if not till.wait_text("Code or name"):
        print("%s: the sale screen did not come up" % mode)
        print(till.screen() or "")
        till.stop()
        return 1
    till.read_until_quiet(0.2)

    last_ms, first_ms, wait_ms = [], [], []
    checks = bad = lost = 0
    total = lines = 0
    load0 = os.getloadavg()[0]
    cpu = 0
    t_start = time.perf_counter()
    for i in range(scans):
        code, price = codes[i % len(codes)]
        c0, w0 = sched_ns(till.pid)
        t0 = time.perf_counter()
        till.send(code.encode() + b"\r")
        first, last = till.read_until_quiet(TIMEOUT_S)
        c1, w1 = sched_ns(till.pid)
        cpu += c1 - c0
        wait_ms.append((w1 - w0) / 1e6)
        if last is None:
            lost += 1
        else:
            first_ms.append((first - t0) * 1000)
            last_ms.append((last - t0) * 1000)
        total += price
        lines += 1
        if lines == batch or i == scans - 1:
            scr = till.screen()
            if scr is not None:
                checks += 1
                if ("Lines %d " % lines) not in scr or \
                        ("TOTAL KSh %s" % kes(total)) not in scr:
                    bad += 1
                    if bad == 1:
                        print("%s: screen check failed after scan %d "
                              "(want Lines %d, TOTAL KSh %s):\n%s"
                              % (mode, i + 1, lines, kes(total), scr))
            if i != scans - 1:
                till.send(F11)
                till.read_until_quiet(TIMEOUT_S)
                till.send(b"y")
                till.read_until_quiet(TIMEOUT_S)
                if scr is not None and not till.wait_text("Lines 0 "):
                    bad += 1
                total = lines = 0
    wall = time.perf_counter() - t_start

    # As-you-type search: each letter of a word is a keystroke that runs
    # a catalogue search and redraws the hits; Esc clears the field.
    search_ms = []
    for word in words:
        for ch in word:
            t0 = time.perf_counter()
            till.send(ch.encode())
            _, last = till.read_until_quiet(TIMEOUT_S)
            if last is not None:
                search_ms.append((last - t0) * 1000)
        till.send(b"\x1b")
        till.read_until_quiet(TIMEOUT_S)
    load1 = os.getloadavg()[0]
    mem = proc_mem(till.pid)
    status = till.stop()

    last_ms.sort()
    first_ms.sort()
    n = len(last_ms)
    if n == 0:
        print("%s: no screen update seen" % mode)
        return 1
    print("%-5s scans=%d  to last byte: p50=%.2f ms p90=%.2f ms "
          "p99=%.2f ms max=%.2f ms mean=%.2f ms" % (
              mode, n, statistics.median(last_ms), pct(last_ms, 90),
              pct(last_ms, 99), last_ms[-1], statistics.mean(last_ms)))
    print("%-5s scans=%d  to first byte: p50=%.2f ms p99=%.2f ms" % (
        mode, n, statistics.median(first_ms), pct(first_ms, 99)))
    wait_ms.sort()
    if search_ms:
        search_ms.sort()
        print("%-5s search as you type: keystrokes=%d p50=%.2f ms "
              "p99=%.2f ms max=%.2f ms" % (
                  mode, len(search_ms), statistics.median(search_ms),
                  pct(search_ms, 99), search_ms[-1]))
    print("%-5s till's own CPU time per scan: %.3f ms (lookup, cart, "
          "drawing; not waiting for a CPU)" % (mode, cpu / 1e6 / scans))
    print("%-5s till waiting for a CPU per scan (busy machine): mean=%.2f "
          "ms p99=%.2f ms max=%.2f ms" % (mode, statistics.mean(wait_ms),
                                         pct(wait_ms, 99), wait_ms[-1]))
    print("%-5s till memory after %d scans: VmHWM=%d KiB (%.1f MiB) "
          "VmRSS=%d KiB (%.1f MiB)" % (
              mode, scans, mem["VmHWM"], mem["VmHWM"] / 1024.0,
              mem["VmRSS"], mem["VmRSS"] / 1024.0))
    print("%-5s no update seen: %d; screen checks: %d, failed: %d; "
          "wall %.1f s (with %d ms quiet after each update); load "
          "average %.2f -> %.2f; exit %s" % (
              mode, lost, checks, bad, wall, QUIET_MS, load0, load1,
              status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
