#!/usr/bin/env python3
"""tests/cli/trace_check.py TRACE [--max-per-thread N] [--need CAT ...] [--flows]
                           [--thread NAME ...] [--sides LISTING]

Validate a Chrome trace-event file written by layerace: it parses as JSON; every track has a
thread name; on each thread the complete events ("X") nest (two either nest or are disjoint,
never overlap partly); instants are thread-scoped; every flow end has its start; and, when
asked, at most N events per thread, events of the given categories, at least one flow, a track
of each given name with events on it. --sides checks a `cursor` trace against the run's
`--listing` file: every operation the oracle ran is a slice on the "oracle", "node 0" and
"node 1" tracks (same name, same index "i"), in order; the oracle's result is the listing's (or
its start, cut to fit the event); every operation the listing shows a result of has its slices
(for a trace that dropped none).
Exit 0 and a one-line summary, or 1 with what is wrong.
"""
import json
import sys
from collections import defaultdict


def fail(msg):
    print("trace_check: " + msg, file=sys.stderr)
    sys.exit(1)


def check_sides(names, per_tid, listing):
    """Each oracle operation slice on the three side tracks, in order, as the listing says."""
    ops = {}
    for tid, evs in per_tid.items():
        xs = sorted((e for e in evs if e["ph"] == "X" and e.get("cat") == "op"),
                    key=lambda e: e["ts"])
        ops[names[tid]] = [(e["args"].get("i"), e["name"], e["args"].get("result")) for e in xs]
    for side in ("oracle", "node 0", "node 1"):
        if not ops.get(side):
            fail("no operation slice on the track %r" % side)
    got = {side: [(i, n) for i, n, _ in ops[side]] for side in ("oracle", "node 0", "node 1")}
    if got["oracle"] != got["node 0"] or got["oracle"] != got["node 1"]:
        fail("the sides ran other operations: oracle %d, node 0 %d, node 1 %d slices" % (
            len(got["oracle"]), len(got["node 0"]), len(got["node 1"])))
    lines = {}
    with open(listing, encoding="utf-8") as f:
        for line in f:
            idx, rest = line.rstrip("\n").split(" ", 1)
            lines[int(idx)] = rest
    for i, name, result in ops["oracle"]:
        want = "%s -> %s" % (name, result)
        # The trace cuts a long result to fit its event, ending it in "...".
        cut = result.endswith("...") and (lines.get(i) or "").startswith(want[:-3])
        if lines.get(i) != want and not cut:
            fail("operation %s: the trace has %r -> %r, the listing %r" % (
                i, name, result, lines.get(i)))
    traced = set(i for i, _, _ in ops["oracle"])
    for i, rest in sorted(lines.items()):
        if " -> rc=" in rest and i not in traced:
            fail("operation %d (%s) ran on the sides but has no slice" % (i, rest))


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: trace_check.py TRACE [--max-per-thread N] [--need CAT ...] [--flows]")
    path, rest = args[0], args[1:]
    max_per, need, flows, threads, sides = None, [], False, [], None
    i = 0
    while i < len(rest):
        if rest[i] == "--max-per-thread":
            max_per = int(rest[i + 1])
            i += 2
        elif rest[i] == "--need":
            need.append(rest[i + 1])
            i += 2
        elif rest[i] == "--thread":
            threads.append(rest[i + 1])
            i += 2
        elif rest[i] == "--sides":
            sides = rest[i + 1]
            i += 2
        elif rest[i] == "--flows":
            flows = True
            i += 1
        else:
            fail("unknown argument " + rest[i])
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    events = doc.get("traceEvents")
    if not isinstance(events, list) or not events:
        fail("no traceEvents array")
    names = {}
    per_tid = defaultdict(list)
    cats = defaultdict(int)
    starts, ends = set(), []
    for e in events:
        for key in ("name", "ph", "pid", "tid"):
            if key not in e:
                fail("an event without %s: %r" % (key, e))
        if e["ph"] == "M":
            if e["name"] == "thread_name":
                names[e["tid"]] = e["args"]["name"]
            continue
        if not isinstance(e.get("ts"), int) or e["ts"] < 0:
            fail("an event without a timestamp: %r" % e)
        per_tid[e["tid"]].append(e)
        cats[e.get("cat", "")] += 1
        if e["ph"] == "X":
            if not isinstance(e.get("dur"), int) or e["dur"] < 0:
                fail("a complete event without a duration: %r" % e)
        elif e["ph"] == "i":
            if e.get("s") != "t":
                fail("an instant not scoped to its thread: %r" % e)
        elif e["ph"] == "s":
            starts.add(e["id"])
        elif e["ph"] == "f":
            ends.append(e["id"])
        else:
            fail("an unexpected phase %r" % e["ph"])
    for tid, evs in per_tid.items():
        if tid not in names:
            fail("thread %d has events but no thread_name" % tid)
        if max_per is not None and len(evs) > max_per:
            fail("thread %s has %d events, more than %d" % (names[tid], len(evs), max_per))
        xs = sorted((e for e in evs if e["ph"] == "X"), key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in xs:
            begin, end = e["ts"], e["ts"] + e["dur"]
            while stack and stack[-1][1] <= begin and not (stack[-1][1] == begin == end):
                stack.pop()
            if stack and end > stack[-1][1]:
                fail("on %s, %r [%d, %d] overlaps %r [%d, %d] partly" % (
                    names[tid], e["name"], begin, end, stack[-1][2], stack[-1][0], stack[-1][1]))
            stack.append((begin, end, e["name"]))
    for fid in ends:
        if fid not in starts:
            fail("flow %d ends but never starts" % fid)
    for cat in need:
        if cats[cat] == 0:
            fail("no event of category %s (have: %s)" % (cat, dict(cats)))
    for name in threads:
        if not any(names.get(tid) == name for tid in per_tid):
            fail("no track named %r with events (have: %s)" % (name, sorted(set(names.values()))))
    if sides is not None:
        check_sides(names, per_tid, sides)
    if flows and not ends:
        fail("no flow from a transition to a schema operation")
    print("trace_check: ok: %d events on %d threads (%s), %d flows" % (
        sum(len(v) for v in per_tid.values()), len(per_tid),
        ", ".join(sorted(set(names.values()))), len(ends)))


main()
