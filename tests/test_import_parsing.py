"""Reading the files people export: headers of HubSpot, Salesforce, Pipedrive and our own export matched to
fields, their dates, money and stage names, and messy files (BOM, ``;``, Latin-1, blank lines, extra
columns). No database: these are the parsers the import runs on every cell."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.imports import fields, reader
from dashboard.services import exports

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-31", date(2026, 3, 31)),
    ("2026-03-31T09:30:00Z", date(2026, 3, 31)),  # HubSpot's date-times
    ("2025-01-15 09:30", date(2025, 1, 15)),
    ("3/31/2026", date(2026, 3, 31)),  # Salesforce (US): m/d/Y
    ("03/01/2026", date(2026, 3, 1)),  # US: March 1st, not January 3rd
    ("31/03/2026", date(2026, 3, 31)),  # a first part over 12 can only be the day
    ("31.03.2026", date(2026, 3, 31)),  # Pipedrive (German locale): d.m.Y
    ("1.4.26", date(2026, 4, 1)),  # two-digit years are 20xx
])  # fmt: skip
def test_dates_in_the_formats_crms_export(text, expected):
    assert fields.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/31/2026", "2026-02-30", "next week", "3-31-2026", "1899-12-31"])
def test_impossible_or_unknown_dates_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="date|calendar|year"):
        fields.parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("$1,234.50", "1234.50"),  # US: comma thousands, dot decimal
    ("1.234,50 €", "1234.50"),  # German: dot thousands, comma decimal
    ("EUR 1234", "1234.00"),  # a currency code in front
    ("1 234,50\u00a0€", "1234.50"),  # French: (no-break) space thousands
    ("£12,000", "12000.00"),  # a lone comma before three digits: thousands
    ("1234,5", "1234.50"),  # a lone comma before one digit: decimal
    ("1.234.567", "1234567.00"),  # several dots: thousands
    ("12000", "12000.00"),
    ("0.5", "0.50"),
])  # fmt: skip
def test_money_in_the_formats_crms_export(text, expected):
    assert fields.parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["lots", "-5", "1e9", "$", "9999999999999"])
def test_junk_negative_and_oversized_amounts_are_refused(text):
    with pytest.raises(ValueError):
        fields.parse_money(text)


STAGES = [("L", "Lead", False, False), ("Q", "Qualified", False, False), ("O", "Opportunity", False, False),
          ("V", "Verbal", False, False), ("W", "Won", True, False), ("X", "Lost", False, True)]  # fmt: skip


@pytest.mark.parametrize(("name", "stage"), [
    ("Lead", "L"), ("qualified", "Q"), ("Won", "W"),  # ours, any case
    ("appointmentscheduled", "L"), ("Qualified to buy", "Q"), ("Presentation scheduled", "O"),  # HubSpot
    ("Contract sent", "V"), ("closedwon", "W"), ("Closed Lost", "X"),
    ("Prospecting", "L"), ("Needs Analysis", "Q"), ("Id. Decision Makers", "O"),  # Salesforce
    ("Proposal/Price Quote", "O"), ("Negotiation/Review", "V"), ("Closed Won", "W"),
    ("Lead In", "L"), ("Contact Made", "Q"), ("Demo Scheduled", "O"), ("Negotiations Started", "V"),  # Pipedrive
])  # fmt: skip
def test_other_crms_stage_names_map_to_ours(name, stage):
    assert fields.stage_lookup(STAGES)[fields.key(name)] == stage


def test_won_and_lost_follow_the_flags_when_stages_are_renamed():
    renamed = [("A", "New", False, False), ("B", "Signed", True, False), ("C", "Dropped", False, True)]
    lookup = fields.stage_lookup(renamed)
    assert lookup["closedwon"] == "B" and lookup["closedlost"] == "C" and lookup["signed"] == "B"
    assert "qualified" not in lookup  # no stage means "qualified" any more: such a row is reported


@pytest.mark.parametrize(("entity", "headers", "expected"), [
    ("companies", ["Record ID", "Company name", "Company Domain Name", "Industry", "Phone Number"],  # HubSpot
     {"Company name": "name", "Company Domain Name": "domain", "Industry": "industry", "Phone Number": "phone"}),
    ("companies", ["Account Name", "Website", "Employees", "Annual Revenue", "Billing Street"],  # Salesforce
     {"Account Name": "name", "Website": "website", "Employees": "employee_count", "Annual Revenue": "annual_revenue",
      "Billing Street": "address"}),
    ("companies", ["Organization - Name", "Organization - Address"],  # Pipedrive
     {"Organization - Name": "name", "Organization - Address": "address"}),
    ("contacts", ["First Name", "Last Name", "Email Address", "Account Name", "Mailing City"],  # Salesforce
     {"First Name": "first_name", "Last Name": "last_name", "Email Address": "email", "Account Name": "company"}),
    ("contacts", ["Person - Name", "Person - Email", "Person - Organization", "Person - Phone"],  # Pipedrive
     {"Person - Name": "full_name", "Person - Email": "email", "Person - Organization": "company",
      "Person - Phone": "phone"}),
    ("deals", ["Deal Name", "Deal Stage", "Amount", "Close Date", "Associated Company"],  # HubSpot
     {"Deal Name": "name", "Deal Stage": "stage", "Amount": "value", "Close Date": "expected_close_date",
      "Associated Company": "company"}),
    ("deals", ["Opportunity Name", "Stage", "Amount", "Close Date", "Account Name"],  # Salesforce
     {"Opportunity Name": "name", "Stage": "stage", "Amount": "value", "Close Date": "expected_close_date",
      "Account Name": "company"}),
    ("deals", ["Deal - Title", "Deal - Value", "Deal - Stage", "Deal - Expected close date", "Deal - Organization"],
     {"Deal - Title": "name", "Deal - Value": "value", "Deal - Stage": "stage",  # Pipedrive
      "Deal - Expected close date": "expected_close_date", "Deal - Organization": "company"}),
])  # fmt: skip
def test_headers_of_each_crms_export_match_our_fields(entity, headers, expected):
    assert fields.auto_match(entity, headers) == expected


@pytest.mark.parametrize("entity", ["companies", "contacts", "deals"])
def test_our_own_export_maps_back_without_a_choice(entity):
    """Every column our export writes that the import can store is matched (ids, owners and scores are not
    imported)."""
    export = getattr(exports, entity)(True)
    matched = fields.auto_match(entity, export.header())
    unmatched = set(export.header()) - set(matched)
    assert unmatched <= {"Owner", "Last engaged", "Engagement score", "Lead score", "Target account", "Updated",
                         "Last interaction", "Intelligence score", "Primary contact"}  # fmt: skip
    assert "name" in matched.values() or "first_name" in matched.values()


def test_a_field_is_matched_once_the_first_header_wins():
    assert fields.auto_match("deals", ["Name", "Deal Name"]) == {"Name": "name"}


def test_a_bom_crlf_and_a_blank_line_keep_true_line_numbers():
    parsed = reader.read((FIXTURES / "hubspot_companies.csv").read_bytes())
    assert parsed.encoding == "utf-8" and parsed.delimiter == ","
    assert parsed.headers[0] == "Record ID"  # the BOM is not part of the first header
    # the header is line 1; the blank line 4 is skipped and the last row keeps its line number 5
    assert [line for line, _ in parsed.rows] == [2, 3, 5]
    assert parsed.rows[0][1]["Annual Revenue"] == "1,500,000"


def test_latin1_semicolons_and_extra_columns():
    parsed = reader.read((FIXTURES / "salesforce_contacts.csv").read_bytes())
    assert parsed.encoding == "windows-1252" and parsed.delimiter == ";"
    assert parsed.rows[0][1]["First Name"] == "José" and parsed.rows[0][1]["Mailing City"] == "Málaga"
    # Zoë's row has one field more than the header: it is ignored, the row is kept
    assert parsed.rows[1][1] == {"First Name": "Zoë", "Last Name": "Müller", "Email": "zoe.mueller@newco.example",
                                 "Title": "VP Sales", "Account Name": "Newco GmbH", "Mailing City": "Köln"}  # fmt: skip
    assert parsed.rows[2][1]["Mailing City"] == ""


def test_tabs_short_rows_empty_and_repeated_headers():
    parsed = reader.parse("Name\t\tName\nAcme\n")
    assert parsed.delimiter == "\t" and parsed.headers == ["Name", "column 2", "Name (2)"]
    assert parsed.rows == [(2, {"Name": "Acme", "column 2": "", "Name (2)": ""})]


@pytest.mark.parametrize(("raw", "message"), [(b"", "empty"), (b"\n\n", "empty"), (b"a\x00b", "NUL")])
def test_files_that_cannot_be_read_say_why(raw, message):
    with pytest.raises(reader.ImportFileError, match=message):
        reader.read(raw)


def test_a_file_our_export_wrote_reads_back():
    stream = io.StringIO()
    csv.writer(stream).writerows([["Name", "Domain"], ["'=cmd", "acme.example"]])
    parsed = reader.parse("\ufeff" + stream.getvalue())
    assert parsed.headers == ["Name", "Domain"] and parsed.rows[0][1]["Domain"] == "acme.example"


@pytest.mark.parametrize(("text", "domain"), [("https://www.Acme.com/about", "acme.com"), ("acme.co.uk", "acme.co.uk"),
                                              ("http://shop.acme.com:8080", "shop.acme.com")])  # fmt: skip
def test_domains_from_websites(text, domain):
    assert fields.domain_of(text) == domain


@pytest.mark.parametrize(("text", "expected"), [
    ("Commit", "commit"), ("Best Case", "best_case"), ("best_case", "best_case"), ("PIPELINE", "pipeline"),
    # a closed deal's category follows its stage: ours, Salesforce's and HubSpot's closed names change nothing
    ("closed_won", None), ("Closed Lost", None), ("Closed", None), ("Omitted", None), ("Not forecasted", None),
])  # fmt: skip
def test_forecast_categories_from_our_and_other_crms_exports(text, expected):
    assert fields.parse_value(fields.FIELDS["deals"][fields.field_names("deals").index("forecast_category")],
                              text) == expected  # fmt: skip


def test_an_unknown_forecast_category_is_refused_with_the_choices():
    spec = next(f for f in fields.FIELDS["deals"] if f.name == "forecast_category")
    with pytest.raises(ValueError, match="pipeline, best case or commit"):
        fields.parse_value(spec, "maybe")
    assert fields.auto_match("deals", ["Name", "Forecast Category"]) == {"Name": "name",
                                                                         "Forecast Category": "forecast_category"}
