"""Evacuation by sea: ships at a port take so many men a week; the men shipped out leave and score."""

from __future__ import annotations

from anabasis.engine.jit import kernel
from anabasis.engine.state import ACTIVE, EVACUATED
from anabasis.engine.world import ALLIED, NOBODY, BoolArray, IntArray


@kernel
def ship_out(
    ports: tuple[IntArray, IntArray, IntArray],
    units: tuple[IntArray, BoolArray, IntArray, IntArray, IntArray],
    evacuated: IntArray,
    shipped: IntArray,
) -> tuple[int, bool]:
    """Ship out, port by port, the men of the units waiting there whose side holds the port (`ports`: the men a
    week each station ships, who holds it, the stances; `units`: status, embarking, station, men and faction); a
    unit emptied is evacuated. Puts each loading (unit, men and port) in `shipped`; returns how many, and whether
    any unit left."""
    port_men, control, stance = ports
    status, embarking, station, men, faction = units
    count, gone = 0, False
    for port in range(port_men.shape[0]):
        space = port_men[port]
        if space <= 0:
            continue
        holder = control[port]
        for u in range(status.shape[0]):
            if status[u] != ACTIVE or not embarking[u] or station[u] != port:
                continue
            f = faction[u]
            if holder == NOBODY or (holder != f and stance[f, holder] != ALLIED) or space <= 0:
                continue
            n = min(men[u], space)
            space -= n
            men[u] -= n
            evacuated[f] += n
            shipped[count, 0], shipped[count, 1], shipped[count, 2] = u, n, port
            count += 1
            if men[u] == 0:
                status[u], station[u], embarking[u] = EVACUATED, -1, False
                gone = True
    return count, gone
