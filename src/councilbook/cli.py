"""The councilbook command line: validate, build, status, sample.

Exit codes: 0 done; 1 a report, Sphinx or the PDF step failed; 2 the
parameters or the data are wrong (nothing was run).
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
from rich.table import Table as RichTable
from rich.text import Text as RichText

from councilbook.build.book import PDF_NAME, BookError
from councilbook.build.execute import RunResult
from councilbook.build.pdf import PdfError
from councilbook.core import paths
from councilbook.core.errors import ComputeError, InputError, display_path
from councilbook.core.formats import format_date, format_month
from councilbook.core.release import BuildBusy, BuildFolderError, build_lock
from councilbook.text import present

if TYPE_CHECKING:
    import pandas as pd

    from councilbook.build.pipeline import BuildResult

app = typer.Typer(
    name="councilbook",
    help="Reports for a regional employment council: goals contract, meeting status, evaluation, one book.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

DEFAULT_PARAMS = paths.PARAMETERS
DEFAULT_DATA = paths.SAMPLE_DATA

ParamsOption = Annotated[
    Path, typer.Option("--params", help="Parameters folder (council.yml, contracts/, meetings/, ...).")
]
DataOption = Annotated[Path, typer.Option("--data", help="Data folder or tidy CSV file (default: the bundled sample).")]


def say(text: str) -> None:
    typer.echo(text)


def warn(text: str) -> None:
    typer.echo(text, err=True)


def _fail_input(exc: InputError) -> None:
    warn(f"{len(exc.problems)} problem(s) in the input; nothing was run:")
    for problem in exc.problems:
        warn(f"  {problem}")
    warn("Correct each one where it says, then run the command again.")
    raise typer.Exit(2)


def _parse_date(value: Optional[str], option: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        warn(f"{option}: {value!r} is not a valid date (write it as YYYY-MM-DD)")
        raise typer.Exit(2) from None


@app.command()
def validate(params: ParamsOption = DEFAULT_PARAMS, data: DataOption = DEFAULT_DATA) -> None:
    """Check parameters and data; list every problem and exit 2 if there are any.

    Example: councilbook validate --params parameters --data data/sample
    """
    from councilbook.analysis.validate import load_project

    with user_errors("Validation failed"):
        project = load_project(params, data)
    p = project.params
    counts = ", ".join(
        _count(n, noun)
        for n, noun in (
            (len(p.contracts), "contract"),
            (len(p.meetings), "meeting"),
            (len(p.evaluations), "evaluation"),
            (len(p.council.job_centres), "job centre"),
        )
    )
    dataset = project.dataset
    quarterly = len(dataset.quarterly) if dataset.quarterly is not None else 0
    figures = _count(len(dataset.monthly) + quarterly + len(dataset.annual), "figure")
    say(f"OK: {display_path(params)} ({counts}) and {display_path(data)} ({figures}).")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _report_failures(failed: list[RunResult]) -> None:
    for result in failed:
        warn(f"  {result.run.kind} {result.run.key}: {result.error}")
        warn(f"    the executed notebook with the error: {display_path(result.output)}")
    warn(
        "What to do: check the inputs (councilbook validate) and run the build again; the reports that "
        "succeeded are reused. If it fails again, send this message and the notebook(s) above to whoever "
        "maintains councilbook (docs/vejledning.md, section 8)."
    )


@contextmanager
def user_errors(action: str) -> Iterator[None]:
    """Errors a user can act on, as messages and exit codes: 2 for wrong input (nothing was run),
    1 for a step that failed."""
    from councilbook.build.pipeline import ReportsFailed

    try:
        yield
    except InputError as exc:
        _fail_input(exc)
    except KeyError as exc:  # a meeting date that is not in the parameters
        warn(str(exc.args[0]))
        raise typer.Exit(2) from None
    except ReportsFailed as exc:
        warn(f"{action}: {len(exc.failed)} report(s) failed.")
        _report_failures(exc.failed)
        raise typer.Exit(1) from None
    except (BuildBusy, BuildFolderError) as exc:
        warn(f"{action}: {exc}.")
        raise typer.Exit(1) from None
    except (BookError, PdfError, ComputeError, FileNotFoundError) as exc:
        warn(f"{action}: {exc}")
        warn("If the message does not say what to change, run the command again; if it fails again, send the")
        warn("message to whoever maintains councilbook (docs/vejledning.md, section 8).")
        raise typer.Exit(1) from None


@app.command()
def build(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    workers: Annotated[Optional[int], typer.Option(help="Reports run at once (default: number of cores).")] = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print the book to PDF.")] = True,
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of", help="Publish as of this date YYYY-MM-DD (default today): later meetings are left out."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Run every report and rebuild the book, even where nothing changed.")
    ] = False,
) -> None:
    """Run every report in the manifest and build the public book into _build/html and _build/pdf.

    Only what is public on --as-of is built: meetings held by then, contracts published, evaluations
    held. Confidential agenda items show "Lukket punkt" and the decision only. A report whose inputs
    are unchanged since an earlier build is reused from _build/cache instead of run again; a book
    whose sources are unchanged is not rebuilt. The book is published only when every report, the
    HTML and the PDF succeeded; otherwise the published book is left as it was.

    Example: councilbook build --params parameters --data data/sample --as-of 2013-06-01
    """
    result = _build_book(params, data, workers, pdf, as_of, force)
    for note in result.notes:
        warn(f"Note: {note}.")
    if result.unchanged:
        say("The book is unchanged; nothing was rebuilt (--force rebuilds it).")
    say(f"HTML: {display_path(result.html / 'index.html')}")
    if result.pdf:
        say(f"PDF:  {display_path(result.pdf)}")


def _build_book(
    params: Path, data: Path, workers: Optional[int], pdf: bool, as_of: Optional[str], force: bool
) -> BuildResult:
    """Build the book with progress on stderr; exit 2 on wrong input, 1 when a step failed."""
    from councilbook.build.execute import default_workers
    from councilbook.build.pipeline import build as run_build
    from councilbook.build.progress import BuildProgress

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

    embargo = _parse_date(as_of, "--as-of") or date.today()
    with user_errors("Build failed; the published book was left as it was"):
        try:
            result = run_build(
                params,
                data,
                Path.cwd(),
                workers=workers,
                pdf=pdf,
                on_done=progress.done,
                on_stage=on_stage,
                as_of=embargo,
                force=force,
                on_plan=progress.plan,
            )
        finally:  # the summary comes before any error message
            summarise()
            progress.stop()
    return result


@app.command()
def publish(
    to: Annotated[Path, typer.Option("--to", help="The folder the council's web server serves the book from.")],
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    workers: Annotated[Optional[int], typer.Option(help="Reports run at once (default: number of cores).")] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option("--as-of", help="Publish as of this date YYYY-MM-DD (default today)."),
    ] = None,
) -> None:
    """Build the book (HTML and PDF; nothing is rebuilt if nothing changed), then copy it to the web folder.

    The new site is copied beside the folder and swapped in with one atomic step: readers see the old
    site or the new one, never half of each. If the build fails, the folder is not touched. A folder
    that holds files councilbook did not publish is never replaced.

    Example: councilbook publish --to /srv/www/beskaeftigelsesraadet
    """
    from councilbook.build.book import BookPaths, published_keys
    from councilbook.build.website import SiteError, check_target, publish_site

    paths = BookPaths(Path.cwd())
    try:
        check_target(to, paths.build)
        result = _build_book(params, data, workers, True, as_of, False)
        # Under the build lock and from the version folder itself: no build flips or prunes it meanwhile.
        with build_lock(paths.build):
            target = publish_site(result.html.resolve(), to, paths.build, published_keys(paths).get("html", ""))
    except (SiteError, BuildBusy, BuildFolderError) as exc:
        warn(f"Not published: {exc}")
        raise typer.Exit(1) from None
    if result.unchanged:
        say("The book is unchanged; nothing was rebuilt.")
    say(f"Published the book to {display_path(target)} (front page index.html, PDF {PDF_NAME}).")


new_app = typer.Typer(
    help="Write a new parameter entry as a commented stub: a meeting, or a contract year.\n\n"
    "Example: councilbook new meeting 2014-03-19 --kind ordinary",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(new_app, name="new")


@new_app.command("meeting")
def new_meeting(
    day: Annotated[str, typer.Argument(metavar="DATE", help="The meeting's date, YYYY-MM-DD.")],
    kind: Annotated[str, typer.Option(help="ordinary, theme, contract, seminar or extraordinary.")] = "ordinary",
    title: Annotated[Optional[str], typer.Option(help="Title (default: after the kind).")] = None,
    theme: Annotated[Optional[str], typer.Option(help="The theme discussed (a theme meeting needs one).")] = None,
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Add a meeting to meetings/<year>.yml (made if it is the year's first), with a commented agenda to fill in.

    The parameters are checked afterwards; if they would not validate, the file is left as it was.

    Example: councilbook new meeting 2014-03-19 --kind theme --theme "Unge i uddannelse" --params parameters
    """
    from councilbook.members.scaffold import new_meeting as write_meeting

    parsed = _parse_date(day, "DATE")
    assert parsed is not None
    with user_errors("The meeting was not added"):
        path = write_meeting(params, parsed, kind, title, theme)
    next_step = "fill in its agenda, then run councilbook validate."
    say(f"Added the meeting {parsed.isoformat()} to {display_path(path)}; {next_step}")


@new_app.command("contract")
def new_contract(
    year: Annotated[int, typer.Argument(metavar="YEAR", help="The contract year.")],
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Write contracts/<YEAR>.yml from last year's contract as a draft: the same goals with this year's baselines.

    Baselines, level targets' months and the signing date are moved a year on; check the targets. The
    contract is a draft, left out of the public book, until you add its publication date (published:).

    Example: councilbook new contract 2014 --params parameters
    """
    from councilbook.members.scaffold import new_contract as write_contract

    with user_errors("The contract was not written"):
        path = write_contract(params, year)
    next_step = (
        "check its targets, then add the day its popular edition is published (published: YYYY-MM-DD); "
        "until then it is a draft and stays out of the public book."
    )
    say(f"Wrote {display_path(path)} from the contract for {year - 1} as a draft; {next_step}")


@app.command()
def status(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: Annotated[
        Optional[str], typer.Option(help="Meeting date YYYY-MM-DD (default: the next meeting, else the latest).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON on stdout.")] = False,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the executed notebook and HTML page.")] = Path(
        "_build/status"
    ),
    today: Annotated[
        Optional[str], typer.Option(help="Take this date as today when choosing the next meeting.")
    ] = None,
) -> None:
    """Status on the contract's goals for a meeting: a terminal table, a notebook and an HTML page.

    Example: councilbook status --meeting 2013-05-29
    """
    from councilbook.analysis.compute import data_behind
    from councilbook.build.pipeline import run_status

    meeting_date = _parse_date(meeting, "--meeting")
    today_date = _parse_date(today, "--today") or date.today()
    with user_errors("Status failed"):
        result = run_status(params, data, Path.cwd(), meeting_date, today_date, out_dir)
    figures = present.status_figures(result.status)
    figures["notebook"] = display_path(result.notebook)
    figures["html"] = display_path(result.html)
    if as_json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        return
    table = present.meeting_status_table(result.status, "")
    say(f"{result.meeting.title} {format_date(result.meeting.date)}")
    say(f"Status for kontrakten {result.status.contract.year} med tal til og med {format_month(result.status.cutoff)}")
    print_table(table)
    say(f"Notebook: {display_path(result.notebook)}")
    say(f"HTML:     {display_path(result.html)}")
    last = data_behind(result.project.dataset, result.status.cutoff)
    if last is not None:
        _warn_data_behind(last, result.status.cutoff, data)


def _plain(cell: str) -> str:
    return cell.replace("\u2060", "")  # word joiners are for HTML


def terminal_table(table: present.Table) -> RichTable:
    """A report's table for the terminal: the same columns and cells as the HTML. Cells are text, never
    rich markup (a goal's title "[bold]…" shows as typed)."""
    rich_table = RichTable(show_lines=False)
    for index, column in enumerate(table.columns):
        rich_table.add_column(RichText(column), justify="right" if index in table.numeric else "left", no_wrap=True)
    for row in table.rows:
        rich_table.add_row(*(RichText(_plain(cell)) for cell in row))
    return rich_table


def table_width(table: present.Table) -> int:
    """The width the table needs on one line per row (cell padding and borders included)."""
    widths = [
        max(len(_plain(c)) for c in [column, *(row[i] for row in table.rows)]) for i, column in enumerate(table.columns)
    ]
    return sum(widths) + 3 * len(widths) + 1


def print_table(table: present.Table) -> None:
    """Print a table as the HTML shows it: as a table when the terminal is wide enough (80 columns when it is
    not a terminal), else as one card per row (label: value), as on a phone; then its notes."""
    console = Console(highlight=False, soft_wrap=False)
    if table_width(table) <= console.width:
        console.print(terminal_table(table))
    else:
        label = max(len(c) for c in table.columns[1:])
        for row in table.rows:
            say("")
            say(_plain(row[0]))
            for column, cell in zip(table.columns[1:], row[1:], strict=True):
                say(f"  {column:<{label}}  {_plain(cell)}")
        say("")
    for note in table.notes:
        say(note)


def _warn_data_behind(last: pd.Period, cutoff: pd.Period, data: Path) -> None:
    """Say that the figures a meeting needs are newer than the data (ending in ``last``), and what to do."""
    warn(
        f"Note: the data end in {format_month(last)}, but this meeting's figures run to "
        f"{format_month(cutoff)}, so those months show as missing. Add them (councilbook fetch, or new "
        f"jobindsats.dk exports in {display_path(data)}), then run this again."
    )


@app.command()
def sample(
    spec: Annotated[Path, typer.Option(help="Generator spec (YAML).")] = paths.SAMPLE_SPEC,
    output: Annotated[Path, typer.Option("--data", help="Tidy CSV file to write.")] = paths.SAMPLE_TIDY,
    excel: Annotated[
        Optional[Path], typer.Option(help="jobindsats-style Excel export to write too.")
    ] = paths.SAMPLE_EXCEL,
    params: ParamsOption = DEFAULT_PARAMS,
) -> None:
    """Regenerate the bundled sample data from its spec (deterministic): tidy CSV and Excel export, and beside
    each the labour-market balances for the council of --params (arbejdsmarkedsbalancen/, two a year).

    Example: councilbook sample --spec data/sample-spec.yml --data data/sample-tidy/jobindsats_sample.csv
    """
    from councilbook.data.balance import generate_balance_exports
    from councilbook.data.sample import generate_sample, load_spec

    rows = generate_sample(spec, output, excel)
    say(f"Wrote {rows} figures to {display_path(output)}" + (f" and {display_path(excel)}" if excel else ""))
    from councilbook.parameters.model import load_parameters

    with user_errors("Sample failed"):
        council = load_parameters(params).council
    first, last = load_spec(spec).first_month, load_spec(spec).last_month
    years = list(range(max(int(first[:4]), int(last[:4]) - 1), int(last[:4]) + 1))
    for folder in {output.parent, *([excel.parent] if excel else [])}:
        written = generate_balance_exports(council, folder, years)
        say(f"Wrote {len(written)} labour-market balances to {display_path(written[0].parent)}")


@app.command()
def fetch(
    params: ParamsOption = DEFAULT_PARAMS,
    data: Annotated[Path, typer.Option("--data", help="Folder for the tidy CSV files.")] = paths.FETCHED_DATA,
    from_year: Annotated[
        Optional[int], typer.Option(help="First year to fetch (default: the year before the earliest baseline).")
    ] = None,
    measure: Annotated[Optional[list[str]], typer.Option(help="Only this measure id (repeatable).")] = None,
    raw: Annotated[Path, typer.Option(help="Folder for the raw API answers.")] = paths.RAW_ANSWERS,
    timeout: Annotated[
        float, typer.Option(help="Seconds each request may take in all (connecting and every byte of the answer).")
    ] = 60.0,
) -> None:
    """Fetch the measures the parameters name (jobindsats.table) from the jobindsats.dk API.

    The key is read from the environment variable JOBINDSATS_API_KEY. Raw answers are kept under
    --raw; the figures are written as tidy CSV files to --data, ready for --data in the other commands.

    Example: JOBINDSATS_API_KEY=... councilbook fetch --params parameters --data data/jobindsats
    """
    from councilbook.data.jobindsats_api import ApiError, JobindsatsClient, fetch_measures
    from councilbook.parameters.model import load_parameters

    with user_errors("Fetch failed"):
        parameters = load_parameters(params)
    first = from_year or min(g.baseline_span.first.year for c in parameters.contracts.values() for g in c.goals) - 1
    try:
        client = JobindsatsClient.from_env(raw, timeout=timeout)
        results, problems = fetch_measures(parameters, client, data, first, only=measure)
    except ApiError as exc:
        warn(f"Fetch failed: {exc}")
        raise typer.Exit(1) from None
    if problems:
        _fail_input(InputError(problems))
    for result in results:
        say(
            f"{result.measure}: table {result.table}, {result.periods[0]}..{result.periods[-1]}, "
            f"{result.rows} figures -> {display_path(result.output)}"
        )
    say(f"Raw answers: {display_path(raw)}")


@app.command()
def pack(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: Annotated[Optional[str], typer.Option(help="Meeting date YYYY-MM-DD.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Every meeting whose pack is due or past (see --today).")] = False,
    today: Annotated[Optional[str], typer.Option(help="Take this date as today with --due.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the packs.")] = paths.PACKS,
) -> None:
    """Write the members' pack for a meeting: PDF, Excel workbook and manifest.json in packs/<date>/.

    Example: councilbook pack --meeting 2013-05-29
    """
    from councilbook.members.pack import build_pack, due_meetings
    from councilbook.parameters.model import load_parameters

    if (meeting is None) == (not due):
        warn("Give either --meeting DATE or --due.")
        raise typer.Exit(2)
    with user_errors("Pack failed"):
        if due:
            parameters = load_parameters(params)
            days = [m.date for m in due_meetings(parameters, _parse_date(today, "--today") or date.today())]
        else:
            days = [d for d in [_parse_date(meeting, "--meeting")] if d is not None]
        for day in days:
            result = build_pack(params, data, day, Path.cwd(), out_dir)
            say(
                f"{day.isoformat()}: {display_path(result.pdf)}, {display_path(result.workbook)}, "
                f"{display_path(result.manifest)}"
            )
            if result.cutoff is not None and result.data_end is not None:
                _warn_data_behind(result.data_end, result.cutoff, data)


@app.command()
def minutes(
    params: ParamsOption = DEFAULT_PARAMS,
    data: DataOption = DEFAULT_DATA,
    meeting: Annotated[str, typer.Option(help="Meeting date YYYY-MM-DD.")] = "",
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Take this date as today (default today).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the packs.")] = paths.PACKS,
) -> None:
    """After a meeting: the decision minutes (udkast or godkendt) and a press release draft, as PDF.

    Example: councilbook minutes --meeting 2013-05-29 --as-of 2013-06-05
    """
    from councilbook.members.minutes import build_after_meeting

    day = _parse_date(meeting or None, "--meeting")
    if day is None:
        warn("Give --meeting DATE.")
        raise typer.Exit(2)
    with user_errors("Minutes failed"):
        result = build_after_meeting(params, data, day, out_dir, _parse_date(as_of, "--as-of") or date.today())
    say(f"Beslutningsreferat ({result.state.label}): {display_path(result.minutes)}")
    say(f"Pressemeddelelse (udkast): {display_path(result.press_release)}")
    if result.undecided:
        warn(
            f"Note: no decision is recorded for {len(result.undecided)} item(s): {'; '.join(result.undecided)}. "
            "The minutes show them as missing; write each decision (decision: in the meeting's agenda) before "
            "the minutes are sent."
        )


@app.command()
def calendar(
    params: ParamsOption = DEFAULT_PARAMS,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Take this date as today (default today).")] = None,
    count: Annotated[int, typer.Option(help="How many coming deadlines to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the deadlines as JSON.")] = False,
) -> None:
    """The coming deadlines: packs due, meetings, minutes, objections, publication, evaluations; overdue first.

    Example: councilbook calendar --as-of 2013-05-01
    """
    from councilbook.members.calendar import STATE_LABELS, coming_deadlines
    from councilbook.parameters.model import load_parameters

    with user_errors("Calendar failed"):
        parameters = load_parameters(params)
    day = _parse_date(as_of, "--as-of") or date.today()
    deadlines = coming_deadlines(parameters, day, count)
    if as_json:
        sys.stdout.write(json.dumps([d.as_dict() for d in deadlines], ensure_ascii=False, indent=2) + "\n")
        return
    say(f"Frister pr. {format_date(day)}:")
    for d in deadlines:
        say(f"  {d.day.isoformat()}  {STATE_LABELS[d.state]:<12} {d.what}")


def main() -> None:
    app()
