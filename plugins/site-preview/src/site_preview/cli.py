"""`scripts/site serve [--lang ko|en|all] [--publish-work] [--port N]`: the live preview."""

from __future__ import annotations

import click

from .server import Preview, serve

HOST = "127.0.0.1"  # the preview is for this machine only


@click.command(help="Serve a live preview of the site on 127.0.0.1, rebuilt on every save.")
@click.option(
    "--lang",
    "locale",
    default="ko",
    show_default=True,
    help="Language to build and serve at the root; `all` builds every language as published.",
)
@click.option(
    "--publish-work",
    is_flag=True,
    help="Also make what only the published site needs: feeds, Korean search tails, cards.",
)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--strict", is_flag=True, help="Stop at warnings, as `scripts/site build` does.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def main(locale: str, publish_work: bool, port: int, strict: bool, config_file: str) -> None:
    logging_state = _log_like_mkdocs()  # noqa: F841  # removes its handler when collected
    serve(
        Preview(
            config_file=config_file,
            host=HOST,
            port=port,
            locale=None if locale == "all" else locale,
            strict=strict,
            publish_work=publish_work,
        )
    )


def _log_like_mkdocs() -> object:
    # The same lines `mkdocs serve` prints, plugins' warnings included.
    from mkdocs.__main__ import State, _enable_warnings

    state = State()  # type: ignore[no-untyped-call]  # mkdocs leaves these untyped
    _enable_warnings()  # type: ignore[no-untyped-call]
    return state
