"""Generate large synthetic stories for benchmarks: ``python bench/generate.py N OUT.yaml``.

The story is a layered graph (like a long branching conversation): each scene has
three choices that move on one or two layers, change the six rubric meters, now and
then set a flag, and sometimes require one. Deterministic for a given size and seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

METERS = ["composure", "gratitude", "feedback", "door", "restraint", "discretion"]


def generate(scenes: int, seed: int = 1, width: int = 10) -> dict:
    """Return a story with ``scenes`` scenes (plus ten endings) as plain data."""
    rng = random.Random(seed)
    endings = [f"end-{i}" for i in range(10)]
    outcomes = ["closed", "shut", "ajar", "open"]
    story: dict = {
        "id": f"generated-{scenes}",
        "title": f"Generated story ({scenes} scenes)",
        "cast": {"you": {"name": "You"}, "maya": {"name": "Maya Okafor", "role": "Recruiter"}},
        "meters": {m: {"label": m.title()} for m in METERS},
        "flags": {"warned": {}, "thanked": {}},
        "tags": {"a": "x", "b": "y", "c": "z"},
        "start": "s0",
        "scenes": {},
    }
    for i in range(scenes):
        layer = i // width
        choices = []
        for j in range(3):
            step = rng.choice([1, 1, 2])
            target_layer = layer + step
            target = target_layer * width + rng.randrange(width)
            goto = f"s{target}" if target < scenes else rng.choice(endings)
            effects = {m: rng.choice([-10, -5, 5, 10]) for m in rng.sample(METERS, 2)}
            if rng.random() < 0.05:
                effects[rng.choice(["warned", "thanked"])] = True
            choice = {"id": f"c{j}", "text": f"Option {j} in scene {i}", "goto": goto,
                      "effects": effects, "feedback": "Because.", "tags": [rng.choice("abc")]}
            if j == 2 and rng.random() < 0.1:
                choice["if"] = "not warned"
            choices.append(choice)
        story["scenes"][f"s{i}"] = {"lines": [{"maya": f"Line {i}."}], "choices": choices}
    for k, name in enumerate(endings):
        story["scenes"][name] = {"ending": {"title": f"Ending {k}", "outcome": outcomes[k % 4],
                                            "epilogue": "Later."}}
    return story


def main() -> None:
    """Write the generated story to the given path."""
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"generated-{size}.yaml")
    out.write_text(yaml.safe_dump(generate(size), sort_keys=False), encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
