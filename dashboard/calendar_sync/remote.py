"""The CalDAV server of a connection, through the ``caldav`` package: what changed since a sync token (RFC
6578; a server without sync tokens, or a token it forgot, is listed in full and compared by etag), the
changed objects' text in batches (calendar-multiget), and putting or deleting an object.

Failures become ``RemoteError`` with a kind the account page shows: ``auth_failed`` (the server refused the
user name or password), ``unreachable`` (no connection, a timeout), ``error`` (any other answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import caldav
from caldav.lib import error as dav_error
from caldav.lib.url import URL

TIMEOUT_SECONDS = 60  # a first listing of a large calendar can take a busy server a while
MULTIGET_BATCH = 200  # objects fetched per calendar-multiget REPORT
ICS_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}


class RemoteError(Exception):
    """The server could not be used; ``kind`` is a calendar connection status."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class Changes:
    """What changed on the server: ``objects`` href -> (etag, text) changed or new, ``deleted`` hrefs,
    ``listed`` every href when the whole calendar was listed (a first sync, a forgotten token), and the new
    sync token."""

    sync_token: str | None
    objects: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    listed: set[str] | None = None


def href(url) -> str:
    """An object's URL as stored: canonical (the same whichever way the server wrote it)."""
    return str(URL.objectify(str(url)).canonical())


def split_credentials(caldav_url: str) -> tuple[str, str | None]:
    """The URL without user information, and the user name it named (or None); a password in it is dropped."""
    parts = urlsplit(caldav_url.strip())
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    if ":" in (parts.hostname or "") and parts.hostname:
        host = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, "")), parts.username


class RemoteCalendar:
    """One calendar collection on a CalDAV server."""

    def __init__(self, url: str, username: str, password: str, timeout: float = TIMEOUT_SECONDS):
        self.url = url
        self.client = caldav.DAVClient(url=url, username=username, password=password, timeout=timeout)
        self.calendar = self.client.calendar(url=url)

    def changes(self, sync_token: str | None, known: dict[str, str | None]) -> Changes:
        """Changes since ``sync_token``; ``known`` href -> etag of the objects the last sync saw. Without a
        token, or when the server no longer knows it, the whole calendar is listed and only the objects whose
        etag differs are fetched (what ``known`` has and the listing has not was deleted)."""
        collection = None
        if sync_token:
            try:
                collection = self.calendar.get_objects_by_sync_token(sync_token=sync_token, load_objects=False,
                                                                     disable_fallback=True)  # fmt: skip
            except dav_error.AuthorizationError as failure:
                if self.calendar._is_genuine_authorization_error(failure):
                    raise RemoteError("auth_failed", AUTH_FAILED) from None
            except dav_error.DAVError:
                collection = None  # an expired token (or no sync support): list everything
            except (OSError, TimeoutError) as failure:
                raise unreachable(failure) from None
        full = collection is None
        if full:
            collection = guarded(lambda: self.calendar.get_objects_by_sync_token(sync_token=None, load_objects=False))
        deleted = {href(u) for u in (getattr(collection, "deleted_urls", None) or ())}
        listing = {}
        for obj in collection:
            key = href(obj.url)
            if key not in deleted:
                listing[key] = (obj.props or {}).get("{DAV:}getetag")
        changes = Changes(sync_token=getattr(collection, "sync_token", None), deleted=deleted & set(known))
        if full:
            changes.listed = set(listing)
            changes.deleted = set(known) - set(listing)
        wanted = [key for key, etag in listing.items() if not (etag and known.get(key) == etag)]
        for start in range(0, len(wanted), MULTIGET_BATCH):
            batch = wanted[start : start + MULTIGET_BATCH]
            for obj in guarded(lambda b=batch: self.calendar.multiget([URL.objectify(u) for u in b])):
                if obj.data:
                    changes.objects[href(obj.url)] = (listing.get(href(obj.url)), obj.data)
        return changes

    def object_url(self, name: str) -> str:
        return href(self.url.rstrip("/") + "/" + name)

    def get(self, url: str) -> tuple[str | None, str] | None:
        """The object's etag and text, or None when it is gone."""
        found = guarded(lambda: self.calendar.multiget([URL.objectify(url)]))
        for obj in found:
            if obj.data:
                return (obj.props or {}).get("{DAV:}getetag"), obj.data
        return None

    def put(self, url: str, body: bytes) -> str | None:
        """Write the object; its new etag (None when the server does not say)."""
        response = guarded(lambda: self.client.put(url, body.decode(), ICS_TYPE))
        if response.status not in (200, 201, 204):
            raise RemoteError("error", f"the server refused to save an event (HTTP {response.status})")
        return response.headers.get("ETag")

    def delete(self, url: str) -> None:
        response = guarded(lambda: self.client.delete(url))
        if response.status not in (200, 204, 404):
            raise RemoteError("error", f"the server refused to delete an event (HTTP {response.status})")


AUTH_FAILED = "The calendar server refused the user name or password."


def unreachable(failure: BaseException) -> RemoteError:
    return RemoteError("unreachable", f"The calendar server could not be reached ({type(failure).__name__}).")


def guarded(call):
    """``call()``, its failures as ``RemoteError``."""
    try:
        return call()
    except dav_error.AuthorizationError:
        raise RemoteError("auth_failed", AUTH_FAILED) from None
    except (OSError, TimeoutError) as failure:  # niquests' connection errors are OSErrors
        raise unreachable(failure) from None
    except dav_error.DAVError as failure:
        raise RemoteError("error", f"The calendar server answered with an error: {str(failure)[:300]}") from None
