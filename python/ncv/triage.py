"""Failure triage of `ncv regress`: signature normalisation and buckets (regressions.md "Triage").

A bucket is (status, normalised signature). Normalisation strips what differs between seeds
of the same bug: hex numbers (addresses, data) become <hex>, times with a unit <time>, other
numbers <n>, absolute paths <path>. It follows the simulators' own normalisation
(tb/lib/src/log.cpp normalise_signature) and is idempotent, so a signature the simulator
already normalised lands in the same bucket as a raw one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

_HEX = re.compile(r"0[xX][0-9a-fA-F]*")
_NUM = re.compile(r"[0-9][0-9A-Za-z.]*")
_PATH = re.compile(r"(^|(?<=[\s'\"=(]))/[^\s'\"]*")
_TIME = re.compile(r"<n> ?(fs|ps|ns|us|ms|s)\b")


def normalise(sig: str) -> str:
    s = _PATH.sub("<path>", sig)
    s = _HEX.sub("<hex>", s)
    s = _NUM.sub("<n>", s)
    s = _TIME.sub("<time>", s)
    return s


@dataclass
class Bucket:
    key: str  # "STATUS normalised-signature"
    results: list  # JobResult, in job order

    @property
    def first(self):
        return self.results[0]

    @property
    def shortest(self):
        """The failing run to debug first: fewest cycles when every run reports cycles, else wall time."""
        if all(r.cycles > 0 for r in self.results):
            return min(self.results, key=lambda r: (r.cycles, r.wall_s, r.job.index))
        return min(self.results, key=lambda r: (r.wall_s, r.job.index))


def bucket_key(status: str, signature: str) -> str:
    return f"{status} {normalise(signature)}"


def buckets(results: list) -> list[Bucket]:
    """Buckets of the non-passing results, largest first (ties: first failing job first)."""
    b: OrderedDict[str, list] = OrderedDict()
    for r in sorted(results, key=lambda r: r.job.index):
        if r.status != "PASS":
            b.setdefault(bucket_key(r.status, r.signature), []).append(r)
    out = [Bucket(k, rs) for k, rs in b.items()]
    out.sort(key=lambda x: (-len(x.results), x.first.job.index))
    return out
