#!/usr/bin/env python3
"""multipart.py HEAD BODY FILE RANGES: check a multipart/byteranges response.

HEAD and BODY are a response's head (curl -D) and body (curl -o); FILE is the
file served; RANGES the ranges expected, in order, as "first-last,...". The
body is parsed as RFC 9110 §14.6 and RFC 2046 §5.1 say, independently of the
server: every part's Content-Range and bytes must match FILE, byte for byte,
and the Content-Length must be the body's length. Prints "ok" or why not.
"""
import re
import sys

head = open(sys.argv[1], 'rb').read().decode('latin-1')
body = open(sys.argv[2], 'rb').read()
data = open(sys.argv[3], 'rb').read()
want = [tuple(int(x) for x in r.split('-')) for r in sys.argv[4].split(',')]

def fail(why):
    print(why)
    sys.exit(1)

fields = {}
for line in head.split('\r\n')[1:]:
    if ':' in line:
        k, v = line.split(':', 1)
        fields[k.strip().lower()] = v.strip()
if not head.startswith('HTTP/1.1 206 '):
    fail('status: ' + head.split('\r\n')[0])
m = re.fullmatch(r'multipart/byteranges; boundary=([0-9A-Za-z\'()+_,./:=?-]{1,70})', fields.get('content-type', ''))
if not m:
    fail('content-type: ' + fields.get('content-type', ''))
if int(fields.get('content-length', -1)) != len(body):
    fail('content-length %s, body %d' % (fields.get('content-length'), len(body)))
delim = b'--' + m.group(1).encode()
# the body: an optional preamble (here CRLF), parts each after CRLF--boundary, then --boundary--
if not body.startswith(b'\r\n' + delim + b'\r\n'):
    fail('body does not start with the delimiter')
if not body.endswith(b'\r\n' + delim + b'--\r\n'):
    fail('body does not end with the close-delimiter')
parts = body[len(b'\r\n' + delim):-len(b'\r\n' + delim + b'--\r\n')].split(b'\r\n' + delim)
if len(parts) != len(want):
    fail('%d parts, want %d' % (len(parts), len(want)))
size = len(data)
for i, (part, (first, last)) in enumerate(zip(parts, want)):
    if not part.startswith(b'\r\n'):
        fail('part %d: no CRLF after its delimiter' % i)
    phead, sep, pbody = part[2:].partition(b'\r\n\r\n')
    if not sep:
        fail('part %d: no blank line' % i)
    pf = {}
    for line in phead.decode('latin-1').split('\r\n'):
        k, v = line.split(':', 1)
        pf[k.strip().lower()] = v.strip()
    if pf.get('content-range') != 'bytes %d-%d/%d' % (first, last, size):
        fail('part %d: content-range %s, want %d-%d/%d' % (i, pf.get('content-range'), first, last, size))
    if 'content-type' not in pf:
        fail('part %d: no content-type' % i)
    if pbody != data[first:last + 1]:
        fail('part %d: bytes differ' % i)
print('ok')
