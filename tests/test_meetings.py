"""The council at work: members, standard items, times and absences, attachments merged into the pack with
page references and bookmarks, frozen packs and their versions, the action log, the decision minutes and the
press release; on the sample council, the nord test council and small variations of the mini council."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import MINI, ROOT, require_tool
from pypdf import PdfReader

from councilbook.analysis.actions import collect_actions, count_actions, describe_action_counts, pending_actions
from councilbook.analysis.meeting import compute_meeting_status
from councilbook.core.errors import InputError, display_path
from councilbook.core.formats import format_date
from councilbook.members.calendar import compute_deadlines
from councilbook.members.minutes import build_after_meeting, find_news, headline, minutes_html
from councilbook.members.pack import PackFrozen, build_pack, pack_frozen, send_pack
from councilbook.members.versions import PackHistory, sha256
from councilbook.parameters.load import collect_parameters, load_parameters
from councilbook.project.load import load_project
from councilbook.publication.scope import minutes_state

SAMPLE = (ROOT / "parameters", ROOT / "data" / "sample")
NORD = (ROOT / "tests/fixtures/nord/parameters", ROOT / "tests/fixtures/nord/data")


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page from 1) of every bookmark, in order."""
    reader = PdfReader(pdf)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def html_text(page: Path) -> str:
    """The words of the printed HTML page (the pack as printed, before the attachments are merged)."""
    import html

    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(text).replace("\u2060", "").split())


def pages_text(pdf: Path) -> list[str]:
    require_tool("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[: len(PdfReader(pdf).pages)]


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_sample_parameters_have_members_times_absences_attachments_and_actions() -> None:
    params = load_parameters(SAMPLE[0])
    assert [m.role for m in params.council.members].count("chair") == 1
    assert {"default", "seminar"} <= set(params.council.agenda_templates)
    theme = params.meeting_on(date(2013, 5, 29))
    assert (theme.start, theme.end, theme.time_span) == ("14:00", "17:00", "kl. 14.00–17.00")
    assert theme.absent == ["Thomas Brandt", "Jens Vestergaard"] and theme.alternates == ["Camilla Stærk"]
    assert [i.standard for i in theme.agenda][:2] == ["agenda", "minutes"]
    assert theme.agenda[2].attachments[0].file.endswith(".pdf")
    assert params.meeting_on(date(2013, 12, 11)).agenda[3].attachments[0].file.endswith(".docx")
    assert len(collect_actions(params)) >= 6
    nord = load_parameters(NORD[0])
    assert nord.meeting_on(date(2017, 12, 6)).start == "09:30"  # written 9.30, as Danes write it
    assert nord.meeting_on(date(2017, 12, 6)).agenda[1].attachments[0].file.endswith(".xlsx")


def test_people_times_attachments_and_actions_are_checked(mini: Path) -> None:
    params = mini / "parameters"
    (params / "bilag").mkdir()
    (params / "bilag" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    (params / "bilag" / "notes.docx").write_bytes(b"plain text, not a Word file")
    _edit(
        params / "council.yml",
        lambda c: c.update(
            members=[
                {"name": "Anna Berg", "organisation": "KL", "role": "chair"},
                {"name": "Bo Holm", "organisation": "DA"},
                {"name": "Carl Ravn", "organisation": "LO", "role": "alternate"},
            ]
        ),
    )

    def meetings(data: dict) -> None:
        meeting = data["meetings"][1]
        meeting.update(start="15:00", end="14:30", absent=["Ana Berg"], alternates=["Bo Holm"])
        item = meeting["agenda"][0]
        item["attachments"] = [
            {"file": "bilag/missing.pdf", "title": "Mangler"},
            {"file": "bilag/broken.pdf", "title": "Ødelagt"},
            {"file": "bilag/notes.docx", "title": "Ikke Word"},
            {"file": "../council.yml", "title": "Uden for mappen"},
        ]
        item["actions"] = [{"what": "Før mødet", "owner": "Sekretariatet", "deadline": "2021-01-01"}]

    _edit(params / "meetings" / "2021.yml", meetings)
    _, problems = collect_parameters(params)
    text = "\n".join(str(p) for p in problems)
    assert "Ana Berg er ikke medlem i council.yml (members); mente du Anna Berg?" in text
    assert "Bo Holm er ikke suppleant i council.yml (members)" in text
    assert "mødet slutter 14:30, før det begynder (15:00)" in text
    assert "punktet «Lukket punkt om en virksomhed»: filen bilag/missing.pdf findes ikke i parametermappen" in text
    assert "bilag/broken.pdf kan ikke læses som PDF" in text
    assert "notes.docx kan ikke læses: filen er ikke et Office-dokument" in text
    assert "../council.yml: skriv stien i forhold til parametermappen" in text
    assert "2021-01-01 er før mødet, der besluttede handlingen" in text
    assert all(p.file.endswith(("2021.yml", "council.yml")) for p in problems)


# ---------------------------------------------------------------------------
# The action log
# ---------------------------------------------------------------------------


def test_action_states_across_meetings() -> None:
    params = load_parameters(SAMPLE[0])
    pending = pending_actions(params, date(2013, 12, 11), date(2013, 12, 4))
    assert [(a.what[:20], a.state(date(2013, 12, 4))) for a in pending] == [
        ("Tilbyde jobcentret s", "overdue"),  # overdue first
        ("Udarbejde et oplæg t", "open"),
    ]
    # Decided at the meeting itself: not in its own pack.
    assert all(a.meeting < date(2013, 9, 25) or a.meeting == date(2013, 9, 25) for a in pending)
    assert pending_actions(params, date(2013, 5, 29), date(2013, 5, 22)) == []  # the Feb action was done
    counts = count_actions(params, 2012, date(2013, 9, 1))
    assert (counts.total, counts.done, counts.done_on_time, counts.open, counts.overdue) == (3, 3, 2, 0, 0)
    assert describe_action_counts(counts) == " Beslutningerne satte 3 handlinger i gang: 3 er udført (2 inden fristen)."
    later = count_actions(params, 2013, date(2013, 10, 1))
    assert (later.total, later.done, later.open, later.overdue) == (5, 2, 2, 1)
    assert describe_action_counts(count_actions(params, 2011, date(2013, 1, 1))) == ""


def test_calendar_lists_action_deadlines() -> None:
    params = load_parameters(SAMPLE[0])
    deadlines = [d for d in compute_deadlines(params, date(2013, 11, 1)) if d.what.startswith("Handling:")]
    states = {d.what.split(" (")[0]: d.state for d in deadlines}
    assert states["Handling: Tilbyde jobcentret særlig støtte og orientere rådet om forløbet"] == "overdue"
    assert states["Handling: Udarbejde et oplæg til kontrakten for 2014"] == "due"
    assert states["Handling: Gennemføre evalueringen af rådets arbejde efter konceptet"] == "done"


# ---------------------------------------------------------------------------
# The pack with attachments
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory: pytest.TempPathFactory):
    require_tool("chromium", "chromium-browser")
    out = tmp_path_factory.mktemp("packs")
    return build_pack(*SAMPLE, date(2013, 5, 29), ROOT, out, as_of=date(2013, 5, 20))


@pytest.mark.book
def test_pack_merges_the_attachment_after_its_item_with_page_references(sample_pack) -> None:
    pdf = sample_pack.pdf
    marks = outline(pdf)
    pages = pages_text(pdf)
    assert len(pages) == sample_pack.pages
    titles = [t for _, t, _ in marks]
    assert len(titles) == len(set(titles))  # no bookmark twice
    assert all(re.search(r"\S", t) and "  " not in t for t in titles)
    assert titles[:3] == ["Rådsmøde med temadrøftelse 29. maj 2013", "Målene på én side", "Dagsorden"]
    by_title = {t: (depth, page) for depth, t, page in marks}
    item, attachment = "3. Temadrøftelse om unge uden uddannelse", "Bilag 3.1: Notat om unge uden uddannelse i regionen"
    assert by_title[item][0] == 1 and by_title[attachment][0] == 2  # the attachment under its item
    attached_from = by_title[attachment][1]
    next_item = by_title["4. Særlig indsats i et jobcenter med store udfordringer"][1]
    original = PdfReader(ROOT / "parameters/bilag/2013-05-29-notat-unge-uden-uddannelse.pdf")
    assert next_item == attached_from + len(original.pages)  # merged whole, right after its item
    assert "Notat: Unge uden uddannelse i regionen" in pages[attached_from - 1]
    # Every page says which it is, counting the attachment's pages; attachment pages say which attachment.
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in page, number
    assert "Bilag 3.1 · Side" in pages[attached_from - 1]
    # The agenda's page column is the merged PDF's pages.
    agenda = pages[by_title["Dagsorden"][1] - 1]
    for number in (1, 3, 4, 5):
        title = next(t for t in titles if t.startswith(f"{number}. "))
        row = next(line for line in agenda.splitlines() if line.strip().startswith(f"{number}. "))
        assert row.split()[-1] == str(by_title[title][1]), (row, title)
    printed = html_text(sample_pack.folder / "pakke.html")
    assert f"Bilag 3.1: Notat om unge uden uddannelse i regionen, side {attached_from}" in printed


@pytest.mark.book
def test_pack_cover_agenda_and_lean_contents(sample_pack) -> None:
    pages = pages_text(sample_pack.pdf)
    cover = " ".join(pages[0].split())
    for phrase in (
        "Det regionale Beskæftigelsesråd Hovedstaden & Sjælland",
        "Tid kl. 14.00–17.00",
        "Sted Beskæftigelsesregionen, mødelokale 1",
        "Tallene går til og med marts 2013",
        "Materialet er udsendt 22. maj 2013",
        "Fortroligt indtil mødet er afholdt",
    ):
        assert phrase in cover, phrase
    summary = " ".join(pages[1].split())
    assert "Målene på én side" in summary and "Målene i kontrakten for 2013 med tal til og med marts 2013" in summary
    assert "Langtidsledigheden skal begrænses" in html_text(sample_pack.folder / "pakke.html")
    text = " ".join(" ".join(pages).split())
    assert "Afbud: Thomas Brandt, Jens Vestergaard." in text
    assert "Suppleanter, der deltager: Camilla Stærk." in text
    assert "Sekretariatet og to jobcenterchefer" in text and "14.10" in text
    # The confidential item is in the members' pack, with its case text and recommendation.
    assert "Sagsfremstillingen indeholder fortrolige oplysninger" in text
    # The previous minutes (20 March) were approved on the material date: said, not attached.
    assert "Referatet fra mødet 20. marts 2013 er godkendt" in text
    # The job centres' long tables are in the workbook; the pack says so and stays short.
    assert "Tabellen med alle 44 rækker er i regnearket" in text
    assert len(pages) < 25
    assert "Vis tabellen" not in text


@pytest.mark.book
def test_pack_body_text_is_never_below_9_pt(sample_pack) -> None:
    """Measured in the PDF: every piece of text on the pack's own pages (not the attachments) is at least
    9 pt, except the running header and the page numbers in the margins (8 pt) and the charts' own text (their
    labels, drawn for the screen and printed at the column's width: at least 6 pt)."""
    import base64
    import html as html_module

    reader = PdfReader(sample_pack.pdf)
    attached = {p for _, t, p in outline(sample_pack.pdf) if t.startswith("Bilag 3.1")}
    page_html = (sample_pack.folder / "pakke.html").read_text(encoding="utf-8")
    drawings = [
        base64.b64decode(d).decode() for d in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page_html)
    ]
    chart_text = {
        " ".join(html_module.unescape(t).split()) for svg in drawings for t in re.findall(r"<text\b[^>]*>([^<]*)<", svg)
    }
    assert "Kontraktår 2013" in chart_text
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and 50 < y < 790:  # the margins hold the header and the page numbers
            scale = abs(tm[3] * cm[3]) or 1.0
            sizes.append((round(size * scale, 1), " ".join(text.split())))

    for number, page in enumerate(reader.pages, start=1):
        if number not in attached and number not in {a + 1 for a in attached}:
            page.extract_text(visitor_text=visit)
    body = [(size, text) for size, text in sizes if text not in chart_text]
    labels = [(size, text) for size, text in sizes if text in chart_text]
    assert body and min(body)[0] >= 9, sorted(body)[:5]
    assert labels and min(labels)[0] >= 6, sorted(labels)[:5]


@pytest.mark.book
def test_a_sent_pack_is_never_rewritten_and_a_correction_is_a_new_version(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    out = tmp_path / "packs"
    day, before_due = date(2013, 2, 20), date(2013, 2, 10)
    first = build_pack(*SAMPLE, day, ROOT, out, as_of=before_due)
    assert first.version == 1
    again = build_pack(*SAMPLE, day, ROOT, out, as_of=before_due)  # not sent, not due: rewritten in place
    assert again.version == 1 and again.pdf == first.pdf
    sent = send_pack(SAMPLE[0], day, ROOT, out, before_due)
    assert sent["sent"] == "2013-02-10"
    v1_hash = sha256(first.pdf)
    params = load_parameters(SAMPLE[0])
    assert "sendt til medlemmerne 10. februar 2013" in (
        pack_frozen(params, params.meeting_on(day), out, before_due) or ""
    )
    with pytest.raises(PackFrozen, match="skrives ikke om"):
        build_pack(*SAMPLE, day, ROOT, out, as_of=before_due)
    assert sha256(first.pdf) == v1_hash
    corrected = build_pack(*SAMPLE, day, ROOT, out, as_of=before_due, correction="Punkt 3: rettet sagsfremstilling")
    assert corrected.version == 2 and corrected.pdf.name == "pakke-2013-02-20-v2.pdf"
    assert sha256(first.pdf) == v1_hash and first.workbook.exists()
    manifest = json.loads((out / "2013-02-20" / "manifest.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in manifest["versions"]] == [1, 2] and manifest["current"] == 2
    assert manifest["versions"][0]["files"]["pakke-2013-02-20.pdf"] == v1_hash
    assert manifest["versions"][0]["sent"] == "2013-02-10" and manifest["versions"][1]["sent"] is None
    assert manifest["versions"][1]["changes"][0] == "Punkt 3: rettet sagsfremstilling"
    cover = pages_text(corrected.pdf)[0]
    assert "Version 2, rettelse: Punkt 3: rettet sagsfremstilling" in " ".join(cover.split())
    # Past its material date a pack is frozen even when nobody marked it sent.
    history = PackHistory.read(out / "2013-02-20")
    assert history.frozen(date(2013, 2, 13), date(2013, 2, 14)) is not None


@pytest.mark.book
def test_draft_minutes_are_attached_to_the_minutes_item(mini: Path, tmp_path: Path) -> None:
    """Two meetings a fortnight apart: at the second one's material date the first one's minutes are still
    within their objection period, so they go with the pack as a draft."""
    require_tool("chromium", "chromium-browser")
    params = mini / "parameters"

    def meetings(data: dict) -> None:
        data["meetings"].insert(
            2,
            {
                "date": "2021-06-30",
                "kind": "ordinary",
                "title": "Rådsmøde",
                "agenda": [
                    {"title": "Godkendelse af referat", "type": "orientation", "standard": "minutes"},
                    {"title": "Eventuelt", "type": "orientation", "standard": "other_business"},
                ],
            },
        )
        data["meetings"][1]["minutes_sent"] = "2021-06-18"

    _edit(params / "meetings" / "2021.yml", meetings)
    pack = build_pack(params, mini / "data", date(2021, 6, 30), ROOT, tmp_path, as_of=date(2021, 6, 20))
    marks = {t: (d, p) for d, t, p in outline(pack.pdf)}
    attached = "Bilag 1.1: Udkast til beslutningsreferat fra mødet 16. juni 2021"
    assert marks[attached][0] == 2
    page = pages_text(pack.pdf)[marks[attached][1] - 1]
    assert "Beslutningsreferat" in page and "Udkast" in page and "Bilag 1.1 · Side" in page


@pytest.mark.book
def test_the_nord_pack_converts_a_spreadsheet_and_shows_the_action_log(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("libreoffice", "soffice")
    pack = build_pack(*NORD, date(2017, 12, 6), ROOT, tmp_path, as_of=date(2017, 11, 20))
    marks = {t: (d, p) for d, t, p in outline(pack.pdf)}
    attached = marks["Bilag 2.1: Pladser pr. jobcenter efter aftalen"]
    pages = pages_text(pack.pdf)
    assert "Jobcenter Aalborg" in pages[attached[1] - 1] and "Brobygningspladser" in pages[attached[1] - 1]
    text = " ".join(" ".join(pages).split())
    printed = html_text(pack.folder / "pakke.html")
    assert "Tid kl. 09.30–12.00" in text
    assert "Afbud: Eva Thomsen, Mogens Krog." in text and "Suppleanter, der deltager: Bo Dahl." in text
    assert "2 handlinger fra rådets beslutninger er ikke udført pr. 22. november 2017; 1 har overskredet" in text
    assert "Følge op på forløbet med jobcentret Regionsdirektøren 1. oktober 2017 ✖ forfalden" in printed
    # Done before the pack: not among the open actions, but the last meeting's follow-up says it is done.
    assert "Lægge en plan for fælles virksomhedsservice frem Sekretariatet" not in printed
    assert (
        "Lægge en plan for fælles virksomhedsservice frem: udført 20. november 2017 (frist 6. december 2017); "
        "Samle jobcentrenes tal for virksomhedskontakter: åben, frist 1. juni 2018" in printed
    )


@pytest.mark.book
def test_a_pack_without_attachments_members_or_times(mini: Path, tmp_path: Path) -> None:
    """The mini council names no members and no times: the pack says nothing it does not know."""
    require_tool("chromium", "chromium-browser")
    pack = build_pack(mini / "parameters", mini / "data", date(2021, 6, 16), ROOT, tmp_path, as_of=date(2021, 6, 1))
    text = " ".join(" ".join(pages_text(pack.pdf)).split())
    assert "Afbud" not in text and "Tid kl." not in text and "Bilag 1." not in text
    assert "Der er ingen åbne handlinger fra tidligere møder." in text


# ---------------------------------------------------------------------------
# Minutes and press release
# ---------------------------------------------------------------------------


def test_minutes_name_time_place_present_and_absent_and_hide_closed_items() -> None:
    params = load_parameters(SAMPLE[0])
    meeting = params.meeting_on(date(2013, 5, 29))
    state = minutes_state(meeting, params, date(2013, 6, 20))
    members = minutes_html(params, meeting, state, members=True)
    public = minutes_html(params, meeting, state, members=False)
    for page in (members, public):
        assert "kl. 14.00–17.00" in page and "Beskæftigelsesregionen, mødelokale 1" in page
        assert "Camilla Stærk (KL, suppleant)" in page
        assert "Afbud</dt><dd>Thomas Brandt (Dansk Arbejdsgiverforening), Jens Vestergaard" in page
        assert "Hanne Kjær (Dansk Arbejdsgiverforening, formand)" in page
        assert "Godkendt" in page
        assert "Rådet anbefalede, at regionen tilbyder jobcentret særlig støtte." in page
    assert "Særlig indsats i et jobcenter" in members and "Særlig indsats i et jobcenter" not in public
    assert "4. Lukket punkt" in public
    assert "Tilbyde jobcentret særlig støtte" in members and "Tilbyde jobcentret særlig støtte" not in public
    assert "Thomas Brandt (Dansk Arbejdsgiverforening), Jens" not in members.split("Til stede")[1].split("Afbud")[0]


@pytest.mark.book
def test_minutes_without_decisions_mark_them_missing_never_a_default(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    result = build_after_meeting(*SAMPLE, date(2013, 12, 11), tmp_path, date(2013, 12, 12))
    assert result.state.state == "none" and len(result.undecided) == 6
    members = " ".join(" ".join(pages_text(result.minutes)).split())
    assert members.count("Beslutning: ikke registreret – skal skrives ind") >= 6
    assert "til efterretning" not in members and "blev godkendt" not in members
    public = " ".join(" ".join(pages_text(result.public_minutes)).split())
    assert "Beslutning: ikke registreret." in public and "skal skrives ind" not in public


def _press(day: date, as_of: date, tmp_path: Path) -> str:
    result = build_after_meeting(*SAMPLE, day, tmp_path, as_of)
    assert len(PdfReader(result.press_release).pages) == 1  # one page
    return " ".join(pages_text(result.press_release)[0].split())


@pytest.mark.book
def test_press_releases_lead_with_what_is_news(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    decision = _press(date(2013, 2, 20), date(2013, 3, 10), tmp_path)
    theme = _press(date(2013, 5, 29), date(2013, 6, 20), tmp_path)
    assert "Udkast til pressemeddelelse" in decision
    # The decision taken is the headline; the chair's quote and contact from the parameters.
    assert "20. februar 2013 Rådet godkendte analyserapporten" in decision
    assert (
        "»Analyserapporten viser, hvor indsatsen skal sættes ind" in decision and "siger formand Hanne Kjær" in decision
    )
    assert "Yderligere oplysninger: Hanne Kjær, formand, tlf. 33 11 22 33" in decision
    # No decision to tell (the confidential one is never told): the theme is the news.
    assert "Rådet satte fokus på unge uden uddannelse" in theme
    assert "Særlig indsats" not in theme and "særlig støtte" not in theme
    assert "»" not in theme  # no quote in the parameters: none made up
    for text in (decision, theme):
        assert not re.search(r"[✔✖⚠?▲▼]", text)  # no symbols
        assert "mellem" not in text and "–" not in text.split("Sådan går det")[1]  # no forecast ranges
    assert "den bedste udvikling mod året før har Jobcenter" in theme  # the local angle
    assert decision.split(" Rådet")[0] != theme.split(" Rådet")[0]


def test_a_goal_that_changed_status_is_the_headline_when_nothing_was_decided() -> None:
    project = load_project(*SAMPLE)
    params = project.params
    meeting = params.meeting_on(date(2013, 8, 28))
    status = compute_meeting_status(params, project.dataset, meeting, with_details=False)
    before = [
        dataclasses.replace(g, status="off_track" if g.status == "on_track" else "on_track") for g in status.goals
    ]
    quiet = meeting.model_copy(update={"agenda": [i for i in meeting.agenda if i.type == "orientation"]})
    news = find_news(quiet, status, before)
    assert news.decisions == [] and len(news.changed) == len(status.goals)
    goal, _then, now = news.changed[0]
    assert (
        headline(news, status)
        == f"{goal.title}: målet er nu {'på rette spor' if now.status == 'on_track' else 'i risiko'}"
    )
    # With a decision, the decision leads.
    assert headline(find_news(meeting, status, before), status) == "Rådet godkendte evalueringskonceptet"
    # Nothing changed and nothing decided: how the goals stand.
    plain = find_news(quiet, status, list(status.goals))
    assert re.fullmatch(r"\d af 4 mål i kontrakten for 2013 er på rette spor", headline(plain, status))


def test_the_evaluation_counts_the_years_actions() -> None:
    from councilbook.reports.kinds.evaluation import build_evaluation_report

    report = build_evaluation_report(*SAMPLE, 2013)
    section = next(s for s in report.sections if s.heading.text.startswith("## Beslutninger og opfølgning"))
    assert section.text.text.endswith("Beslutningerne satte 3 handlinger i gang: 3 er udført (2 inden fristen).")
    # The table below says the same: a decision without a written follow-up shows what its actions came to.
    follow_ups = " ".join(row[3] for row in section.table.rows)
    assert follow_ups.count(": udført ") == 3  # the seminar's item set one going: it is listed too
    assert "Sende rådets bemærkninger til jobcentrene og de lokale beskæftigelsesråd: udført 28. juni 2012 (frist " in (
        follow_ups
    )


def test_a_decisions_follow_up_is_what_its_actions_came_to() -> None:
    from councilbook.analysis.actions import actions_of, describe_follow_up

    params = load_parameters(SAMPLE[0])
    actions = collect_actions(params)
    decided = actions[0]
    its = actions_of(actions, decided.meeting, decided.item_number)
    assert decided in its and all(a.meeting == decided.meeting for a in its)
    assert describe_follow_up([], date(2013, 1, 1)) == ""
    before = describe_follow_up([decided], decided.meeting)
    assert before == f"{decided.what}: åben, frist {format_date(decided.deadline)}"
    assert describe_follow_up([decided], date(2099, 1, 1)).startswith(f"{decided.what}: udført ")


def test_new_meeting_writes_the_templates_standard_items(tmp_path: Path) -> None:
    from councilbook.members.scaffold import new_meeting

    params = tmp_path / "parameters"
    shutil.copytree(SAMPLE[0], params)
    new_meeting(params, date(2013, 10, 30), "ordinary")
    new_meeting(params, date(2013, 11, 6), "seminar")
    loaded = load_parameters(params)
    ordinary = loaded.meeting_on(date(2013, 10, 30))
    assert [i.title for i in ordinary.agenda] == [
        "Godkendelse af dagsorden",
        "Godkendelse af referat fra sidste møde",
        "Meddelelser",
        "Status på kontraktens mål",
        "Eventuelt",
    ]
    assert [i.standard for i in ordinary.agenda] == ["agenda", "minutes", "announcements", None, "other_business"]
    assert [i.title for i in loaded.meeting_on(date(2013, 11, 6)).agenda] == ["Status på kontraktens mål"]
    # A council without templates gets the status item only (the mini council).
    mini = tmp_path / "mini"
    shutil.copytree(MINI, mini)
    new_meeting(mini / "parameters", date(2021, 9, 1), "ordinary")
    assert [i.title for i in load_parameters(mini / "parameters").meeting_on(date(2021, 9, 1)).agenda] == [
        "Status på kontraktens mål"
    ]


@pytest.mark.book
def test_an_attachment_libreoffice_cannot_read_is_an_error_naming_item_and_file(mini: Path, tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    require_tool("libreoffice", "soffice")
    params = mini / "parameters"
    (params / "bilag").mkdir()
    import zipfile

    with zipfile.ZipFile(params / "bilag" / "tom.docx", "w") as archive:  # a zip, but no document in it
        archive.writestr("hello.txt", "no Word document here")

    def meetings(data: dict) -> None:
        data["meetings"][1]["agenda"][0]["attachments"] = [{"file": "bilag/tom.docx", "title": "Tom"}]

    _edit(params / "meetings" / "2021.yml", meetings)
    with pytest.raises(InputError) as caught:
        build_pack(params, mini / "data", date(2021, 6, 16), ROOT, tmp_path, as_of=date(2021, 6, 1))
    message = str(caught.value)
    assert "2021.yml" in message and "tom.docx" in message and "LibreOffice" in message
    assert not (tmp_path / "2021-06-16" / "manifest.json").exists()


@pytest.mark.book
def test_milestone_press_releases_for_the_contract_and_the_analysis_report(tmp_path: Path) -> None:
    require_tool("chromium", "chromium-browser")
    from councilbook.members.press import build_milestone_press_release

    contract = build_milestone_press_release(*SAMPLE, "contract", 2013, tmp_path)
    analysis = build_milestone_press_release(*SAMPLE, "analysis", 2012, tmp_path)
    assert contract.headline == "Ny resultatkontrakt: 4 mål for beskæftigelsen i 2013"
    assert analysis.headline.startswith("Analyserapport 2012 – arbejdsmarkedet i Østdanmark: rådet bør fastholde")
    for release in (contract, analysis):
        assert len(PdfReader(release.pdf).pages) == 1
    text = " ".join(pages_text(contract.pdf)[0].split())
    assert "Den blev underskrevet 20. marts 2013." in text
    assert (
        "Langtidsledigheden skal begrænses: Antallet af langtidsledige skal højst være 9.000 i december 2013." in text
    )
    assert "»" not in text and not re.search(r"[✔✖⚠▲▼]", text)
    text = " ".join(pages_text(analysis.pdf)[0].split())
    assert "Unge uden uddannelse" in text and "»Analyserapport 2012 – arbejdsmarkedet i Østdanmark«" in text
    # A draft contract has none; a year without a report neither: errors that say so.
    with pytest.raises(InputError, match="ingen analyserapport for 2011"):
        build_milestone_press_release(*SAMPLE, "analysis", 2011, tmp_path)


@pytest.mark.book
def test_the_pack_commands_at_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pack --send, a refused rewrite, --correction and --due as the secretariat types them (no members' portal
    set up: tests/test_portal_journey.py sends into one)."""
    require_tool("chromium", "chromium-browser")
    monkeypatch.setenv("COUNCILBOOK_PORTAL", str(tmp_path / "ingen-portal"))
    from typer.testing import CliRunner

    from councilbook.cli import app

    runner = CliRunner()
    here = ["--project", str(tmp_path)]  # relative --out paths are taken from the project folder
    shown = f"{display_path(tmp_path)}/"  # the paths said, as a user in that folder reads them: packs/...
    args = ["pack", "--params", str(SAMPLE[0]), "--data", str(SAMPLE[1]), "--out", "packs"]
    first = runner.invoke(app, [*here, *args, "--meeting", "2013-02-20", "--as-of", "2013-02-10"])
    assert first.exit_code == 0, first.output
    assert re.fullmatch(
        r"20\. februar 2013: packs/2013-02-20/pakke-2013-02-20\.pdf \(\d+ sider\), "
        r"packs/2013-02-20/status-2013-02-20\.xlsx, packs/2013-02-20/manifest\.json\n",
        first.stdout.replace(shown, ""),
    )
    sent = runner.invoke(app, [*here, *args, "--meeting", "2013-02-20", "--as-of", "2013-02-11", "--send"])
    assert sent.stdout.replace(shown, "") == (
        "20. februar 2013: version 1 af pakken er markeret som sendt 11. februar 2013; den skrives ikke om herefter.\n"
        "Medlemsportalen er ikke sat op (councilbook portal init): send selv pakken til medlemmerne.\n"
    )
    refused = runner.invoke(app, [*here, *args, "--meeting", "2013-02-20", "--as-of", "2013-02-12"])
    assert refused.exit_code == 2
    assert refused.stderr == (
        "Pakken til mødet 20. februar 2013 (version 1) skrives ikke om: den blev sendt til medlemmerne "
        "11. februar 2013. En rettelse bliver en ny version ved siden af den gamle: councilbook pack --meeting "
        '2013-02-20 --correction "hvad der er rettet"\n'
    )
    fixed = runner.invoke(
        app,
        [*here, *args, "--meeting", "2013-02-20", "--as-of", "2013-02-12", "--correction", "Punkt 3 manglede bilag"],
    )
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stdout.replace(shown, "").startswith(
        "20. februar 2013 (version 2): packs/2013-02-20/pakke-2013-02-20-v2.pdf"
    )
    assert fixed.stdout.replace(shown, "").endswith("  Rettet: Punkt 3 manglede bilag\n")
    # --due writes the packs due and leaves the sent ones (the mini council: one meeting due).
    mini = ["pack", "--params", str(MINI / "parameters"), "--data", str(MINI / "data"), "--out", "packs"]
    due = runner.invoke(app, [*here, *mini, "--due", "--as-of", "2021-02-01"])
    assert due.exit_code == 0 and due.stdout.replace(shown, "").startswith(
        "10. februar 2021: packs/2021-02-10/pakke-2021-02-10.pdf"
    )
    again = runner.invoke(app, [*here, *mini, "--due", "--as-of", "2021-02-05"])
    assert again.stdout.replace(shown, "") == (
        "10. februar 2021: uændret – pakken er sendt (materialedatoen 31. januar 2021 er passeret, så medlemmerne "
        "har den).\n"
    )
    both = runner.invoke(app, [*here, *args, "--due", "--send"])
    assert both.exit_code == 2 and "--send og --correction gælder ét møde" in both.stderr
    press = runner.invoke(
        app,
        [*here, "press", "--params", str(SAMPLE[0]), "--data", str(SAMPLE[1]), "--contract", "2013", "--out", "press"],
    )
    assert press.stdout.replace(shown, "") == (
        "Pressemeddelelse (udkast): press/pressemeddelelse-kontrakt-2013.pdf\n"
        "Overskrift: Ny resultatkontrakt: 4 mål for beskæftigelsen i 2013\n"
    )
