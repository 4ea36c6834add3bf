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
from collections.abc import Iterable, Sequence
from datetime import date

from attrs import frozen

from rulekit.declaration import Certification, ChoiceGroup, Track
from rulekit.dossier_io import BLOCK_CODE, CERTIFICATION_ID, REQUIREMENT_ID, TRACK_ID, UNIT_CODE
from rulekit.matching import assign
from rulekit.registry import PluginInfo, PluginProblem
from rulekit.rules.units import TrackSlots

RNCP_CODE = re.compile(r"^(RNCP|RS)[0-9]{1,6}$")
"""An RNCP or Répertoire spécifique number, as France Compétences writes it."""

LEVELS = range(1, 9)
"""The levels of the French national framework of professional certifications (1 to 8)."""

CORE_REQUIREMENTS = frozenset(
    {"units", "choice", "experience", "internship", "blocks", "registration"}
)
"""Requirement ids the core's rules use; a custom requirement must not reuse them."""


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


def _codes(items: Iterable[str]) -> str:
    return ", ".join(items)


class _Linter:
    """Collects the findings of one declaration."""

    def __init__(self, certification: Certification) -> None:
        self.certification = certification
        self.findings: list[Finding] = []

    def add(self, where: str, code: str, message: str) -> None:
        self.findings.append(
            Finding(self.certification.id, self.certification.version, where, code, message)
        )

    def run(self) -> list[Finding]:
        self._identity()
        self._tracks()
        self._unit_consistency()
        self._blocs()
        self._periods()
        self._validity()
        self._registration()
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

    def _requires_anything_outside_tracks(self) -> bool:
        cert = self.certification
        return (
            cert.experience is not None
            or cert.internship is not None
            or (cert.blocs_required and bool(cert.blocs))
            or bool(cert.custom)
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
            self._track(track, where)

    def _track(self, track: Track, where: str) -> None:
        if not track.mandatory and not track.choices:
            if not self._requires_anything_outside_tracks():
                self.add(
                    where,
                    "empty-track",
                    f"track {track.id!r} requires nothing (no unit, no choice group, and the "
                    "certification has no experience, internship, bloc or custom requirement): "
                    "every dossier, even an empty one, is eligible",
                )
            return
        mandatory_codes: list[str] = []
        for index, unit in enumerate(track.mandatory):
            self._unit_code(unit.code, f"{where}.mandatory[{index}]")
            if unit.code in mandatory_codes:
                self.add(
                    f"{where}.mandatory[{index}]",
                    "duplicate-unit",
                    f"unit {unit.code} is listed twice among the mandatory units: a unit "
                    "counts once, so the second slot can never be filled",
                )
            mandatory_codes.append(unit.code)
        for index, group in enumerate(track.choices):
            self._group(group, f"{where}.choices[{index}]", set(mandatory_codes))
        self._satisfiable(track, where)

    def _group(self, group: ChoiceGroup, where: str, mandatory: set[str]) -> None:
        listed: list[str] = []
        for position, unit in enumerate(group.units):
            self._unit_code(unit.code, f"{where}.units[{position}]")
            if unit.code in listed:
                self.add(
                    f"{where}.units[{position}]",
                    "duplicate-unit",
                    f"unit {unit.code} is listed twice in this choice group",
                )
            listed.append(unit.code)
            if unit.code in mandatory:
                self.add(
                    f"{where}.units[{position}]",
                    "duplicate-unit",
                    f"unit {unit.code} is both mandatory and in this choice group: a unit "
                    "counts once, so it can never fill the group",
                )
        if group.choose <= 0:
            self.add(
                where,
                "empty-choice",
                f"choose {group.choose}: the group asks for no unit",
            )

    def _satisfiable(self, track: Track, where: str) -> None:
        """Report each choice group left short when every well-formed unit is passed."""
        slots = TrackSlots.of(track)
        usable = sorted(code for code in slots.codes if UNIT_CODE.match(code))
        filled = assign(slots.slots, usable)
        position = slots.mandatory_count
        for index, group in enumerate(track.choices):
            if group.choose <= 0:
                continue
            got = [code for code in filled[position : position + group.choose] if code]
            position += group.choose
            if len(got) < group.choose:
                among = sorted(group.codes)
                self.add(
                    f"{where}.choices[{index}]",
                    "unsatisfiable-choice",
                    f"cannot choose {group.choose} among {len(among)} units "
                    f"({_codes(among)}): even with every unit of the track passed, at most "
                    f"{len(got)} can fill this group (a unit counts once, and mandatory units "
                    "and earlier groups take theirs first)",
                )

    def _unit_code(self, code: str, where: str) -> None:
        if not UNIT_CODE.match(code):
            self.add(
                where,
                "malformed-unit-code",
                f"unit code {code!r} does not match {UNIT_CODE.pattern}: no valid dossier "
                "can hold it, so this requirement can never be met",
            )

    def _unit_consistency(self) -> None:
        """One code, one unit: the same code with two titles or two ECTS is a typo."""
        titles: defaultdict[str, set[str]] = defaultdict(set)
        credits: defaultdict[str, set[int]] = defaultdict(set)
        for track in self.certification.tracks:
            units = [*track.mandatory, *(u for g in track.choices for u in g.units)]
            for unit in units:
                if unit.title:
                    titles[unit.code].add(unit.title)
                if unit.ects is not None:
                    credits[unit.code].add(unit.ects)
        for code in sorted(titles):
            if len(titles[code]) > 1:
                shown = " / ".join(repr(t) for t in sorted(titles[code]))
                self.add(
                    "tracks",
                    "inconsistent-unit",
                    f"unit {code} has {len(titles[code])} titles ({shown}): one code is one "
                    "unit; check the code against the source",
                )
        for code in sorted(credits):
            if len(credits[code]) > 1:
                shown = ", ".join(str(c) for c in sorted(credits[code]))
                self.add(
                    "tracks",
                    "inconsistent-unit",
                    f"unit {code} has different ECTS credits ({shown}) in different tracks",
                )

    def _blocs(self) -> None:
        cert = self.certification
        prefix = f"{cert.rncp}BC"
        seen: set[str] = set()
        for index, bloc in enumerate(cert.blocs):
            where = f"blocs[{index}]"
            if not BLOCK_CODE.match(bloc.code):
                self.add(
                    where,
                    "malformed-bloc-code",
                    f"bloc code {bloc.code!r} does not match {BLOCK_CODE.pattern}: no valid "
                    "dossier can hold it",
                )
            elif not bloc.code.startswith(prefix):
                self.add(
                    where,
                    "foreign-bloc",
                    f"bloc {bloc.code} does not belong to {cert.rncp} (its code should start "
                    f"with {prefix})",
                )
            if bloc.code in seen:
                self.add(where, "duplicate-bloc", f"bloc {bloc.code} is declared twice")
            seen.add(bloc.code)
        if cert.blocs_required and not cert.blocs:
            self.add(
                "blocs_required",
                "empty-blocs",
                "blocs_required is set but no bloc is declared: the blocks requirement asks "
                "for nothing",
            )

    def _periods(self) -> None:
        cert = self.certification
        if cert.experience is not None:
            if cert.experience.months <= 0:
                self.add(
                    "experience.months",
                    "vacuous-rule",
                    f"{cert.experience.months} months of experience: the rule asks for nothing",
                )
            for code in cert.experience.attested_by:
                self._unit_code(code, "experience.attested_by")
        if cert.internship is not None:
            rule = cert.internship
            if rule.months <= 0:
                self.add(
                    "internship.months",
                    "vacuous-rule",
                    f"an internship of {rule.months} months: the rule asks for nothing",
                )
            threshold = rule.required_below_in_field_months
            if threshold is not None and threshold <= 0:
                self.add(
                    "internship.required_below_in_field_months",
                    "vacuous-rule",
                    f"required below {threshold} months in the field: the internship is "
                    "never required",
                )
            for code in rule.attested_by:
                self._unit_code(code, "internship.attested_by")

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

    def _registration(self) -> None:
        cert = self.certification
        window = cert.registration
        if window is None:
            return
        start, end, deadline = (
            window.registered_from,
            window.registered_until,
            window.award_deadline,
        )
        if end < start:
            self.add(
                "registration",
                "inverted-window",
                f"registered_until {end} is before registered_from {start}: the title is "
                "never registered",
            )
            return
        if deadline is not None and deadline < end:
            self.add(
                "registration.award_deadline",
                "inverted-window",
                f"award_deadline {deadline} is before registered_until {end}: the deadline "
                "for learners enrolled while registered would end before the registration",
            )
        effective = cert.effective_from
        if effective is not None and deadline is not None and effective > max(end, deadline):
            self.add(
                "effective_from",
                "unreachable-version",
                f"this rule set takes effect on {effective}, after the registration ended "
                f"({end}) and after the award deadline ({deadline}): it can never award the "
                "title",
            )

    def _custom(self) -> None:
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
            if custom.id in CORE_REQUIREMENTS or custom.id in seen:
                self.add(
                    where,
                    "duplicate-requirement",
                    f"requirement id {custom.id!r} is already used",
                )
            seen.add(custom.id)


def lint_certification(certification: Certification) -> list[Finding]:
    """Return the findings of one declaration (one rule-set version)."""
    return _Linter(certification).run()


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
) -> list[Finding]:
    """Return every finding on installed declarations, in a stable order.

    :param declared: each declaration with the plugin that declared it (see
        :func:`rulekit.registry.declared_certifications`).
    :param problems: plugin problems (import failures, declarations the registry refused,
        an id and version declared twice); each is a finding.
    :param certification: only this certification id (plugin problems are kept: they may
        hide its declaration).
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
            findings.extend(lint_certification(declaration))
        findings.extend(lint_versions(versions))
    return findings
