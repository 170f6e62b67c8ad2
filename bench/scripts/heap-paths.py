#!/usr/bin/env python3
"""What keeps objects of one kind alive: the fields that refer to them directly (class and field,
counted over all of them), then the shortest reference chain from a GC root to each of the first
five, grouped by the classes on the chain, most common first.

    jcmd PID GC.heap_dump /tmp/server.hprof
    python3 scripts/heap-paths.py /tmp/server.hprof TARGET [N]

TARGET is a class (com.example.SomeClass), or primitive arrays: char[]:1024 (of that length) or
byte[]=bearer. (whose bytes begin so). Reads the whole HPROF file (64-bit ids) into memory: a dump
of a few hundred MB takes about half a minute and a few GB of RAM. Bench/RESULTS.md quotes it.
"""
import sys, struct, collections
from array import array

dump, target, n_show = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3
ARRAY_TYPES = {'boolean': 4, 'char': 5, 'float': 6, 'double': 7, 'byte': 8, 'short': 9, 'int': 10, 'long': 11}
array_target = None   # (element type, length or None, prefix or None)
if '[]' in target:
    element, rest = target.split('[]', 1)
    length = int(rest[1:]) if rest.startswith(':') else None
    prefix = rest[1:].encode() if rest.startswith('=') else None
    array_target = (ARRAY_TYPES[element], length, prefix)
target_name = target.replace('.', '/')
data = open(dump, 'rb').read()
p = data.index(b'\0') + 1
idsize = struct.unpack_from('>I', data, p)[0]; p += 4 + 8
assert idsize == 8, idsize
rid = lambda o: struct.unpack_from('>Q', data, o)[0]
SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
strings, class_name = {}, {}
classes = {}          # class id -> (super id, [(name id, type)])
roots = {}            # object id -> root kind
src, dst = array('Q'), array('Q')
obj_class = {}        # object id -> class id (instances), arrays -> -1 marker with name
instances_of_target = []
arr_class = {}

def heap(p, end):
    while p < end:
        t = data[p]; p += 1
        if t == 0xFF or t == 0x05 or t == 0x07:
            roots[rid(p)] = t; p += 8
        elif t == 0x01:
            roots[rid(p)] = t; p += 16
        elif t in (0x02, 0x03, 0x08):
            roots[rid(p)] = t; p += 16
        elif t in (0x04, 0x06):
            roots[rid(p)] = t; p += 12
        elif t == 0x20:
            cid = rid(p); sup = rid(p + 12); p += 8 + 4 + 8 * 6 + 4
            cp = struct.unpack_from('>H', data, p)[0]; p += 2
            for _ in range(cp):
                ty = data[p + 2]; p += 3 + SIZES[ty]
            ns = struct.unpack_from('>H', data, p)[0]; p += 2
            for _ in range(ns):
                ty = data[p + 8]
                if ty == 2:
                    v = rid(p + 9)
                    if v: src.append(cid); dst.append(v)
                p += 9 + SIZES[ty]
            nf = struct.unpack_from('>H', data, p)[0]; p += 2
            fields = []
            for _ in range(nf):
                fields.append((rid(p), data[p + 8])); p += 9
            classes[cid] = (sup, fields)
        elif t == 0x21:
            oid = rid(p); cid = rid(p + 12); nb = struct.unpack_from('>I', data, p + 20)[0]; p += 24
            obj_class[oid] = cid
            pending.append((oid, cid, p, nb))
            p += nb
        elif t == 0x22:
            oid = rid(p); n = struct.unpack_from('>I', data, p + 12)[0]; acid = rid(p + 16); p += 24
            arr_class[oid] = acid
            for i in range(n):
                v = rid(p + 8 * i)
                if v: src.append(oid); dst.append(v)
            p += 8 * n
        elif t == 0x23:
            n = struct.unpack_from('>I', data, p + 12)[0]; ty = data[p + 16]
            if array_target and ty == array_target[0] and array_target[1] in (None, n) and (
                    array_target[2] is None or data.startswith(array_target[2], p + 17)):
                instances_of_target.append(rid(p))
            p += 17 + n * SIZES[ty]
        else:
            raise SystemExit('unknown heap tag %x at %d' % (t, p))

pending = []
while p < len(data):
    tag = data[p]; ln = struct.unpack_from('>I', data, p + 5)[0]; body = p + 9
    if tag == 0x01:
        strings[rid(body)] = data[body + 8:body + ln].decode('utf-8', 'replace')
    elif tag == 0x02:
        class_name[rid(body + 4)] = rid(body + 16)
    elif tag in (0x0C, 0x1C):
        heap(body, body + ln)
    p = body + ln
name_of = lambda cid: strings.get(class_name.get(cid), '?')
layout_cache = {}
def layout(cid):
    if cid not in layout_cache:
        out = []
        c = cid
        while c in classes:
            out.extend(classes[c][1]); c = classes[c][0]
        layout_cache[cid] = out
    return layout_cache[cid]
target_cids = {c for c in classes if name_of(c) == target_name}
for oid, cid, q, nb in pending:
    if cid in target_cids: instances_of_target.append(oid)
targets = set(instances_of_target)
referrers = collections.Counter()   # (class, field) -> references to a target
for oid, cid, q, nb in pending:
    for fname, ty in layout(cid):
        if ty == 2:
            v = rid(q)
            if v:
                src.append(oid); dst.append(v)
                if v in targets: referrers[(name_of(cid), strings.get(fname, '?'))] += 1
        q += SIZES[ty]
for i in range(len(src)):
    if dst[i] in targets and src[i] in arr_class: referrers[(name_of(arr_class[src[i]]), '[]')] += 1
print('objects', len(obj_class), 'refs', len(src), 'roots', len(roots), 'targets', len(instances_of_target), file=sys.stderr)
print('referred to directly by (class.field: references):')
for (cname, fname), n in referrers.most_common(10):
    print('  %s.%s: %d' % (cname, fname, n))
print()
by_dst = collections.defaultdict(list)
for i in range(len(dst)):
    by_dst[dst[i]].append(src[i])
def describe(o):
    if o in obj_class: return name_of(obj_class[o])
    if o in arr_class: return name_of(arr_class[o])
    if o in classes: return 'class ' + name_of(o)
    return '?'
seen_chains = collections.Counter()
for t in instances_of_target[:5]:
    prev = {t: None}; queue = collections.deque([t]); hit = None
    while queue:
        o = queue.popleft()
        if o in roots: hit = o; break
        for s in by_dst.get(o, ()):
            if s not in prev:
                prev[s] = o; queue.append(s)
    chain = []
    o = hit
    while o is not None:
        chain.append(describe(o) + (' [root %x]' % roots[o] if o in roots else '')); o = prev[o]
    seen_chains[' -> '.join(chain)] += 1
for chain, n in seen_chains.most_common(n_show):
    print(n, 'x', chain, '\n')
