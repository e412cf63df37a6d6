"""A small writer of compound files (MS-CFB version 3), the container of Outlook's .msg.

No library on this machine writes them, and a test file made here says exactly what it
holds. Streams under 4096 bytes go into the mini stream, as Outlook writes them.
"""

import itertools
import math
import struct
from typing import Any

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def _tree(streams: dict[str, bytes]) -> list[dict[str, Any]]:
    root: dict[str, Any] = {"name": "Root Entry", "type": ROOT, "children": {}}
    for path, data in streams.items():
        node = root
        *storages, name = path.split("/")
        for storage in storages:
            node = node["children"].setdefault(
                storage, {"name": storage, "type": STORAGE, "children": {}}
            )
        node["children"][name] = {"name": name, "type": STREAM, "data": data}
    entries: list[dict[str, Any]] = []

    def add(node: dict[str, Any]) -> None:
        node["sid"] = len(entries)
        entries.append(node)
        for child in node.get("children", {}).values():
            add(child)

    add(root)
    return entries


def _entry(node: dict[str, Any] | None) -> bytes:
    """One 128-byte directory entry; None gives an unused one."""
    if node is None:
        node = {"name": "", "type": 0}
    name = node["name"].encode("utf-16-le")
    return (
        name.ljust(64, b"\x00")
        + struct.pack("<H", len(name) + 2 if name else 0)
        + struct.pack("<BB", node["type"], 1)  # black: a chain of right siblings is a valid tree
        + struct.pack("<III", NO_STREAM, node.get("right", NO_STREAM), node.get("child", NO_STREAM))
        + b"\x00" * 16  # class id
        + struct.pack("<IQQ", 0, 0, 0)  # state bits, creation and modification time
        + struct.pack("<IQ", node.get("start", END_OF_CHAIN), node.get("size", 0))
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams`, keyed by path ("storage/stream")."""
    entries = _tree(streams)
    for node in entries:
        children = list(node.get("children", {}).values())
        node["child"] = children[0]["sid"] if children else NO_STREAM
        for left, right in itertools.pairwise(children):
            left["right"] = right["sid"]

    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        count = math.ceil(len(data) / SECTOR)
        start = len(sectors)
        for index in range(count):
            sectors.append(data[index * SECTOR : (index + 1) * SECTOR].ljust(SECTOR, b"\x00"))
            fat.append(start + index + 1 if index < count - 1 else END_OF_CHAIN)
        return start if count else END_OF_CHAIN

    mini = bytearray()
    mini_fat: list[int] = []
    for node in entries:
        if node["type"] != STREAM:
            continue
        data = node["data"]
        node["size"] = len(data)
        if len(data) >= MINI_CUTOFF:
            node["start"] = place(data)
            continue
        count = math.ceil(len(data) / MINI_SECTOR)
        start = len(mini_fat)
        node["start"] = start if count else END_OF_CHAIN
        mini_fat.extend(start + i + 1 if i < count - 1 else END_OF_CHAIN for i in range(count))
        mini.extend(data.ljust(count * MINI_SECTOR, b"\x00"))
    root = entries[0]
    root["start"], root["size"] = place(bytes(mini)), len(mini)
    mini_fat += [FREE] * (-len(mini_fat) % (SECTOR // 4))
    mini_fat_start = place(struct.pack(f"<{len(mini_fat)}I", *mini_fat)) if mini else END_OF_CHAIN
    mini_fat_sectors = len(mini_fat) * 4 // SECTOR if mini else 0

    directory = b"".join(_entry(node) for node in entries)
    directory += _entry(None) * (-len(entries) % (SECTOR // 128))
    directory_start = place(directory)

    fat_sectors = 1
    while len(sectors) + fat_sectors > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    first_fat = len(sectors)
    fat += [FAT_SECTOR] * fat_sectors
    fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(fat))
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [table[i * SECTOR : (i + 1) * SECTOR] for i in range(fat_sectors)]

    difat = [first_fat + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIII", 0, fat_sectors, directory_start, 0, MINI_CUTOFF)
        + struct.pack("<IIII", mini_fat_start, mini_fat_sectors, END_OF_CHAIN, 0)
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)
