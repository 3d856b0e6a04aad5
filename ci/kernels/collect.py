#!/usr/bin/python3
# collect.py - the kernels stage's results: one guest's report turned into
# automake's files, and the table of every kernel.
#
#   collect.py one OUTDIR SERIES REPORT TESTS XFAIL GUEST-STATUS
#       REPORT is what the guest wrote on its second serial port
#       (ci/kernels/guest-init.sh); TESTS the tests it was to run, XFAIL
#       those expected to fail (one a line); GUEST-STATUS how qemu ended
#       ("ok", or why not).  Writes OUTDIR/<test>.log (each test's output),
#       OUTDIR/<test>.trs and OUTDIR/test-suite.log, counted by check-all
#       like any test-suite.log.  A test the guest did not finish (a hung
#       or crashed guest) is an ERROR.
#   collect.py table DIR SERIES...
#       Prints the table: a line a test, a column a kernel; then each
#       kernel's totals, every skip with its reason, the tests a program
#       that passed left out (its "SKIP: " lines) and every failure.
#
# SPDX-License-Identifier: MIT
import base64
import os
import re
import sys

RESULTS = ("PASS", "SKIP", "XFAIL", "FAIL", "XPASS", "ERROR")


def read_list(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def parse_report(path):
    """{test: (status, seconds, text)}, kernel release, done flag, the
    test the guest was in when it ended, [(probe, answer)]."""
    results, kernel, done = {}, "", False
    probes = []
    current, chunks = None, []
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        line = line.strip("\r")
        if line.startswith("@@mr-kernel "):
            kernel = line.split(None, 1)[1]
        elif line.startswith("@@mr-test "):
            current, chunks = line.split(None, 1)[1], []
        elif line.startswith("@@mr-end ") and current:
            words = line.split()
            try:
                text = base64.b64decode("".join(chunks)).decode(errors="replace")
            except ValueError:
                text = "(the report of this test was garbled)\n"
            results[current] = (int(words[2]), int(words[3]), text)
            current = None
        elif line == "@@mr-done":
            done = True
        elif line.startswith("@@mr-probe ") and not current:
            words = line.split()
            probes.append((" ".join(words[1:-1]), words[-1]))
        elif current:
            chunks.append(line)
    return results, kernel, done, current, probes


def skip_reason(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in reversed(lines):
        if l.startswith("SKIP"):
            return l
    return lines[-1] if lines else "(no output)"


def test_skips(text):
    """What a program that passed left out: its "SKIP: ..." lines
    (tl_skip_test()'s "SKIP: NAME (REASON)", or "SKIP: NAME: REASON"),
    those of one reason as one "NAME, NAME: REASON"."""
    names, order = {}, []
    for l in text.splitlines():
        l = l.strip().replace("\t", " ")
        if not l.startswith("SKIP: "):
            continue
        m = re.match(r"(\S+) \((.*)\)$", l[6:])
        if m:
            name, sep, why = m.group(1), True, m.group(2)
        else:
            name, sep, why = l[6:].partition(": ")
        if not sep or " " in name:
            name, why = "", l[6:]
        if why not in names:
            names[why] = []
            order.append(why)
        if name:
            names[why].append(name)
    return "; ".join("%s: %s" % (", ".join(names[w]), w) if names[w] else w
                     for w in order)


def checks_of(text):
    """Check's own count: 'NN%: Checks: N, Failures: F, Errors: E'."""
    n = 0
    for m in re.finditer(r"Checks: (\d+), Failures: \d+, Errors: \d+", text):
        n += int(m.group(1))
    return n


def one(outdir, series, report, tests_file, xfail_file, guest_status):
    tests = read_list(tests_file)
    xfail = set(read_list(xfail_file)) if os.path.exists(xfail_file) else set()
    results, kernel, done, hung, probes = parse_report(report)
    os.makedirs(outdir, exist_ok=True)
    rows = []
    for t in tests:
        if t in results:
            rc, secs, text = results[t]
            if rc == 77:
                res = "SKIP"
            elif rc == 99:
                res = "ERROR"
            elif rc == 0:
                res = "XPASS" if t in xfail else "PASS"
            else:
                res = "XFAIL" if t in xfail else "FAIL"
            note = skip_reason(text) if res == "SKIP" else \
                test_skips(text) if res == "PASS" else ""
            if rc == 124:
                note = "timed out in the guest"
        else:
            rc, secs, res = -1, 0, "ERROR"
            if t == hung:
                note = "the guest ended during this test (%s)" % guest_status
            else:
                note = "not run: the guest ended before it (%s)" % guest_status
            text = "kernels stage: %s\n" % note
        rows.append((t, res, rc, secs, checks_of(text), note))
        base = os.path.join(outdir, t.replace("/", "_"))
        with open(base + ".log", "w") as f:
            f.write(text)
            f.write("%s: %s (exit %d, %d s)\n" % (res, t, rc, secs))
        with open(base + ".trs", "w") as f:
            f.write(":test-result: %s\n:global-test-result: %s\n" % (res, res))
    if not done and all(r[1] != "ERROR" for r in rows):
        # every test reported, but the guest did not say it finished
        rows.append(("(guest)", "ERROR", -1, 0, 0,
                     "the guest did not finish (%s)" % guest_status))
    counts = {r: sum(1 for row in rows if row[1] == r) for r in RESULTS}
    with open(os.path.join(outdir, "test-suite.log"), "w") as f:
        title = "kernels stage: Linux %s (%s)" % (series, kernel or "did not boot")
        f.write("=" * len(title) + "\n" + title + "\n" + "=" * len(title) + "\n\n")
        f.write("# TOTAL: %d\n" % len(rows))
        for r in RESULTS:
            f.write("# %s: %d\n" % (r, counts[r]))
        f.write("\n")
        for t, res, rc, secs, checks, note in rows:
            if res in ("PASS", "XFAIL"):
                continue
            head = "%s: %s%s" % (res, t, " (%s)" % note if note else "")
            f.write(head + "\n" + "=" * len(head) + "\n\n")
            if t in results:
                f.write(results[t][2] + "\n")
    with open(os.path.join(outdir, "summary.tsv"), "w") as f:
        f.write("#kernel\t%s\n" % (kernel or "-"))
        f.write("#guest\t%s\n" % guest_status)
        for key, answer in probes:
            f.write("#probe %s\t%s\n" % (key, answer))
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    print("Linux %s (%s): %s" % (series, kernel or "did not boot", ", ".join(
        "%d %s" % (counts[r], r) for r in RESULTS if counts[r])))


def read_summary(path):
    info, rows = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                k, _, v = line[1:].partition("\t")
                info[k] = v
                continue
            t, res, rc, secs, checks, note = line.split("\t", 5)
            rows.append((t, res, int(rc), int(secs), int(checks), note))
    return info, rows


def table(d, series):
    data = {}
    for s in series:
        p = os.path.join(d, s, "summary.tsv")
        data[s] = read_summary(p) if os.path.exists(p) else ({}, [])
    tests = []
    for s in series:
        for row in data[s][1]:
            if row[0] not in tests:
                tests.append(row[0])
    width = max([len(t) for t in tests] + [24])
    cell = {"PASS": "pass", "SKIP": "skip", "XFAIL": "xfail",
            "FAIL": "FAIL", "XPASS": "XPASS", "ERROR": "ERROR"}
    print("%-*s %s" % (width, "test (Check tests run)", " ".join("%-11s" % ("Linux " + s) for s in series)))
    for t in tests:
        cells = []
        for s in series:
            row = [r for r in data[s][1] if r[0] == t]
            if not row:
                cells.append("%-11s" % "-")
                continue
            t_, res, rc, secs, checks, note = row[0]
            c = cell[res] + (" (%d)" % checks if checks and res != "SKIP" else "")
            cells.append("%-11s" % c)
        print("%-*s %s" % (width, t, " ".join(cells)))
    keys = []
    for s in series:
        for k in data[s][0]:
            if k.startswith("probe ") and k not in keys:
                keys.append(k)
    if keys:
        print()
        width = max([len(k) - 6 for k in keys] + [width])
        print("%-*s %s" % (width, "the kernel answers", " ".join("%-11s" % ("Linux " + s) for s in series)))
        for k in keys:
            print("%-*s %s" % (width, k[6:], " ".join("%-11s" % data[s][0].get(k, "-") for s in series)))
    print()
    bad = 0
    for s in series:
        info, rows = data[s]
        n = {r: sum(1 for row in rows if row[1] == r) for r in RESULTS}
        bad += n["FAIL"] + n["XPASS"] + n["ERROR"]
        print("Linux %-5s %-34s %3d passed, %d failed, %d skipped  %4d s  guest: %s" % (
            s, info.get("kernel", "-"), n["PASS"] + n["XFAIL"],
            n["FAIL"] + n["XPASS"] + n["ERROR"], n["SKIP"],
            sum(row[3] for row in rows), info.get("guest", "not run")))
    for title, kinds in (("skipped", ("SKIP",)),
                         ("passed, with tests left out", ("PASS",)),
                         ("FAILED", ("FAIL", "XPASS", "ERROR"))):
        lines = ["  Linux %-5s %s: %s" % (s, row[0], row[5] or "exit %d" % row[2])
                 for s in series for row in data[s][1] if row[1] in kinds
                 and (row[1] != "PASS" or row[5])]
        if lines:
            print(title + ":")
            print("\n".join(lines))
    return 1 if bad else 0


def main():
    if len(sys.argv) == 8 and sys.argv[1] == "one":
        one(*sys.argv[2:])
    elif len(sys.argv) >= 3 and sys.argv[1] == "table":
        sys.exit(table(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit("usage: collect.py one OUTDIR SERIES REPORT TESTS XFAIL STATUS | table DIR SERIES...")


if __name__ == "__main__":
    main()
