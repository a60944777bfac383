"""Cases (to come): appeals (申诉) against a published result, complaints (投诉), allegations
(举报) and suggestions (建议) — each a record with its own transition table (filed, assigned,
answered, closed …), audited and read through ``access`` like every other app.
"""
