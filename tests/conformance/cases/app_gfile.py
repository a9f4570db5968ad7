"""tf.gfile / tf.io.gfile on local paths, tf.compat string helpers, tf.logging levels.

Each case works in a fresh temporary directory (entered with ``os.chdir``) so the recorded paths
are relative and identical under TF and scopeflow.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def _in_tmpdir():
    old = os.getcwd()  # noqa: PTH109
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)
        try:
            yield d
        finally:
            os.chdir(old)


def case_gfile_missing_paths(tf, show, expect_error):
    g = tf.gfile
    with _in_tmpdir():
        expect_error(lambda: g.GFile("nope.txt").read())
        show(g.Exists("nope"))
        expect_error(lambda: g.ListDirectory("nope"))
        expect_error(lambda: g.Remove("nope"))
        expect_error(lambda: g.DeleteRecursively("nope"))
        expect_error(lambda: g.Stat("nope"))
        expect_error(lambda: g.MkDir("x/y"))
        expect_error(lambda: g.Copy("nope", "z.txt"))
        expect_error(lambda: g.GFile("q.txt", "x"))
        show(list(g.Walk("nope")))
        show(g.Glob("zz/*"))
        show(g.IsDirectory("nope"))


def case_gfile_write_read(tf, show, expect_error):
    g = tf.gfile
    with _in_tmpdir():
        g.MkDir("a")
        g.MkDir("a")
        g.MakeDirs("a/b/c")
        g.MakeDirs("a/b/c")
        with g.GFile("a/f.txt", "w") as f:
            f.write("hi\nthere\n")
            f.write(b"bytes\n")
        show(g.GFile("a/f.txt").read())
        show(g.GFile("a/f.txt", "rb").read())
        show(g.GFile("a/f.txt").readlines())
        show(list(g.GFile("a/f.txt")))
        show(g.GFile("a/f.txt").size())
        f = g.GFile("a/f.txt")
        show(f.read(3), f.tell())
        f.seek(1)
        show(f.readline())
        f.close()
        with g.GFile("a/f.txt", "a") as f:
            f.write("more")
        show(g.GFile("a/f.txt").read())
        with g.Open("a/e.txt", "w"):
            pass
        show(g.Exists("a/e.txt"))
        expect_error(lambda: g.GFile("a/f.txt", "w").read())
        expect_error(lambda: g.GFile("a/f.txt", "r").write("x"))
        expect_error(lambda: g.GFile("a", "r").read())


def case_gfile_copy_rename_remove(tf, show, expect_error):
    g = tf.gfile
    with _in_tmpdir():
        g.MakeDirs("a/b/c")
        with g.GFile("a/f.txt", "w") as f:
            f.write("x")
        g.Copy("a/f.txt", "a/g.txt")
        expect_error(lambda: g.Copy("a/f.txt", "a/g.txt"))
        g.Copy("a/f.txt", "a/g.txt", overwrite=True)
        expect_error(lambda: g.Rename("a/f.txt", "a/g.txt"))
        g.Rename("a/f.txt", "a/h.txt")
        show(sorted(g.ListDirectory("a")))
        show(sorted(g.Glob("a/*")))
        show(sorted(g.Glob(["a/*.txt", "a/b"])))
        show([(d, sorted(s), sorted(f)) for d, s, f in g.Walk("a")])
        show([d for d, _, _ in g.Walk("a", in_order=False)])
        show(g.IsDirectory("a"), g.IsDirectory("a/g.txt"))
        st = g.Stat("a/g.txt")
        show(st.length, st.is_directory, type(st.mtime_nsec).__name__)
        show(g.Stat("a").is_directory)
        expect_error(lambda: g.ListDirectory("a/g.txt"))
        expect_error(lambda: g.Remove("a"))
        g.DeleteRecursively("a/h.txt")
        g.Remove("a/g.txt")
        show(sorted(g.ListDirectory("a")))
        g.DeleteRecursively("a")
        show(g.Exists("a"))


def case_io_gfile_v2_names(tf, show, expect_error):
    g = tf.io.gfile
    with _in_tmpdir():
        g.makedirs("d/e")
        g.mkdir("d/f")
        with g.GFile("d/x.bin", "wb") as f:
            f.write(b"\x00\x01")
        show(g.exists("d/x.bin"), g.isdir("d"), sorted(g.listdir("d")))
        g.copy("d/x.bin", "d/y.bin")
        g.rename("d/y.bin", "d/z.bin")
        show(sorted(g.glob("d/*.bin")), g.stat("d/z.bin").length)
        show(g.join("a", "b", "c.txt"))
        show(sorted((p, sorted(s), sorted(f)) for p, s, f in g.walk("d")))
        g.remove("d/z.bin")
        g.rmtree("d")
        show(g.exists("d"))
        expect_error(lambda: g.remove("d"))


def case_compat_strings(tf, show, expect_error):
    show(tf.compat.as_bytes("hé"), tf.compat.as_text(b"h\xc3\xa9"), tf.compat.as_str(b"a"))
    show(tf.compat.as_bytes(bytearray(b"ab")), tf.compat.as_str_any(3), tf.compat.as_str_any(b"x"))
    show(tf.compat.as_bytes("é", encoding="latin-1"))
    expect_error(lambda: tf.compat.as_bytes(3))
    expect_error(lambda: tf.compat.as_text(3))
    expect_error(lambda: tf.compat.as_text(b"x", encoding="nope"))
    import pathlib

    show(tf.compat.path_to_str(pathlib.PurePosixPath("a/b")), tf.compat.path_to_str("c"))
    show(tf.compat.v1.get_variable is tf.get_variable)
    show(isinstance(3, tf.compat.integral_types), isinstance(2.5, tf.compat.real_types))
    show(isinstance("s", tf.compat.bytes_or_text_types))


def case_logging_levels(tf, show, expect_error):
    lg = tf.logging
    show(lg.DEBUG, lg.INFO, lg.WARN, lg.ERROR, lg.FATAL)
    old = lg.get_verbosity()
    lg.set_verbosity(lg.ERROR)
    show(lg.get_verbosity())
    lg.set_verbosity(old)
    expect_error(lg.flush)
    show(sorted(n for n in dir(lg) if not n.startswith("_") and n[0].isupper()))
