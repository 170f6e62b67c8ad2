#!/usr/bin/env python3
"""What the byte arrays of a heap dump hold: every byte[] grouped by its length and its first 40
bytes, the groups holding the most bytes first, with their count and a printable prefix. A class
histogram says only how many bytes byte[] takes; the prefix says whose they are (a header's text, a
token, a buffer of zeros).

    jcmd PID GC.heap_dump /tmp/server.hprof
    python3 scripts/heap-bytes.py /tmp/server.hprof [CONNECTIONS] [GROUPS]

With CONNECTIONS, also each group's count and bytes per connection. Reads the whole HPROF file
(64-bit ids) into memory; a dump of 400 MB takes a few seconds. Bench/RESULTS.md quotes it.
"""
import collections
import struct
import sys

VALUE_SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
BYTE = 8


def byte_arrays(data):
    """Yields (length, first 40 bytes) of every byte[] in the dump."""
    p = data.index(b"\0") + 1
    assert struct.unpack_from(">I", data, p)[0] == 8, "only 64-bit ids"
    p += 4 + 8
    while p < len(data):
        tag = data[p]
        length = struct.unpack_from(">I", data, p + 5)[0]
        body = p + 9
        if tag in (0x0C, 0x1C):
            yield from segment(data, body, body + length)
        p = body + length


def segment(data, p, end):
    while p < end:
        kind = data[p]
        p += 1
        if kind in (0xFF, 0x05, 0x07):
            p += 8
        elif kind in (0x01, 0x02, 0x03, 0x08):
            p += 16
        elif kind in (0x04, 0x06):
            p += 12
        elif kind == 0x20:  # class dump: ids, constant pool, static fields, instance fields
            p += 8 + 4 + 8 * 6 + 4
            for entry in (2, 8):
                count = struct.unpack_from(">H", data, p)[0]
                p += 2
                for _ in range(count):
                    p += entry
                    p += 1 + VALUE_SIZES[data[p]]
            count = struct.unpack_from(">H", data, p)[0]
            p += 2 + count * 9
        elif kind == 0x21:  # instance
            p += 8 + 4 + 8
            p += 4 + struct.unpack_from(">I", data, p)[0]
        elif kind == 0x22:  # object array
            p += 8 + 4
            p += 4 + 8 + struct.unpack_from(">I", data, p)[0] * 8
        elif kind == 0x23:  # primitive array
            p += 8 + 4
            count = struct.unpack_from(">I", data, p)[0]
            element = data[p + 4]
            p += 5
            if element == BYTE:
                yield count, data[p : p + 40]
            p += count * VALUE_SIZES[element]
        else:
            raise ValueError(f"unknown heap dump record {kind:#x} at {p - 1}")


def printable(prefix):
    return "".join(chr(b) if 32 <= b < 127 else "." for b in prefix)


def main():
    data = open(sys.argv[1], "rb").read()
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    shown = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    groups = collections.Counter()
    for length, prefix in byte_arrays(data):
        groups[(length, prefix)] += 1
    # An array's heap size: 16 bytes of header and length, the bytes, rounded up to 8.
    heap = {key: count * ((16 + key[0] + 7) // 8 * 8) for key, count in groups.items()}
    print(f"byte[]: {sum(groups.values()):,} arrays, {sum(heap.values()):,} bytes")
    print("   count   length       bytes" + ("   per conn: count  bytes" if connections else ""))
    for key, size in sorted(heap.items(), key=lambda item: -item[1])[:shown]:
        count, (length, prefix) = groups[key], key
        line = f"{count:8,} {length:8,} {size:11,}"
        if connections:
            line += f"   {count / connections:14.2f} {size / connections:6,.0f}"
        print(f"{line}  {printable(prefix)}")


if __name__ == "__main__":
    main()
