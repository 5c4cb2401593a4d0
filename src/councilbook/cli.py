"""The councilbook command line: validate, new, build, status, pack, minutes, publish, calendar, fetch, tables,
sample.

Every message, help page and usage error is in Danish (:mod:`councilbook.terminal` for typer's own
texts; the glossary of the words used is in :mod:`councilbook.core.errors`). Every command that takes a
day to act as of takes it as ``--as-of ÅÅÅÅ-MM-DD`` (``status`` and ``pack`` also take the old
``--today``, hidden, with a note).

Exit codes: 0 done; 1 a report, Sphinx or the PDF step failed; 2 the parameters or the data are wrong
(nothing was run), or the command line is.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from councilbook.core import paths
from councilbook.core.errors import MAINTAINER_ADVICE, CouncilbookError, InputError, Problem, display_path
from councilbook.core.formats import (
    count_noun,
    format_date,
    format_iso_day,
    format_month,
    format_number,
    format_period_code,
    join_or,
)
from councilbook.core.release import build_lock
from councilbook.table_layout import print_table
from councilbook.terminal import DanishCommand, DanishGroup

if TYPE_CHECKING:
    import pandas as pd

    from councilbook.analysis.meeting import MeetingStatus
    from councilbook.assembly.outcome import BuildResult
    from councilbook.parameters.meetings import Meeting

app = typer.Typer(
    name="councilbook",
    help="Rapporter til et regionalt beskæftigelsesråd: resultatkontrakten, status på målene til hvert møde, "
    "evalueringen og andre rapporter, samlet i én bog i HTML og PDF.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    cls=DanishGroup,
)

DEFAULT_PARAMS = paths.PARAMETERS
DEFAULT_DATA = paths.SAMPLE_DATA

# This invocation's --project (set by global_options before any command's options are read); None: the
# working folder is the project.
_given_project: list[Optional[Path]] = [None]


def project_root() -> Path:
    """The project folder (the one holding _config.yml, book/ and _build/): --project, else the working folder."""
    return _given_project[0] or Path.cwd()


def in_project(path: Optional[Path]) -> Optional[Path]:
    """A path option's value: with --project, a relative path is taken from the project folder."""
    project = _given_project[0]
    return project / path if project is not None and path is not None and not path.is_absolute() else path


@app.callback()
def global_options(
    project: Annotated[
        Optional[Path],
        typer.Option(
            "--project",
            metavar="MAPPE",
            help="Projektmappen (standard: den aktuelle mappe). Relative stier i --params, --data, --out og de "
            "andre stier regnes da fra projektmappen.",
        ),
    ] = None,
) -> None:
    if project is not None and not project.is_dir():
        warn(f"--project: {display_path(project)} er ikke en mappe; angiv mappen, hvor _config.yml ligger.")
        raise typer.Exit(2)
    _given_project[0] = project.resolve() if project is not None else None


ParamsOption = Annotated[
    Path,
    typer.Option(
        "--params",
        metavar="MAPPE",
        help="Parametermappen (council.yml, contracts/, meetings/, ...).",
        callback=in_project,
    ),
]
DataOption = Annotated[
    Path,
    typer.Option(
        "--data", metavar="STI", help="Datamappen, eller én datafil (standard: eksempelrådet).", callback=in_project
    ),
]
MeetingOption = Annotated[Optional[str], typer.Option("--meeting", metavar="DATO", help="Mødets dato, ÅÅÅÅ-MM-DD.")]
OutOption = Annotated[
    Path, typer.Option("--out", metavar="MAPPE", help="Mappen, pakkerne skrives i.", callback=in_project)
]
WorkersOption = Annotated[
    Optional[int],
    typer.Option("--workers", metavar="ANTAL", help="Rapporter, der køres ad gangen (standard: én pr. kerne)."),
]
# The old name of --as-of on status and pack: still taken, not shown.
TodayOption = Annotated[Optional[str], typer.Option("--today", metavar="DATO", hidden=True)]


def as_of_option(help_text: str) -> object:
    return typer.Option("--as-of", metavar="DATO", help=help_text)


def say(text: str) -> None:
    typer.echo(text)


def warn(text: str) -> None:
    typer.echo(text, err=True)


def _parse_date(value: Optional[str], option: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        warn(f"{option}: {value!r} er ikke en gyldig dato (skriv den som ÅÅÅÅ-MM-DD, fx 2013-05-29)")
        raise typer.Exit(2) from None


def _as_of(as_of: Optional[str], today: Optional[str] = None) -> date:
    """The day to act as of: ``--as-of``, else the old ``--today`` (with a note), else today."""
    if today is not None:
        warn("Bemærk: --today hedder nu --as-of; skriv --as-of ÅÅÅÅ-MM-DD (--today virker stadig, men forsvinder).")
        if as_of is None:
            return _parse_date(today, "--today") or date.today()
    return _parse_date(as_of, "--as-of") or date.today()


@contextmanager
def user_errors(action: str) -> Iterator[None]:
    """Errors a user can act on, as messages and exit codes, in one place: every councilbook error
    (:class:`councilbook.core.errors.CouncilbookError`) says its lines and its code (2 wrong input, nothing was
    run; 1 a step that failed); a file that vanished under a step counts as a failed step."""
    try:
        yield
    except CouncilbookError as exc:
        for line in exc.lines(action):
            warn(line)
        raise typer.Exit(exc.exit_code) from None
    except FileNotFoundError as exc:
        for line in (f"{action}: {exc}", *MAINTAINER_ADVICE):
            warn(line)
        raise typer.Exit(1) from None


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------


@app.command(cls=DanishCommand)
def validate(params: ParamsOption = DEFAULT_PARAMS, data: DataOption = DEFAULT_DATA) -> None:
    """Kontrollér parametre og data, og vis hvert problem.

    Intet køres. Hver fejl nævner filen, linjen og kolonnen (eller rækken eller cellen) og hvad der er galt;
    afslutningskoden er 2, hvis der er fejl.

    \b
    Eksempel:
      councilbook validate --params parameters --data data/sample
    """
    from councilbook.assembly.manifest import import_project_kinds
    from councilbook.project.cache import save_prepared
    from councilbook.project.load import load_project

    with user_errors("Kontrollen fejlede"):
        import_project_kinds(paths.BookPaths(project_root()).manifest)  # a project's own kinds' folders too
        project = load_project(params, data)
    try:  # the commands after this one need not validate the same files again
        save_prepared(project, params, data, paths.BookPaths(project_root()).prepared)
    except OSError:
        pass
    p = project.params
    counts = ", ".join(
        count_noun(n, singular, plural)
        for n, singular, plural in (
            (len(p.contracts), "kontrakt", "kontrakter"),
            (len(p.meetings), "møde", "møder"),
            (len(p.evaluations), "evaluering", "evalueringer"),
            (len(p.council.job_centres), "jobcenter", "jobcentre"),
        )
    )
    dataset = project.dataset
    quarterly = len(dataset.quarterly) if dataset.quarterly is not None else 0
    figures = format_number(len(dataset.monthly) + quarterly + len(dataset.annual))
    say(f"OK: {display_path(params)} ({counts}) og {display_path(data)} ({figures} tal).")


# ---------------------------------------------------------------------------
# new
# ---------------------------------------------------------------------------

new_app = typer.Typer(
    help="Tilføj et møde eller et kontraktår til parametrene.\n\n"
    "Det nye skrives med kommentarer til at udfylde; parametrene kontrolleres bagefter, og filen er, som den "
    "var, hvis de ikke er i orden.\n\n"
    "\b\nEksempel:\n  councilbook new meeting 2014-03-19 --kind ordinary",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=DanishGroup,
)
app.add_typer(new_app, name="new")


@new_app.command("meeting", cls=DanishCommand)
def new_meeting(
    day: Annotated[str, typer.Argument(metavar="DATO", help="Mødets dato, ÅÅÅÅ-MM-DD.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", metavar="TYPE", help="Mødets type: ordinary, theme, contract, seminar eller extraordinary."
        ),
    ] = "ordinary",
    title: Annotated[
        Optional[str], typer.Option("--title", metavar="TEKST", help="Mødets titel (standard: efter typen).")
    ] = None,
    theme: Annotated[
        Optional[str],
        typer.Option("--theme", metavar="TEKST", help="Emnet for temadrøftelsen (et temamøde skal have et)."),
    ] = None,
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Tilføj et møde til meetings/<år>.yml, med en dagsorden at udfylde.

    Filen laves, hvis mødet er årets første. Parametrene kontrolleres bagefter; er de ikke i orden, er filen, som
    den var.

    \b
    Eksempel:
      councilbook new meeting 2014-03-19 --kind theme --theme "Unge i uddannelse"
    """
    from councilbook.members.scaffold import new_meeting as write_meeting
    from councilbook.parameters.meetings import MEETING_KIND_LABELS_DA

    parsed = _parse_date(day, "DATO")
    assert parsed is not None
    with user_errors("Mødet blev ikke tilføjet"):
        if kind not in MEETING_KIND_LABELS_DA:
            allowed = join_or(list(MEETING_KIND_LABELS_DA))
            raise InputError([Problem("--kind", "", f"{kind!r} er ikke en mødetype (brug {allowed})")])
        path = write_meeting(params, parsed, kind, title, theme)
    say(
        f"Mødet {format_date(parsed)} er tilføjet til {display_path(path)}; udfyld dagsordenen (agenda), og kør så "
        "councilbook validate."
    )


@new_app.command("contract", cls=DanishCommand)
def new_contract(
    year: Annotated[int, typer.Argument(metavar="ÅR", help="Kontraktåret, fx 2014.")],
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Skriv contracts/<år>.yml ud fra sidste års kontrakt, som udkast.

    Målene kopieres; basisår, målmåneder og underskriftsdato flyttes et år frem. Kontrollér målsætningerne.
    Kontrakten er et udkast og kommer ikke med i den offentlige bog, før den har en dato for offentliggørelse
    (published:).

    \b
    Eksempel:
      councilbook new contract 2014 --params parameters
    """
    from councilbook.members.scaffold import new_contract as write_contract

    with user_errors("Kontrakten blev ikke skrevet"):
        path = write_contract(params, year)
    say(
        f"Skrev {display_path(path)} ud fra kontrakten for {year - 1} som udkast; kontrollér målsætningerne "
        "(target), og tilføj så den dag, populærudgaven offentliggøres (published: ÅÅÅÅ-MM-DD); indtil da er "
        "kontrakten et udkast og kommer ikke med i den offentlige bog."
    )


# ---------------------------------------------------------------------------
# build and publish
# ---------------------------------------------------------------------------


@app.command(cls=DanishCommand)
def build(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    workers: WorkersOption = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Lav også bogen som PDF.")] = True,
    as_of: Annotated[
        Optional[str],
        as_of_option("Byg bogen, som den er offentlig på denne dag, ÅÅÅÅ-MM-DD (standard: i dag)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Kør alle rapporter, og byg bogen igen, også hvor intet er ændret.")
    ] = False,
) -> None:
    """Kør rapporterne, og byg den offentlige bog.

    Bogen skrives i _build/html og _build/pdf. Kun det, der er offentligt på --as-of, kommer med: møder, der er
    holdt, kontrakter, der er offentliggjort, og evalueringer, der er holdt. Et fortroligt punkt vises kun som
    "Lukket punkt" med beslutningen. En rapport, hvis tal og parametre ikke er ændret, genbruges; en bog, hvis
    indhold ikke er ændret, bygges ikke igen. Bogen offentliggøres kun, når alle rapporter, HTML og PDF er
    lykkedes; ellers er den offentliggjorte bog, som den var.

    \b
    Eksempel:
      councilbook build --params parameters --data data/sample --as-of 2013-06-01
    """
    result = _build_book(params, data, workers, pdf, as_of, force)
    for note in result.notes:
        warn(f"Bemærk: {note}.")
    if result.unchanged:
        say("Bogen er uændret; intet er bygget igen (--force bygger den igen).")
    say(f"HTML: {display_path(result.html / 'index.html')}")
    if result.pdf:
        say(f"PDF:  {display_path(result.pdf)}")


def _build_book(
    params: Path, data: Path, workers: Optional[int], pdf: bool, as_of: Optional[str], force: bool
) -> BuildResult:
    """Build the book with progress on stderr; exit 2 on wrong input, 1 when a step failed."""
    from councilbook.assembly import sourcekey

    embargo = _as_of(as_of)
    book_paths = paths.BookPaths(project_root())
    try:
        inputs: str | None = sourcekey.inputs_digest(book_paths, params, data, embargo)
    except OSError:  # an input that cannot be read: the build says which
        inputs = None
    if not force and inputs is not None:  # nothing changed: answered before anything a build takes is imported
        unchanged = sourcekey.unchanged_build(book_paths, inputs, pdf)
        if unchanged is not None:
            return unchanged
    from councilbook.assembly.execute import default_workers
    from councilbook.assembly.pipeline import build as run_build
    from councilbook.assembly.progress import BuildProgress

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    progress = BuildProgress(console, workers or default_workers())

    def summarise() -> None:
        """Once the reports are done: stop the live line and print the table."""
        if progress.results and not progress.summarised:
            progress.stop()
            console.print(progress.summary(), soft_wrap=False)
            console.print(progress.totals())

    def on_stage(text: str) -> None:
        summarise()
        warn(f"{text} ...")

    with user_errors("Bygningen fejlede; den offentliggjorte bog er, som den var"):
        try:
            result = run_build(
                params,
                data,
                project_root(),
                workers=workers,
                pdf=pdf,
                on_done=progress.done,
                on_stage=on_stage,
                as_of=embargo,
                force=force,
                on_plan=progress.plan,
                inputs=inputs,  # hashed once, above
            )
        finally:  # the summary comes before any error message
            summarise()
            progress.stop()
    return result


@app.command(cls=DanishCommand)
def publish(
    to: Annotated[
        Path,
        typer.Option(
            "--to",
            metavar="MAPPE",
            help="Webmappen: den mappe, rådets webserver viser bogen fra.",
            callback=in_project,
        ),
    ],
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    workers: WorkersOption = None,
    as_of: Annotated[
        Optional[str], as_of_option("Offentliggør bogen, som den er på denne dag, ÅÅÅÅ-MM-DD (standard: i dag).")
    ] = None,
) -> None:
    """Byg bogen, og læg den i webmappen.

    Bogen bygges med HTML og PDF (intet bygges igen, hvis intet er ændret). Den nye udgave kopieres ved siden af
    webmappen og skiftes ind i ét skridt: læserne ser den gamle eller den nye, aldrig en halv. Fejler bygningen,
    røres webmappen ikke. En mappe med filer, som councilbook ikke selv har lagt der, bliver aldrig erstattet.

    \b
    Eksempel:
      councilbook publish --to /srv/www/beskaeftigelsesraadet
    """
    from councilbook.assembly.book import BookPaths, published_keys
    from councilbook.assembly.website import check_target, publish_site

    book_paths = BookPaths(project_root())
    with user_errors("Ikke offentliggjort"):
        check_target(to, book_paths.build)
        result = _build_book(params, data, workers, True, as_of, False)
        # Under the build lock and from the version folder itself: no build flips or prunes it meanwhile.
        with build_lock(book_paths.build):
            target = publish_site(
                result.html.resolve(), to, book_paths.build, published_keys(book_paths).get("html", "")
            )
    if result.unchanged:
        say("Bogen er uændret; intet er bygget igen.")
    say(f"Bogen er lagt i {display_path(target)} (forsiden index.html, PDF'en {paths.PDF_NAME}).")


# ---------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------


@app.command(cls=DanishCommand)
def status(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: Annotated[
        Optional[str],
        typer.Option(
            "--meeting",
            metavar="DATO",
            help="Mødets dato, ÅÅÅÅ-MM-DD (standard: det næste møde fra --as-of, ellers det seneste).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv tallene som JSON (til scripts).")] = False,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", metavar="MAPPE", help="Mappen til den kørte notesbog og HTML-siden.", callback=in_project
        ),
    ] = Path("_build/status"),
    as_of: Annotated[
        Optional[str], as_of_option("Dagen, det næste møde findes fra, ÅÅÅÅ-MM-DD (standard: i dag).")
    ] = None,
    today: TodayOption = None,
) -> None:
    """Status på kontraktens mål til et møde.

    Tabellen vises i terminalen med det samme; derefter køres rapporten, og notesbogen og en HTML-side gemmes i
    _build/status. Går tallene ikke frem til mødets skæringsdato, siges det, og hvad man gør.

    \b
    Eksempel:
      councilbook status --meeting 2013-05-29
    """
    from councilbook.analysis.meeting import first_status
    from councilbook.analysis.status import data_behind

    meeting_date = _parse_date(meeting, "--meeting")
    day = _as_of(as_of, today)
    with user_errors("Status fejlede"):
        # The first answer: the table's figures, computed here (only those), printed before the report runs.
        project, chosen, result = first_status(params, data, project_root(), meeting_date, day, overview=not as_json)
        if not as_json:
            _print_status(chosen, result)
        from councilbook.assembly.workers import start_ahead  # after the table: nothing imported before it

        start_ahead(1)  # the report's worker and its kernel's imports, on the other core while this one imports
        from councilbook.assembly.pipeline import run_report
        from councilbook.text import present

        report = run_report(project, "status", chosen.date.isoformat(), params, data, project_root(), out_dir)
    if as_json:
        figures = present.status_figures(result)
        figures["notebook"] = display_path(report.notebook)
        figures["html"] = display_path(report.html)
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        return
    say(f"Notesbog: {display_path(report.notebook)}")
    say(f"HTML:     {display_path(report.html)}")
    last = data_behind(project.dataset, result.cutoff)
    if last is not None:
        _warn_data_behind(last, result.cutoff, data)


def _print_status(meeting: Meeting, result: MeetingStatus) -> None:
    from councilbook.text import present

    say(f"{meeting.title} {format_date(meeting.date)}")
    say(f"Status for kontrakten {result.contract.year} med tal til og med {format_month(result.cutoff)}")
    print_table(present.meeting_status_table(result, ""))
    sys.stdout.flush()


def _warn_data_behind(last: pd.Period, cutoff: pd.Period, data: Path) -> None:
    """Say that the figures a meeting needs are newer than the data (ending in ``last``), and what to do."""
    warn(
        f"Bemærk: tallene slutter i {format_month(last)}, men tallene til dette møde går til og med "
        f"{format_month(cutoff)}, så de måneder vises som manglende. Tilføj dem (councilbook fetch, eller nye "
        f"eksporter fra jobindsats.dk i {display_path(data)}), og kør så kommandoen igen."
    )


# ---------------------------------------------------------------------------
# pack and minutes
# ---------------------------------------------------------------------------


@app.command(cls=DanishCommand)
def pack(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: MeetingOption = None,
    due: Annotated[
        bool, typer.Option("--due", help="Alle møder, hvis pakke skal sendes nu eller skulle være sendt.")
    ] = False,
    send: Annotated[
        bool, typer.Option("--send", help="Markér mødets seneste pakke som sendt til medlemmerne (på --as-of).")
    ] = False,
    correction: Annotated[
        Optional[str],
        typer.Option(
            "--correction",
            metavar="TEKST",
            help="Hvad der er rettet: en sendt pakke skrives ikke om, rettelsen bliver en ny version ved siden af.",
        ),
    ] = None,
    as_of: Annotated[Optional[str], as_of_option("Dagen, pakken laves på, ÅÅÅÅ-MM-DD (standard: i dag).")] = None,
    today: TodayOption = None,
    out_dir: OutOption = paths.PACKS,
) -> None:
    """Lav mødepakken til medlemmerne.

    Pakken skrives i packs/<dato>/: en PDF (forside, målene på én side, dagsorden med sidetal, punkterne
    med indstillinger og bilag, åbne handlinger, status på målene som bilag A), et Excel-ark med tallene og
    manifest.json. En pakke, der er sendt (--send) eller hvis materialedato er passeret, skrives aldrig om:
    en rettelse (--correction) bliver en ny version, og manifestet gemmer alle versioner.

    \b
    Eksempler:
      councilbook pack --meeting 2013-05-29
      councilbook pack --meeting 2013-05-29 --send
      councilbook pack --meeting 2013-05-29 --correction "Bilag 3.1 var det forkerte notat"
      councilbook pack --due
    """
    from councilbook.members.pack import build_pack, due_meetings, pack_frozen, send_pack
    from councilbook.parameters.load import load_parameters

    if (meeting is None) == (not due):
        warn("Angiv enten --meeting DATO eller --due.")
        raise typer.Exit(2)
    if due and (send or correction):
        warn("--send og --correction gælder ét møde: angiv --meeting DATO.")
        raise typer.Exit(2)
    day_as_of = _as_of(as_of, today)
    with user_errors("Mødepakken blev ikke lavet"):
        if send:
            day = _parse_date(meeting, "--meeting")
            assert day is not None
            record = send_pack(params, day, project_root(), out_dir, day_as_of)
            say(
                f"{format_date(day)}: version {record.get('version', 1)} af pakken er markeret som sendt "
                f"{format_date(day_as_of)}; den skrives ikke om herefter."
            )
            _send_to_portal(params, day, out_dir / day.isoformat())
            return
        if due:
            parameters = load_parameters(params)
            days = []
            for m in due_meetings(parameters, day_as_of):
                why = pack_frozen(parameters, m, out_dir, day_as_of)
                if why is None:
                    days.append(m.date)
                else:
                    say(f"{format_date(m.date)}: uændret – pakken er sendt ({why}).")
        else:
            days = [d for d in [_parse_date(meeting, "--meeting")] if d is not None]
        for day in days:
            result = build_pack(params, data, day, project_root(), out_dir, day_as_of, correction)
            version = f" (version {result.version})" if result.version > 1 else ""
            say(
                f"{format_date(day)}{version}: {display_path(result.pdf)} ({result.pages} sider), "
                f"{display_path(result.workbook)}, {display_path(result.manifest)}"
            )
            for change in result.changes:
                say(f"  Rettet: {change}")
            if result.cutoff is not None and result.data_end is not None:
                _warn_data_behind(result.data_end, result.cutoff, data)


@app.command(cls=DanishCommand)
def minutes(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: MeetingOption = None,
    as_of: Annotated[
        Optional[str], as_of_option("Dagen, referatets tilstand regnes fra, ÅÅÅÅ-MM-DD (standard: i dag).")
    ] = None,
    out_dir: OutOption = paths.PACKS,
) -> None:
    """Beslutningsreferat og pressemeddelelse efter et møde.

    Referatet giver tid, sted, hvem der var til stede og hvem der havde meldt afbud, og hvert punkt med
    indstilling og beslutning; det er et udkast, indtil indsigelsesfristen er udløbet, derefter godkendt. En
    beslutning, der ikke er skrevet, vises som manglende. Referatet findes i en udgave til medlemmerne og en
    offentlig (lukkede punkter som "Lukket punkt"). Pressemeddelelsen er et udkast til formanden med mødets
    nyhed som overskrift. Alt som PDF i packs/<dato>/.

    \b
    Eksempel:
      councilbook minutes --meeting 2013-05-29 --as-of 2013-06-05
    """
    from councilbook.members.minutes import build_after_meeting

    day = _parse_date(meeting, "--meeting")
    if day is None:
        warn("Angiv mødet med --meeting DATO.")
        raise typer.Exit(2)
    with user_errors("Referatet blev ikke lavet"):
        result = build_after_meeting(params, data, day, out_dir, _as_of(as_of))
    say(f"Beslutningsreferat ({result.state.label}): {display_path(result.minutes)}")
    for objection in result.state.objections:
        say(f"  Indsigelse fra {objection.member}, modtaget {format_date(objection.received)}")
    if result.state.state == "objected" and result.state.treated_by is not None:
        when = format_date(result.state.treated_by.date)
        say(f"  Referatet er ikke godkendt; det behandles på mødet {when} under godkendelsen af referatet.")
    if result.state.state == "draft" and _portal_ready(params):
        with user_errors("Udkastet blev ikke lagt i portalen"):
            _portal(params)
            from councilbook.portal.service import publish_minutes

            told = publish_minutes(params, day, result.minutes)
        _say_notice(told, "udkastet til referatet")
    if result.public_minutes is not None:
        say(f"Offentligt referat ({result.state.label}): {display_path(result.public_minutes)}")
    say(f"Pressemeddelelse (udkast): {display_path(result.press_release)}")
    if result.undecided:
        warn(
            f"Bemærk: {count_noun(len(result.undecided), 'punkt', 'punkter')} har ingen beslutning: "
            f"{'; '.join(result.undecided)}. Referatet viser dem som manglende; skriv hver beslutning (decision: i "
            "mødets dagsorden), før referatet sendes."
        )


@app.command(cls=DanishCommand)
def press(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    contract: Annotated[
        Optional[int],
        typer.Option("--contract", metavar="ÅR", help="Kontrakten for ÅR er underskrevet og offentliggjort."),
    ] = None,
    analysis: Annotated[
        Optional[int], typer.Option("--analysis", metavar="ÅR", help="Analyserapporten om ÅR er udgivet.")
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Mappen, pressemeddelelsen skrives i.", callback=in_project)
    ] = paths.PACKS,
) -> None:
    """Pressemeddelelse om en milepæl: kontrakten eller analyserapporten.

    Et udkast på én side til formanden, med målene eller konklusionerne fra parametrene.

    \b
    Eksempler:
      councilbook press --contract 2013
      councilbook press --analysis 2012
    """
    from councilbook.members.press import build_milestone_press_release

    if (contract is None) == (analysis is None):
        warn("Angiv enten --contract ÅR eller --analysis ÅR.")
        raise typer.Exit(2)
    kind_id = "contract" if contract is not None else "analysis"  # the kind whose report came out
    year = contract if contract is not None else analysis
    assert year is not None
    with user_errors("Pressemeddelelsen blev ikke lavet"):
        result = build_milestone_press_release(params, data, kind_id, year, out_dir)
    say(f"Pressemeddelelse (udkast): {display_path(result.pdf)}")
    say(f"Overskrift: {result.headline}")


# ---------------------------------------------------------------------------
# calendar, fetch, sample
# ---------------------------------------------------------------------------


@app.command(cls=DanishCommand)
def calendar(
    params: ParamsOption = DEFAULT_PARAMS,
    as_of: Annotated[Optional[str], as_of_option("Dagen, fristerne regnes fra, ÅÅÅÅ-MM-DD (standard: i dag).")] = None,
    count: Annotated[int, typer.Option("--count", metavar="ANTAL", help="Hvor mange kommende frister.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv fristerne som JSON (til scripts).")] = False,
) -> None:
    """De kommende frister, de overskredne først.

    Mødepakker, møder, referater, indsigelsesfrister, offentliggørelser, evalueringer og de dage, rapporterne
    offentliggøres.

    \b
    Eksempel:
      councilbook calendar --as-of 2013-05-01
    """
    from councilbook.members.calendar import STATE_LABELS, coming_deadlines
    from councilbook.parameters.load import load_parameters

    with user_errors("Kalenderen fejlede"):
        parameters = load_parameters(params)
    day = _as_of(as_of)
    deadlines = coming_deadlines(parameters, day, count)
    if as_json:
        sys.stdout.write(json.dumps([d.as_dict() for d in deadlines], ensure_ascii=False, indent=2) + "\n")
        return
    say(f"Frister pr. {format_date(day)}:")
    for d in deadlines:
        say(f"  {d.day:%d.%m.%Y}  {STATE_LABELS[d.state]:<12} {d.what}")


@app.command(cls=DanishCommand)
def fetch(
    params: ParamsOption = DEFAULT_PARAMS,
    data: Annotated[
        Path,
        typer.Option("--data", metavar="MAPPE", help="Mappen, tallene skrives i (som CSV).", callback=in_project),
    ] = paths.FETCHED_DATA,
    from_year: Annotated[
        Optional[int],
        typer.Option(
            "--from-year", metavar="ÅR", help="Det første år, der hentes (standard: året før det første basisår)."
        ),
    ] = None,
    measure: Annotated[
        Optional[list[str]],
        typer.Option("--measure", metavar="ID", help="Kun dette nøgletal (kan gentages)."),
    ] = None,
    raw: Annotated[
        Path, typer.Option("--raw", metavar="MAPPE", help="Mappen til API'ets rå svar.", callback=in_project)
    ] = paths.RAW_ANSWERS,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SEK",
            help="Sekunder, hver forespørgsel højst må tage i alt (forbindelse og hele svaret).",
        ),
    ] = 180.0,
    everything: Annotated[bool, typer.Option("--all", help="Hent alle perioder igen, ikke kun de nye.")] = False,
) -> None:
    """Hent tallene fra jobindsats.dk's API (version 3).

    Hvert nøgletal med en jobindsats-tabel i measures.yml (table, measure, select, period) hentes for rådets
    kommuner; andre opdelinger tages i alt. Nøglen læses fra miljøvariablen JOBINDSATS_API_KEY (en anden adresse
    end https://api.jobindsats.dk/v3 fra JOBINDSATS_API_URL). Kun nye perioder hentes (og den nyeste, der var
    hentet før), og intet, når tabellen ikke er opdateret siden. De rå svar gemmes i --raw; tallene skrives som
    CSV i --data, klar til --data i de andre kommandoer, og hvor de kommer fra i datasource.yml.

    \b
    Eksempel:
      JOBINDSATS_API_KEY=... councilbook fetch --params parameters --data data/jobindsats
    """
    from councilbook.data.jobindsats_api import JobindsatsClient, fetch_measures
    from councilbook.parameters.load import load_parameters

    with user_errors("Hentningen fejlede"):
        parameters = load_parameters(params)
    first = from_year or min(g.baseline_span.first.year for c in parameters.contracts.values() for g in c.goals) - 1
    with user_errors("Hentningen fejlede"):
        with JobindsatsClient.from_env(raw, timeout=timeout) as client:
            results, problems = fetch_measures(parameters, client, data, first, only=measure, everything=everything)
        if problems:
            raise InputError(problems)
    for result in results:
        say(_fetched_line(result))
    say(f"Rå svar: {display_path(raw)}")


def _fetched_line(result: object) -> str:
    from councilbook.data.jobindsats_api import FetchResult

    assert isinstance(result, FetchResult)
    head = f"{result.measure}: tabel {result.table} ({result.measure_name})"
    if result.unchanged:
        return (
            f"{head}: ingen nye tal (tabellen er opdateret {format_iso_day(result.update_latest)}, som sidst); "
            f"{format_number(result.rows)} tal i {display_path(result.output)}"
        )
    span = (
        f"{format_period_code(result.periods[0])} til {format_period_code(result.periods[-1])}"
        if result.periods
        else "ingen nye perioder"
    )
    withheld = f", {format_number(result.withheld)} skjult af diskretionshensyn" if result.withheld else ""
    return f"{head}, hentet {span}: {format_number(result.rows)} tal{withheld} -> {display_path(result.output)}"


@app.command(cls=DanishCommand)
def tables(
    table: Annotated[
        Optional[str], typer.Argument(metavar="[TABEL]", help="En tabels id (fx y25i01): dens mål og opdelinger.")
    ] = None,
    search: Annotated[
        Optional[str], typer.Option("--search", metavar="TEKST", help="Kun tabeller, hvis navn eller emne har teksten.")
    ] = None,
    raw: Annotated[
        Path, typer.Option("--raw", metavar="MAPPE", help="Mappen til API'ets rå svar.", callback=in_project)
    ] = paths.RAW_ANSWERS,
) -> None:
    """Tabellerne på jobindsats.dk, eller én tabels mål og opdelinger.

    Uden TABEL: kataloget med emne, tabel-id, navn, seneste og næste opdatering. Med TABEL: det, der skal stå i
    measures.yml (table, measure, select, period). Nøglen læses fra JOBINDSATS_API_KEY.

    \b
    Eksempler:
      councilbook tables --search ledighed
      councilbook tables y25i01
    """
    from councilbook.data.jobindsats_api import ApiError, JobindsatsClient, not_listed
    from councilbook.data.jobindsats_tables import describe_catalogue, describe_table

    with user_errors("Tabellerne kunne ikke hentes"), JobindsatsClient.from_env(raw) as client:
        catalogue = client.catalogue()
        if table is None:
            lines = describe_catalogue(catalogue, search)
        else:
            listed = catalogue.get(table.lower())
            try:
                spec = client.table_spec(table, listed.update_latest if listed else "")
            except ApiError as exc:
                raise ApiError(not_listed(table.lower(), catalogue)) if exc.status == 404 else exc from None
            lines = describe_table(spec, listed)
    for line in lines:
        say(line)


@app.command(cls=DanishCommand)
def sample(
    spec: Annotated[
        Path,
        typer.Option("--spec", metavar="FIL", help="Specifikationen for eksempeldata (YAML).", callback=in_project),
    ] = paths.SAMPLE_SPEC,
    output: Annotated[
        Path, typer.Option("--data", metavar="FIL", help="CSV-filen, der skrives.", callback=in_project)
    ] = paths.SAMPLE_TIDY,
    excel: Annotated[
        Optional[Path],
        typer.Option(
            "--excel",
            metavar="FIL",
            help="Excel-filen som fra jobindsats.dk, der også skrives.",
            callback=in_project,
        ),
    ] = paths.SAMPLE_EXCEL,
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Lav eksempeldata igen ud fra specifikationen.

    Det samme hver gang: CSV-filen, Excel-filen og ved siden af hver arbejdsmarkedsbalancerne for rådet i --params
    (arbejdsmarkedsbalancen/, to om året).

    \b
    Eksempel:
      councilbook sample --spec data/sample-spec.yml --data data/sample-tidy/jobindsats_sample.csv
    """
    from councilbook.data.balance import generate_balance_exports
    from councilbook.data.sample import generate_sample, load_spec
    from councilbook.parameters.load import load_parameters

    rows = generate_sample(spec, output, excel)
    say(f"Skrev {format_number(rows)} tal til {display_path(output)}" + (f" og {display_path(excel)}" if excel else ""))
    with user_errors("Eksempeldata blev ikke lavet"):
        council = load_parameters(params).council
    first, last = load_spec(spec).first_month, load_spec(spec).last_month
    years = list(range(max(int(first[:4]), int(last[:4]) - 1), int(last[:4]) + 1))
    for folder in {output.parent, *([excel.parent] if excel else [])}:
        written = generate_balance_exports(council, folder, years)
        say(f"Skrev {len(written)} arbejdsmarkedsbalancer til {display_path(written[0].parent)}")


# ---------------------------------------------------------------------------
# portal: the members' portal (councilbook.portal)
# ---------------------------------------------------------------------------

portal_app = typer.Typer(
    help="Medlemsportalen: mødemateriale kun for medlemmer og suppleanter, besked på e-mail, indsigelser mod "
    "referatet, kalender og Spørg rådet.\n\n"
    "Portalens mappe (database og gemte filer) er COUNCILBOOK_PORTAL, ellers portal/ ved siden af "
    "parametermappen; e-mail går gennem COUNCILBOOK_SMTP (vært:port) fra COUNCILBOOK_MAIL_FROM.\n\n"
    "\b\nEksempel:\n  councilbook portal init\n  councilbook portal members --import medlemmer.csv\n"
    "  councilbook portal serve --port 8000",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=DanishGroup,
)
app.add_typer(portal_app, name="portal")


def _portal_ready(params: Path) -> bool:
    from councilbook.parameters.records import portal_folder

    return (portal_folder(params) / "portal.sqlite3").is_file()


def _send_to_portal(params: Path, day: date, folder: Path) -> None:
    """A pack marked as sent goes into the members' portal, and every member gets an e-mail with a link."""
    if not _portal_ready(params):
        say("Medlemsportalen er ikke sat op (councilbook portal init): send selv pakken til medlemmerne.")
        return
    with user_errors("Pakken blev ikke lagt i portalen"):
        _portal(params)
        from councilbook.portal.service import send_pack

        sent = send_pack(params, day, folder)
    say(f"Version {sent.version} ligger i medlemsportalen ({count_noun(sent.documents, 'fil', 'filer')}).")
    _say_notice(sent, "pakken")


def _say_notice(sent: object, what: str) -> None:
    told, before, failed, paper = (getattr(sent, name) for name in ("told", "before", "failed", "paper"))
    if told:
        say(f"E-mail med link til {what} sendt til {count_noun(len(told), 'medlem', 'medlemmer')}.")
    if before:
        say(f"Havde fået besked før: {', '.join(before)}")
    for name, why in failed:
        warn(f"Ingen e-mail til {name}: {why}")
    if paper:
        say(f"Ønsker {what} på papir: {', '.join(paper)}")
    if failed:
        warn("Kør kommandoen igen, når fejlen er rettet: kun dem, der mangler, får en e-mail.")
        raise typer.Exit(1)


def _portal(params: Path, ready: bool = True) -> Path:
    from councilbook.portal.service import require_ready, setup

    folder = setup(params)
    if ready:
        require_ready(folder)
    return folder


@portal_app.command("init", cls=DanishCommand)
def portal_init(
    params: ParamsOption = DEFAULT_PARAMS,
    staff: Annotated[str, typer.Option("--staff", metavar="BRUGERNAVN", help="Sekretariatets bruger.")] = "sekretariat",
    email: Annotated[
        str, typer.Option("--email", metavar="ADRESSE", help="Sekretariatets e-mailadresse.")
    ] = "sekretariat@localhost",
) -> None:
    """Sæt medlemsportalen op: databasen og sekretariatets første bruger.

    Brugeren logger ind i /sekretariat/ med adgangskode og en kode fra en godkendelses-app (TOTP); nøglen vises
    én gang, som QR-kode og som tekst. Køres kommandoen igen, opdateres databasen, og intet andet ændres.

    \b
    Eksempel:
      councilbook portal init --staff sekretariat --email sekretariat@raadet.dk
    """
    with user_errors("Portalen blev ikke sat op"):
        folder = _portal(params, ready=False)
        from councilbook.portal.service import init

        created = init(staff, email)
    say(f"Portalens database er klar i {display_path(folder)}.")
    if created.password is None:
        say(f"Brugeren {staff} findes allerede; intet er ændret.")
        return
    _say_staff(created)


def _say_staff(created: object) -> None:
    import io

    import qrcode

    say(f"Sekretariatets bruger: {created.username}")  # type: ignore[attr-defined]
    say(f"Adgangskode (vises kun nu): {created.password}")  # type: ignore[attr-defined]
    say("Læg nøglen ind i en godkendelses-app (fx Microsoft Authenticator) ved at skanne QR-koden:")
    code = qrcode.QRCode(border=1)
    code.add_data(created.totp_uri)  # type: ignore[attr-defined]
    text = io.StringIO()
    code.print_ascii(out=text)
    say(text.getvalue().rstrip())
    say(f"eller ved at skrive nøglen: {created.totp_key}")  # type: ignore[attr-defined]


@portal_app.command("members", cls=DanishCommand)
def portal_members(
    params: ParamsOption = DEFAULT_PARAMS,
    import_csv: Annotated[
        Optional[Path],
        typer.Option(
            "--import",
            metavar="CSV",
            help="En CSV-fil med kolonnerne name,email,role; navnene skal stå i council.yml.",
            callback=in_project,
        ),
    ] = None,
) -> None:
    """Medlemmer og suppleanter i portalen: e-mailadresser fra en CSV-fil, og hvem der mangler.

    Navne og roller kommer fra council.yml; e-mailadresser er personoplysninger og findes kun i portalens
    database, aldrig i git. Et medlem, der ikke længere står i council.yml, mister adgangen med det samme.
    Er der fejl i filen, ændres intet, og hver fejl nævner rækken.

    \b
    Eksempel:
      councilbook portal members --import medlemmer.csv
    """
    with user_errors("Medlemmerne blev ikke læst ind"):
        _portal(params)
        from councilbook.portal.models import Member
        from councilbook.portal.service import import_members, sync_members

        result = import_members(import_csv) if import_csv is not None else sync_members()
    if result.added:
        say(f"Tilføjet: {', '.join(result.added)}")
    if result.updated:
        say(f"Opdateret: {', '.join(result.updated)}")
    for name in result.left:
        say(f"Udtrådt (ikke længere i council.yml), adgangen er ophørt: {name}")
    active = Member.objects.filter(active=True).order_by("name")
    say(f"{count_noun(active.count(), 'medlem', 'medlemmer')} med adgang til portalen.")
    paper = [m.name for m in active if m.wants_paper]
    if paper:
        say(f"Ønsker pakken på papir: {', '.join(paper)}")
    if result.without_address:
        say(f"Uden e-mailadresse i portalen (får ingen besked): {', '.join(result.without_address)}")


@portal_app.command("serve", cls=DanishCommand)
def portal_serve(
    params: ParamsOption = DEFAULT_PARAMS,
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Porten.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", metavar="ADRESSE", help="Adressen, der lyttes på (standard kun denne maskine).")
    ] = "127.0.0.1",
    workers: Annotated[int, typer.Option("--workers", metavar="ANTAL", help="gunicorns arbejdsprocesser.")] = 3,
    threads: Annotated[int, typer.Option("--threads", metavar="ANTAL", help="Tråde i hver arbejdsproces.")] = 1,
) -> None:
    """Kør portalen med gunicorn (på 127.0.0.1, bag rådets webserver med TLS i drift).

    \b
    Eksempel:
      councilbook portal serve --port 8000
    """
    import os

    from councilbook.portal.service import serve_command

    with user_errors("Portalen blev ikke startet"):
        _portal(params)
    command = serve_command(host, port, workers, threads)
    say(f"Portalen kører på http://{host}:{port}/ (stop med Ctrl+C)")
    sys.stdout.flush()
    os.execv(command[0], command)


@portal_app.command("purge", cls=DanishCommand)
def portal_purge(
    params: ParamsOption = DEFAULT_PARAMS,
    email: Annotated[
        Optional[str],
        typer.Option("--email", metavar="ADRESSE", help="Slet alt om denne afsender nu (en anmodning om sletning)."),
    ] = None,
) -> None:
    """Slet personoplysninger i Spørg rådet: adresser og navne ældre end fristen i council.yml.

    Fristen er publication.question_retention_months (standard 12 måneder); spørgsmål, der aldrig blev
    bekræftet, slettes efter en uge. Kør kommandoen dagligt fra en planlægger (cron, systemd-timer).

    \b
    Eksempler:
      councilbook portal purge
      councilbook portal purge --email borger@eksempel.dk
    """
    with user_errors("Intet blev slettet"):
        _portal(params)
        from councilbook.portal.privacy import purge

        done = purge(email)
    say(
        f"Personoplysninger slettet i {count_noun(done.anonymised, 'spørgsmål', 'spørgsmål')}; "
        f"{count_noun(done.deleted, 'ubekræftet spørgsmål', 'ubekræftede spørgsmål')} slettet helt."
    )


@portal_app.command("demo", cls=DanishCommand)
def portal_demo(params: ParamsOption = DEFAULT_PARAMS, out_dir: OutOption = paths.PACKS) -> None:
    """Portalen på eksempelrådet med demo-medlemmer (adresser på example.org) og et link til at logge ind.

    De pakker, der allerede er lavet i packs/, lægges ind (uden e-mail).

    \b
    Eksempel:
      councilbook portal demo && councilbook portal serve
    """
    with user_errors("Demoen blev ikke sat op"):
        _portal(params, ready=False)
        from councilbook.portal.service import demo

        made = demo(out_dir)
    if made.staff is not None:
        _say_staff(made.staff)
    say(f"Demo-medlemmer: {count_noun(made.members, 'medlem', 'medlemmer')}; pakker lagt ind: {made.packs}.")
    say(f"Log ind som {made.member} (linket virker i 10 minutter og én gang):")
    say(made.link)


def main() -> None:
    app()
