"""Schemathesis against /api/v1/openapi.json (issue 17's "Done when"), with a rep's write token, on the WSGI
app inside the test's rolled-back transaction. For every operation, requests the document calls valid
(positive) and invalid (negative): no 5xx, no response that breaks the document (status, content type,
headers, body), no request the document calls invalid accepted (negative_data_rejection). Then a
stateful run follows the document's links (create -> read, change with the ETag, delete).

Left out: positive_data_acceptance -- a body the document allows may still be refused by the business
rules with a 422 (a stage id that is no stage, a company that is not the rep's), as the web forms refuse
it. Examples are bounded so the file runs in well under two minutes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.api_helpers import make_token

EXAMPLES = 8
STATEFUL_EXAMPLES = 25
# what rejects a request the document calls invalid: the problems the document lists (413: too large)
REJECTIONS = [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429]
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}})
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                    database=None)  # fmt: skip


@pytest.fixture
def api_schema(app, client, users, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 100_000)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms(app, users, api_schema, mode):
    headers = {"Authorization": f"Bearer {make_token(app, users['rep']['id'])}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 36

    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy(generation_mode=mode))
        def conforms(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        conforms()


def test_stateful_links(app, users, api_schema):
    """Create, then read, change (If-Match from the ETag) and delete what was created, following the links."""
    headers = {"Authorization": f"Bearer {make_token(app, users['rep']['id'])}"}

    class Links(api_schema.as_state_machine()):
        def before_call(self, case):
            case.headers = {**(case.headers or {}), **headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # ignored_auth: the stateless run checks it; here the token is put on each case after generation
            excluded = [positive_data_acceptance, ignored_auth]
            case.validate_response(response, excluded_checks=excluded, transport_kwargs=kwargs)

    Links.run(settings=settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, deadline=None,
                                suppress_health_check=list(HealthCheck), derandomize=True, database=None))  # fmt: skip
