"""The accounts app's services, one module per concern (users, invitations)."""
