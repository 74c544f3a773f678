"""Field standardizers: one small module per field kind.

Every public function here is pure, never raises on customer data, and
returns a :class:`~core.standardize.result.FieldResult` (or a subclass with
extra attributes such as a phone's kind or a name's matching key).
"""
