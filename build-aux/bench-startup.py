#!/usr/bin/python3
"""Startup benchmark: the app against a minimal libadwaita window, in the same X server.

For each program: the time from launch to its first mapped window (seen by polling the X
server with xwininfo, the same way for both) and its peak memory (VmHWM) half a second after
that. N alternating runs after one warm-up run each; the medians are compared.
Run through build-aux/benchmark, which builds the programs and starts Xvfb and a session bus.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

POLL_S = 0.005
SETTLE_S = 0.5
TIMEOUT_S = 30.0
TIME_TARGET = 1.1
MEMORY_TARGET = 1.15


def viewable_window():
    """The id of a named, mapped top-level window, or None. The benchmark's X server runs one
    program at a time, so any such window is that program's."""
    tree = subprocess.run(['xwininfo', '-root', '-children'], capture_output=True,
                          text=True).stdout
    for wid in re.findall(r'^\s+(0x[0-9a-f]+) "', tree, re.M):
        info = subprocess.run(['xwininfo', '-id', wid], capture_output=True, text=True).stdout
        if 'Map State: IsViewable' in info:
            return wid
    return None


def vm_hwm_kib(pid):
    with open(f'/proc/{pid}/status', encoding='ascii') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    raise RuntimeError('no VmHWM')


def measure(argv, env):
    """Returns (seconds to the mapped window, seconds reported by the program or None, KiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f'{argv[0]} exited with status {proc.returncode}: '
                                   + proc.stderr.read()[-2000:])
            if viewable_window():
                mapped = time.monotonic() - start
                break
            if time.monotonic() - start > TIMEOUT_S:
                raise RuntimeError(f'{argv[0]} showed no window in {TIMEOUT_S} s')
            time.sleep(POLL_S)
        time.sleep(SETTLE_S)
        memory = vm_hwm_kib(proc.pid)
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        except ValueError:   # the streams were read already (the program had ended)
            out = ''
    # Self-reported map time (HES_BENCH_MAP=1), on the same clock as time.monotonic().
    found = re.search(r'^HES_BENCH_MAP (\d+)$', out or '', re.M)
    reported = int(found.group(1)) / 1e6 - start if found else None
    # The next run must start on an empty screen.
    deadline = time.monotonic() + 5
    while viewable_window() and time.monotonic() < deadline:
        time.sleep(POLL_S)
    return mapped, reported, memory


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--app', required=True)
    parser.add_argument('--reference', required=True)
    parser.add_argument('--builddir', required=True)
    parser.add_argument('--runs', type=int, default=10)
    args = parser.parse_args()

    env = dict(os.environ)
    env.update({
        'GSETTINGS_SCHEMA_DIR': os.path.join(args.builddir, 'data'),
        'HES_LOCALEDIR': os.path.join(args.builddir, 'po'),
        'GSETTINGS_BACKEND': 'memory',
        'GTK_A11Y': 'none',
        'NO_AT_BRIDGE': '1',
        'GDK_BACKEND': 'x11',
        'LANG': 'C.UTF-8',
        'LC_ALL': 'C.UTF-8',
        'HES_BENCH_MAP': '1',
    })
    programs = {'app': [args.app], 'reference': [args.reference]}
    results = {name: [] for name in programs}

    load_before = os.getloadavg()
    for name, argv in programs.items():   # warm the disk caches; not counted
        measure(argv, env)
    for i in range(args.runs):
        order = ['app', 'reference'] if i % 2 == 0 else ['reference', 'app']
        for name in order:
            results[name].append(measure(programs[name], env))

    # The machine may be shared: its load says how far the figures can be trusted.
    print('Load average (1, 5, 15 min): before %.2f %.2f %.2f, after %.2f %.2f %.2f'
          % (load_before + os.getloadavg()))
    print(f'Startup to the first mapped window, {args.runs} alternating runs (median):')
    medians = {}
    for name in programs:
        times = [r[0] for r in results[name]]
        reported = [r[1] for r in results[name] if r[1] is not None]
        memory = [r[2] for r in results[name]]
        medians[name] = (statistics.median(times), statistics.median(memory))
        line = (f'  {name:<10} {medians[name][0] * 1000:7.1f} ms '
                f'(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})   '
                f'peak RSS {medians[name][1] / 1024:6.1f} MiB')
        if reported:
            line += f'   self-reported map {statistics.median(reported) * 1000:.1f} ms'
        print(line)

    time_ratio = medians['app'][0] / medians['reference'][0]
    memory_ratio = medians['app'][1] / medians['reference'][1]
    time_ok = time_ratio <= TIME_TARGET
    memory_ok = memory_ratio <= MEMORY_TARGET
    print(f'  time   app/reference = {time_ratio:.2f}x (target <= {TIME_TARGET}x): '
          f'{"met" if time_ok else "MISSED"}')
    print(f'  memory app/reference = {memory_ratio:.2f}x (target <= {MEMORY_TARGET}x): '
          f'{"met" if memory_ok else "MISSED"}')
    return 0 if time_ok and memory_ok else 1


if __name__ == '__main__':
    sys.exit(main())
