"""Tiny, valid image bytes made in code, so /media/ URLs render without shipping files."""

from __future__ import annotations

import struct
import zlib
from functools import cache
from pathlib import Path

GIF_PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
LAZY_PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


@cache
def png(width: int = 64, height: int = 40, rgb: tuple[int, int, int] = (31, 78, 121)) -> bytes:
    """A solid-colour RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@cache
def jpeg(width: int = 64, height: int = 40) -> bytes:
    """A solid-grey baseline JPEG.

    Every 8x8 block has only a DC coefficient, so two hand-made Huffman tables
    (DC categories 0 and 9, AC end-of-block) are enough for a decoder to accept it.
    """
    soi = b"\xff\xd8"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    # DC table 0: symbol 0 -> "0", symbol 9 -> "10"; AC table 0: EOB -> "0".
    dc_bits = bytes([1, 1] + [0] * 14)
    dht_dc = b"\x00" + dc_bits + b"\x00\x09"
    ac_bits = bytes([1] + [0] * 15)
    dht_ac = b"\x10" + ac_bits + b"\x00"
    dht = b"\xff\xc4" + struct.pack(">H", 2 + len(dht_dc) + len(dht_ac)) + dht_dc + dht_ac
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    # First block: DC diff 256 (grey level 160 with unit quantiser) = category 9, bits 100000000.
    bits = "10" + "100000000" + "0" + "00" * (blocks - 1)
    bits += "1" * (-len(bits) % 8)
    data = bytearray()
    for i in range(0, len(bits), 8):
        byte = int(bits[i : i + 8], 2)
        data.append(byte)
        if byte == 0xFF:
            data.append(0)
    return soi + dqt + sof + dht + sos + bytes(data) + b"\xff\xd9"


#: A folder of pictures made earlier (``python -m bench cluster`` fills it once for all its
#: replica processes): a real outlet serves its photos as static files, while making one here
#: costs 4 ms of the same 2 cores the crawler being measured runs on.
MEDIA_DIR_ENV = "NEWSCRAWL_REPLICA_MEDIA_DIR"


@cache
def picture(path: str, width: int = 800, height: int = 450) -> bytes:
    """``_make_picture``, read from ``$NEWSCRAWL_REPLICA_MEDIA_DIR`` when it was made there before."""
    import hashlib
    import os

    folder = os.environ.get(MEDIA_DIR_ENV)
    if not folder:
        return _make_picture(path, width, height)
    stored = Path(folder) / f"{hashlib.sha1(f'{path} {width}x{height}'.encode()).hexdigest()}.bin"
    if stored.exists():
        return stored.read_bytes()
    data = _make_picture(path, width, height)
    partial = stored.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(stored)
    return data


def _make_picture(path: str, width: int, height: int) -> bytes:
    """A news-photo-sized picture, different for every path and the same on every run.

    A colour gradient and a band picked from the path's hash, so a thumbnail of one article's
    picture is visibly not another's; ``.png`` paths get a PNG, anything else a JPEG.
    """
    import hashlib
    import io

    from PIL import Image, ImageDraw

    seed = hashlib.sha256(path.encode("utf-8")).digest()
    start, end = tuple(seed[0:3]), tuple(seed[3:6])
    # a two-pixel image stretched: a smooth gradient for the cost of one resize
    image = Image.new("RGB", (2, 1))
    image.putpixel((0, 0), start)
    image.putpixel((1, 0), end)
    image = image.resize((width, height), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    band = height // 5
    draw.rectangle([0, height - band, width, height], fill=tuple(255 - c for c in start))
    out = io.BytesIO()
    image.save(out, "PNG" if path.endswith(".png") else "JPEG", quality=85)
    return out.getvalue()
