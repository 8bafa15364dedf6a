"""dashboard.matching: the keys and comparisons every import and the duplicate scan share, on hand-made names."""

from __future__ import annotations

import pytest

from dashboard import matching as m


@pytest.mark.parametrize(
    "a, b",
    [
        ("The Acme Co.", "Acme Company"),  # leading article; Co. = Company, a legal form at the end
        ("ACME Intl", "Acme International, Inc."),  # abbreviation; legal suffix
        ("Smith & Sons Ltd", "smith and sons"),  # & = and
        ("Acme Corp", "Acme Corporation"),
        ("Müller GmbH", "Muller"),  # accents
        ("  Acme   LLC ", "acme"),
        ("I.B.M.", "IBM Corp."),  # initials joined
        ("Acme Systems", "Acme System"),  # plural
        ("Blue Field Labs", "Bluefield Laboratories"),  # spacing; Labs = Laboratories
    ],
)
def test_spellings_of_one_company_are_the_same(a, b):
    assert m.compare_company_names(a, b).same, (m.company_key(a), m.company_key(b))


def test_company_key_sets_aside_articles_abbreviations_and_legal_forms():
    assert m.company_key("The Acme Co.") == m.company_key("Acme Company") == "acme"
    assert m.company_key("ACME Int'l, Ltd.") == "acme international"
    assert m.company_key("Café Müller GmbH") == "cafe muller"
    assert m.company_key("The Company") == "company"  # nothing but a legal form: kept, not emptied
    assert m.company_key(None) == "" and m.company_tokens("") == ()


def test_siblings_sharing_a_stem_never_merge():
    for a, b in [("Acme Logistics", "Acme Financial"), ("Acme Logistics Inc", "ACME FINANCIAL LTD"),
                 ("Acme", "Acme Logistics"), ("Acme Foods", "Acme Goods"), ("Acme 2", "Acme 3")]:  # fmt: skip
        match = m.compare_company_names(a, b)
        assert match.verdict == m.DIFFERENT, (a, b, match)
    assert m.compare_company_names("Acme Logistics", "Acme Financial").reasons == (
        "names differ in a word (logistic / financial)",
    )


def test_typos_are_the_same_company_and_doubtful_ones_only_could_be():
    transposed = m.compare_company_names("Northwind Analytics", "Nortwhind Analytics")
    assert transposed.same and transposed.reasons == ("names differ by a typo (northwind / nortwhind)",)
    assert m.compare_company_names("Harborview Analytcs", "Harborview Analytics").same  # a dropped letter
    assert m.compare_company_names("Amce Logistics", "Acme Logistics").same  # first two letters swapped
    # a changed letter of a short word, or a changed first letter: maybe another name
    assert m.compare_company_names("Bolt", "Volt").verdict == m.UNCERTAIN
    assert m.compare_company_names("Harbourvue Analitics", "Harborview Analytics").verdict == m.UNCERTAIN


def test_domains_decide_between_companies():
    same = m.compare_companies("Acme", "Acme Inc", "acme.com", "mail.acme.com")
    assert same.same and same.reasons[0] == "same domain"
    siblings = m.compare_companies("Acme Logistics", "Acme Financial", "acme.com", "acme.com")
    assert siblings.verdict == m.UNCERTAIN  # one domain, two names: ask
    assert m.compare_companies("Acme", "Acme", "acme.com", "acme.de").verdict == m.UNCERTAIN


def test_email_key_and_domains():
    assert m.email_key("Jane+CRM@Mail.Acme.com") == m.email_key("jane@acme.com") == "jane@acme.com"
    assert m.email_key("j.doe+x@googlemail.com") == "jdoe@gmail.com"  # gmail ignores dots
    assert m.email_key("not-an-email@") is None
    assert m.email_domain("ann@eu.mail.acme.co.uk") == "acme.co.uk"  # public suffix co.uk
    assert m.company_domain("ann@mail.acme.com") == "acme.com"
    for personal in ["ann@gmail.com", "ann@outlook.com", "ann@yahoo.co.uk", "ann@hotmail.com.br", "ann@icloud.com"]:
        assert m.company_domain(personal) is None, personal
    assert "gmail.com" in m.PERSONAL_EMAIL_DOMAINS


def test_person_key_sets_aside_order_case_titles_and_middle_initials():
    same = ["Smith, John A.", "JOHN SMITH", "john a smith", "Dr. John Smith Jr.", "John Adam Smith", "Smith, John"]
    assert {m.person_key(x) for x in same} == {"john smith"}
    assert m.person_key("José Núñez") == "jose nunez"
    assert m.person_key("O'Brien, Ann") == "ann obrien"
    assert m.display_name("Smith, John A.") == ("John A.", "Smith")
    assert m.display_name("ANN LEE") == ("Ann", "Lee")


def test_people_compare_by_mailbox_then_name():
    assert m.compare_people("Jane Doe", "J Doe", "jane+crm@acme.com", "JANE@mail.acme.com").same
    assert m.compare_people("Jane Doe", "Jane Doe", "jane@acme.com", "jdoe@acme.com").verdict == m.UNCERTAIN
    assert m.compare_person_names("Lee, Ann", "ANN LEE").same
    assert m.compare_person_names("Jonathan Smith", "Jonathan Smtih").same  # a typo in one name
    assert m.compare_person_names("J. Smith", "John Smith").verdict == m.UNCERTAIN
    assert m.compare_person_names("Ann Lee", "Bo Lee").verdict == m.DIFFERENT


def test_company_index_finds_same_and_doubtful_candidates_not_siblings():
    index = m.CompanyIndex()
    for item, name in [(1, "Acme Logistics Inc"), (2, "Acme Financial"), (3, "Harborview Analytics"), (4, "Bolt")]:
        index.add(item, name)
    assert [(i, x.verdict) for i, x in index.candidates("ACME LOGISTICS")] == [(1, m.SAME)]
    assert [(i, x.verdict) for i, x in index.candidates("Acme Logistcs")] == [(1, m.SAME)]
    assert [(i, x.verdict) for i, x in index.candidates("Harbourvue Analitics")] == [(3, m.UNCERTAIN)]
    assert index.candidates("Acme Robotics") == []
    index.add(5, "The Acme Logistics Co.")  # a second company of the same name: both are candidates
    assert {i for i, x in index.candidates("Acme Logistics") if x.same} == {1, 5}


def test_slips_in_legal_forms_abbreviations_plurals_and_spaces():
    assert m.company_key("Acme Logistics Incorrporated") == "acme logistic"  # a slip in a legal form
    assert m.compare_company_names("Meadowbrook Phaarma", "Meadowbrook Pharma Corp.").same  # Pharma -> pharmaceutical
    assert m.compare_company_names("Yarrow Textlies", "Yarrow Textiles").same  # a slip in a plural
    assert m.compare_company_names("Meadowbroo kPharma", "Meadowbrook Pharma").same  # a space one letter off
    assert m.compare_company_names("Albright Group", "Albrightgroup").same  # a name made from albrightgroup.io
    assert m.compare_company_names("Aabright Group", "Albrightgroup").same  # ... and a slip
    # a changed letter in a 5-letter word is a slip when the other words are equal, not in a name of one word
    assert m.compare_company_names("BKL Meuia", "BKL Media").same
    assert m.compare_company_names("Orion", "Oriun").verdict == m.UNCERTAIN
    # joined or not, two common words a letter apart stay two companies
    assert m.compare_company_names("Acme Foods", "AcmeGoods").verdict == m.DIFFERENT
    assert m.compare_company_names("Acme Grout", "Acme").verdict == m.DIFFERENT  # a word, not a slip of "Group"


def test_the_index_stops_at_an_exact_key_when_asked():
    index = m.CompanyIndex()
    index.add(1, "Acme Logistics")
    index.add(2, "Acme Logistic Ltd")  # the same key: both
    index.add(3, "Acme Logistcs")  # a typo of it: only in the full answer
    assert {i for i, _ in index.candidates("ACME LOGISTICS", exact_first=True)} == {1, 2}
    assert {i for i, _ in index.candidates("ACME LOGISTICS")} == {1, 2, 3}
