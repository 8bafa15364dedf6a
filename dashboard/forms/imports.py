"""Record import forms: the upload (read and parsed before anything is stored) and the mapping page's
options. The mapping itself is one select per file column (``map-<n>``), read by ``mapping_from``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from dashboard.forms.common import no_nul
from dashboard.imports.fields import FIELDS
from dashboard.imports.reader import MAX_FILE_BYTES, ImportFileError, ParsedFile, read

ENTITY_LABELS = {"companies": "Companies", "contacts": "Contacts", "deals": "Deals"}
DUPLICATE_LABELS = {
    "skip": "Skip rows that match an existing record",
    "update": "Update the matching record with the row's values",
    "create": "Create a new record anyway (not where a domain or email must stay unique)",
}


def file_name_of(storage) -> str:
    """The upload's own name without any folder, printable characters only."""
    name = "".join(ch for ch in (storage.filename or "") if ch.isprintable()).replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip()[:255] or "import.csv"


class UploadForm(FlaskForm):
    entity = SelectField("Import", choices=list(ENTITY_LABELS.items()), validators=[InputRequired()])
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])

    def validate_file(self, field):
        raw = field.data.stream.read(MAX_FILE_BYTES + 1)
        try:
            self.parsed: ParsedFile = read(raw)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from None
        self.raw, self.file_name = raw, file_name_of(field.data)


class StartForm(FlaskForm):
    duplicates = RadioField("Rows that match an existing record", choices=list(DUPLICATE_LABELS.items()),
                            default="skip", validators=[InputRequired()])  # fmt: skip
    dry_run = BooleanField("Dry run: check every row and report, write nothing", default=True)
    skip_invalid = BooleanField("Skip invalid rows (otherwise one invalid row stops the whole import)")
    save_as = StringField("Save this mapping as (optional)", validators=[Optional(), Length(max=100), no_nul])


def mapping_from(form_data, headers: list[str], entity: str) -> dict[str, str]:
    """{header: field} from the selects ``map-0``, ``map-1``... (one per column, in the file's order)."""
    allowed = {spec.name for spec in FIELDS.get(entity, [])}
    mapping = {}
    for number, header in enumerate(headers):
        chosen = form_data.get(f"map-{number}", "")
        if chosen in allowed:
            mapping[header] = chosen
    return mapping

