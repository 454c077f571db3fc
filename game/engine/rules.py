"""The rules of a story, compiled once: conditions parsed, meters and flags ordered.

Both the engine (one playthrough) and the analyses (every playthrough) move through
a story with these functions, so a rule is written exactly once. A *key* is the
hashable part of a play state that decides what can happen next:
``(scene id, meter values, flag values)``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from game.story import expr
from game.story.model import Choice, Outcome, Scene, Story

Key = tuple[str, tuple[int, ...], tuple[bool, ...]]
MeterEffect = tuple[int, int, int, int]
"""A meter effect by position: ``(index, amount, min, max)`` (see :meth:`Rules.effects`)."""
Effects = tuple[tuple[MeterEffect, ...], tuple[tuple[int, bool], ...]]
"""A choice's meter effects and flag settings ``(index, value)`` by position."""

MAX_ROUTE_HOPS = 64


@functools.lru_cache(maxsize=8192)
def parse_condition(text: str) -> expr.Node:
    """Parse a condition once (cached: conditions are immutable text)."""
    return expr.parse(text)


class RulesError(RuntimeError):
    """The story breaks a rule at play time (only possible for unchecked stories)."""


def add_effects(meters: tuple[int, ...], effects: tuple[MeterEffect, ...]) -> tuple[int, ...]:
    """Meter values after effects by position (:meth:`Rules.effects`), each added and
    clamped exactly as :meth:`Rules.step` clamps."""
    values = list(meters)
    for index, amount, low, high in effects:
        value = values[index] + amount
        values[index] = low if value < low else high if value > high else value
    return tuple(values)


def set_flags(flags: tuple[bool, ...], settings: tuple[tuple[int, bool], ...]
              ) -> tuple[bool, ...]:
    """Flag values after settings by position (:meth:`Rules.effects`)."""
    values = list(flags)
    for index, value in settings:
        values[index] = value
    return tuple(values)


@dataclass(frozen=True)
class Rules:
    """A story with its conditions parsed and its names in a fixed order."""

    story: Story
    meter_names: tuple[str, ...]
    flag_names: tuple[str, ...]
    scale: Scale
    _compiled: dict[str, expr.Compiled] = field(default_factory=dict, compare=False, repr=False)
    _meter_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _flag_index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _floors: tuple[tuple[int, Outcome], ...] = field(default=(), compare=False, repr=False)
    _parts: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)
    _caps: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        self._meter_index.update({n: i for i, n in enumerate(self.meter_names)})
        self._flag_index.update({n: i for i, n in enumerate(self.flag_names)})
        flags, bands = self.story.flags, self.story.score_bands
        floors = tuple((i, door) for i, n in enumerate(self.flag_names)
                       if (door := flags[n].ceiling(bands)) is not None)
        parts = tuple((share[0], share[1]) for share in (
            self.scale.shares.get(n, (0, 0, 0)) for n in self.meter_names))
        caps = tuple((i, most) for i, n in enumerate(self.flag_names)
                     if (most := flags[n].max_score) is not None)
        # (frozen: derived once, here)
        object.__setattr__(self, "_floors", floors)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_caps", caps)

    def project(self, meters: tuple[str, ...]) -> Rules:
        """The same rules tracking only ``meters`` (the ones conditions read).

        The others' effects are left to the caller (see :mod:`game.analysis.space`).
        """
        return Rules(self.story, meters, self.flag_names, self.scale)

    # -- values -----------------------------------------------------------------
    def initial(self, imports: Mapping[str, int | bool] | None = None) -> Key:
        """Return the start key, with campaign imports applied where allowed."""
        imports = dict(imports or {})
        allowed = set(self.story.campaign.imports) if self.story.campaign else set()
        meters = []
        for name in self.meter_names:
            meter = self.story.meters[name]
            value = imports.get(name) if name in allowed else None
            if isinstance(value, int) and not isinstance(value, bool):
                meters.append(min(meter.max, max(meter.min, value)))
            else:
                meters.append(meter.start)
        flags = []
        for name in self.flag_names:
            value = imports.get(name) if name in allowed else None
            flags.append(value if isinstance(value, bool) else self.story.flags[name].default)
        return self.enter(self.story.start, tuple(meters), tuple(flags))

    def values(self, key: Key) -> dict[str, int | bool]:
        """Return meter and flag values by name."""
        _, meters, flags = key
        values: dict[str, int | bool] = dict(zip(self.meter_names, meters, strict=True))
        values.update(zip(self.flag_names, flags, strict=True))
        return values

    def holds(self, condition: str | None, key: Key) -> bool:
        """Return whether a condition (None: always) holds in ``key``."""
        if condition is None:
            return True
        test = self._compiled.get(condition)
        if test is None:
            test = self.condition(condition)
        return bool(test(key[1], key[2]))

    def condition(self, text: str) -> expr.Compiled:
        """The compiled test :meth:`holds` runs: ``test(meters, flags)`` is truthy when
        ``text`` holds (compiled once, kept for both)."""
        test = self._compiled.get(text)
        if test is None:
            test = expr.compile_node(
                parse_condition(text),
                self._meter_index,
                self._flag_index,
                {expr.SCORE: lambda meters, flags: self.score(("", meters, flags))},
            )
            self._compiled[text] = test
        return test

    # -- moves ------------------------------------------------------------------
    def scene(self, key: Key) -> Scene:
        """Return the scene a key stands in."""
        return self.story.scenes[key[0]]

    def enter(self, scene_id: str, meters: tuple[int, ...], flags: tuple[bool, ...]) -> Key:
        """Enter a scene, following route scenes until one that is shown."""
        for _ in range(MAX_ROUTE_HOPS):
            scene = self.story.scenes[scene_id]
            if not scene.route:
                return scene_id, meters, flags
            key = (scene_id, meters, flags)
            target = next((r.goto for r in scene.route if self.holds(r.condition, key)), None)
            if target is None:
                raise RulesError(f"no route of scene {scene_id!r} applies")
            scene_id = target
        raise RulesError(f"routes loop through scene {scene_id!r}")

    def apply(self, key: Key, choice: Choice) -> tuple[Key, dict[str, int], dict[str, bool]]:
        """Take ``choice`` from ``key``: return the new key and the real changes.

        Meter effects are added and clamped to the meter's bounds; the returned
        meter deltas are what actually changed.
        """
        after = self.step(key, choice)  # (routes never change meters: after[1] is theirs)
        deltas: dict[str, int] = {}
        set_flags: dict[str, bool] = {}
        for name, amount in choice.effects.items():
            if isinstance(amount, bool):
                set_flags[name] = amount
            elif (index := self._meter_index.get(name)) is not None and (
                    after[1][index] != key[1][index]):
                deltas[name] = after[1][index] - key[1][index]
        return after, deltas, set_flags

    def choices(self, key: Key) -> Iterator[tuple[Choice, bool]]:
        """Yield each choice of the key's scene with whether it can be taken."""
        for choice in self.scene(key).choices:
            yield choice, self.holds(choice.condition, key)

    def successors(self, key: Key) -> Iterator[tuple[str | None, Key]]:
        """Yield ``(choice id, next key)`` for every move (None for 'continue')."""
        scene = self.story.scenes[key[0]]
        if scene.next is not None:
            yield None, self.enter(scene.next, key[1], key[2])
            return
        for choice in scene.choices:
            if choice.condition is None or self.holds(choice.condition, key):
                yield choice.id, self.step(key, choice)

    def step(self, key: Key, choice: Choice) -> Key:
        """The key after taking ``choice`` (what :meth:`apply` returns first, faster)."""
        meters, flags = key[1], key[2]
        values: list[int] | None = None
        settings: list[bool] | None = None
        for name, amount in choice.effects.items():
            if isinstance(amount, bool):
                if settings is None:
                    settings = list(flags)
                settings[self._flag_index[name]] = amount
                continue
            index = self._meter_index.get(name)
            if index is not None:  # (else a meter this projection does not track)
                if values is None:
                    values = list(meters)
                meter = self.story.meters[name]
                values[index] = min(meter.max, max(meter.min, values[index] + amount))
        return self.enter(choice.goto, meters if values is None else tuple(values),
                          flags if settings is None else tuple(settings))

    def effects(self, choice: Choice) -> Effects:
        """``choice``'s effects by position, as :meth:`step` applies them.

        ``(meters, flags)``: each tracked meter's ``(index, amount, min, max)``, added
        then clamped (``min(max, max(min, value + amount))``), and each flag's
        ``(index, value)``. For a walker that takes many steps and applies them itself.
        """
        meters: list[MeterEffect] = []
        flags: list[tuple[int, bool]] = []
        for name, amount in choice.effects.items():
            if isinstance(amount, bool):
                flags.append((self._flag_index[name], amount))
            elif (index := self._meter_index.get(name)) is not None:
                meter = self.story.meters[name]
                meters.append((index, amount, meter.min, meter.max))
        return tuple(meters), tuple(flags)

    # -- scoring ------------------------------------------------------------------
    def score(self, key: Key) -> int:
        """Return the overall 0-100 score for a key's meters and flags.

        (The same as :meth:`Scale.score_of` on the key's values; with every meter
        tracked, straight from the key, since the full-state analysis scores every
        ending state.)
        """
        if len(self.meter_names) != len(self.story.meters):
            return self.scale.score_of(self.story, self.values(key))
        return self.scale.score(self.total(key[1]), self.cap(key[2]))

    def total(self, meters: tuple[int, ...]) -> int:
        """The tracked meters' share of the weighted total, in units (by position)."""
        total = 0
        for (step, low), value in zip(self._parts, meters, strict=True):
            total += step * (value - low)
        return total

    def cap(self, flags: tuple[bool, ...]) -> int:
        """The score cap the flags set impose (as :func:`score_cap`, by position)."""
        cap = 100
        for i, most in self._caps:
            if flags[i] is True and most < cap:
                cap = most
        return cap

    def final_score(self, key: Key) -> int:
        """The score a run ending at ``key`` gets: held inside its door's band.

        One rule joins score and door: the door is the ending's, lowered by the
        floors (:meth:`outcome`), and the score (:meth:`score`, already capped by
        them) is held inside that door's band, so a lower door never shows a higher
        score. A story that ``validate`` passes without CB032 never needs the hold:
        there the final score is the score. Not an ending: the score.
        """
        score = self.score(key)
        door = self.outcome(key)
        if door is None:
            return score
        band = self.story.score_bands.of(door)
        return band.min if score < band.min else band.max if score > band.max else score

    def outcome(self, key: Key) -> Outcome | None:
        """Return the door outcome if ``key`` is an ending, after flag floors."""
        ending = self.story.scenes[key[0]].ending
        if ending is None:
            return None
        outcome = ending.outcome  # (floor_outcome, reading the key's flags directly)
        for index, forced in self._floors:
            if key[2][index] is True and forced.rank < outcome.rank:
                outcome = forced
        return outcome


@dataclass(frozen=True)
class Scale:
    """Exact whole-number arithmetic for the overall score.

    Each meter's share of the weighted total, ``weight * (value - min) / (max - min)``,
    is a fraction; multiplied by a common ``unit`` it is a whole number, so the
    exhaustive searches add integers instead of floats (no drift) or Fractions
    (slow), and round exactly like :func:`round` on the true value (half to even).
    """

    unit: int
    total: int
    shares: dict[str, tuple[int, int, int]]  # name -> (numerator per step, min, weight > 0)

    @classmethod
    def of(cls, story: Story) -> Scale:
        """Compute a story's scale (a compiled story keeps one: ``CompiledStory.scale``)."""
        steps = {
            n: Fraction(m.weight) / (m.max - m.min) for n, m in story.meters.items() if m.weight > 0
        }
        unit = math.lcm(*(f.denominator for f in steps.values())) if steps else 1
        shares = {n: (int(f * unit), story.meters[n].min, 1) for n, f in steps.items()}
        total = sum(int(Fraction(story.meters[n].weight) * unit) for n in steps)
        return cls(unit, total, shares)

    def part(self, name: str, value: int) -> int:
        """A meter's share of the total, in units (0 for unscored meters)."""
        share = self.shares.get(name)
        return share[0] * (value - share[1]) if share else 0

    def score(self, total: int, cap: int = 100) -> int:
        """The 0-100 score for a total in units, rounded half to even, capped."""
        if not self.total:
            return 0
        whole, rest = divmod(100 * total, self.total)
        if 2 * rest > self.total or (2 * rest == self.total and whole % 2):
            whole += 1
        return whole if whole < cap else cap

    def score_of(self, story: Story, values: Mapping[str, int | bool]) -> int:
        """The 0-100 score of meter and flag values by name, capped by flags' max_score."""
        total = sum(self.part(n, int(values[n])) for n in self.shares)
        return self.score(total, score_cap(story, values))


def score_cap(story: Story, values: Mapping[str, int | bool]) -> int:
    """The lowest ``max_score`` among the flags that are set (100 if none)."""
    caps = [
        f.max_score
        for n, f in story.flags.items()
        if values.get(n) is True and f.max_score is not None
    ]
    return min(caps, default=100)


def floor_outcome(story: Story, outcome: Outcome, values: Mapping[str, int | bool]) -> Outcome:
    """Apply hard floors: a set flag with ``forces_outcome`` or ``max_score`` caps the door."""
    for name, flag in story.flags.items():
        forced = flag.ceiling(story.score_bands) if values.get(name) is True else None
        if forced is not None and forced.rank < outcome.rank:
            outcome = forced
    return outcome
