"""Generate large synthetic stories for benchmarks: ``python bench/generate.py N OUT.yaml``.

The story is a braided graph shaped like a call-sized story scaled up: ``depth``
layers (a playthrough makes about a dozen decisions), each layer ``N / depth``
scenes wide. Every scene has three choices that move on one or two layers, change
two of the six rubric meters by a few points, now and then set a flag, and
sometimes require one. With ``swing`` of 4 or less and 12 layers, no meter can hit
its bounds (the fast exact path); a larger swing makes meters clamp (the search).
Deterministic for a given size and seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

METERS = ["composure", "gratitude", "feedback", "door", "restraint", "discretion"]


def generate(scenes: int, seed: int = 1, swing: int = 4) -> dict:
    """Return a story with ``scenes`` scenes (plus ten endings) as plain data.

    Scenes are laid out like a ternary heap, so every scene is reachable and a
    playthrough makes about log3(N) decisions (9 for 10,000 scenes); a quarter of
    the scenes have a fourth choice that jumps forward, braiding the paths.
    """
    rng = random.Random(seed)
    endings = [f"end-{i}" for i in range(10)]
    outcomes = ["closed", "shut", "ajar", "open"]
    story: dict = {
        "id": f"generated-{scenes}",
        "title": f"Generated story ({scenes} scenes)",
        "cast": {"you": {"name": "You"}, "maya": {"name": "Maya Okafor", "role": "Recruiter"}},
        "meters": {m: {"label": m.title()} for m in METERS},
        "flags": {"warned": {}, "thanked": {"max_score": 60}},
        "tags": {"a": "x", "b": "y", "c": "z"},
        "start": "s0",
        "scenes": {},
    }
    for i in range(scenes):
        choices = []
        jump = 3 * i + 4 < scenes and rng.random() < 0.25
        for j in range(4 if jump else 3):
            child = 3 * i + j + 1
            if j == 3:  # braid: jump forward to a random later scene
                goto = f"s{rng.randrange(child, min(scenes, 2 * child + 2))}"
            elif child >= scenes:
                goto = rng.choice(endings)
            else:
                goto = f"s{child}"
            effects = {m: rng.choice([-swing, -1, 1, swing]) for m in rng.sample(METERS, 2)}
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
