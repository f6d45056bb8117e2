#!/usr/bin/env python3
"""tests/cli/trace_check.py TRACE [--max-per-thread N] [--need CAT ...] [--flows]

Validate a Chrome trace-event file written by layerace: it parses as JSON; every track has a
thread name; on each thread the complete events ("X") nest (two either nest or are disjoint,
never overlap partly); instants are thread-scoped; every flow end has its start; and, when
asked, at most N events per thread, events of the given categories, at least one flow.
Exit 0 and a one-line summary, or 1 with what is wrong.
"""
import json
import sys
from collections import defaultdict


def fail(msg):
    print("trace_check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: trace_check.py TRACE [--max-per-thread N] [--need CAT ...] [--flows]")
    path, rest = args[0], args[1:]
    max_per, need, flows = None, [], False
    i = 0
    while i < len(rest):
        if rest[i] == "--max-per-thread":
            max_per = int(rest[i + 1])
            i += 2
        elif rest[i] == "--need":
            need.append(rest[i + 1])
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
    if flows and not ends:
        fail("no flow from a transition to a schema operation")
    print("trace_check: ok: %d events on %d threads (%s), %d flows" % (
        sum(len(v) for v in per_tid.values()), len(per_tid),
        ", ".join(sorted(set(names.values()))), len(ends)))


main()
