"""Lint of declarations (``rulekit plugin check``): mistakes the compiler lets through.

The registry refuses what cannot compile (no track, a track declared twice, an unknown
rule kind); the rest compiles and then silently decides wrongly: a unit code no dossier
can hold, a unit listed twice that can only count once, a choice group nobody can fill,
a track that asks for nothing, a registration window that ends before it starts, a
validity period under which nothing ever counts. Each such mistake is a :class:`Finding`
naming the certification, the rule-set version, where in the declaration, and why it
matters. Codes are those :mod:`rulekit.dossier_io` accepts, so a code the validator
refuses is a code no dossier can ever hold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from attrs import frozen

from rulekit.declaration import Certification, Track
from rulekit.dossier_io import CERTIFICATION_ID, REQUIREMENT_ID, TRACK_ID
from rulekit.kinds import CORE_KINDS
from rulekit.kinds.base import Kind, reserved_ids
from rulekit.registry import PluginInfo, PluginProblem

RNCP_CODE = re.compile(r"^(RNCP|RS)[0-9]{1,6}$")
"""An RNCP or Répertoire spécifique number, as France Compétences writes it."""

LEVELS = range(1, 9)
"""The levels of the French national framework of professional certifications (1 to 8)."""


@frozen
class Finding:
    """One mistake in a declaration.

    ``certification`` and ``version`` are empty for a plugin that failed before declaring
    anything; ``where`` is a path in the declaration (``tracks[national].choices[0]``);
    ``code`` a stable kebab-case name for tools (``unsatisfiable-choice``).
    """

    certification: str
    version: str
    where: str
    code: str
    message: str

    def __str__(self) -> str:
        subject = f"{self.certification} v{self.version}" if self.certification else "plugins"
        place = f" {self.where}" if self.where else ""
        return f"{subject}{place}: {self.message} [{self.code}]"


class _Linter:
    """Collects the findings of one declaration: its identity and tracks, then each kind's."""

    def __init__(self, certification: Certification, kinds: Sequence[Kind]) -> None:
        self.certification = certification
        self.kinds = kinds
        self.findings: list[Finding] = []

    def add(self, where: str, code: str, message: str) -> None:
        self.findings.append(
            Finding(self.certification.id, self.certification.version, where, code, message)
        )

    def run(self) -> list[Finding]:
        self._identity()
        self._tracks()
        for kind in self.kinds:
            for issue in kind.lint(self.certification):
                self.add(issue.where, issue.code, issue.message)
        self._validity()
        self._custom()
        return self.findings

    def _identity(self) -> None:
        cert = self.certification
        if not CERTIFICATION_ID.match(cert.id):
            self.add(
                "id",
                "malformed-id",
                f"certification id {cert.id!r} does not match {CERTIFICATION_ID.pattern}: "
                "no dossier can name it",
            )
        if not RNCP_CODE.match(cert.rncp):
            self.add(
                "rncp",
                "malformed-rncp",
                f"{cert.rncp!r} is not an RNCP or RS number (e.g. RNCP36625)",
            )
        if cert.level not in LEVELS:
            self.add("level", "malformed-level", f"level {cert.level} is outside the levels 1 to 8")

    def _asks(self, track: Track) -> bool:
        """Whether any registered kind asks ``track`` for some evidence."""
        return bool(self.certification.custom) or any(
            kind.asks(self.certification, track) for kind in self.kinds
        )

    def _tracks(self) -> None:
        cert = self.certification
        if not cert.tracks:
            self.add("tracks", "no-track", "declares no track: nothing can be evaluated")
        seen: set[str] = set()
        for track in cert.tracks:
            where = f"tracks[{track.id}]"
            if not TRACK_ID.match(track.id):
                self.add(
                    where,
                    "malformed-id",
                    f"track id {track.id!r} does not match {TRACK_ID.pattern}: "
                    "no dossier can name it",
                )
            if track.id in seen:
                self.add(where, "duplicate-track", f"track {track.id!r} is declared twice")
            seen.add(track.id)
            if not self._asks(track):
                self.add(
                    where,
                    "empty-track",
                    f"track {track.id!r} requires nothing (no unit, no choice group, and the "
                    "certification has no experience, internship, bloc or custom requirement): "
                    "every dossier, even an empty one, is eligible",
                )

    def _validity(self) -> None:
        cert = self.certification
        years = cert.validity_years
        if years is None or years >= 0:  # 0 years: counts on the day it is acquired
            return
        needs_components = any(t.mandatory or t.choices for t in cert.tracks) or (
            cert.blocs_required and bool(cert.blocs)
        )
        if needs_components:
            self.add(
                "validity_years",
                "unreachable-validity",
                f"a validity of {years} years: a component counts iff its date <= as-of <= "
                f"its date + {years} years, which never holds, so no unit or bloc ever counts "
                "and the title can never be awarded",
            )

    def _custom(self) -> None:
        reserved = reserved_ids(self.kinds)
        seen: set[str] = set()
        for index, custom in enumerate(self.certification.custom):
            where = f"custom[{index}]"
            if not REQUIREMENT_ID.match(custom.id):
                self.add(
                    where,
                    "malformed-id",
                    f"requirement id {custom.id!r} does not match {REQUIREMENT_ID.pattern}: "
                    "no waiver can name it",
                )
            if custom.id in reserved or custom.id in seen:
                self.add(
                    where,
                    "duplicate-requirement",
                    f"requirement id {custom.id!r} is already used",
                )
            seen.add(custom.id)


def lint_certification(
    certification: Certification, kinds: Sequence[Kind] = CORE_KINDS
) -> list[Finding]:
    """Return the findings of one declaration (one rule-set version).

    :param kinds: the registered requirement kinds (by default the core's).
    """
    from rulekit.kit.lint_routes import lint_routes  # noqa: PLC0415 (it imports Finding)

    return [*_Linter(certification, kinds).run(), *lint_routes(certification)]


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def lint_versions(versions: Sequence[Certification]) -> list[Finding]:
    """Return the findings between rule-set versions of one certification.

    Two versions taking effect on the same date (or both without a date) leave undefined
    which is in force; two different registrations whose windows overlap leave undefined
    which one a date falls under.
    """
    findings: list[Finding] = []
    by_start: defaultdict[date | None, list[Certification]] = defaultdict(list)
    for version in versions:
        by_start[version.effective_from].append(version)
    for start, same in sorted(by_start.items(), key=lambda item: item[0] or date.min):
        if len(same) > 1:
            names = ", ".join(f"v{v.version}" for v in same)
            when = f"on {start}" if start else "without an effective_from date"
            for version in same[1:]:
                findings.append(
                    Finding(
                        version.id,
                        version.version,
                        "effective_from",
                        "overlapping-versions",
                        f"rule-set versions {names} all take effect {when}: which one is in "
                        "force is undefined",
                    )
                )
    windows = [
        (version, version.registration)
        for version in versions
        if version.registration is not None
        and version.registration.registered_from <= version.registration.registered_until
    ]
    for index, (first, one) in enumerate(windows):
        for second, other in windows[index + 1 :]:
            assert one is not None
            assert other is not None
            if one == other and first.rncp == second.rncp:
                continue
            a = (one.registered_from, one.registered_until)
            b = (other.registered_from, other.registered_until)
            if _overlap(a, b):
                findings.append(
                    Finding(
                        second.id,
                        second.version,
                        "registration",
                        "overlapping-windows",
                        f"registration {second.rncp} {b[0]}..{b[1]} (v{second.version}) "
                        f"overlaps registration {first.rncp} {a[0]}..{a[1]} "
                        f"(v{first.version}): a date in both falls under two registrations",
                    )
                )
    return findings


def lint_declared(
    declared: Sequence[tuple[PluginInfo, Certification]],
    problems: Sequence[PluginProblem] = (),
    certification: str | None = None,
    kinds: Sequence[Kind] = CORE_KINDS,
) -> list[Finding]:
    """Return every finding on installed declarations, in a stable order.

    :param declared: each declaration with the plugin that declared it (see
        :attr:`rulekit.registry.Registry.declared`).
    :param problems: plugin problems (import failures, declarations the registry refused,
        an id and version declared twice); each is a finding.
    :param certification: only this certification id (plugin problems are kept: they may
        hide its declaration).
    :param kinds: the registered requirement kinds.
    """
    findings = [
        Finding("", "", problem.plugin, "plugin-problem", str(problem)) for problem in problems
    ]
    by_id: defaultdict[str, list[tuple[PluginInfo, Certification]]] = defaultdict(list)
    for info, declaration in declared:
        if certification is None or declaration.id == certification:
            by_id[declaration.id].append((info, declaration))
    for cert_id in sorted(by_id):
        entries = by_id[cert_id]
        distributions = sorted({(info.distribution, info.version) for info, _ in entries})
        if len(distributions) > 1:
            shown = ", ".join(f"{name} {version}" for name, version in distributions)
            findings.append(
                Finding(
                    cert_id,
                    entries[0][1].version,
                    "id",
                    "duplicate-id",
                    f"certification {cert_id} is declared by {len(distributions)} "
                    f"distributions ({shown}): one certification, one plugin",
                )
            )
        # One declaration per version: a version declared twice is already a plugin problem.
        unique = {declaration.version: declaration for _, declaration in reversed(entries)}
        versions = list(unique.values())
        for declaration in sorted(versions, key=lambda d: d.version):
            findings.extend(lint_certification(declaration, kinds))
        findings.extend(lint_versions(versions))
    return findings
