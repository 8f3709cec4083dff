"""What each role may do with the accounts app's records.

Invitations follow the grant table (``mentorship/roles.py``, ``GRANTS``): an invitation offers a
role, and the scope of ``view``, ``add`` and ``change`` is, role by role, where the user may grant
that role (``Invitation.grant_actions``). The permissions below only say who has the pages at all
(the menu entry, the «Пригласить» button, the import «Пользователи и роли»).
"""

from mentorship.access import grant, model_permissions
from mentorship.roles import GRANTS

grant(list(GRANTS), *model_permissions("accounts.invitation", "view", "add", "change"))
