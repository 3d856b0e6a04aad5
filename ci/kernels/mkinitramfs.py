#!/usr/bin/python3
# mkinitramfs.py - write an uncompressed initramfs (cpio "newc") from a list
# of what goes in it, without staging a copy of the files on disk.
#
# Usage: mkinitramfs.py OUT.cpio < LIST
#
# LIST has one entry a line:
#   path HOSTPATH          HOSTPATH at the same path in the image: a file, a
#                          symbolic link (and what it points to, link by
#                          link) or a directory (with all it holds)
#   skip PATTERN           leave what matches PATTERN (an fnmatch pattern of
#                          real paths, "*" spanning "/"), and all under it,
#                          out of the "path" entries after this line
#   file GUESTPATH HOSTPATH MODE   a file's contents at another path
#   dir GUESTPATH MODE     an (empty) directory
#   link GUESTPATH TARGET  a symbolic link
# Every ELF program or library taken in brings its dynamic loader and the
# libraries ldd(1) finds for it.  Owners are root, times are the host
# files', directories the list does not name are made 0755 (an image root
# left 0700 would shut out the tests that run as nobody).
#
# SPDX-License-Identifier: MIT
import fnmatch
import os
import stat
import subprocess
import sys


class Image:
    def __init__(self):
        self.entries = {}        # guest path -> (kind, mode, mtime, data)
        self.skips = []
        self.elves = []
        self.seen_elf = set()

    def _parents(self, path):
        parent = os.path.dirname(path)
        while parent not in ("/", "") and parent not in self.entries:
            self.entries[parent] = ("dir", 0o755, 0, None)
            parent = os.path.dirname(parent)

    def _real_dir(self, path):
        """The real directory of path, keeping every symbolic link met on
        the way (/lib -> usr/lib on a merged-/usr host) as a link."""
        real = "/"
        for part in os.path.dirname(path).split("/"):
            if not part:
                continue
            here = os.path.join(real, part)
            if os.path.islink(here):
                target = os.readlink(here)
                if here not in self.entries:
                    self.add(here, "link", 0o777, 0, target)
                real = os.path.realpath(here)
            else:
                real = here
        return os.path.join(real, os.path.basename(path))

    def _skipped(self, path):
        return any(fnmatch.fnmatchcase(path, s) or path.startswith(s + "/")
                   for s in self.skips)

    def add(self, guest, kind, mode, mtime, data):
        guest = os.path.normpath(guest)
        self._parents(guest)
        self.entries[guest] = (kind, mode, mtime, data)

    def add_path(self, host, tree=True):
        host = self._real_dir(os.path.normpath(host))
        if self._skipped(host):
            return
        # a directory already made as another's parent is walked all the
        # same (the source tree above the build, a clone in /tmp)
        if host in self.entries and not (tree and self.entries[host][0] == "dir"):
            return
        st = os.lstat(host)
        if stat.S_ISLNK(st.st_mode):
            target = os.readlink(host)
            self.add(host, "link", 0o777, int(st.st_mtime), target)
            # what it points to; a directory without its contents
            self.add_path(os.path.join(os.path.dirname(host), target), False)
        elif stat.S_ISDIR(st.st_mode):
            self.add(host, "dir", stat.S_IMODE(st.st_mode) | 0o555,
                     int(st.st_mtime), None)
            for name in sorted(os.listdir(host)) if tree else ():
                self.add_path(os.path.join(host, name))
        elif stat.S_ISREG(st.st_mode):
            self.add(host, "file", stat.S_IMODE(st.st_mode),
                     int(st.st_mtime), host)
            self._maybe_elf(host, st)

    def _maybe_elf(self, host, st):
        if not (st.st_mode & 0o111 or ".so" in os.path.basename(host)):
            return
        real = os.path.realpath(host)
        if real in self.seen_elf:
            return
        with open(host, "rb") as f:
            if f.read(4) != b"\x7fELF":
                return
        self.seen_elf.add(real)
        self.elves.append(host)

    def close_elves(self):
        """Add what ldd says the ELF files need, until nothing is new."""
        while self.elves:
            batch, self.elves = self.elves, []
            for i in range(0, len(batch), 200):
                self._ldd(batch[i:i + 200])

    def _ldd(self, files):
        out = subprocess.run(["ldd"] + files, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout
        for line in out.splitlines():
            words = line.split()
            if "=>" in words:
                lib = words[words.index("=>") + 1]
            elif words and words[0].startswith("/") and len(words) == 2:
                lib = words[0]                  # the dynamic loader
            else:
                continue
            if lib.startswith("/") and os.path.exists(lib):
                self.add_path(lib)

    def write(self, out):
        ino = 1
        for guest in sorted(self.entries):
            kind, mode, mtime, data = self.entries[guest]
            if kind == "dir":
                body, ftype = b"", stat.S_IFDIR
            elif kind == "link":
                body, ftype = data.encode(), stat.S_IFLNK
            else:
                with open(data, "rb") as f:
                    body = f.read()
                ftype = stat.S_IFREG
            record(out, ino, guest.lstrip("/") or ".", ftype | mode, mtime, body)
            ino += 1
        record(out, 0, "TRAILER!!!", 0, 0, b"")


def record(out, ino, name, mode, mtime, body):
    nlink = 2 if stat.S_ISDIR(mode) else 1
    name = name.encode() + b"\0"
    head = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, nlink, mtime, len(body), 0, 0, 0, 0, len(name), 0))
    out.write(head.encode() + name)
    out.write(b"\0" * ((4 - (110 + len(name)) % 4) % 4))
    out.write(body)
    out.write(b"\0" * ((4 - len(body) % 4) % 4))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mkinitramfs.py OUT.cpio < LIST")
    img = Image()
    for n, line in enumerate(sys.stdin, 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        try:
            if words[0] == "path" and len(words) == 2:
                img.add_path(words[1])
            elif words[0] == "skip" and len(words) == 2:
                img.skips.append(os.path.normpath(words[1]))
            elif words[0] == "file" and len(words) == 4:
                st = os.stat(words[2])
                img.add(words[1], "file", int(words[3], 8),
                        int(st.st_mtime), words[2])
                img._maybe_elf(words[2], st)
            elif words[0] == "dir" and len(words) == 3:
                img.add(words[1], "dir", int(words[2], 8), 0, None)
            elif words[0] == "link" and len(words) == 3:
                img.add(words[1], "link", 0o777, 0, words[2])
            else:
                sys.exit("mkinitramfs.py: line %d: cannot read: %s" % (n, line.strip()))
        except OSError as e:
            sys.exit("mkinitramfs.py: line %d: %s" % (n, e))
    img.close_elves()
    img.entries.setdefault("/", ("dir", 0o755, 0, None))
    with open(sys.argv[1], "wb") as out:
        img.write(out)
    print("%s: %d entries" % (sys.argv[1], len(img.entries)))


if __name__ == "__main__":
    main()
