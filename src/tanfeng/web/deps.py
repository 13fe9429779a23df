"""Request dependencies: a database session per request, the interface language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tanfeng.web.i18n import Lang, pick_lang


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, closed afterwards; writes commit inside the services."""
    with request.app.state.sessions() as session:
        yield session


def get_lang(request: Request) -> Lang:
    """The interface language: ``?lang=zh|en``, else the ``lang`` cookie, else Chinese."""
    return pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))


SessionDep = Annotated[Session, Depends(get_session)]
LangDep = Annotated[Lang, Depends(get_lang)]
