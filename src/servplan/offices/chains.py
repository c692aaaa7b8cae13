"""Reading an office's sign-off chains."""

from servplan.offices.models import DEFAULT_CHAIN, ChainStep, Form, Office, Role


def chain_for(office: Office, form: Form | str) -> list[Role]:
    """The roles that sign `form` for `office`, in order (the default five when none are set)."""
    roles = [
        Role(step.role)
        for step in ChainStep.objects.filter(office=office, form=form).order_by("position")
    ]
    return roles or list(DEFAULT_CHAIN)
