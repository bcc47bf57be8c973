#!/usr/bin/env python3
"""Make the game's sounds: five short effects and two loops of music, synthesised with numpy from one seed and
written as Ogg Vorbis (22050 Hz, mono) to ``assets/sounds/``.

Usage (from the repository root)::

    python assets/tools/make_sounds.py                     # every sound, into assets/sounds/
    python assets/tools/make_sounds.py --out DIR --only order,event

Needs numpy and, to write the files only, soundfile (libsndfile with Vorbis, from its PyPI wheel); the game reads
the ``.ogg`` files with pygame and needs neither. The same seed gives byte-identical files: each sound draws from
its own generator spawned from the seed, and libsndfile's random Ogg stream serial number is set to a constant.
"""

from __future__ import annotations

import argparse
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Signal = npt.NDArray[np.float64]
Rng = np.random.Generator

RATE = 22050  # Hz: enough for these timbres, and half the size of 44100
SEED = 1918
OUT = Path(__file__).resolve().parents[1] / "sounds"
SERIAL = 0x414E4142  # "ANAB": the Ogg stream serial number every file gets
SEMITONE = {"C": -9, "D": -7, "E": -5, "F": -4, "G": -2, "A": 0, "B": 2}


# --- building blocks ---------------------------------------------------------------------------------------


def samples(duration: float) -> int:
    return round(duration * RATE)


def times(duration: float) -> Signal:
    return np.arange(samples(duration)) / RATE


def hz(note: str) -> float:
    """Equal temperament from A4 = 440 Hz: ``"A4"``, ``"C#5"``, ``"Bb2"``."""
    step = SEMITONE[note[0]] + {"": 0, "#": 1, "b": -1}[note[1:-1]] + 12 * (int(note[-1]) - 4)
    return 440.0 * 2 ** (step / 12)


def loop_hz(freq: float, duration: float) -> float:
    """The frequency nearest `freq` that fits a whole number of cycles into a loop of `duration` s."""
    return round(freq * duration) / duration


def filtered(x: Signal, low: float = 0.0, high: float = 0.0, order: int = 2) -> Signal:
    """`x` through a high-pass at `low` Hz and a low-pass at `high` Hz (0: none), Butterworth magnitudes applied
    in the frequency domain. Circular: right for noise and loops, whose end runs on into their start."""
    f = np.fft.rfftfreq(len(x), 1 / RATE)
    gain = np.ones_like(f)
    if high:
        gain /= np.sqrt(1 + (f / high) ** (2 * order))
    if low:
        gain /= np.sqrt(1 + (low / np.maximum(f, 1e-9)) ** (2 * order))
    return np.fft.irfft(np.fft.rfft(x) * gain, len(x))


def noise(rng: Rng, duration: float, low: float = 0.0, high: float = 0.0) -> Signal:
    """Band-limited white noise of unit RMS."""
    x = filtered(rng.standard_normal(samples(duration)), low, high)
    return x / max(float(np.sqrt(np.mean(x**2))), 1e-12)


def decay(duration: float, tau: float, attack: float = 0.002) -> Signal:
    """A struck sound's envelope: a quick rise over `attack` s, then falling by e every `tau` s."""
    t = times(duration)
    return np.minimum(t / attack, 1.0) * np.exp(-t / tau)


def held(duration: float, attack: float, release: float) -> Signal:
    """A held note's envelope: a linear rise over `attack` s, level, a smooth fall over the last `release` s."""
    t = times(duration)
    rise = np.minimum(t / max(attack, 1e-6), 1.0)
    fall = np.clip((duration - t) / max(release, 1e-6), 0.0, 1.0)
    return rise * (0.5 - 0.5 * np.cos(np.pi * fall))


def place(track: Signal, at: float, sound: Signal, gain: float = 1.0) -> None:
    """Add `sound` into `track` from `at` s on; what runs past the end goes round to the start (a loop)."""
    index = (samples(at) + np.arange(len(sound))) % len(track)
    track[index] += gain * sound


def reverb(rng: Rng, x: Signal, seconds: float, wet: float, loop: bool = False) -> Signal:
    """`x` in a room whose echoes die away by 60 dB in `seconds`: convolution with decaying dark noise. For a
    loop the convolution is circular, so the echoes of the last bars sound over the first."""
    tail = noise(rng, seconds, high=3500) * np.exp(-6.9 * times(seconds) / seconds)
    tail /= np.sqrt(np.sum(tail**2))
    n = len(x) if loop else len(x) + len(tail)
    echoes = np.fft.irfft(np.fft.rfft(x, n) * np.fft.rfft(tail, n), n)
    if not loop:  # keep the length; the last 50 ms fade so nothing is cut off with a click
        echoes = echoes[: len(x)] * np.minimum(1.0, (len(x) - np.arange(len(x))) / samples(0.05))
    return x + wet * echoes


def peak(x: Signal, level: float) -> Signal:
    return x * (level / max(float(np.max(np.abs(x))), 1e-12))


# --- instruments -------------------------------------------------------------------------------------------


def brass(freq: float, duration: float, loud: float = 1.0, vibrato: float = 0.0) -> Signal:
    """A brass note: its upper harmonics follow the envelope to a higher power, so it is brightest as it speaks
    and at its loudest, as a bugle is; `vibrato` in semitones comes in after a fifth of a second."""
    t = times(duration)
    envelope = held(duration, 0.03, min(0.08, duration / 3))
    wobble = vibrato * np.sin(2 * np.pi * 5.2 * t) * np.clip((t - 0.2) / 0.3, 0.0, 1.0)
    phase = 2 * np.pi * freq * np.cumsum(2 ** (wobble / 12)) / RATE
    ratio = 0.4 + 0.28 * loud
    out = np.zeros_like(t)
    for k in range(1, 14):
        if k * freq > 0.45 * RATE:
            break
        out += ratio ** (k - 1) * envelope ** (1 + 0.3 * (k - 1)) * np.sin(k * phase)
    return loud * out


def reed(freq: float, duration: float) -> Signal:
    """A dull, hollow note of odd harmonics (a muted horn), for a refusal."""
    t = times(duration)
    out = sum((1 / k**1.3) * np.sin(2 * np.pi * k * freq * t) for k in (1, 3, 5, 7, 9))
    return filtered(out * held(duration, 0.01, 0.05), high=1400)


def bell(freq: float, duration: float, tau: float) -> Signal:
    """A church bell: hum, prime, minor-third tierce, quint and nominal, the higher partials dying sooner."""
    t = times(duration)
    partials = ((0.5, 0.5), (1.0, 1.0), (1.19, 0.6), (1.5, 0.35), (2.0, 0.5), (2.52, 0.25), (3.01, 0.15))
    out = np.zeros_like(t)
    for ratio, level in partials:
        if ratio * freq < 0.45 * RATE:
            out += level * np.sin(2 * np.pi * ratio * freq * t) * np.exp(-t * ratio / tau)
    return out * np.minimum(t / 0.002, 1.0)


def pad(freq: float, duration: float, attack: float, release: float) -> Signal:
    """A soft sustained chord tone: three slightly detuned voices of gently falling harmonics."""
    t = times(duration)
    out = np.zeros_like(t)
    for detune in (-0.0025, 0.0, 0.0025):
        f = freq * (1 + detune)
        out += sum((1 / k**1.6) * np.sin(2 * np.pi * k * f * t + detune * 900 * k) for k in range(1, 7))
    return out * held(duration, attack, release)


def snare(rng: Rng, loud: float) -> Signal:
    """A field drum with its snares slack, muffled as for a slow march."""
    body = np.sin(2 * np.pi * 185 * times(0.35)) * decay(0.35, 0.04)
    rattle = noise(rng, 0.35, low=900, high=4500) * decay(0.35, 0.07)
    return loud * (0.5 * body + rattle)


def bass_drum(rng: Rng, loud: float) -> Signal:
    t = times(0.6)
    thump = np.sin(2 * np.pi * np.cumsum(48 + 30 * np.exp(-t / 0.05)) / RATE) * decay(0.6, 0.22)
    return loud * (thump + 0.25 * noise(rng, 0.6, high=500) * decay(0.6, 0.03))


def click(rng: Rng, pitch: float, tau: float = 0.012) -> Signal:
    """A small hard knock: a burst of noise and a ringing of metal or wood at `pitch` Hz."""
    ring = np.sin(2 * np.pi * pitch * times(0.12)) + 0.5 * np.sin(2 * np.pi * 2.3 * pitch * times(0.12))
    return (0.6 * noise(rng, 0.12, low=1500) * decay(0.12, 0.003) + ring) * decay(0.12, tau, 0.0005)


# --- effects -----------------------------------------------------------------------------------------------


def order(rng: Rng) -> Signal:
    """An order given: a click, then a bugle's rising fourth."""
    out = np.zeros(samples(0.7))
    place(out, 0.0, click(rng, 2400, 0.006), 0.3)
    place(out, 0.02, brass(hz("G4"), 0.12, 0.8))
    place(out, 0.15, brass(hz("C5"), 0.3, 1.0, vibrato=0.1))
    return peak(reverb(rng, out, 0.5, 0.2), 0.7)


def refused(rng: Rng) -> Signal:
    """An order refused: a dull knock and two low muted notes falling a semitone."""
    out = np.zeros(samples(0.55))
    place(out, 0.0, click(rng, 700, 0.01), 0.4)
    place(out, 0.01, reed(hz("F3"), 0.12))
    place(out, 0.15, reed(hz("E3"), 0.28))
    return peak(reverb(rng, out, 0.4, 0.12), 0.6)


def trains(rng: Rng) -> Signal:
    """Trains on the move: steam chuffs four to a turn of the wheels, the clack of the rail joints, a rumble."""
    duration = 2.2
    out = 0.25 * noise(rng, duration, high=110)
    for k, at in enumerate(np.arange(0.0, duration - 0.1, 0.15)):
        accent = (1.0, 0.55, 0.8, 0.5)[k % 4] * rng.uniform(0.85, 1.1)
        place(out, float(at), noise(rng, 0.3, low=250, high=2200) * decay(0.3, 0.045, 0.006), 0.5 * accent)
    for at in np.arange(0.1, duration - 0.2, 0.52):
        for gap in (0.0, 0.085):
            place(out, float(at + gap), click(rng, rng.uniform(2000, 2600), 0.015), 0.35)
    out *= held(duration, 0.15, 0.7)
    return peak(reverb(rng, out, 0.6, 0.15), 0.75)


def battle(rng: Rng) -> Signal:
    """A battle: a gun's boom and a second farther off, and rifle fire crackling along the line."""
    duration = 2.6
    out = np.zeros(samples(duration))
    for at, loud, dark in ((0.0, 1.0, 400.0), (1.15, 0.55, 220.0)):
        t = times(1.6)
        thud = np.sin(2 * np.pi * np.cumsum(34 + 40 * np.exp(-t / 0.08)) / RATE) * decay(1.6, 0.35)
        blast = noise(rng, 1.6, high=dark) * decay(1.6, 0.28, 0.004)
        crack = noise(rng, 1.6, low=800) * decay(1.6, 0.012)
        place(out, at, thud + 0.8 * blast + 0.3 * crack * (dark / 400), loud)
    for at in np.sort(rng.uniform(0.15, duration - 0.4, 22)):
        far = rng.uniform(0.0, 1.0)
        shot = noise(rng, 0.25, low=700, high=7000 - 5000 * far) * decay(0.25, 0.01, 0.0005)
        shot += 0.3 * noise(rng, 0.25, high=1800) * decay(0.25, 0.06)
        place(out, float(at), shot, rng.uniform(0.25, 0.55) * (1 - 0.6 * far))
    out *= held(duration, 0.001, 0.4)
    return peak(reverb(rng, out, 1.2, 0.35), 0.9)


def event(rng: Rng) -> Signal:
    """News: the telegraph sounder's clicks, then two strokes of a bell."""
    out = np.zeros(samples(2.0))
    for at in (0.0, 0.07, 0.16, 0.23):
        place(out, at, click(rng, 1500, 0.01), 0.45)
    place(out, 0.36, bell(hz("G5"), 1.64, 0.55), 0.55)
    place(out, 0.66, bell(hz("D5"), 1.34, 0.6), 0.5)
    out *= held(2.0, 0.001, 0.3)
    return peak(reverb(rng, out, 0.8, 0.2), 0.7)


# --- music -------------------------------------------------------------------------------------------------

CHORDS = {
    "Dm": ("D", "F", "A"),
    "Gm": ("G", "Bb", "D"),
    "A": ("A", "C#", "E"),
    "Bb": ("Bb", "D", "F"),
    "F": ("F", "A", "C"),
    "C": ("C", "E", "G"),
}
# The slow march in D minor: a bar's chord and its tune, `NOTE:BEATS` (one beat when not said, `-` a rest).
MARCH = (
    ("Dm", "D4:1.5 E4:.5 F4 A4"),
    ("Gm", "G4:1.5 F4:.5 E4 D4"),
    ("Dm", "F4 A4 D5:1.5 C5:.5"),
    ("A", "A4:3 -"),
    ("Dm", "D5:1.5 C5:.5 Bb4 A4"),
    ("Bb", "Bb4:1.5 A4:.5 G4 F4"),
    ("Gm", "G4:1.5 A4:.5 Bb4 G4"),
    ("A", "A4:3 -"),
    ("F", "A4:1.5 C5:.5 F5 E5"),
    ("C", "E5:1.5 D5:.5 C5 G4"),
    ("Dm", "D5 F5 E5 D5"),
    ("A", "C#5:2 A4:2"),
    ("Gm", "Bb4:1.5 A4:.5 G4 Bb4"),
    ("Dm", "A4:1.5 G4:.5 F4 D4"),
    ("A", "E4:1.5 F4:.5 E4 C#4"),
    ("Dm", "D4:3 -"),
)
MARCH_BEAT = 60 / 84  # s
# The drum's strokes in a bar (beat, loudness): the slow march's "one, two, three-and-a-four".
DRUM = ((0.0, 0.9), (1.0, 0.45), (2.0, 0.7), (2.5, 0.35), (2.75, 0.45), (3.0, 0.6))


def tune(bar: str) -> list[tuple[float, float, str]]:
    """A bar's notes as (beat, beats, note); rests are left out."""
    notes, beat = [], 0.0
    for word in bar.split():
        name, _, length = word.partition(":")
        beats = float(length or 1)
        if name != "-":
            notes.append((beat, beats, name))
        beat += beats
    return notes


def voiced(chord: str, octave: int) -> list[float]:
    """The chord's notes stacked upwards from its root in `octave`, in Hz."""
    root = hz(f"{CHORDS[chord][0]}{octave}")
    out = []
    for name in CHORDS[chord]:
        f = hz(f"{name}{octave}")
        out.append(f * 2 if f < root else f)
    return out


def title(rng: Rng) -> Signal:
    """The title's music: a slow march in D minor for bugle, horns, tuba and muffled drums, 16 bars in a loop."""
    beat = MARCH_BEAT
    out = np.zeros(samples(len(MARCH) * 4 * beat))
    for n, (chord, bar) in enumerate(MARCH):
        start = n * 4 * beat
        for at, beats, note in tune(bar):
            swing = rng.normal(0, 0.006)
            place(out, start + at * beat + swing, brass(hz(note), beats * beat * 0.93, 0.9, 0.12), 0.55)
        for f in voiced(chord, 3):
            place(out, start, brass(f, 4 * beat, 0.35), 0.2)
        root, _, fifth = (f / 2 for f in voiced(chord, 3))  # the tuba: root, then the fifth above
        place(out, start, brass(root, 1.7 * beat, 0.6), 0.45)
        place(out, start + 2 * beat, brass(fifth, 1.7 * beat, 0.6), 0.4)
        strokes = DRUM if n < len(MARCH) - 1 else (*DRUM[:3], *((2 + k / 4, 0.3 + k / 16) for k in range(1, 8)))
        for at, loud in strokes:
            place(out, start + at * beat + rng.normal(0, 0.004), snare(rng, loud * rng.uniform(0.9, 1.1)), 0.35)
        place(out, start, bass_drum(rng, 0.8), 0.6)
        place(out, start + 2 * beat, bass_drum(rng, 0.5), 0.6)
    return peak(reverb(rng, filtered(out, high=5000), 2.2, 0.3, loop=True), 0.8)


AMBIENT = ("Dm", "Bb", "Gm", "A")  # the map's four chords, one every AMBIENT_CHORD seconds
AMBIENT_CHORD = 9.0
# A few far-off notes over each chord: (seconds into the chord, note).
AMBIENT_TUNE = (
    ((0.0, "A4"), (4.5, "F4"), (6.75, "E4")),
    ((0.0, "F4"), (4.5, "D5"), (6.0, "C5")),
    ((0.0, "D4"), (4.5, "Bb4"), (6.75, "A4")),
    ((0.0, "E4"), (4.5, "C#5"), (7.5, "A4")),
)


def map_music(rng: Rng) -> Signal:
    """The map's music: a quiet pad of four slow chords over a low drone and the wind, with a far-off bell."""
    length = len(AMBIENT) * AMBIENT_CHORD
    t = times(length)
    drone_hz = loop_hz(hz("D2"), length)
    drone = (np.sin(2 * np.pi * drone_hz * t) + 0.3 * np.sin(4 * np.pi * drone_hz * t)) * (
        0.8 + 0.2 * np.sin(2 * np.pi * 3 * t / length)
    )
    gust = 0.55 + 0.25 * np.sin(2 * np.pi * 4 * t / length) + 0.2 * np.sin(2 * np.pi * 7 * t / length + 1)
    out = 0.18 * drone + 0.05 * noise(rng, length, low=150, high=700) * gust
    for n, chord in enumerate(AMBIENT):
        start = n * AMBIENT_CHORD
        for f in (voiced(chord, 2)[0], *voiced(chord, 3)):
            place(out, start, pad(f, AMBIENT_CHORD + 3.0, 3.0, 4.0), 0.16)
        for at, note in AMBIENT_TUNE[n]:
            place(out, start + at, bell(hz(note), 4.0, 0.9), 0.07)
    return peak(reverb(rng, filtered(out, high=2400), 3.0, 0.45, loop=True), 0.7)


# The sounds in a fixed order: sound k draws from the k-th generator spawned from the seed.
SOUNDS: dict[str, Callable[[Rng], Signal]] = {
    "order": order,
    "refused": refused,
    "trains": trains,
    "battle": battle,
    "event": event,
    "title": title,
    "map": map_music,
}


def render(seed: int = SEED, only: Sequence[str] = tuple(SOUNDS)) -> dict[str, Signal]:
    """Each named sound as samples in -1..1."""
    seeds = np.random.SeedSequence(seed).spawn(len(SOUNDS))
    return {
        name: make(np.random.default_rng(child))
        for (name, make), child in zip(SOUNDS.items(), seeds, strict=True)
        if name in only
    }


# --- writing -----------------------------------------------------------------------------------------------


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


def with_serial(ogg: bytes, serial: int = SERIAL) -> bytes:
    """The Ogg stream with every page's serial number set to `serial` and its checksum computed again."""
    table = _crc_table()
    out = bytearray(ogg)
    at = 0
    while at < len(out):
        if out[at : at + 4] != b"OggS":
            raise ValueError(f"no Ogg page at byte {at}")
        segments = out[at + 26]
        size = 27 + segments + sum(out[at + 27 : at + 27 + segments])
        out[at + 14 : at + 18] = serial.to_bytes(4, "little")
        out[at + 22 : at + 26] = bytes(4)
        crc = 0
        for byte in out[at : at + size]:
            crc = ((crc << 8) & 0xFFFFFFFF) ^ table[(crc >> 24) ^ byte]
        out[at + 22 : at + 26] = crc.to_bytes(4, "little")
        at += size
    return bytes(out)


def ogg(signal: Signal) -> bytes:
    import soundfile  # type: ignore[import-untyped]  # noqa: PLC0415  (build only: `render` works without it)

    buffer = io.BytesIO()
    soundfile.write(buffer, signal.astype(np.float32), RATE, format="OGG", subtype="VORBIS", compression_level=0.6)
    return with_serial(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default: assets/sounds)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--only", default=",".join(SOUNDS), help="comma-separated names: " + ", ".join(SOUNDS))
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name]
    unknown = sorted(set(only) - set(SOUNDS))
    if unknown:
        parser.error(f"no sound called {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, signal in render(args.seed, only).items():
        data = ogg(signal)
        (args.out / f"{name}.ogg").write_bytes(data)
        print(f"{name}.ogg: {len(signal) / RATE:.1f} s, {math.ceil(len(data) / 1024)} KB")


if __name__ == "__main__":
    main()
