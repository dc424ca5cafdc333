#!/usr/bin/env python3
"""What each crate costs in a wasm file: the code of each function, by the crate its
(demangled) name starts with. Reads the name section, so point it at a wasm that has one
(wasm-bindgen's output before wasm-opt, or a WASM_KEEP_NAMES=1 build). Prints a table of
the 15 largest. (twiggy 0.7 cannot read wasm-bindgen's externref element segments.)"""
import collections
import re
import shutil
import subprocess
import sys


def leb(b, i):
    value = shift = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def string(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode("utf8", "replace"), i + n


def limits(b, i):
    flags, i = leb(b, i)
    _, i = leb(b, i)
    if flags & 1:
        _, i = leb(b, i)
    return i


def functions(path):
    b = open(path, "rb").read()
    i, imported, sizes, names = 8, 0, [], {}
    while i < len(b):
        section = b[i]
        size, i = leb(b, i + 1)
        end = i + size
        if section == 2:  # imports: functions imported shift the indices
            n, j = leb(b, i)
            for _ in range(n):
                _, j = string(b, j)
                _, j = string(b, j)
                kind = b[j]
                j += 1
                if kind == 0:
                    _, j = leb(b, j)
                    imported += 1
                elif kind == 1:
                    j = limits(b, j + 1)
                elif kind == 2:
                    j = limits(b, j)
                elif kind == 3:
                    j += 2
        elif section == 10:  # code: one body per defined function
            n, j = leb(b, i)
            for _ in range(n):
                body, k = leb(b, j)
                sizes.append(body + k - j)
                j = k + body
        elif section == 0:
            name, j = string(b, i)
            while name == "name" and j < end:
                sub = b[j]
                sub_size, j = leb(b, j + 1)
                if sub == 1:
                    n, k = leb(b, j)
                    for _ in range(n):
                        index, k = leb(b, k)
                        names[index], k = string(b, k)
                j += sub_size
        i = end
    return [(size, names.get(imported + k, "")) for k, size in enumerate(sizes)]


def main():
    funcs = functions(sys.argv[1])
    names = [name for _, name in funcs]
    if shutil.which("c++filt"):
        out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True).stdout
        if len(out.splitlines()) == len(names):
            names = out.splitlines()
    sizes = collections.Counter()
    for (size, _), name in zip(funcs, names):
        # Legacy names demangle to `crate::path`; v0 names (`_R...`, the nightly build's)
        # stay mangled, and name their crate as `C<disambiguator>_<length><name>`.
        m = re.search(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
        crate = m.group(1) if m else "unnamed"
        v0 = re.search(r"C(?:s[0-9a-zA-Z]*_)?([0-9]+)", name) if name.startswith("_R") else None
        if not m and v0:
            crate = name[v0.end():v0.end() + int(v0.group(1))]
        sizes[crate] += size
    total = sum(sizes.values()) or 1
    print("| crate | code bytes | share |\n|---|---:|---:|")
    for crate, size in sizes.most_common(15):
        print(f"| {crate} | {size} | {100 * size / total:.1f}% |")


main()
