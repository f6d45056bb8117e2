#!/usr/bin/env python3
"""ci/mutants/mutants.py -- read ci/mutants/mutants.def and apply one mutant to a tree.

  mutants.py list DEF            one tab-separated line a mutant: id, file, op, equivalent (0|1),
                                 why, the equivalence argument and the survival reason (or -)
  mutants.py apply DEF ID ROOT   replace the mutant's original text in ROOT/FILE; exit 0 applied,
                                 3 when the text does not occur exactly once (does not apply)
  mutants.py check DEF ROOT      print "ID applies" or "ID does not apply (...)" for each mutant
  mutants.py sync SRC DST        make DST a copy of SRC's files (not build/, .git): a file is
                                 rewritten only when its content differs, so that it gets a new
                                 time and the build recompiles it and nothing else

A malformed definition file is an error (exit 2), so that a typo never drops a mutant silently.
"""
import os
import re
import sys

FIELDS = ("file", "op", "why", "equivalent", "survives", "only")


def fail(msg):
    print("mutants.py: " + msg, file=sys.stderr)
    sys.exit(2)


def parse(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    mutants, cur, mode, buf = [], None, None, []
    for no, line in enumerate(lines, 1):
        where = "%s:%d" % (path, no)
        if mode in ("orig", "repl"):
            if line == "====" and mode == "orig":
                cur["orig"], buf, mode = buf, [], "repl"
            elif line == ">>>>" and mode == "repl":
                cur["repl"], buf, mode = buf, [], None
                mutants.append(cur)
                cur = None
            elif line in ("====", ">>>>", "<<<<"):
                fail("%s: unexpected %s" % (where, line))
            else:
                buf.append(line)
            continue
        if line.startswith("#") or line.strip() == "":
            continue
        m = re.fullmatch(r"\[([a-z0-9][a-z0-9-]*)\]", line)
        if m:
            if cur is not None:
                fail("%s: mutant %s has no <<<< ==== >>>> body" % (where, cur["id"]))
            if any(x["id"] == m.group(1) for x in mutants):
                fail("%s: duplicate mutant id %s" % (where, m.group(1)))
            cur = {"id": m.group(1)}
            continue
        if cur is None:
            fail("%s: text outside a mutant block" % where)
        if line == "<<<<":
            for key in ("file", "op", "why"):
                if key not in cur:
                    fail("%s: mutant %s has no %s" % (where, cur["id"], key))
            mode, buf = "orig", []
            continue
        m = re.fullmatch(r"([a-z]+) = (.+)", line)
        if not m or m.group(1) not in FIELDS:
            fail("%s: expected 'KEY = VALUE' with KEY one of %s" % (where, ", ".join(FIELDS)))
        cur[m.group(1)] = m.group(2)
    if cur is not None or mode is not None:
        fail("%s: the last mutant is not closed with >>>>" % path)
    return mutants


def text(block):
    return "\n".join(block) + "\n" if block else ""


def find(mutants, mid):
    for m in mutants:
        if m["id"] == mid:
            return m
    fail("no mutant %s" % mid)


def occurrences(m, root):
    path = os.path.join(root, m["file"])
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
    except OSError as e:
        return path, None, "%s: %s" % (m["file"], e.strerror)
    orig = text(m["orig"])
    # Whole lines only: the snippet starts at a line's start.
    n = sum(1 for i in re.finditer(re.escape(orig), src) if i.start() == 0 or src[i.start() - 1] == "\n")
    if n != 1:
        return path, src, "the original text occurs %d times in %s" % (n, m["file"])
    return path, src, None


def sync(src, dst):
    want = set()
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in ("build", ".git")]
            files = [f for f in files if f != ".git"]
        for f in files:
            path = os.path.normpath(os.path.join(rel, f))
            want.add(path)
            with open(os.path.join(src, path), "rb") as fh:
                data = fh.read()
            out = os.path.join(dst, path)
            try:
                with open(out, "rb") as fh:
                    if fh.read() == data:
                        continue
            except OSError:
                os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as fh:
                fh.write(data)
            os.chmod(out, os.stat(os.path.join(src, path)).st_mode & 0o777)
    for top, dirs, files in os.walk(dst):
        rel = os.path.relpath(top, dst)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != "build"]
        for f in files:
            path = os.path.normpath(os.path.join(rel, f))
            if path not in want:
                os.remove(os.path.join(dst, path))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "sync":
        return sync(argv[2], argv[3])
    if len(argv) < 3:
        fail("usage: mutants.py list DEF | apply DEF ID ROOT | check DEF ROOT | sync SRC DST")
    cmd, mutants = argv[1], parse(argv[2])
    if cmd == "list" and len(argv) == 3:
        for m in mutants:
            print("\t".join([m["id"], m["file"], m["op"], "1" if "equivalent" in m else "0",
                             m["why"], m.get("equivalent", "-"), m.get("survives", "-"),
                             m.get("only", "-")]))
        return 0
    if cmd == "apply" and len(argv) == 5:
        m = find(mutants, argv[3])
        path, src, why = occurrences(m, argv[4])
        if why is not None:
            print(why)
            return 3
        orig = text(m["orig"])
        at = src.find(orig)
        while at > 0 and src[at - 1] != "\n":
            at = src.find(orig, at + 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(src[:at] + text(m["repl"]) + src[at + len(orig):])
        return 0
    if cmd == "check" and len(argv) == 4:
        bad = 0
        for m in mutants:
            why = occurrences(m, argv[3])[2]
            print("%s %s" % (m["id"], "applies" if why is None else "does not apply (%s)" % why))
            bad += why is not None
        return 1 if bad else 0
    fail("usage: mutants.py list DEF | apply DEF ID ROOT | check DEF ROOT | sync SRC DST")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
