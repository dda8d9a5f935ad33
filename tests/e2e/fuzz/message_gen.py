"""Random request messages built from their descriptors (not a test module).

Used by test_grpc_fuzz.py. Two shapes of request:
  * `Gen.message(descriptor)`: a well-formed message, every field chosen
    from its type (edge integers, unknown enum numbers, huge, empty, NUL,
    control and bidi strings, absurd Timestamps and Durations, nested
    messages, repeated and map fields, one member per oneof) or from the
    values the server handed back so far (`Pool`: real ids, etags, staff ids,
    page tokens, SR type codes), so calls reach past "not found".
    With `tame`, values a caller would plausibly send (valid enums and dates,
    plain words, real ids), to reach the use cases behind the validation.
  * `Gen.raw(descriptor)`: wire bytes Python protobuf would refuse to write
    (a string field holding invalid UTF-8, at any depth), or bytes that are
    no message (cut short, garbage, a varint too long), sent as they are.
Deterministic for a given random.Random and Pool contents.
"""

import math
import uuid

from google.protobuf import descriptor as _d

F = _d.FieldDescriptor

INT32_EDGES = (0, 1, -1, 2, 2**31 - 1, -(2**31), 2**16, 1000, 1001)
INT64_EDGES = (0, 1, -1, 2**63 - 1, -(2**63), 2**31 - 1, 2**31, 2**53 + 1, -(2**53))
UINT32_EDGES = (0, 1, 2**32 - 1, 2**31)
UINT64_EDGES = (0, 1, 2**64 - 1, 2**63)
# domain::kMaxAmountPence and its neighbours: the request walk's money bound.
PENCE_EDGES = (0, 1, -1, 10**9, 10**9 + 1, -(10**9), -(10**9) - 1, 2**63 - 1, -(2**63), 12345)
# Seconds of 0001-01-01 and of 9999-12-31T23:59:59, Timestamp's range.
TS_MIN, TS_MAX = -62135596800, 253402300799
TS_EDGES = (0, -1, TS_MIN, TS_MIN - 1, TS_MAX, TS_MAX + 1, 2**63 - 1, -(2**63), 1)
NANOS_EDGES = (0, 1, -1, 999_999_999, 1_000_000_000, 2_000_000_000, -(2**31), 2**31 - 1)
DURATION_EDGES = (0, 1, -1, 315_576_000_000, 315_576_000_001, -315_576_000_001, 2**63 - 1,
                  -(2**63), 86400 * 14)

STRINGS = (
    "", " ", "   ", "x", "0", "-1", "A", "null", "*", "%s%n", "'; DROP TABLE x; --",
    "\x00", "a\x00b", "line\nbreak", "cr\rlf", "tab\tname", "\x7f", "\x1b[31m",
    "\u202eevil", "\u2066isolate\u2069", "\ufeffbom", "e\u0301", "\U0001f600", "\u00e9\u00e8",
    "\ud7ff", "\ufffd", "  padded  ", "Team A", "SW1A 1AA", "BT1 5GS", "EH1 1YZ", "AB123456C",
    "ZZ999999Z", "fields.`MOPF Action`", "fields.*", "name", "CMSL0136", "GB", "NI",
    "2025-01-01", "1970-01-01T00:00:00Z", "svc.manager", "cw.gb.new_case.a1",
)
# Where a value the server answered with is asked for under another name.
ALIASES = {
    "SrType.code": ("type_code",),
    "LetterTemplate.code": ("template_code",),
    "SrField.name": ("fields.key",),
}
UNICODE_POOL = "aZ09 .-_'/&()\u00e9\u00df\u4e2d\u202e\u200b\u0000\n\t\U0001f4a9\u0301"


class Pool:
    """Values seen in the server's answers, keyed by field name (bounded)."""

    LIMIT = 300

    def __init__(self):
        self.by_name = {}

    def add(self, name, value):
        values = self.by_name.setdefault(name, [])
        if len(values) < self.LIMIT and value not in values:
            values.append(value)

    def pick(self, rng, name):
        values = self.by_name.get(name)
        return rng.choice(values) if values else None

    def harvest(self, message):
        """Every id, *_id, etag, staff id, token and short string in `message`."""
        kind = _snake(message.DESCRIPTOR.name)
        for field, value in message.ListFields():
            values = value if field.label == F.LABEL_REPEATED else [value]
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                for k, v in value.items():
                    self.add(f"{field.name}.key", k)
                continue
            for v in values:
                if field.type == F.TYPE_MESSAGE:
                    self.harvest(v)
                elif field.type == F.TYPE_STRING:
                    if 0 < len(v) <= 80:
                        self.add(field.name, v)
                        for alias in ALIASES.get(f"{message.DESCRIPTOR.name}.{field.name}", ()):
                            self.add(alias, v)
                        if field.name == "id":
                            self.add(f"{kind}_id", v)
                elif field.cpp_type in (F.CPPTYPE_INT64, F.CPPTYPE_INT32) and v > 0:
                    if field.name == "id" or field.name.endswith("_id") or field.name.endswith("_ids"):
                        self.add(field.name, v)
                        self.add("*id", v)
                        if field.name == "id":
                            self.add(f"{kind}_id", v)


def _snake(camel):
    out = []
    for i, c in enumerate(camel):
        if c.isupper() and i:
            out.append("_")
        out.append(c.lower())
    return "".join(out)


def _id_keys(name):
    """Pool keys for an id field: itself, its singular, a bare *_id for *_ids."""
    keys = [name]
    if name.endswith("_ids"):
        keys.append(name[:-1])
    if name.startswith("sr_") or name in ("service_request_id",):
        keys += ["service_request_id", "sr_id"]
    return keys


class Gen:
    """Random requests for one seeded random.Random and a Pool."""

    MAX_DEPTH = 6

    def __init__(self, rng, pool, tame=False):
        self.rng = rng
        self.pool = pool
        self.tame = tame

    # ------------------------------------------------------------ messages
    def message(self, descriptor_or_class):
        cls = getattr(descriptor_or_class, "_concrete_class", descriptor_or_class)
        msg = cls()
        self._fill(msg, 0)
        return msg

    def _fill(self, msg, depth):
        desc = msg.DESCRIPTOR
        if depth >= self.MAX_DEPTH:
            return
        p = (0.8 if depth == 0 else 0.6) if self.tame else (0.7 if depth == 0 else 0.45)
        chosen_oneof = {}
        for oneof in desc.oneofs:
            if len(oneof.fields) > 1:
                chosen_oneof[oneof.name] = self.rng.choice(list(oneof.fields) + [None])
        for f in desc.fields:
            oneof = f.containing_oneof
            if oneof is not None and oneof.name in chosen_oneof:
                if chosen_oneof[oneof.name] is not f:
                    continue
            elif self.rng.random() > p:
                continue
            try:
                self._set(msg, f, depth)
            except (ValueError, TypeError, OverflowError):
                pass  # a value the Python runtime refuses: leave the field out

    def _set(self, msg, f, depth):
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            self._set_map(getattr(msg, f.name), f, depth)
        elif f.label == F.LABEL_REPEATED:
            n = self._count()
            target = getattr(msg, f.name)
            for _ in range(n):
                if f.type == F.TYPE_MESSAGE:
                    self._fill_sub(target.add(), f, depth)
                else:
                    target.append(self._scalar(f))
        elif f.type == F.TYPE_MESSAGE:
            sub = getattr(msg, f.name)
            sub.SetInParent()
            self._fill_sub(sub, f, depth)
        else:
            setattr(msg, f.name, self._scalar(f))

    def _count(self):
        r = self.rng.random()
        if self.tame:
            return self.rng.randint(0, 3)
        if r < 0.85:
            return self.rng.randint(0, 3)
        if r < 0.98:
            return self.rng.randint(4, 60)
        return self.rng.randint(200, 1200)

    def _set_map(self, target, f, depth):
        key_f = f.message_type.fields_by_name["key"]
        value_f = f.message_type.fields_by_name["value"]
        for _ in range(self._count()):
            key = self.pool.pick(self.rng, f"{f.name}.key") if self.rng.random() < 0.6 else None
            if key is None:
                key = self._scalar(key_f)
            if value_f.type == F.TYPE_MESSAGE:
                self._fill_sub(target[key], value_f, depth)
            else:
                target[key] = self._scalar(value_f)

    def _fill_sub(self, sub, f, depth):
        name = sub.DESCRIPTOR.full_name
        if name == "google.protobuf.Timestamp":
            self._timestamp(sub)
        elif name == "google.protobuf.Duration":
            self._duration(sub)
        elif name == "google.protobuf.FieldMask":
            for _ in range(self.rng.randint(0, 4)):
                sub.paths.append(self._mask_path())
        elif name == "cms.v1.Date":
            self._date(sub)
        else:
            self._fill(sub, depth + 1)

    def _timestamp(self, ts):
        r = self.rng.random()
        if r < 0.6 or self.tame:  # near now: 2020..2035
            ts.seconds = self.rng.randint(1_577_836_800, 2_051_222_400)
            ts.nanos = self.rng.randint(0, 999_999_999)
        else:
            ts.seconds = self.rng.choice(TS_EDGES)
            ts.nanos = self.rng.choice(NANOS_EDGES)

    def _duration(self, d):
        if self.rng.random() < 0.6 or self.tame:
            d.seconds = self.rng.randint(0, 86400 * 400)
        else:
            d.seconds = self.rng.choice(DURATION_EDGES)
            d.nanos = self.rng.choice(NANOS_EDGES)

    def _date(self, date):
        r = self.rng.random()
        if r < 0.7 or self.tame:
            date.year = self.rng.randint(1950, 2035)
            date.month = self.rng.randint(1, 12)
            date.day = self.rng.randint(1, 28)
        elif r < 0.8:
            date.year, date.month, date.day = self.rng.choice(
                ((2025, 2, 29), (2024, 2, 29), (2025, 4, 31), (9999, 12, 31), (1, 1, 1),
                 (10000, 1, 1), (2025, 12, 25), (2026, 1, 1)))
        else:
            date.year = self.rng.choice(INT32_EDGES + (1969, 2030))
            date.month = self.rng.choice((0, 1, 12, 13, -1, 2**31 - 1))
            date.day = self.rng.choice((0, 1, 31, 32, -1, 2**31 - 1))

    def _mask_path(self):
        return self.rng.choice(("*", "fields", "given_name", "family_name", "date_of_birth",
                                "residential_address", "lifecycle_stage", "legacy", "etag",
                                "id", "annual_review_date", "fields.MOPF Action",
                                "fields.`MOPF Action`", "fields.", "a.b.c", "",
                                self._string("paths")))

    # ------------------------------------------------------------- scalars
    def _scalar(self, f):
        t = f.cpp_type
        if t == F.CPPTYPE_BOOL:
            return self.rng.random() < 0.5
        if t == F.CPPTYPE_ENUM:
            return self._enum(f)
        if t == F.CPPTYPE_STRING:
            return self._string(f.name) if f.type == F.TYPE_STRING else self._bytes()
        if t in (F.CPPTYPE_DOUBLE, F.CPPTYPE_FLOAT):
            return self.rng.choice((0.0, -0.0, 1.5, math.inf, -math.inf, math.nan, 1e308))
        return self._int(f)

    def _enum(self, f):
        r = self.rng.random()
        values = [v.number for v in f.enum_type.values]
        if self.tame:
            return self.rng.choice([v for v in values if v != 0] or values)
        if r < 0.8:
            return self.rng.choice(values)
        if r < 0.9:
            return 0
        return self.rng.choice((max(values) + 1, 99, -1, 2**31 - 1, -(2**31)))

    def _int(self, f):
        name = f.name
        t = f.cpp_type
        r = self.rng.random()
        if self.tame:
            r = r * 0.3 if (name == "id" or name.endswith(("_id", "_ids"))) else 0.5 + r * 0.5
        if name == "id" or name.endswith("_id") or name.endswith("_ids"):
            if r < 0.65:
                for key in _id_keys(name) + ["*id"]:
                    v = self.pool.pick(self.rng, key)
                    if v is not None and isinstance(v, int):
                        return v
            if r < 0.8:
                return self.rng.randint(1, 60)
        if self.tame and name.endswith("_pence"):
            return self.rng.randint(1, 10**6)
        if self.tame:
            return self.rng.randint(1, 30)
        if name.endswith("_pence") and r < 0.7:
            return self.rng.choice(PENCE_EDGES + (self.rng.randint(1, 10**7),))
        if name == "page_size" and r < 0.7:
            return self.rng.choice((0, 1, 2, 10, 1000, 1001, -1, 2**31 - 1, -(2**31)))
        if r < 0.4:
            return self.rng.randint(0, 100)
        if t == F.CPPTYPE_INT32:
            return self.rng.choice(INT32_EDGES)
        if t == F.CPPTYPE_UINT32:
            return self.rng.choice(UINT32_EDGES)
        if t == F.CPPTYPE_UINT64:
            return self.rng.choice(UINT64_EDGES)
        return self.rng.choice(INT64_EDGES)

    def _string(self, name):
        r = self.rng.random()
        if name == "request_id" and (r < 0.7 or self.tame):
            return str(uuid.UUID(int=self.rng.getrandbits(128)))
        if self.tame:
            r = r * 0.45 if r < 0.7 else 0.6 + (r - 0.7) / 2
        if r < 0.45:
            key = "staff_id" if name.endswith("staff_id") or name.endswith("_by") else name
            v = self.pool.pick(self.rng, key)
            if v is not None and isinstance(v, str):
                return v
        if r < 0.6:
            return self.rng.choice(STRINGS)
        if r < 0.75:
            return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 .-")
                           for _ in range(self.rng.randint(1, 40)))
        if r < 0.93:
            return "".join(self.rng.choice(UNICODE_POOL) for _ in range(self.rng.randint(1, 80)))
        if r < 0.99:
            return self.rng.choice("aZ\u00e9\u202e ") * self.rng.randint(256, 5000)
        return "y" * self.rng.choice((65_535, 65_536, 300_000))

    def _bytes(self):
        return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 64)))

    # ------------------------------------------------------------ raw wire
    def raw(self, descriptor):
        """Bytes Python protobuf would not write, for a request of `descriptor`."""
        r = self.rng.random()
        if r < 0.55:
            extra = self._invalid_utf8_field(descriptor, 0)
            if extra is not None:
                base = self.message(descriptor).SerializeToString()
                return base + extra if self.rng.random() < 0.5 else extra + base
        base = self.message(descriptor).SerializeToString()
        if r < 0.7 and len(base) > 1:
            return base[: self.rng.randint(1, len(base) - 1)]  # cut short
        if r < 0.8:
            return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(1, 200)))
        if r < 0.9:  # a varint of 11 bytes for the first field: no varint is that long
            f = self.rng.choice(list(descriptor.fields) or [None])
            number = f.number if f is not None else 1
            return _varint(number << 3) + b"\xff" * 10 + b"\x01"
        # a length prefix longer than what follows, or a field number 0
        return self.rng.choice((b"\x0a\xff\xff\xff\x0f" + b"abc", b"\x02\x01x", b"\x0a\x05abc"))

    def _invalid_utf8_field(self, desc, depth):
        """Tag and bytes of a string field (at some depth) holding invalid UTF-8."""
        strings = [f for f in desc.fields if f.type == F.TYPE_STRING]
        subs = [f for f in desc.fields if f.type == F.TYPE_MESSAGE and depth < 4]
        options = strings + subs
        if not options:
            return None
        f = self.rng.choice(options)
        if f.type == F.TYPE_STRING:
            return _tag(f.number, 2) + _len_delimited(self._invalid_utf8())
        inner = self._invalid_utf8_field(f.message_type, depth + 1)
        if inner is None:
            return None
        return _tag(f.number, 2) + _len_delimited(inner)

    def _invalid_utf8(self):
        return self.rng.choice((b"\xff", b"\xc3\x28", b"abc\x80def", b"\xed\xa0\x80",
                                b"\xf4\x90\x80\x80", b"\xc0\xaf", b"ok\xe2\x82", b"\xfe\xfe"))


def _varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _tag(number, wire_type):
    return _varint((number << 3) | wire_type)


def _len_delimited(payload):
    return _varint(len(payload)) + payload
