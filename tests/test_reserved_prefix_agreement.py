"""The program's config check and the pack agree on Braze's own prefixes.

The program refuses a Currents `folderPath` that is, or lies inside, one of Braze's prefixes
(`components.naming.reserved_prefix_problem`); the pack reports a Currents folder that is, lies
inside or contains one (`braze_rules.facts.reserved_prefix_of`; the root, which contains them all,
is a folder the program refuses as empty). The pack keeps its own copy of the list, since it is
published alone: held equal here, and the two decisions held equal on every non-empty folder.
"""

from __future__ import annotations

from braze_rules import facts
from hypothesis import given, settings
from hypothesis import strategies as st

from components import naming

segment = st.sampled_from(["sent_messages", "segment-export", "sent", "sent_messages_x", "x", "segment-exports"])
folder = st.lists(segment, min_size=1, max_size=3).map("/".join)


def test_program_and_pack_list_the_same_prefixes() -> None:
    assert tuple(facts.BRAZE_RESERVED_PREFIXES) == naming.BRAZE_RESERVED_PREFIXES


@settings(max_examples=300, deadline=None)
@given(folder)
def test_program_and_pack_refuse_the_same_currents_folders(path: str) -> None:
    program = naming.reserved_prefix_problem(path)
    pack = facts.reserved_prefix_of(path)
    assert (program is None) is (pack is None), (path, program, pack)
    if pack is not None:
        assert f"{pack}/" in str(program)


def test_the_root_contains_every_prefix_for_the_pack_and_is_refused_as_empty_by_the_program() -> None:
    assert facts.reserved_prefix_of("") in facts.BRAZE_RESERVED_PREFIXES
    assert naming.folder_path_problem("") is not None
