"""Sign up for updates: double opt-in, consent records, one-click unsubscribe, mailings.

Supporters sign up on the site; editors write and send updates from the admin. The
list is kept to the rules of PECR and UK GDPR: nothing but the confirmation email
goes to an address until its owner confirms, every consent step is logged with its
time, source and wording version, and every email can be left with one click.
"""
