#!/usr/bin/env python3
"""Writes the hostile (and the good) archives of tests/bad-archives/ deterministically:
python3 tests/bad-archives/make.py DIR. tests/t_archives.sh builds them into its temp dir
(and the EXPECT file there says what wasmatrix must answer for each)."""
import gzip, io, os, sys, tarfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def info(name, kind="file", target=None, data=b"x", mode=None):
    i = tarfile.TarInfo(name)
    i.mtime = 1700000000
    i.uname = i.gname = ""
    if kind == "file":
        i.size = len(data)
        return i, io.BytesIO(data)
    if kind == "dir":
        i.type = tarfile.DIRTYPE
        i.mode = 0o755 if mode is None else mode
    elif kind == "sym":
        i.type = tarfile.SYMTYPE
        i.linkname = target
    elif kind == "hard":
        i.type = tarfile.LNKTYPE
        i.linkname = target
    elif kind == "fifo":
        i.type = tarfile.FIFOTYPE
    elif kind == "chr":
        i.type = tarfile.CHRTYPE
        i.devmajor, i.devminor = 1, 3
    return i, None


def tgz(name, entries):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for e in entries:
            t.addfile(*info(*e))
    with open(os.path.join(out, name), "wb") as f:
        f.write(gzip.compress(raw.getvalue(), mtime=0))


# a symlink to the archive's parent: a run could then crawl the host through it
tgz("up-link.tar.gz", [("s/manifest.json", "file", None, b"{}"), ("up", "sym", "..")])
# s/up -> .. is the top of the tree itself: allowed
tgz("inner-up.tar.gz", [("s/manifest.json", "file", None, b"{}"), ("s/up", "sym", "..")])
# each link alone looks harmless; b -> . makes b/.. the parent of the tree
tgz("dot-chain.tar.gz", [("b", "sym", "."), ("d", "sym", "b/..")])
tgz("deep-chain.tar.gz", [("b", "sym", "."), ("d", "sym", "b/b/b/../../../etc")])
# x is harmless while sub/up does not exist yet; once it does, x is the parent
tgz("late-link.tar.gz", [("sub/f", "file"), ("x", "sym", "sub/up/.."), ("sub/up", "sym", "..")])
# a hard link to an inside symlink: the same ".." read from the top of the tree
tgz("hardlink-to-link.tar.gz", [("sub/l", "sym", "../f"), ("f", "file"), ("h", "hard", "sub/l")])
tgz("abs-link.tar.gz", [("l", "sym", "/etc")])
tgz("hardlink-out.tar.gz", [("h", "hard", "../../../../etc/passwd")])
tgz("hardlink-abs.tar.gz", [("h", "hard", "/etc/passwd")])
tgz("fifo.tar.gz", [("p", "fifo")])
tgz("device.tar.gz", [("null", "chr")])
tgz("dotdot.tar.gz", [("ok/manifest.json", "file"), ("../../escaped", "file")])
tgz("abs.tar.gz", [("/tmp/wasmatrix-abs-escape", "file")])
# the same name twice: a file, then a link out
tgz("dup-name.tar.gz", [("f", "file"), ("f", "sym", "..")])
# writing through an inside symlink is refused by libarchive itself (and the entry name
# must still be readable for the message: it was used after free)
tgz("through-link.tar.gz", [("sub", "dir"), ("s", "sym", "sub"), ("s/f", "file")])
# 4 MiB of zeros, a few KiB compressed: over a small --max-size once unpacked
tgz("bomb.tar.gz", [("zeros", "file", None, bytes(4 << 20))])
# 100001 members (empty directories of the same name): over the member cap
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
    i, _ = info("d", "dir")
    buf = i.tobuf(tarfile.GNU_FORMAT)
with open(os.path.join(out, "many.tar.gz"), "wb") as f:
    f.write(gzip.compress(buf * 100001 + bytes(1024), mtime=0))
# not a tar: an mtree spec (libarchive's reader makes files from a text description and
# may read their contents from host paths): only tar and zip are read
with open(os.path.join(out, "mtree.tar.gz"), "wb") as f:
    f.write(gzip.compress(b"#mtree\n./leak type=file contents=/etc/hostname\n", mtime=0))
# good: links that stay inside, a hard link to a file, a file through "./"
tgz("good.tar.gz", [("./t/manifest.json", "file", None, b"{}"), ("t/a/f", "file", None, b"data\n"),
                    ("t/a/up", "sym", "../b/g"), ("t/b/g", "file", None, b"g\n"),
                    ("t/self", "sym", "."), ("t/loopy", "sym", "self/self/a/../b/g"),
                    ("t/dangling", "sym", "nothing/here"), ("t/h", "hard", "t/a/f")])
