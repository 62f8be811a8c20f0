"""The `languages` group: the language versions of one instrument (list, attach, detach)
and the check of translations against the official text."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from app.commands.context import ConfigOption, FormatOption, check_choice, fail, runtime

languages_app = typer.Typer(
    help="Language versions of one instrument: list, attach, detach, check drift.",
    no_args_is_help=True,
)


@languages_app.command("list")
def languages_list(config: ConfigOption = None, output: FormatOption = "text") -> None:
    """Every instrument known in more than one language: its texts, roles, publishers, dates."""
    from sqlmodel import select

    from tracker import languages
    from tracker.models import Instrument, LanguageVersion

    check_choice("--format", output, ("json", "text"))
    works: list[dict[str, Any]] = []
    with runtime(config).session() as s:
        for work in sorted(set(s.exec(select(LanguageVersion.work_id)).all())):
            texts = []
            for e in languages.expressions(s, work):
                instrument = s.get(Instrument, e.instrument_id)
                texts.append(
                    {
                        "instrument": e.instrument_id,
                        "language": e.language,
                        "role": e.role,
                        "publisher": e.publisher,
                        "date": e.date,
                        "attached_by": e.attached_by,
                        "title": instrument.title if instrument else "",
                        "url": instrument.url if instrument else "",
                    }
                )
            works.append({"work": work, "texts": texts})
    if output == "json":
        typer.echo(json.dumps(works, ensure_ascii=False, indent=2))
        return
    for work_row in works:
        typer.echo(f"work {work_row['work']}:")
        for t in work_row["texts"]:
            typer.echo(
                f"  #{t['instrument']} {t['language']} {t['role']} {t['date'] or '-'} "
                f"{t['publisher']}: {t['title'] or t['url']}"
            )


@languages_app.command("attach")
def languages_attach(
    instrument_id: Annotated[int, typer.Argument(help="The instrument to attach")],
    to: Annotated[int, typer.Option("--to", help="An instrument of the work it expresses")],
    role: Annotated[
        str, typer.Option(help="official, official_translation or unofficial_translation")
    ] = "",
    by: Annotated[str, typer.Option(help="Who attaches it (recorded)")] = "cli",
    config: ConfigOption = None,
) -> None:
    """Attach an instrument as another language version of an instrument's work."""
    from tracker import languages
    from tracker.models import Instrument

    with runtime(config).session() as s:
        instrument, other = s.get(Instrument, instrument_id), s.get(Instrument, to)
        if instrument is None or other is None:
            fail(f"no instrument {instrument_id if instrument is None else to}")
        assert instrument is not None and other is not None
        row = languages.attach(s, instrument, other, by=by, role=role)
        s.commit()
        typer.echo(f"instrument {instrument_id} ({row.language}, {row.role}) -> work {row.work_id}")


@languages_app.command("detach")
def languages_detach(
    instrument_id: Annotated[int, typer.Argument(help="The instrument to detach")],
    config: ConfigOption = None,
) -> None:
    """Make a language version an instrument of its own again."""
    from tracker import languages
    from tracker.models import Instrument

    with runtime(config).session() as s:
        instrument = s.get(Instrument, instrument_id)
        if instrument is None:
            fail(f"no instrument {instrument_id}")
        assert instrument is not None
        languages.detach(s, instrument)
        s.commit()
        typer.echo(f"instrument {instrument_id} detached")


@languages_app.command("check")
def languages_check(config: ConfigOption = None) -> None:
    """Check every work's translations now: numbers that disagree with the official text
    and translations that have not followed it; queue each new notice once, deliver."""
    from sqlmodel import select

    from alerts.deliver import drift
    from app.ingest import now
    from app.jobs import check_translation_lag, deliver
    from tracker.models import LanguageVersion

    rt = runtime(config)
    with rt.session() as s:
        numbers = set()
        for work in sorted(set(s.exec(select(LanguageVersion.work_id)).all())):
            numbers |= set(
                drift.check_numbers(s, work, channels=rt.delivery_channels(s), now=now())
            )
        s.commit()
    lag = check_translation_lag(rt)
    deliver(rt)
    typer.echo(f"{len(numbers)} number disagreements, {lag} translations lagging (notices)")
