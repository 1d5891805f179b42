"""A novice's case (a reviewer's: 52, single, wages $42,000, medical bills $6,000, a $60,000
401(k), $15,000 asked for medical bills and needed in hand), shared as data by the terminal's
and the web page's tests of the words a person new to this reads."""

NOVICE = {
    "id": "warehouse-52",
    "person": {"birth_date": "1974-03-15", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2012-05-01"},
    "income": {"wages": 42000, "medical_expenses": 6000},
    "plan": {"type": "401k",
             "hardship": {"allowed": True, "self_certification": True,
                          "sources": ["elective_deferral"]},
             "loans": {"allowed": True, "max_count": 1, "interest_rate": 0.085},
             "secure2": {"emergency_expense": True}},
    "account": {"sources": {"elective_deferral": {"balance": 45000},
                            "match": {"balance": 15000, "vested": 1.0}}},
    "request": {"date": "2026-06-01", "amount": 15000, "purpose": "medical", "need": 15000},
}
