"""The members' pack for a meeting: a PDF, an Excel workbook and a manifest, in packs/<date>/.

The PDF is one HTML document printed by Chromium: a cover ("Fortroligt indtil
mødet er afholdt"), a contents list (and PDF bookmarks from the headings), the
agenda with every decision item's recommendation (confidential case texts
included: the pack is for members only), the status on the goals, and the
decisions of the previous meeting with their follow-up. Every page after the
cover has a running header (council, meeting, date) and the footer "n / N"; A4.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

from councilbook.analysis.validate import load_project
from councilbook.build.pdf import print_to_pdf
from councilbook.core.formats import STATUS_LABELS, format_date, format_month
from councilbook.core.paths import BookPaths
from councilbook.core.prose import inline_html, prose_html, safe_markdown
from councilbook.members.workbook import write_status_workbook
from councilbook.parameters.model import MEETING_KIND_LABELS_DA, Meeting, Parameters
from councilbook.reports.kinds.status import status_report
from councilbook.reports.model import Report
from councilbook.text import present

# The reports' Markdown, already made safe (prose.safe_markdown), rendered with raw HTML off all the same.
_markdown = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Pack:
    folder: Path
    pdf: Path
    workbook: Path
    manifest: Path
    cutoff: pd.Period | None = None  # the last month the pack's figures may use
    data_end: pd.Period | None = None  # the data's last month, when it comes before the cut-off


def _md(markdown: present.Markdown | str) -> str:
    if isinstance(markdown, str):
        markdown = present.Markdown(markdown)
    return markdown.notice + _markdown.render(safe_markdown(markdown.text))


def agenda_html(meeting: Meeting) -> str:
    parts = []
    for number, item in enumerate(meeting.agenda, start=1):
        kind = "Til beslutning" if item.type == "decision" else "Til orientering"
        secret = ' <span class="cb-secret">Fortroligt</span>' if item.confidential else ""
        parts.append(f'<h2 id="punkt-{number}">{number}. {html.escape(item.title)}</h2>')
        parts.append(f'<p class="cb-kind"><strong>{kind}</strong>{secret}</p>')
        if item.case_text:
            parts.append(prose_html(item.case_text))
        if item.type == "decision" and item.recommendation:
            parts.append(
                f'<div class="cb-recommendation"><strong>Indstilling:</strong> {inline_html(item.recommendation)}</div>'
            )
    if not parts:
        parts.append("<p>Der er ingen punkter på dagsordenen endnu.</p>")
    return "\n".join(parts)


def previous_decisions_html(params: Parameters, meeting: Meeting) -> str:
    before = params.previous_meeting(meeting)
    if before is None:
        return "<p>Der er intet tidligere møde i parametrene.</p>"
    rows = [
        [
            item.title + (" (fortroligt)" if item.confidential else ""),
            item.decision or "",
            item.follow_up or "ikke registreret",
        ]
        for item in before.agenda
        if item.decision
    ]
    intro = (
        f"<p>Beslutninger fra {MEETING_KIND_LABELS_DA[before.kind].lower()} {format_date(before.date)} "
        "og sekretariatets opfølgning.</p>"
    )
    if not rows:
        return intro + "<p>Der blev ikke truffet beslutninger.</p>"
    table = present.Table(
        columns=["Punkt", "Beslutning", "Opfølgning"],
        rows=rows,
        caption=f"Opfølgning på mødet {format_date(before.date)}",
    )
    return intro + table._repr_html_()


def report_html(report: Report) -> str:
    """A report's content as HTML (what the notebook displays), headings one level down."""
    parts = [_md(report.intro)]
    if report.summary is not None:
        parts.append(report.summary._repr_html_())
    for section in report.sections:
        if section.id == "agenda":
            continue  # the pack has the full agenda in its own part
        parts.append(_md(section.heading))
        parts.append(_md(section.text))
        if section.chart is not None:
            parts.append(section.chart._repr_html_())
        if section.note is not None:
            parts.append(_md(section.note))
        if section.table is not None:
            parts.append(section.table._repr_html_())
    return "\n".join(parts)


def pack_css(base_css: str, header: str) -> str:
    header_css = header.replace("\\", "\\\\").replace('"', '\\"')
    return (
        base_css
        + f"""
@page {{ size: A4; margin: 20mm 14mm 18mm 14mm;
  @top-left {{ content: "{header_css}"; font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #444; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif;
    font-size: 8pt; color: #444; }} }}
@page :first {{ @top-left {{ content: none; }} @bottom-right {{ content: none; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #222; margin: 0; }}
h1 {{ font-size: 18pt; break-before: page; margin: 0 0 8pt; }}
h2 {{ font-size: 13pt; margin: 14pt 0 6pt; break-after: avoid; }}
h3 {{ font-size: 11pt; break-after: avoid; }}
.cb-cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: center; }}
.cb-cover .cb-council {{ font-size: 14pt; color: #0072B2; }}
.cb-cover h1 {{ break-before: avoid; font-size: 26pt; }}
.cb-cover .cb-confidential {{ margin-top: 24pt; font-size: 14pt; font-weight: bold; color: #D55E00;
  border: 2px solid #D55E00; padding: 6pt 10pt; display: inline-block; }}
.cb-toc ol {{ font-size: 11pt; line-height: 1.8; }}
.cb-secret {{ color: #D55E00; font-weight: bold; margin-left: 6pt; }}
.cb-recommendation {{ border-left: 4px solid #0072B2; background: #eef5fb; padding: 4pt 8pt; margin: 6pt 0; }}
.cb-table-wrap {{ overflow: visible; }}
table.cb-table {{ font-size: 8pt; }}
table.cb-table tr, figure.cb-chart {{ break-inside: avoid; }}
figure.cb-chart img {{ max-width: 100%; height: auto; }}
"""
    )


def build_pack_html(params: Parameters, meeting: Meeting, report: Report, pack_date: date, base_css: str) -> str:
    council = params.council
    kind = MEETING_KIND_LABELS_DA[meeting.kind]
    header = f"{council.short_name} · {kind} · {format_date(meeting.date)}"
    chapters = [
        ("dagsorden", "Dagsorden", agenda_html(meeting)),
        ("status", "Status på kontraktens mål", report_html(report)),
        ("opfoelgning", "Beslutninger fra sidste møde og opfølgning", previous_decisions_html(params, meeting)),
        ("om-tallene", "Om tallene", _md(report.closing.text)),
    ]
    toc = "".join(f'<li><a href="#{anchor}">{html.escape(title)}</a></li>' for anchor, title, _ in chapters)
    body = "".join(f'<h1 id="{anchor}">{html.escape(title)}</h1>\n{content}' for anchor, title, content in chapters)
    cover = (
        '<section class="cb-cover">'
        f'<div class="cb-council">{html.escape(council.name)}</div>'
        f'<h1 id="forside">{html.escape(kind)}<br>{html.escape(format_date(meeting.date))}</h1>'
        f"<p>{html.escape(meeting.title)}"
        + (f" – tema: {html.escape(meeting.theme)}" if meeting.theme else "")
        + "</p>"
        + (f"<p>Sted: {html.escape(meeting.place)}</p>" if meeting.place else "")
        + f"<p>Materialet er udsendt {html.escape(format_date(pack_date))}.</p>"
        '<div class="cb-confidential">Fortroligt indtil mødet er afholdt</div>'
        "</section>"
    )
    return (
        f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{html.escape(header)}</title>'
        f"<style>{pack_css(base_css, header)}</style></head><body>{cover}"
        f'<nav class="cb-toc"><h1 id="indhold">Indhold</h1><ol>{toc}</ol></nav>{body}</body></html>'
    )


def build_pack(params_dir: Path, data_path: Path, meeting_date: date, root: Path, out_dir: Path | None = None) -> Pack:
    """Write the pack for one meeting into packs/<date>/ (or ``out_dir``)."""
    from councilbook.analysis.compute import compute_meeting_status, data_behind
    from councilbook.publication.provenance import collect_provenance

    project = load_project(params_dir, data_path)
    params = project.params
    meeting = params.meeting_on(meeting_date)
    folder = (out_dir or BookPaths(root).packs) / meeting.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    status = compute_meeting_status(params, project.dataset, meeting)
    report = status_report(project, status, members=True)
    pack_date = status.pack_date
    css_path = BookPaths(root).stylesheet
    base_css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
    html_path = folder / "pakke.html"
    html_path.write_text(build_pack_html(params, meeting, report, pack_date, base_css), encoding="utf-8")
    pdf = print_to_pdf(html_path, folder / f"pakke-{meeting.date.isoformat()}.pdf")
    provenance = collect_provenance(params, project.dataset, status.cutoff)
    workbook = write_status_workbook(params, status, provenance, folder / f"status-{meeting.date.isoformat()}.xlsx")
    manifest = folder / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "meeting": meeting.date.isoformat(),
                "kind": meeting.kind,
                "pack_due": pack_date.isoformat(),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "cutoff": format_month(status.cutoff),
                "contents": {
                    pdf.name: "Mødemateriale: dagsorden, status på målene, opfølgning (PDF)",
                    workbook.name: "Status på målene med tal for region og jobcentre (Excel)",
                    html_path.name: "Mødematerialet som HTML",
                },
                "statuses": {g.goal_id: STATUS_LABELS[g.status][1] for g in status.goals},
                "provenance": provenance.as_dict(),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return Pack(folder, pdf, workbook, manifest, status.cutoff, data_behind(project.dataset, status.cutoff))


def due_meetings(params: Parameters, today: date) -> list[Meeting]:
    """Meetings whose pack is due today or was due before."""
    from councilbook.analysis.compute import compute_pack_date

    return [m for m in params.meetings if compute_pack_date(m.date, params.council) <= today]
