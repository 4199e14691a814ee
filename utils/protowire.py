"""Protobuf wire format, by hand: for writing what the protobuf library
will not (malformed fields, payloads streamed past the 2 GB limit).

Shared by utils/gen_malformed.py and bench/make_inline_weights.py.
"""


def varint(v):
    """A base-128 varint; negative values as their 64-bit two's complement."""
    if v < 0:
        v += 1 << 64
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def len_field(number, length):
    """Tag and length of a length-delimited field (wire type 2)."""
    return varint((number << 3) | 2) + varint(length)


def field(number, wire, payload):
    """One protobuf field: wire 0 takes an int, any other wire type bytes
    written after their length (right for wire 2, deliberately wrong for
    the others in malformed files)."""
    tag = varint((number << 3) | wire)
    if wire == 0:
        return tag + varint(payload)
    return tag + varint(len(payload)) + payload
