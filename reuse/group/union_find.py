"""Disjoint sets over 0..n-1: how units, lines or documents found alike pair by pair become groups."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets over 0..n-1; the smallest index is each set's root, so results do not depend on order."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        """Sets of two or more members, each in increasing order, ordered by their smallest member."""
        roots = [self.find(i) for i in range(len(self.parent))]
        sizes: dict[int, int] = {}
        for root in roots:
            sizes[root] = sizes.get(root, 0) + 1
        grouped: dict[int, list[int]] = {}
        for i, root in enumerate(roots):
            if sizes[root] > 1:
                grouped.setdefault(root, []).append(i)
        return list(grouped.values())
