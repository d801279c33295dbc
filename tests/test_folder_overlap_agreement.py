"""The program's config check and the pack's rule agree on which Currents folders collide.

Both find nested or equal folders in linear time with different bookkeeping
(`components.naming.folder_conflicts` refuses a config; the pack's `braze-distinct-folder-paths`
reports deployed policies). Held here to one definition, `braze_rules.facts.folders_overlap`: the
program refuses exactly the folder sets that overlap, the pack names every connector involved,
and neither reports a pair that does not overlap.
"""

from __future__ import annotations

from braze_rules import facts
from braze_rules.findings import RuleResult
from braze_rules.rules.folder_paths import Claim, _report_overlaps
from hypothesis import given, settings
from hypothesis import strategies as st

from components.naming import folder_conflicts

segment = st.sampled_from(["a", "b", "ab", "a-b"])
folder = st.lists(segment, min_size=1, max_size=3).map("/".join)


def _overlapping(folders: list[str]) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i in range(len(folders))
        for j in range(i + 1, len(folders))
        if facts.folders_overlap(folders[i], folders[j])
    }


def _pack_pairs(folders: list[str]) -> set[tuple[int, int]]:
    result = RuleResult()
    claims = [Claim(f"c{i}", f"<c{i}>", f"c{i}", f) for i, f in enumerate(folders)]
    _report_overlaps(result, "bucket", claims)
    pairs = set()
    for violation in result.violations:
        named = sorted(i for i in range(len(folders)) if f"<c{i}>" in violation.message)
        assert len(named) == 2, violation.message
        pairs.add((named[0], named[1]))
    return pairs


@settings(max_examples=300, deadline=None)
@given(st.lists(folder, min_size=1, max_size=8))
def test_program_and_pack_agree_on_colliding_folders(folders: list[str]) -> None:
    truth = _overlapping(folders)
    program = {
        tuple(sorted((int(a[1:]), int(b[1:]))))
        for a, b, _ in folder_conflicts([(f"c{i}", f) for i, f in enumerate(folders)])
    }
    pack = _pack_pairs(folders)
    assert program <= truth and pack <= truth
    assert bool(program) == bool(truth)  # the program refuses exactly the configs that collide
    involved = {i for pair in truth for i in pair}
    assert {i for pair in pack for i in pair} == involved  # the pack names every connector involved
