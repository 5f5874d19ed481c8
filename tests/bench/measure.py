#!/usr/bin/env python3
"""measure.py CMD ARGS... - run a command, print its wall time and peak RSS.

Prints one line: "wall_ms=N peak_rss_kib=N status=N". Figures only: it never
fails because something was slow.
"""
import resource
import subprocess
import sys
import time

start = time.monotonic_ns()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall_ms = (time.monotonic_ns() - start) // 1000000
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("wall_ms=%d peak_rss_kib=%d status=%d" % (wall_ms, rss, proc.returncode))
