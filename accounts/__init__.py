"""Accounts: who may log in and how (throttling, two-factor, sessions, single sign-on), invitations
and the delegated administration of users and their roles."""
