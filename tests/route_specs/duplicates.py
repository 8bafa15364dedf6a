"""The duplicates pages: the scan's pairs, the merge and its undo (admins only)."""

from tests.route_specs.stages import admin_row

OBJECTS = {
    "duplicate_pair": admin_row(
        "insert into crm.duplicate_pairs (kind, first_id, second_id, score, reasons) values ('companies', "
        "'00000000-0000-4000-8000-0000000000a1', gen_random_uuid(), 0.9, '[\"same domain\"]') returning id"
    ),
    "record_merge": admin_row(
        "insert into crm.record_merges (kind, survivor_id, loser_id, merged_by, snapshot) values ('companies', "
        "gen_random_uuid(), gen_random_uuid(), app.current_user_id(), '{}') returning id"
    ),
}
OBJECT_ROUTES = {
    "duplicates.dismiss": ("duplicate_pair", {"admin"}),
    "duplicates.undo": ("record_merge", {"admin"}),
}
WRITE_ROUTES = {"duplicates.scan", "duplicates.merge"}
