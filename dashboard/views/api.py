"""Routes of the REST API ``/api/v1``: five per resource (list, create, read, update, delete, as far as
the resource allows), the OpenAPI document and its docs page. Bearer tokens only: no session cookie
is read, so the blueprint is exempt from the CSRF check (docs/security.md)."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request
from flask.sessions import SecureCookieSessionInterface
from pydantic import BaseModel
from spectree import Response

from dashboard.api import guard, problems, resource
from dashboard.api.resources import RESOURCES
from dashboard.api.spec import document, spectree
from dashboard.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC = {"api.openapi", "api.docs"}


class NoSessionForTheApi(SecureCookieSessionInterface):
    """Flask's cookie sessions, except that a request under /api/ has none: a browser's session cookie is
    neither read nor refreshed there, and nothing can be stored in it."""

    def open_session(self, app, request):
        if request.path.startswith(bp.url_prefix + "/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


@bp.record_once
def no_session_cookie(state):
    state.app.session_interface = NoSessionForTheApi()


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC:
        return
    accepted = request.accept_mimetypes
    if request.headers.get("Accept") and not accepted.best_match(["application/json", "application/problem+json"]):
        raise problems.Problem(406, "This API answers application/json only.")
    guard.authenticate()


@bp.after_request
def commit_the_count(response):
    guard.commit_count(failed=False)
    return response


@bp.errorhandler(problems.Problem)
def problem(error: problems.Problem):
    guard.commit_count(failed=True)  # a read's count stays; anything else is rolled back
    return problems.answer(error)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (no token needed)."""
    return document()


@bp.get("/docs")
def docs():
    """The API's reference, drawn from openapi.json by Swagger UI (installed from npm, served locally)."""
    return render_template("api/docs.html")


def page_of(record: type[BaseModel]) -> type[BaseModel]:
    from pydantic import ConfigDict, create_model

    return create_model(f"{record.__name__}Page", __config__=ConfigDict(extra="forbid"), data=(list[record], ...),
                        next=(str | None, ...))  # fmt: skip


def add_routes(res: resource.Resource) -> None:
    """The resource's routes, each documented by SpecTree from the resource's models."""
    name, tags = res.name, [res.name]
    single = res.record.__name__

    def listed():
        return resource.list_records(res)

    def read(id: uuid.UUID):
        return resource.read(res, id)

    listed.__doc__ = f"List {name}\n\nThe {name} the token's user may see, filtered and sorted as the web list."
    read.__doc__ = f"Read one {res.what}"
    routes = [("", "GET", listed, dict(query=res.query, resp=Response(HTTP_200=page_of(res.record))), "list"),
              ("/<uuid:id>", "GET", read, dict(query=res.query.single, resp=Response(HTTP_200=res.record)), "read")]
    if res.create:
        def created():
            return resource.create(res)

        created.__doc__ = f"Create a {res.what}\n\nOwned by the token's user; validated as the web form."
        routes.append(("", "POST", created, dict(json=res.create_model, resp=Response(HTTP_201=res.record)), "create"))
    if res.update:
        def updated(id: uuid.UUID):
            return resource.update(res, id)

        updated.__doc__ = f"Change a {res.what}\n\nOnly the fields sent change; If-Match is required."
        routes.append(("/<uuid:id>", "PATCH", updated, dict(json=res.patch_model, resp=Response(HTTP_200=res.record)),
                       "update"))  # fmt: skip
    if res.delete:
        def deleted(id: uuid.UUID):
            return resource.delete(res, id)

        deleted.__doc__ = f"Delete a {res.what}\n\nIf-Match is required."
        routes.append(("/<uuid:id>", "DELETE", deleted, dict(resp=Response("HTTP_204")), "delete"))
    for rule, method, view, models, action in routes:
        view.__name__ = f"{name}_{action}"
        operation = f"{action}_{single}"
        documented = spectree.validate(tags=tags, skip_validation=True, operation_id=operation, **models)(view)
        bp.add_url_rule(f"/{name}{rule}", endpoint=view.__name__, view_func=documented, methods=[method])


for declared in RESOURCES:
    add_routes(declared)
