"""Reading an office's sign-off chains."""

from servplan.offices.models import DEFAULT_CHAIN, Form, Office, Role


def chain_for(office: Office, form: Form | str) -> list[Role]:
    """The roles that sign `form` for `office`, in order (the default five when none are set).

    Reads `office.chain_steps` (every form's steps, a handful of rows), so a list that
    prefetches them asks no query per office.
    """
    steps = sorted(
        (step for step in office.chain_steps.all() if step.form == form), key=lambda s: s.position
    )
    return [Role(step.role) for step in steps] or list(DEFAULT_CHAIN)
