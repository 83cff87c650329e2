"""Members, a family's occurrences as columns, read exactly as the sorted list of Member tuples they hold."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from reuse.group.members import Member, Members

_member = st.builds(
    Member,
    st.text(),
    st.integers(0, 2**24),
    st.integers(0, 2**40),
    st.integers(0, 2**40),
)


@given(st.lists(_member, max_size=30))
def test_members_read_as_the_list_they_were_made_of(found: list[Member]) -> None:
    expected = sorted(found)
    members = Members(expected)
    assert len(members) == len(expected)
    assert list(members) == expected
    assert all(isinstance(m, Member) for m in members)
    assert [members[i] for i in range(len(expected))] == expected
    assert [members[i] for i in range(-len(expected), 0)] == expected
    assert members[1:4] == expected[1:4] and members[:0] == []
    assert members == expected and members == Members(expected)
    assert members.documents() == len({m.doc for m in expected})


@given(st.lists(_member, max_size=30))
def test_a_pickled_family_reads_the_same_and_shares_its_id_strings(found: list[Member]) -> None:
    members = Members(sorted(found))
    again = pickle.loads(pickle.dumps(members, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == members and list(again) == list(members)
    other = pickle.loads(pickle.dumps(members, protocol=pickle.HIGHEST_PROTOCOL))
    # Ids are interned as they arrive: two families from two pickles hold one string per document.
    assert all(a is b for a, b in zip(again.docs, other.docs))


def test_members_differ_when_one_member_differs() -> None:
    members = Members([Member("a", 0, 0, 3), Member("b", 1, 4, 9)])
    assert members != Members([Member("a", 0, 0, 3), Member("b", 1, 4, 8)])
    assert members != [Member("a", 0, 0, 3)]
    assert members != "ab"
