from django import forms
from django.contrib.auth.forms import AuthenticationForm

from servplan.core.throttle import MESSAGE, client_ip, is_throttled


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to even try the password while the username or address is throttled."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if is_throttled(username=username, ip=client_ip(self.request)):
            raise forms.ValidationError(MESSAGE, code="throttled")
        return super().clean()
