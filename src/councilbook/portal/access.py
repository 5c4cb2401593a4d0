"""Who may see what: members' pages, login links, rate limits, and no caching of anything private."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from sesame.utils import get_query_string

from councilbook.portal.models import Member


def member_of(request: HttpRequest) -> Member | None:
    """The logged-in user's membership, if it is active (a former member has none)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    member = getattr(user, "member", None)
    return member if member is not None and member.active else None


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only an active member or alternate; anyone else is sent to the login page (nothing of the page is shown)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = member_of(request)
        if member is None:
            return redirect(f"{reverse('portal:login')}?next={quote(request.path)}")
        request.member = member  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def secretariat_of(request: HttpRequest) -> bool:
    """A staff user logged in with password and TOTP (django-otp's ``is_verified``)."""
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.is_verified())  # type: ignore[union-attr]


def member_or_secretariat_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A member (``request.member``), or the secretariat verified by TOTP (``request.member`` None): the stored files,
    which the secretariat opens from the admin."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = member_of(request)
        if member is None and not secretariat_of(request):
            return redirect(f"{reverse('portal:login')}?next={quote(request.path)}")
        request.member = member  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def login_link(member: Member, goal: str | None = None) -> str:
    """The member's login link: valid 10 minutes and once (SESAME_MAX_AGE, SESAME_ONE_TIME); after the login the
    member lands on ``goal`` (a page of the portal) or the meetings."""
    link = f"{settings.PORTAL_URL}{reverse('portal:login_link')}{get_query_string(member.user)}"
    return link + (f"&next={quote(goal)}" if goal else "")


def safe_next(request: HttpRequest, goal: str | None) -> str | None:
    """A page of this portal to go on to, else None (never another site)."""
    if goal and goal.startswith("/") and url_has_allowed_host_and_scheme(goal, allowed_hosts={request.get_host()}):
        return goal
    return None


def allow(kind: str, key: str, limit: int, seconds: int) -> bool:
    """Count one use of ``kind`` by ``key`` (an address, an IP); False once more than ``limit`` in ``seconds``."""
    slot = "rate:" + hashlib.sha256(f"{kind}\0{key.lower()}".encode()).hexdigest()
    cache.add(slot, 0, seconds)
    try:
        count = cache.incr(slot)
    except ValueError:  # expired between add and incr
        cache.set(slot, 1, seconds)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class NoStoreMiddleware:
    """Nothing but the public pages and static files is kept by browsers or proxies: ``Cache-Control: no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


def portal_context(request: HttpRequest) -> dict[str, Any]:
    from councilbook.portal.council import council_parameters

    try:
        council = council_parameters().council
        name = council.name
    except Exception:  # a portal whose parameters cannot be read still shows its pages
        name = "Beskæftigelsesrådet"
    return {"council_name": name, "member": member_of(request)}
