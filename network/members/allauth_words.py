"""django-allauth's words that show on the sign-in pages, for the site's own
catalogues: allauth ships no Welsh, Urdu, Bengali or Punjabi, and the member
area and sign-in pages are shown in the reader's language (ops/i18n.py).

Nothing calls these: ``makemessages`` collects them from here, so they are
translated (and checked by tests/test_translations.py) with the site's own
strings. Each is allauth's msgid exactly; allauth's templates and forms then
find the translation by it. tests/test_translations.py renders the sign-in pages
in every language and fails on any of allauth's English still showing: add the
msgid here, then ``make messages``. The emails allauth sends members are the
site's own templates (templates/account/email/)."""

from django.utils.translation import gettext_noop as _

SIGN_IN_PAGES = (
    # Sign in, with a password or an emailed code.
    _("Sign In"),
    _("Email"),
    _("Password"),
    _("Remember Me"),
    _("Forgot your password?"),
    _("Send me a sign-in code"),
    _("Use your password"),
    _("You will receive a special code for a password-free sign-in."),
    _("Request Code"),
    _("Other sign-in options"),
    _("Enter Sign-In Code"),
    _("Code"),
    _(
        "We've sent a code to %(recipient)s. The code expires shortly, so please "
        "enter it soon."
    ),
    _("Confirm"),
    _("Cancel"),
    _("Request new code"),
    _("Alternative options"),
    # The second factor.
    _("Two-Factor Authentication"),
    _(
        "Your account is protected by two-factor authentication. Please enter an "
        "authenticator code:"
    ),
    _("Authenticator code"),
    _("Use authenticator app or code"),
    # Passwords.
    _("Password Reset"),
    _(
        "Forgotten your password? Enter your email address below, and we'll send "
        "you an email allowing you to reset it."
    ),
    _("Reset My Password"),
    _("Please contact us if you have any trouble resetting your password."),
    _(
        "We have sent you an email. If you have not received it please check your "
        "spam folder. Otherwise contact us if you do not receive it in a few "
        "minutes."
    ),
    _("Change Password"),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("Password (again)"),
    _("You must type the same password each time."),
    _("Bad Token"),
    _(
        "The password reset link was invalid, possibly because it has already been "
        'used.  Please request a <a href="%(passwd_reset_url)s">new password '
        "reset</a>."
    ),
    _("Your password is now changed."),
    _("Please type your current password."),
    # Signing out.
    _("Sign Out"),
    _("Are you sure you want to sign out?"),
    # Errors and messages.
    _("The email address and/or password you specified are not correct."),
    _("Too many failed login attempts. Try again later."),
    _("Be patient, you are sending too many requests."),
    _("Incorrect code."),
    _("Incorrect password."),
    _("Invalid or expired key."),
    _("This account is currently inactive."),
    _("Successfully signed in as %(name)s."),
    _("You have signed out."),
    _("A sign-in code has been sent to %(recipient)s."),
    _("Password successfully changed."),
    _("Password successfully set."),
)
