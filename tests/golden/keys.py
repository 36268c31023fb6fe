# keys.py GOLD_DIR...: rewrites customer_key in each folder's dim_customer, fact tables and customer_360 to the
# keys docs/gold-schema.md defines (FNV-1a 64 of customer_id's UTF-8 bytes, modulo
# 999,999,999,999,999, plus one), worked out here rather than by c360: how the golden gold
# tables' keys were made. It stops at a clash of two ids (none in the goldens).
import csv, io, os, sys
MAX = 999999999999999
def fnv(b):
    h = 0xcbf29ce484222325
    for x in b:
        h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h % MAX + 1
def rewrite(path, fn):
    raw = open(path, 'rb').read()
    bom = raw.startswith(b'\xef\xbb\xbf')
    text = raw[3:].decode('utf-8') if bom else raw.decode('utf-8')
    rows = list(csv.reader(io.StringIO(text, newline='')))
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\n')
    for i, r in enumerate(rows):
        w.writerow(fn(i, r))
    data = out.getvalue().encode('utf-8')
    open(path, 'wb').write((b'\xef\xbb\xbf' if bom else b'') + data)
def files(d, name):
    p = os.path.join(d, name + '.csv')
    if os.path.isfile(p): return [p]
    for q in (p, os.path.join(d, name)):
        if os.path.isdir(q):
            return sorted(os.path.join(q, f) for f in os.listdir(q) if f.startswith('part-') and not f.endswith('.crc'))
    return []
for d in sys.argv[1:]:
    m = {}
    seen = set()
    for p in files(d, 'dim_customer'):
        def f(i, r, p=p):
            if i == 0: assert r[0] == 'customer_key'; return r
            k = fnv(r[1].encode('utf-8')); assert k not in seen, 'clash'; seen.add(k)
            m[r[0]] = str(k); r[0] = str(k); return r
        rewrite(p, f)
    for t in ('fact_orders', 'fact_payments', 'fact_tickets', 'fact_sessions'):
        for p in files(d, t):
            def f(i, r):
                if i == 0: assert r[1] == 'customer_key'; return r
                r[1] = m[r[1]]; return r
            rewrite(p, f)
    for p in files(d, 'customer_360'):	# its last column, where there (c360 writes it since 2026-12)
        def f(i, r):
            if i == 0 or r[0] == '': return r
            return r[:-1] + [m.get(r[-1], r[-1])]
        if open(p, encoding='utf-8-sig').readline().rstrip('\n').endswith(',customer_key'): rewrite(p, f)
    print(d, len(m), 'customers')
