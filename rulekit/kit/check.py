"""``rulekit plugin check`` as a function: findings and witnesses for installed plugins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from rulekit.errors import UnknownCertification
from rulekit.kit.lint import Finding, lint_declared
from rulekit.kit.witness import TrackWitness, build_witnesses
from rulekit.registry import PluginInfo, PluginProblem, Registry


@frozen
class CheckReport:
    """What ``rulekit plugin check`` found: lint findings and one witness per track."""

    findings: tuple[Finding, ...]
    witnesses: tuple[TrackWitness, ...]

    @property
    def clean(self) -> bool:
        """No finding, and every track has an eligible witness or an undetermined one."""
        return not self.findings and not any(w.proven_impossible for w in self.witnesses)


def check_plugins(
    plugins: Sequence[PluginInfo],
    problems: Sequence[PluginProblem] = (),
    certification: str | None = None,
    *,
    witnesses: bool = True,
) -> CheckReport:
    """Lint the declarations of ``plugins`` and build a witness for each compiled track.

    :param problems: problems met before (plugins that failed to import).
    :param certification: only this certification id.
    :raises UnknownCertification: when no plugin declares ``certification``.
    """
    registry = Registry.from_plugins(plugins, problems)  # each plugin registered once
    declared = registry.declared
    if certification is not None and all(d.id != certification for _, d in declared):
        raise UnknownCertification(certification, sorted({d.id for _, d in declared}))
    findings = lint_declared(declared, registry.problems, certification, registry.kinds)
    built: list[TrackWitness] = []
    if witnesses:
        ids = registry.ids() if certification is None else [certification]
        for cert_id in ids:
            if cert_id in registry.ids():
                built.extend(build_witnesses(registry, cert_id))
    return CheckReport(tuple(findings), tuple(built))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe(witness: TrackWitness) -> str:
    """One line saying what the witness holds, or why there is none."""
    head = f"{witness.certification} v{witness.version} track {witness.track}"
    if witness.found:
        dossier = witness.dossier
        parts = [
            _plural(len(dossier.get("units", [])), "unit"),
            _plural(len(dossier.get("blocks", [])), "bloc"),
            _plural(len(dossier.get("experience", [])), "experience period"),
            _plural(len(dossier.get("internships", [])), "internship"),
        ]
        held = ", ".join(p for p in parts if not p.startswith("0 ")) or "no item"
        enrolled = dossier.get("enrolled_on")
        extra = f", enrolled on {enrolled}" if enrolled else ""
        return f"{head}: witness eligible as of {witness.as_of} with {held}{extra}"
    lines = [
        f"{head}: no eligible dossier"
        + (" exists" if witness.proven_impossible else " found (undetermined)")
    ]
    for unmet in witness.unmet:
        verdict = "can never be met" if unmet.proven else "not met"
        lines.append(f"  {unmet.requirement} {verdict}: {unmet.reason}")
    return "\n".join(lines)


def report_to_dict(report: CheckReport) -> dict[str, Any]:
    """The report as JSON-ready data (format ``rulekit.check/1``)."""
    return {
        "format": "rulekit.check/1",
        "clean": report.clean,
        "findings": [
            {
                "certification": f.certification,
                "version": f.version,
                "where": f.where,
                "code": f.code,
                "message": f.message,
            }
            for f in report.findings
        ],
        "witnesses": [
            {
                "certification": w.certification,
                "version": w.version,
                "track": w.track,
                "as_of": w.as_of.isoformat(),
                "eligible": w.found,
                "dossier": w.dossier,
                "unmet": [
                    {"requirement": u.requirement, "reason": u.reason, "proven": u.proven}
                    for u in w.unmet
                ],
            }
            for w in report.witnesses
        ],
    }
