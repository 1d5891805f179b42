"""The API gives the notes of the spouse's facts on the return that a case file gives
(tests/routes/test_spouse_on_the_return.py), and refuses ``person.lived_apart`` on a return
other than married filing separately (IRC §86(c)(1)(C)(ii)) with a 422 naming it."""

from __future__ import annotations

from routes.test_spouse_on_the_return import JOINT, SEPARATE, _case, _codes


def test_the_api_gives_the_same_notes(client):
    for case, code in ((SEPARATE, "LIVED_WITH_SPOUSE_ASSUMED"),
                       (JOINT, "SPOUSE_AGE_ASSUMED_UNDER_65")):
        r = client.post("/assess", json=case)
        assert r.status_code == 200, r.text
        assert code in _codes(r.json()["notes"])
    r = client.post("/assess", json=_case(SEPARATE, {"filing_status": "single",
                                                     "lived_apart": True}))
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["body", "person", "lived_apart"]
    assert "married_separate" in problem["msg"]
