"""How django-allauth behaves here: no open sign-up; accounts come from invitations."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join by invitation (network/members/views.py) or by asking to
        # join; allauth's own sign-up form stays closed.
        return False
