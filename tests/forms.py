"""What a browser would post back from a form page, for tests that submit edit forms."""


def posted(form, **changes) -> dict:
    """The form's current values (the lock token included) as POST data, with `changes` applied."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            value = "on"
        elif value in (None, False):
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}
